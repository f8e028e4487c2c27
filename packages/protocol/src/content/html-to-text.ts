/**
 * Teams message HTML (PROTOCOL.md §8.4, plus the Skype-era tags of `RichText`) → readable,
 * terminal-safe text.
 *
 * Driven by the flat tokenizer in scan.ts with an explicit element stack: no recursion, so
 * 10,000-deep nesting is just a long array; close tags are matched through a per-name count of
 * open elements, so unmatched or deeply mismatched close tags cost O(1) each and the whole run
 * stays linear in the input. Every piece of text is sanitized before it is placed.
 */

import { sanitizeTerminalText } from "../sanitize.js";
import type { WireMention } from "../wire.js";
import { emoticonToEmoji } from "./emoji.js";
import { schemaType } from "./escape.js";
import { BLOCK, DROP, EMPHASIS, PRE } from "./html-tags.js";
import {
  cleanInline,
  fileNameFromUrl,
  formatBytes,
  label,
  MAX_LABEL,
  normalizeUrlForCompare,
  truncate,
} from "./labels.js";
import { parseMentions } from "./mentions.js";
import { type Attrs, HTML_VOID_ELEMENTS, type ScanHandler, scanMarkup } from "./scan.js";
import { TextBuilder } from "./text-builder.js";

export interface HtmlToTextOptions {
  /** `properties.mentions` (JSON string or array): lets split multi-word mentions merge into one `@Name`, and names empty mention spans. */
  mentions?: WireMention[] | string;
  /** Wrap lines to this many terminal columns (at least 10). Preformatted lines are not wrapped. */
  width?: number;
  /** Cut the result to at most this many UTF-16 code units, ending with `…` when cut. */
  maxLength?: number;
  /**
   * Show light markers for emphasis: `**bold**`, `_italic_`, `~~strike~~`, `` `code` ``.
   * @default false
   */
  markers?: boolean;
}

/** How many nested containers (quotes, list items) indent or mark a line; deeper ones add nothing. */
const MAX_PREFIX_DEPTH = 6;
/** Longest line prefix (quote markers and indentation) before a list bullet. */
const MAX_PREFIX_LENGTH = 20;
/** How much link text is kept to compare with the link target. */
const MAX_LINK_TEXT = 2048;

const VOID = HTML_VOID_ELEMENTS;

enum Kind {
  Plain,
  Block,
  Drop,
  Pre,
  Code,
  Quote,
  List,
  ListItem,
  Row,
  Link,
  Mention,
  Emoticon,
  UriObject,
  Capture,
  CaptureTitle,
  ReplyAuthor,
  Giphy,
}

interface Entry {
  name: string;
  kind: Kind;
  /** Builder prefix before this element changed it. */
  prevPrefix: string;
  /** Per-kind data. */
  list?: { ordered: boolean; next: number };
  row?: { cells: number };
  link?: { href: string; text: string; writes: number };
  mention?: { pendingBefore: number; fallback: string; mri: string; itemid: number };
  marker?: { text: string; pendingBefore: number };
  emoticon?: { type: string; writes: number };
  uri?: { type: string; name: string; size: string };
  capture?: { label: string; text: string };
  /** A Teams Reply quote (`itemtype=…/Reply`). */
  reply?: boolean;
}

class Renderer implements ScanHandler {
  stopped = false;
  readonly out: TextBuilder;
  private readonly stack: Entry[] = [];
  private readonly openCount = new Map<string, number>();
  /** Stack indexes of open lists and list items, to close an item implied by the next `<li>`. */
  private readonly listIdx: number[] = [];
  private readonly itemIdx: number[] = [];
  private readonly rows: Entry[] = [];
  private prefixDepth = 0;
  private dropDepth = 0;
  private preDepth = 0;
  private captureDepth = 0;
  private linkDepth = 0;
  private mentionDepth = 0;
  private replyDepth = 0;
  private giphyDepth = 0;
  /** Set right after `<pre>` opens: its first newline is not content (HTML rule). */
  private preStart = false;
  /** Text glued before the next visible content: opening markers and the `@` of a mention. */
  private pendingInline = "";
  private readonly mentionsByItem: Map<number, WireMention>;
  private lastMention: { mri: string; itemid: number; writes: number } | undefined;
  private capture: Entry | undefined;
  /** Depth of `<Title>` inside the `<URIObject>` being captured. */
  private titleDepth = 0;

