/**
 * A QR code for the terminal: two modules per character cell with the half-block characters, dark
 * modules drawn in the terminal's background colour on a light quiet zone so phones read it on dark
 * and light themes alike. Built with qrcode-generator (no dependencies, plain JS).
 */
import { createRequire } from "node:module";

/** Loaded on first use: only device-code sign-in draws a QR code. */
let qrcode: typeof import("qrcode-generator") | undefined;

const QUIET = 2;

/** The QR code of `text` as lines of text (each line is two module rows). */
export function qrLines(text: string): string[] {
  // The package's types use `export =`; load its CommonJS build and keep those types.
  qrcode ??= createRequire(import.meta.url)("qrcode-generator") as typeof import("qrcode-generator");
  const qr = qrcode(0, "L");
  qr.addData(text);
  qr.make();
  const n = qr.getModuleCount();
  const dark = (r: number, c: number): boolean => r >= 0 && c >= 0 && r < n && c < n && qr.isDark(r, c);
  const lines: string[] = [];
  for (let r = -QUIET; r < n + QUIET; r += 2) {
    let line = "";
    for (let c = -QUIET; c < n + QUIET; c++) {
      const top = dark(r, c);
      const bottom = dark(r + 1, c);
      // Light is drawn (the block), dark is left empty: the terminal's own dark background.
      line += top ? (bottom ? " " : "▄") : bottom ? "▀" : "█";
    }
    lines.push(line);
  }
  return lines;
}
