/**
 * Terminal columns, per grapheme: wide (East Asian) characters and emoji take two columns,
 * combining marks and joiners none, so CJK, emoji, flags and right-to-left text keep the layout.
 * Every line the app draws is measured, cut and wrapped here and never exceeds the width asked for.
 */
import stringWidth from "fast-string-width";

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
const ASCII = /^[\x20-\x7e]*$/;
// SGR colour sequences the app itself adds (server text never carries escapes: it is sanitized).
const SGR = /\x1b\[[0-9;]*m/g;

export function graphemes(text: string): string[] {
  if (ASCII.test(text)) return text.split("");
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** Columns one grapheme takes. */
export function graphemeWidth(g: string): number {
  if (g.length === 1) {
    const c = g.charCodeAt(0);
    if (c >= 0x20 && c < 0x7f) return 1;
    if (c < 0x20 || (c >= 0x7f && c < 0xa0)) return 0;
  }
  return Math.min(2, stringWidth(g));
}

/** Columns a string takes on the terminal (colour codes take none). */
export function displayWidth(text: string): number {
  const plain = text.includes("\x1b") ? text.replace(SGR, "") : text;
  if (ASCII.test(plain)) return plain.length;
  let w = 0;
  for (const g of graphemes(plain)) w += graphemeWidth(g);
  return w;
}

/** Plain text cut to at most `width` columns; `ellipsis` marks a cut. */
export function truncateToWidth(text: string, width: number, ellipsis = "…"): string {
  if (width <= 0) return "";
  if (displayWidth(text) <= width) return text;
  const room = width - displayWidth(ellipsis);
  let out = "";
  let w = 0;
  for (const g of graphemes(text)) {
    const gw = graphemeWidth(g);
    if (w + gw > room) break;
    out += g;
    w += gw;
  }
  return out + ellipsis;
}

/** Plain text padded with spaces (or cut) to exactly `width` columns. */
export function padToWidth(text: string, width: number): string {
  const cut = truncateToWidth(text, width);
  return cut + " ".repeat(Math.max(0, width - displayWidth(cut)));
}

/**
 * Word-wraps plain text (which may hold newlines) into lines of at most `width` columns; words
 * longer than a line break between graphemes. Never returns an empty array.
 */
export function wrapToWidth(text: string, width: number): string[] {
  const max = Math.max(1, width);
  const out: string[] = [];
  for (const para of text.split("\n")) {
    let line = "";
    let lineW = 0;
    for (const word of para.split(/(\s+)/)) {
      if (word === "") continue;
      const isSpace = /^\s+$/.test(word);
      const piece = isSpace ? word.replace(/\s/g, " ") : word;
      const w = displayWidth(piece);
      if (lineW + w <= max) {
        line += piece;
        lineW += w;
        continue;
      }
      if (isSpace) {
        out.push(line.trimEnd());
        line = "";
        lineW = 0;
        continue;
      }
      if (lineW > 0 && w <= max) {
        out.push(line.trimEnd());
        line = piece;
        lineW = w;
        continue;
      }
      // Longer than a whole line: fill this line, then break between graphemes.
      for (const g of graphemes(piece)) {
        const gw = graphemeWidth(g);
        if (lineW + gw > max && lineW > 0) {
          out.push(line.trimEnd());
          line = "";
          lineW = 0;
        }
        line += g;
        lineW += gw;
      }
    }
    out.push(line.trimEnd());
  }
  return out;
}