  constructor(
    private readonly options: HtmlToTextOptions,
    private readonly maxLength: number,
  ) {
    const width =
      options.width !== undefined && Number.isFinite(options.width)
        ? Math.max(10, Math.floor(options.width))
        : undefined;
    this.out = new TextBuilder(width);
    this.mentionsByItem = new Map();
    if (options.mentions !== undefined) {
      for (const m of parseMentions(options.mentions)) {
        const id = Number(m.itemid);
        if (Number.isInteger(id) && !this.mentionsByItem.has(id)) this.mentionsByItem.set(id, m);
      }
    }
  }

  // ── Output helpers ──────────────────────────────────────────────────────────────────────────

  /** Places collapsible, already-clean text, honouring pending markers. */
  private emit(text: string): void {
    if (text === "") return;
    if (this.pendingInline !== "" && text.trim() !== "") {
      const lead = text.charCodeAt(0) === 0x20 ? " " : "";
      const body = lead ? text.slice(1) : text;
      text = lead + this.pendingInline + body;
      this.pendingInline = "";
    }
    const before = this.out.writes;
    this.out.inline(text);
    if (this.linkDepth > 0 && this.out.writes !== before) this.appendLinkText(text);
    this.checkLength();
  }

  private emitPre(text: string): void {
    if (text === "") return;
    if (this.pendingInline !== "") {
      this.out.write(this.pendingInline);
      this.pendingInline = "";
    }
    this.out.pre(text);
    if (this.linkDepth > 0) this.appendLinkText(text);
    this.checkLength();
  }

  private appendLinkText(text: string): void {
    for (let k = this.stack.length - 1; k >= 0; k--) {
      const link = this.stack[k]?.link;
      if (link) {
        if (link.text.length < MAX_LINK_TEXT) link.text += text;
        return;
      }
    }
  }

  private checkLength(): void {
    // +1: the first line is counted with a newline it does not have.
    if (this.out.length > this.maxLength + 1) this.stopped = true;
  }

  private pushPrefix(e: Entry, add: string, marker?: string): void {
    e.prevPrefix = this.out.prefix;
    if (this.prefixDepth < MAX_PREFIX_DEPTH && e.prevPrefix.length + add.length <= MAX_PREFIX_LENGTH) {
      this.out.prefix = e.prevPrefix + add;
      if (marker !== undefined) this.out.marker = e.prevPrefix + marker;
    } else if (marker !== undefined) {
      this.out.marker = e.prevPrefix;
    }
    this.prefixDepth++;
  }

  private popPrefix(e: Entry): void {
    this.out.prefix = e.prevPrefix;
    this.prefixDepth--;
  }

  // ── Scanner callbacks ───────────────────────────────────────────────────────────────────────

  text(raw: string): void {
    if (this.dropDepth > 0) return;
    if (this.captureDepth > 0) {
      const cap = this.capture?.capture;
      const wanted = this.capture?.uri === undefined || this.titleDepth > 0;
      if (cap && wanted && cap.text.length < MAX_LABEL * 4) cap.text += raw;
      return;
    }
    if (this.preDepth > 0) {
      let t = raw;
      if (this.preStart) {
        if (t.startsWith("\r\n")) t = t.slice(2);
        else if (t.startsWith("\n")) t = t.slice(1);
      }
      this.preStart = false;
      this.emitPre(sanitizeTerminalText(t, { allowTabs: true }));
      return;
    }
    this.emit(cleanInline(raw));
  }

