/**
 * Approximate terminal column widths, enough to wrap rendered messages: East Asian wide and
 * emoji code points take two columns, combining marks and zero-width characters none.
 * Internal helper; not a full wcwidth.
 */

/** Columns one code point takes in a typical terminal. */
export function codePointWidth(cp: number): number {
  if (cp < 0x300) return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ? 0 : 1;
  if (
    (cp >= 0x300 && cp <= 0x36f) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    (cp >= 0x1ab0 && cp <= 0x1aff) ||
    (cp >= 0x20d0 && cp <= 0x20ff) ||
    (cp >= 0xe0100 && cp <= 0xe01ef) ||
    cp === 0x2060 ||
    cp === 0xfeff
  ) {
    return 0;
  }
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x1fa70 && cp <= 0x1faff) ||
    (cp >= 0x1f680 && cp <= 0x1f6ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/** Columns a string takes. */
export function textWidth(s: string): number {
  let w = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) {
      w++;
      continue;
    }
    const cp = s.codePointAt(i) ?? c;
    if (cp > 0xffff) i++;
    w += codePointWidth(cp);
  }
  return w;
}

/**
 * Greedy word wrap of one line body (no newlines) into pieces at most `avail` columns wide.
 * Words wider than `avail` are split between code points. Linear in the input.
 */
export function wrapWords(body: string, avail: number): string[] {
  const max = Math.max(1, avail);
  if (textWidth(body) <= max) return [body];
  const out: string[] = [];
  let line = "";
  let lineW = 0;
  for (const word of body.split(" ")) {
    const w = textWidth(word);
    if (lineW > 0 && lineW + 1 + w <= max) {
      line += " " + word;
      lineW += 1 + w;
      continue;
    }
    if (lineW > 0) {
      out.push(line);
      line = "";
      lineW = 0;
    }
    if (w <= max) {
      line = word;
      lineW = w;
      continue;
    }
    // A word wider than the line: hard-split it.
    let piece = "";
    let pieceW = 0;
    for (const ch of word) {
      const cw = codePointWidth(ch.codePointAt(0) ?? 0);
      if (pieceW + cw > max && pieceW > 0) {
        out.push(piece);
        piece = "";
        pieceW = 0;
      }
      piece += ch;
      pieceW += cw;
    }
    line = piece;
    lineW = pieceW;
  }
  if (line !== "" || out.length === 0) out.push(line);
  return out;
}
