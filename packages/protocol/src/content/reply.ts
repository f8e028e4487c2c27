/**
 * The Teams Reply quote (PROTOCOL.md §8.4): a blockquote that precedes the reply text.
 *
 *   <blockquote itemscope itemtype="http://schema.skype.com/Reply" itemid="<quotedMsgId>">
 *     <strong itemprop="mri" itemid="<mri>">Alice</strong><span itemprop="time" itemid="<quotedMsgId>"></span>
 *     <p itemprop="preview">quoted text…</p></blockquote>
 */
import { escapeHtml, schemaType } from "./escape.js";
import { type Attrs, HTML_VOID_ELEMENTS, scanMarkup } from "./scan.js";

export const REPLY_TYPE = "http://schema.skype.com/Reply";

/** How much of the quoted text goes into the preview. */
export const REPLY_PREVIEW_LENGTH = 100;

export interface ReplyQuote {
  /** Id of the quoted message. */
  messageId: string;
  authorMri: string;
  authorName: string;
  /** Plain text of the quoted message, or its start. */
  preview: string;
}

/** First `max` characters of `text` with whitespace collapsed, `…` when cut (no split surrogate pairs). */
export function replyPreview(text: string, max = REPLY_PREVIEW_LENGTH): string {
  const t = text.replace(/\s+/g, " ").trim();
  if (t.length <= max) return t;
  let cut = max;
  const c = t.charCodeAt(cut - 1);
  if (c >= 0xd800 && c <= 0xdbff) cut--;
  return t.slice(0, cut).trimEnd() + "…";
}

/** The Reply blockquote HTML to put before the reply text. `preview` is plain text (the quoted message's text); it is shortened and escaped. */
export function buildReplyQuote(q: ReplyQuote): string {
  const id = escapeHtml(q.messageId);
  return (
    `<blockquote itemscope="" itemtype="${REPLY_TYPE}" itemid="${id}">` +
    `<strong itemprop="mri" itemid="${escapeHtml(q.authorMri)}">${escapeHtml(q.authorName)}</strong>` +
    `<span itemprop="time" itemid="${id}"></span>` +
    `<p itemprop="preview">${escapeHtml(replyPreview(q.preview))}</p>` +
    "</blockquote>"
  );
}

/**
 * Finds the first Reply quote in message HTML and returns its fields (decoded, not sanitized:
 * sanitize before display), or undefined when there is none. Never throws.
 */
export function parseReplyQuote(html: string): ReplyQuote | undefined {
  if (typeof html !== "string" || !html.toLowerCase().includes("schema.skype.com/reply")) return undefined;
  let found: { messageId: string; authorMri: string; authorName: string; preview: string } | undefined;
  let depth = 0; // open elements inside the quote, the quote included
  let field: "name" | "preview" | undefined;
  let fieldDepth = 0;
  const handler = {
    stopped: false,
    open(name: string, attrs: Attrs, selfClosing: boolean) {
      if (found === undefined) {
        if (name === "blockquote" && schemaType(attrs["itemtype"]) === "reply" && !selfClosing) {
          found = { messageId: attrs["itemid"] ?? "", authorMri: "", authorName: "", preview: "" };
          depth = 1;
        }
        return;
      }
      if (selfClosing || HTML_VOID_ELEMENTS.has(name)) return;
      depth++;
      if (field !== undefined) return;
      const prop = attrs["itemprop"];
      if (prop === "mri") {
        found.authorMri = attrs["itemid"] ?? "";
        field = "name";
        fieldDepth = depth;
      } else if (prop === "preview") {
        field = "preview";
        fieldDepth = depth;
      } else if (prop === "time" && !found.messageId) {
        found.messageId = attrs["itemid"] ?? "";
      }
    },
    close() {
      if (found === undefined) return;
      if (field !== undefined && depth === fieldDepth) field = undefined;
      depth--;
      if (depth === 0) handler.stopped = true;
    },
    text(t: string) {
      if (found === undefined || field === undefined) return;
      if (field === "name") found.authorName += t;
      else if (found.preview.length < 10_000) found.preview += t;
    },
  };
  scanMarkup(html, handler);
  if (found === undefined) return undefined;
  return {
    messageId: found.messageId.trim(),
    authorMri: found.authorMri.trim(),
    authorName: found.authorName.replace(/\s+/g, " ").trim(),
    preview: found.preview.replace(/\s+/g, " ").trim(),
  };
}