  open(name: string, attrs: Attrs, selfClosing: boolean): void {
    this.preStart = false;
    const isVoid = VOID.has(name);
    if (this.dropDepth > 0 || this.captureDepth > 0) {
      const open = !isVoid && !selfClosing;
      const kind = this.captureDepth > 0 && this.dropDepth === 0 ? this.captureChild(name, attrs, open) : Kind.Plain;
      if (open) this.push({ name, kind, prevPrefix: "" });
      return;
    }
    if (isVoid) {
      this.voidElement(name, attrs);
      return;
    }
    const e = this.startElement(name, attrs);
    if (selfClosing) this.end(e);
    else this.push(e);
  }

  close(name: string): void {
    this.preStart = false;
    if ((this.openCount.get(name) ?? 0) === 0) {
      // Stray end tags: HTML treats </br> as <br> and </p> as an empty paragraph.
      if (this.dropDepth === 0 && this.captureDepth === 0) {
        if (name === "br") this.out.lineBreak();
        else if (name === "p") this.out.blockBreak();
      }
      return;
    }
    for (;;) {
      const e = this.pop();
      if (e === undefined || e.name === name) break;
    }
  }

  /** Closes whatever is still open at the end of the input. */
  finish(): string {
    while (this.stack.length > 0 && !this.stopped) this.pop();
    return this.out.finish();
  }

  // ── Stack ───────────────────────────────────────────────────────────────────────────────────

  private push(e: Entry): void {
    this.stack.push(e);
    this.openCount.set(e.name, (this.openCount.get(e.name) ?? 0) + 1);
    if (e.kind === Kind.List) this.listIdx.push(this.stack.length - 1);
    else if (e.kind === Kind.ListItem) this.itemIdx.push(this.stack.length - 1);
    else if (e.kind === Kind.Row) this.rows.push(e);
  }

  private pop(): Entry | undefined {
    const e = this.stack.pop();
    if (e === undefined) return undefined;
    this.openCount.set(e.name, (this.openCount.get(e.name) ?? 1) - 1);
    if (e.kind === Kind.List) this.listIdx.pop();
    else if (e.kind === Kind.ListItem) this.itemIdx.pop();
    else if (e.kind === Kind.Row) this.rows.pop();
    this.end(e);
    return e;
  }

  // ── Elements ────────────────────────────────────────────────────────────────────────────────

  private voidElement(name: string, attrs: Attrs): void {
    switch (name) {
      case "br":
        this.out.lineBreak();
        return;
      case "hr":
        this.out.blockBreak();
        this.emit("───");
        this.out.blockBreak();
        return;
      case "img":
        this.image(attrs);
        return;
      default:
        return;
    }
  }

  private image(attrs: Attrs): void {
    const type = schemaType(attrs["itemtype"]);
    if (type === "emoji") {
      const alt = label(attrs["alt"]);
      const id = attrs["itemid"] ?? "";
      this.emit(alt || emoticonToEmoji(id) || (id ? `(${label(id)})` : label(attrs["title"])));
      return;
    }
    const kind = this.giphyDepth > 0 || type === "giphy" ? "GIF" : "image";
    const name = label(attrs["alt"]) || (type === "amsimage" ? "" : label(fileNameFromUrl(attrs["src"])));
    this.emit(name ? ` [${kind}: ${name}] ` : ` [${kind}] `);
  }

