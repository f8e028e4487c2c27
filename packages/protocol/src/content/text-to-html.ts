/**
 * Plain text with light markdown → the HTML Teams sends (`RichText/Html`, PROTOCOL.md §8.4).
 *
 * Every character of the user's text is HTML-escaped; markup comes only from the recognised
 * markdown. Links are made only for http, https and mailto URLs. All scanning is linear: each
 * delimiter search is cached so a line full of unmatched `**` costs no more than one pass.
 */
import { escapeHtml } from "./escape.js";

/** How deep inline markup may nest (`**_~~x~~_**`); deeper delimiters stay literal. */
const MAX_INLINE_DEPTH = 8;
/** How deep lists may nest; deeper items stay at the deepest level. */
const MAX_LIST_DEPTH = 8;

const SAFE_URL = /^(?:https?:\/\/|mailto:)[^\s<>"'`\u0000-\u001f\u007f-\u009f]+$/i;
const LIST_ITEM = /^([ \t]*)([-*+]|\d{1,9}[.)])[ \t]+(\S.*)$/;
const FENCE = /^[ \t]{0,3}(`{3,}|~{3,})[ \t]*([^`\s]*)[ \t]*$/;

/** True when content is already Teams HTML (starts with a tag Teams sends) rather than text a person typed. */
export function looksLikeHtml(content: string): boolean {
  return /^\s*<(p|div|span|b|strong|i|em|u|s|a|ul|ol|blockquote|pre|code|h[1-6]|table|img|br|readonly|at)\b[^>]*>/i.test(
    content,
  );
}

/**
 * Converts plain text to Teams HTML: `**bold**`, `*italic*`/`_italic_`, `~~strike~~`, `` `code` ``,
 * fenced ``` blocks → `<pre><code>`, `[text](url)` and bare http(s) URLs → `<a href>`,
 * `- item`/`* item`/`1. item` lines → lists (nested by indentation), a blank line → a new `<p>`,
 * a single newline → `<br>`. Empty text gives `<p></p>`.
 */
export function textToHtml(text: string): string {
  return textToHtmlWith(text, [], []);
}

/**
 * `textToHtml`, with the given ranges of `text` replaced by ready-made HTML fragments (mentions).
 * Ranges must be ordered and must not overlap.
 * @internal
 */
export function textToHtmlWith(
  text: string,
  ranges: readonly { start: number; end: number; index: number }[],
  fragments: readonly string[],
): string {
  if (ranges.length === 0) return renderBlocks(text, undefined);
  const sentinel = pickSentinel(text);
  if (sentinel === undefined) return renderBlocks(text, undefined);
  let src = "";
  let last = 0;
  for (const r of ranges) {
    src += text.slice(last, r.start) + sentinel + String(r.index) + sentinel;
    last = r.end;
  }
  src += text.slice(last);
  const html = renderBlocks(src, sentinel);
  const re = new RegExp(`${sentinel}(\\d+)${sentinel}`, "g");
  return html.replace(re, (m, d: string) => fragments[Number(d)] ?? m);
}

/** A private-use character absent from `text`, to mark placeholders. */
function pickSentinel(text: string): string | undefined {
  const used = new Set<number>();
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xe000 && c <= 0xf8ff) used.add(c);
  }
  for (let c = 0xe000; c <= 0xf8ff; c++) if (!used.has(c)) return String.fromCharCode(c);
  return undefined;
}

interface OpenList {
  tag: "ul" | "ol";
  indent: number;
}

function indentWidth(ws: string): number {
  let w = 0;
  for (const ch of ws) w += ch === "\t" ? 4 : 1;
  return w;
}

