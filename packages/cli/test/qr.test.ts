/**
 * The device-code QR code: every module of the code, read back from the half-block glyphs, matches
 * the QR library's own matrix, inside a light quiet zone.
 */
import * as assert from "node:assert/strict";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import { qrLines } from "../src/render/qr.js";

const qrcode = createRequire(import.meta.url)("qrcode-generator") as typeof import("qrcode-generator");

describe("QR code in the terminal", { timeout: 10_000 }, () => {
  it("draws every module: dark is blank, light is the block", () => {
    const text = "https://microsoft.com/devicelogin";
    const lines = qrLines(text);
    const qr = qrcode(0, "L");
    qr.addData(text);
    qr.make();
    const n = qr.getModuleCount();
    const width = n + 4;
    assert.ok(lines.every((l) => [...l].length === width));
    assert.equal(lines.length, Math.ceil(width / 2));
    // Glyph → (top dark, bottom dark).
    const halves: Record<string, [boolean, boolean]> = {
      " ": [true, true],
      "▄": [true, false],
      "▀": [false, true],
      "█": [false, false],
    };
    for (let r = -2; r < n + 2; r++) {
      for (let c = -2; c < n + 2; c++) {
        const glyph = [...lines[Math.floor((r + 2) / 2)]!][c + 2]!;
        const dark = halves[glyph]![(r + 2) % 2]!;
        const expected = r >= 0 && c >= 0 && r < n && c < n && qr.isDark(r, c);
        assert.equal(dark, expected, `module ${r},${c}`);
      }
    }
  });
});