  private startElement(name: string, attrs: Attrs): Entry {
    const e: Entry = { name, kind: Kind.Plain, prevPrefix: "" };
    if (DROP.has(name)) {
      e.kind = Kind.Drop;
      this.dropDepth++;
      return e;
    }
    const type = schemaType(attrs["itemtype"]);
    switch (name) {
      case "ul":
      case "ol": {
        e.kind = Kind.List;
        const start = name === "ol" ? Number.parseInt(attrs["start"] ?? "1", 10) : 1;
        e.list = { ordered: name === "ol", next: Number.isFinite(start) && Math.abs(start) < 1e9 ? start : 1 };
        this.out.blockBreak();
        return e;
      }
      case "li":
        return this.listItem(e);
      case "blockquote":
      case "quote": {
        e.kind = Kind.Quote;
        this.out.blockBreak();
        this.pushPrefix(e, "> ");
        if (type === "reply") {
          this.replyDepth++;
          e.reply = true;
        }
        const author = name === "quote" ? label(attrs["authorname"] ?? attrs["author"]) : "";
        if (author) this.emit(`${author}: `);
        return e;
      }
      case "a": {
        e.kind = Kind.Link;
        e.link = { href: attrs["href"] ?? "", text: "", writes: this.out.writes };
        this.linkDepth++;
        return e;
      }
      case "tr":
        e.kind = Kind.Row;
        e.row = { cells: 0 };
        this.out.blockBreak();
        return e;
      case "td":
      case "th": {
        const row = this.rows[this.rows.length - 1];
        if (row?.row) {
          if (row.row.cells > 0) this.emit(" | ");
          row.row.cells++;
        }
        return e;
      }
      case "at":
        return this.mention(e, attrs["id"] ?? "", undefined);
      case "ss": {
        const emoji = emoticonToEmoji(attrs["type"] ?? "");
        if (emoji) {
          this.emit(emoji);
          e.kind = Kind.Drop;
          this.dropDepth++;
        }
        return e;
      }
      case "uriobject":
        e.kind = Kind.UriObject;
        e.uri = { type: (attrs["type"] ?? "").toLowerCase(), name: "", size: "" };
        this.beginCapture(e, "");
        return e;
      case "file":
        e.kind = Kind.Capture;
        this.beginCapture(e, "file");
        return e;
      case "location": {
        const where = label(attrs["address"]);
        this.emit(where ? ` [location: ${where}] ` : " [location] ");
        e.kind = Kind.Drop;
        this.dropDepth++;
        return e;
      }
      case "c": {
        const who = label(attrs["f"]) || label(attrs["s"]);
        if (who) this.emit(` [contact: ${who}] `);
        return e;
      }
      case "code":
        if (this.preDepth === 0) {
          e.kind = Kind.Code;
          this.preDepth++;
          this.addMarker(e, "`");
        }
        return e;
      default:
        break;
    }
    if (type === "mention" && (attrs["itemid"] !== undefined || this.mentionDepth === 0) && name !== "readonly") {
      return this.mention(e, "", attrs["itemid"]);
    }
    if (type === "giphy") {
      e.kind = Kind.Giphy;
      this.giphyDepth++;
      return e;
    }
    if (this.replyDepth > 0 && attrs["itemprop"] === "mri") {
      e.kind = Kind.ReplyAuthor;
      return e;
    }
    if (this.replyDepth > 0 && attrs["itemprop"] === "time") {
      e.kind = Kind.Drop;
      this.dropDepth++;
      return e;
    }
    if (name === "span" && (attrs["type"]?.startsWith("(") || (attrs["class"] ?? "").includes("emoticon"))) {
      e.kind = Kind.Emoticon;
      e.emoticon = { type: attrs["type"] ?? "", writes: this.out.writes };
      return e;
    }
    if (PRE.has(name)) {
      e.kind = Kind.Pre;
      this.preDepth++;
      this.preStart = true;
      this.out.blockBreak();
      return e;
    }
    if (BLOCK.has(name)) {
      e.kind = Kind.Block;
      if (!(this.replyDepth > 0 && attrs["itemprop"] === "preview")) this.out.blockBreak();
      return e;
    }
    const marker = EMPHASIS[name];
    if (marker !== undefined && this.options.markers) this.addMarker(e, marker);
    return e;
  }