function renderBlocks(src: string, sentinel: string | undefined): string {
  const lines = src.replace(/\r\n?/g, "\n").split("\n");
  const out: string[] = [];
  let para: string[] = [];
  const lists: OpenList[] = [];

  const flushPara = (): void => {
    if (para.length === 0) return;
    out.push(`<p>${para.map((l) => renderInline(l, sentinel, 0, true)).join("<br>")}</p>`);
    para = [];
  };
  const closeLists = (): void => {
    while (lists.length > 0) out.push(`</li></${lists.pop()!.tag}>`);
  };
  const openList = (tag: "ul" | "ol", indent: number, number: string): void => {
    const start = tag === "ol" ? Number.parseInt(number, 10) : 1;
    out.push(tag === "ol" && start !== 1 ? `<ol start="${start}">` : `<${tag}>`);
    lists.push({ tag, indent });
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const fence = FENCE.exec(line);
    if (fence) {
      flushPara();
      closeLists();
      const marker = fence[1] ?? "```";
      const lang = (fence[2] ?? "").replace(/[^A-Za-z0-9_+#.-]/g, "").slice(0, 32);
      const body: string[] = [];
      i++;
      for (; i < lines.length; i++) {
        const l = lines[i] ?? "";
        if (l.trim().startsWith(marker) && l.trim().replace(/[`~]/g, "") === "") break;
        body.push(l);
      }
      const cls = lang ? ` class="language-${escapeHtml(lang)}"` : "";
      out.push(`<pre${cls}><code>${escapeHtml(body.join("\n"))}</code></pre>`);
      continue;
    }
    if (line.trim() === "") {
      flushPara();
      closeLists();
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (!item) {
      closeLists();
      para.push(line);
      continue;
    }
    flushPara();
    const indent = indentWidth(item[1] ?? "");
    const bullet = item[2] ?? "-";
    const tag = /\d/.test(bullet) ? "ol" : "ul";
    const content = `<li>${renderInline(item[3] ?? "", sentinel, 0, true)}`;
    let top = lists[lists.length - 1];
    if (top === undefined) {
      openList(tag, indent, bullet);
    } else if (indent > top.indent && lists.length < MAX_LIST_DEPTH) {
      openList(tag, indent, bullet); // nested inside the open item
    } else {
      while (lists.length > 1 && top !== undefined && indent < top.indent) {
        out.push(`</li></${lists.pop()!.tag}>`);
        top = lists[lists.length - 1];
      }
      if (top !== undefined && top.tag === tag) {
        out.push("</li>");
      } else {
        if (top !== undefined) out.push(`</li></${lists.pop()!.tag}>`);
        openList(tag, indent, bullet);
      }
    }
    out.push(content);
  }
  flushPara();
  closeLists();
  return out.length === 0 ? "<p></p>" : out.join("");
}

function isWordChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c >= 0x80;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c || Number.isNaN(c);
}

/** First index of `needle` at or after `from`, remembering earlier answers so repeated searches stay linear. */
class Finder {
  private readonly cache = new Map<string, [number, number]>();
  constructor(private readonly s: string) {}
  find(needle: string, from: number): number {
    const c = this.cache.get(needle);
    if (c !== undefined && from >= c[0] && (c[1] === -1 || from <= c[1])) return c[1];
    const r = this.s.indexOf(needle, from);
    this.cache.set(needle, [from, r]);
    return r;
  }
}

/** Whitespace beyond ASCII: a bare URL ends there. */
const UNICODE_SPACE = /\s/;

/** Trailing characters a bare URL does not end with. */
const URL_TRAILING = /[.,;:!?*_~'"]/;

/** Whether a line may hold inline markdown at all (most chat lines do not). */
const MAY_HAVE_MARKUP = /[`*_~[]|:\/\//;

function renderInline(s: string, sentinel: string | undefined, depth: number, links: boolean): string {
  if (!MAY_HAVE_MARKUP.test(s)) return escapeHtml(s);
  const n = s.length;
  const finder = new Finder(s);
  let out = "";
  let lit = 0;
  let i = 0;
  const flush = (end: number): void => {
    if (end > lit) out += escapeHtml(s.slice(lit, end));
  };
  const nested = depth < MAX_INLINE_DEPTH;

  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 0x60) {
      // `code`, ``code``
      let run = 1;
      while (s.charCodeAt(i + run) === 0x60) run++;
      const close = finder.find("`".repeat(run), i + run);
      if (close > i + run) {
        flush(i);
        let code = s.slice(i + run, close);
        if (code.length > 1 && code.startsWith(" ") && code.endsWith(" ")) code = code.slice(1, -1);
        out += `<code>${escapeHtml(code)}</code>`;
        i = close + run;
        lit = i;
      } else {
        i += run;
      }
      continue;
    }
    if (nested && (c === 0x2a || c === 0x5f || c === 0x7e)) {
      const double = s.charCodeAt(i + 1) === c;
      let delim: string | undefined;
      let tag = "";
      if (c === 0x2a) {
        delim = double ? "**" : "*";
        tag = double ? "b" : "i";
      } else if (c === 0x5f && !double) {
        delim = "_";
        tag = "i";
      } else if (c === 0x7e && double) {
        delim = "~~";
        tag = "s";
      }
      if (delim !== undefined) {
        const len = delim.length;
        const open = i + len;
        let ok = !isSpace(s.charCodeAt(open)) && open < n;
        if (ok && delim === "_" && i > 0 && isWordChar(s.charCodeAt(i - 1))) ok = false;
        if (ok) {
          const close = finder.find(delim, open + 1);
          if (
            close > open &&
            !isSpace(s.charCodeAt(close - 1)) &&
            !(delim === "_" && close + 1 < n && isWordChar(s.charCodeAt(close + 1)))
          ) {
            flush(i);
            out += `<${tag}>${renderInline(s.slice(open, close), sentinel, depth + 1, links)}</${tag}>`;
            i = close + len;
            lit = i;
            continue;
          }
        }
        i += len;
        continue;
      }
    }
    if (links && nested && c === 0x5b) {
      // [text](url)
      const mid = finder.find("](", i + 1);
      if (mid > i && finder.find("]", i + 1) === mid) {
        const end = finder.find(")", mid + 2);
        const url = end > mid ? s.slice(mid + 2, end) : "";
        if (SAFE_URL.test(url) && (sentinel === undefined || !url.includes(sentinel))) {
          flush(i);
          const label = s.slice(i + 1, mid);
          const inner = label === "" ? escapeHtml(url) : renderInline(label, sentinel, depth + 1, false);
          out += `<a href="${escapeHtml(url)}">${inner}</a>`;
          i = end + 1;
          lit = i;
          continue;
        }
      }
    }
    if (links && (c === 0x68 || c === 0x48) && (i === 0 || !isWordChar(s.charCodeAt(i - 1)))) {
      const head = s.slice(i, i + 8).toLowerCase();
      const schemeLen = head.startsWith("https://") ? 8 : head.startsWith("http://") ? 7 : 0;
      if (schemeLen > 0) {
        let j = i + schemeLen;
        let parens = 0;
        while (j < n) {
          const d = s.charCodeAt(j);
          if (isSpace(d) || d === 0x3c || d === 0x3e || d === 0x22 || d === 0x27 || d === 0x60 || d < 0x20) break;
          if (d >= 0x7f && (d <= 0x9f || UNICODE_SPACE.test(s[j] ?? ""))) break;
          if (sentinel !== undefined && s[j] === sentinel) break;
          if (d === 0x28) parens++;
          else if (d === 0x29) {
            if (parens === 0) break;
            parens--;
          }
          j++;
        }
        while (j > i + schemeLen && URL_TRAILING.test(s[j - 1] ?? "")) j--;
        if (j > i + schemeLen) {
          flush(i);
          const url = s.slice(i, j);
          out += `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`;
          i = j;
          lit = i;
          continue;
        }
      }
    }
    i++;
  }
  flush(n);
  return out;
}
