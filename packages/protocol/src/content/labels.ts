/** Small text helpers for htmlToText: whitespace collapsing, labels from attributes, truncation. */
import { sanitizeTerminalText } from "../sanitize.js";

/** Longest attribute-derived label (alt text, file name, link target) shown. */
export const MAX_LABEL = 300;

/** Collapses HTML whitespace and removes controls from one piece of text. */
export function cleanInline(s: string): string {
  const t = sanitizeTerminalText(s, { allowNewlines: false });
  // Most text has only single spaces: skip the replace unless there is something to collapse.
  return COLLAPSIBLE.test(t) ? t.replace(/[ \t\n\f\r\u00a0]+/g, " ") : t;
}

/** Whitespace HTML collapses, other than single spaces. */
const COLLAPSIBLE = /[\t\n\f\r\u00a0]| {2}/;

/** A short single-line label from an attribute or captured text. */
export function label(s: string | undefined): string {
  if (!s) return "";
  const t = cleanInline(s.length > MAX_LABEL * 4 ? s.slice(0, MAX_LABEL * 4) : s).trim();
  if (t.length <= MAX_LABEL) return t;
  const cut =
    t.charCodeAt(MAX_LABEL - 1) >= 0xd800 && t.charCodeAt(MAX_LABEL - 1) <= 0xdbff ? MAX_LABEL - 1 : MAX_LABEL;
  return t.slice(0, cut) + "…";
}

/** A file name from the last path segment of a URL, if it looks like one (`photo.png`). */
export function fileNameFromUrl(src: string | undefined): string {
  if (!src) return "";
  const path = src.split(/[?#]/, 1)[0] ?? "";
  const last = path.slice(path.lastIndexOf("/") + 1);
  if (!/\.[A-Za-z0-9]{1,6}$/.test(last)) return "";
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

export function normalizeUrlForCompare(u: string): string {
  return u
    .trim()
    .toLowerCase()
    .replace(/^(?:mailto:|tel:|https?:\/\/)/, "")
    .replace(/^www\./, "")
    .replace(/\/+$/, "");
}

/** `1.2 MB`-style size of a byte count (a number or numeric string); "" for anything else. */
export function formatBytes(v: string | number): string {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) return "";
  if (n < 1024) return `${n} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let x = n / 1024;
  let u = 0;
  while (x >= 1024 && u < units.length - 1) {
    x /= 1024;
    u++;
  }
  return `${x < 10 ? x.toFixed(1) : Math.round(x)} ${units[u]}`;
}

/** Cuts `s` to at most `max` UTF-16 code units, ending with `…`, never splitting a surrogate pair. */
export function truncate(s: string, max: number, force = false): string {
  if (s.length <= max && !force) return s;
  if (max <= 0) return "";
  let cut = Math.min(max - 1, s.length);
  // Prefer ending at a word boundary when one is near.
  const space = s.lastIndexOf(" ", cut);
  if (space > 0 && cut - space <= 15 && cut < s.length && s.charCodeAt(cut) !== 0x20) cut = space;
  const c = s.charCodeAt(cut - 1);
  if (c >= 0xd800 && c <= 0xdbff) cut--;
  return s.slice(0, cut).trimEnd() + "…";
}