  private listItem(e: Entry): Entry {
    // An open <li> inside the innermost list is closed by the next <li> (HTML's implied end tag).
    const item = this.itemIdx[this.itemIdx.length - 1];
    const list = this.listIdx[this.listIdx.length - 1];
    if (item !== undefined && (list === undefined || item > list)) {
      while (this.stack.length > item) this.pop();
    }
    e.kind = Kind.ListItem;
    this.out.blockBreak();
    const listEntry = list !== undefined ? this.stack[list] : undefined;
    let bullet = "• ";
    if (listEntry?.list?.ordered) {
      bullet = `${listEntry.list.next}. `;
      listEntry.list.next++;
    }
    this.pushPrefix(e, " ".repeat(bullet.length), bullet);
    return e;
  }

  private mention(e: Entry, fallbackId: string, itemidAttr: string | undefined): Entry {
    e.kind = Kind.Mention;
    this.mentionDepth++;
    const itemid = itemidAttr !== undefined && /^\d{1,9}$/.test(itemidAttr.trim()) ? Number(itemidAttr) : -1;
    const info = itemid >= 0 ? this.mentionsByItem.get(itemid) : undefined;
    const mri = info?.mri ?? "";
    const last = this.lastMention;
    const merged =
      last !== undefined &&
      mri !== "" &&
      last.mri === mri &&
      last.itemid + 1 === itemid &&
      last.writes === this.out.writes;
    const fallback = info?.displayName ?? fallbackId.replace(/^\d+:(?:orgid:|live:)?/, "");
    e.mention = { pendingBefore: this.pendingInline.length, fallback: label(fallback), mri, itemid };
    if (!merged && this.mentionDepth === 1) this.pendingInline += "@";
    return e;
  }

  private addMarker(e: Entry, text: string): void {
    if (!this.options.markers) return;
    e.marker = { text, pendingBefore: this.pendingInline.length };
    this.pendingInline += text;
  }

  private beginCapture(e: Entry, lbl: string): void {
    e.capture = { label: lbl, text: "" };
    if (this.captureDepth === 0) this.capture = e;
    this.captureDepth++;
  }

  /** A child of a `<URIObject>`: collects the name and size; returns the kind to push. */
  private captureChild(name: string, attrs: Attrs, open: boolean): Kind {
    const uri = this.capture?.uri;
    if (!uri) return Kind.Plain;
    if (name === "originalname" && attrs["v"]) uri.name ||= attrs["v"];
    else if (name === "meta" && attrs["originalname"]) uri.name ||= attrs["originalname"];
    else if (name === "filesize" && attrs["v"]) uri.size = attrs["v"];
    else if (name === "title" && open) {
      this.titleDepth++;
      return Kind.CaptureTitle;
    }
    return Kind.Plain;
  }

  /** Ends an element: undoes its effect on the renderer state and emits what it owes. */
  private end(e: Entry): void {
    switch (e.kind) {
      case Kind.Drop:
        this.dropDepth--;
        return;
      case Kind.Block:
        this.out.blockBreak();
        return;
      case Kind.Pre:
        this.preDepth--;
        this.out.blockBreak();
        return;
      case Kind.Code:
        this.preDepth--;
        this.endMarker(e);
        return;
      case Kind.Quote:
        this.popPrefix(e);
        if (e.reply) this.replyDepth--;
        this.out.blockBreak();
        return;
      case Kind.List:
        this.out.blockBreak();
        return;
      case Kind.ListItem:
        this.popPrefix(e);
        this.out.marker = undefined;
        this.out.blockBreak();
        return;
      case Kind.Row:
        this.out.blockBreak();
        return;
      case Kind.Link:
        this.linkDepth--;
        this.endLink(e);
        return;
      case Kind.Mention:
        this.endMention(e);
        return;
      case Kind.Emoticon: {
        const em = e.emoticon;
        if (em && em.writes === this.out.writes && em.type) this.emit(emoticonToEmoji(em.type) ?? label(em.type));
        return;
      }
      case Kind.ReplyAuthor:
        this.emit(": ");
        return;
      case Kind.Giphy:
        this.giphyDepth--;
        return;
      case Kind.CaptureTitle:
        this.titleDepth--;
        return;
      case Kind.UriObject:
      case Kind.Capture:
        this.endCapture(e);
        return;
      default:
        this.endMarker(e);
        return;
    }
  }

  private endMarker(e: Entry): void {
    const m = e.marker;
    if (!m) return;
    if (this.pendingInline.length > m.pendingBefore) {
      // Nothing was written inside: drop the unused opening marker.
      this.pendingInline = this.pendingInline.slice(0, m.pendingBefore);
    } else {
      this.out.writeTight(m.text);
    }
  }

  private endLink(e: Entry): void {
    const link = e.link;
    if (!link || this.linkDepth > 0) return;
    const href = link.href.trim();
    if (href === "" || href.startsWith("#")) return;
    const shown = label(href);
    if (link.writes === this.out.writes) {
      this.emit(shown);
      return;
    }
    if (link.text.length < MAX_LINK_TEXT && normalizeUrlForCompare(link.text) === normalizeUrlForCompare(href)) return;
    this.emit(` (${shown})`);
  }

  private endMention(e: Entry): void {
    this.mentionDepth--;
    const m = e.mention;
    if (!m) return;
    if (this.pendingInline.length > m.pendingBefore) {
      // The span was empty: name it from properties.mentions (or the <at> id), or drop the "@".
      this.pendingInline = this.pendingInline.slice(0, m.pendingBefore);
      if (m.fallback) this.emit(`@${m.fallback}`);
    }
    if (this.mentionDepth === 0) this.lastMention = { mri: m.mri, itemid: m.itemid, writes: this.out.writes };
  }

  private endCapture(e: Entry): void {
    this.captureDepth--;
    if (this.capture !== e) return;
    this.capture = undefined;
    const cap = e.capture;
    if (!cap) return;
    if (e.uri) {
      const t = e.uri.type;
      const kind = t.startsWith("picture")
        ? "image"
        : t.startsWith("video")
          ? "video"
          : t.startsWith("audio")
            ? "audio"
            : t.startsWith("swift") || t.includes("card")
              ? "card"
              : "file";
      let name = label(e.uri.name);
      if (!name) name = label(cap.text.replace(/^\s*title:\s*/i, ""));
      const size = kind === "file" ? formatBytes(e.uri.size) : "";
      const detail = name ? `: ${name}${size ? ` (${size})` : ""}` : "";
      this.emit(` [${kind}${detail}] `);
      return;
    }
    const name = label(cap.text);
    this.emit(name ? ` [${cap.label}: ${name}] ` : ` [${cap.label}] `);
  }
}

/**
 * Renders Teams message HTML as terminal-safe text: paragraphs and line breaks as newlines, lists
 * as `• item` / `1. item`, quotes and the Teams Reply quote as `> Author: preview`, links as
 * `text (url)`, mentions as `@Name`, emoji as Unicode, images and files as `[image: name]` /
 * `[file: name]`, code verbatim; scripts and styles dropped. The result contains no control or
 * bidi characters (see `sanitizeTerminalText`) except `\n` and, inside code, `\t`.
 * Never throws; linear in the input, whatever its nesting.
 */
export function htmlToText(html: string, options: HtmlToTextOptions = {}): string {
  if (typeof html !== "string" || html === "") return "";
  const maxLength =
    options.maxLength !== undefined && !Number.isNaN(options.maxLength)
      ? Math.max(0, Math.floor(options.maxLength))
      : Number.POSITIVE_INFINITY;
  const r = new Renderer(options, maxLength);
  scanMarkup(html, r);
  // Every piece of text was sanitized as it entered the builder, and joining well-formed pieces
  // cannot form a control or a lone surrogate, so the assembled text needs no second pass.
  const text = r.finish();
  // Stopping early means content was left out: the ellipsis is due even if the text fits.
  return truncate(text, maxLength, r.stopped);
}
