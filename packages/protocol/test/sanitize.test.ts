import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { escapeJsonForTerminal, sanitizeTerminalText } from "../src/sanitize.js";
import { hostileString, numRuns, unsafeReason } from "./arbitraries.js";

/** Printable text with no control, bidi or surrogate characters: the sanitizer must leave it alone. */
const safeText = fc.string({
  unit: fc.oneof(
    fc.integer({ min: 0x20, max: 0x7e }).map((n) => String.fromCharCode(n)),
    fc.constantFrom("é", "ß", "Ω", "中", "🙂", "👍🏽", "\u00a0", "👨\u200d👩", "\u0628\u200c\u0627", "\n"),
  ),
  maxLength: 40,
});

describe("sanitizeTerminalText", () => {
  it("removes CSI sequences, including private parameters and intermediates", () => {
    assert.equal(sanitizeTerminalText("a\x1b[31mred\x1b[0m b"), "ared b");
    assert.equal(sanitizeTerminalText("\x1b[?1049h\x1b[2Jx\x1b[1;31;4m"), "x");
    assert.equal(sanitizeTerminalText("x\x1b[ qy"), "xy"); // DECSCUSR: intermediate space
  });

  it("removes OSC strings ended by BEL or ST, payload included (hyperlinks, clipboard, title)", () => {
    assert.equal(sanitizeTerminalText("\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07 here"), "click here");
    assert.equal(sanitizeTerminalText("a\x1b]8;;https://evil/\x1b\\b\x1b]8;;\x1b\\c"), "abc");
    assert.equal(sanitizeTerminalText("x\x1b]52;c;cm0gLXJmIH4=\x07y"), "xy");
    assert.equal(sanitizeTerminalText("x\x1b]0;pwned\x07y"), "xy");
    assert.equal(sanitizeTerminalText("x\u009d0;t\u009cy"), "xy"); // 8-bit OSC … ST
  });

  it("removes DCS, SOS, PM and APC strings up to ST", () => {
    assert.equal(sanitizeTerminalText("a\x1bP+q544e\x1b\\b"), "ab");
    assert.equal(sanitizeTerminalText("a\x1bXsos\x1b\\b\x1b^pm\x1b\\c\x1b_apc\x1b\\d"), "abcd");
    assert.equal(sanitizeTerminalText("a\u0090dcs\u009cb"), "ab");
  });

  it("removes two-character ESC sequences and a lone trailing ESC", () => {
    assert.equal(sanitizeTerminalText("a\x1b7b\x1b8c\x1bcd\x1b(Be\x1b#8f\x1b"), "abcdef");
  });

  it("swallows the rest of an unterminated string sequence, as a terminal would", () => {
    assert.equal(sanitizeTerminalText("safe\x1b]0;never ends"), "safe");
  });

  it("treats 8-bit CSI like ESC [ and drops other C1 controls", () => {
    assert.equal(sanitizeTerminalText("a\u009b31mb\u0085c\u0080d\u0099e"), "abcde");
    assert.equal(sanitizeTerminalText("a\u009fapc\u009cb"), "ab"); // 8-bit APC … ST
  });

  it("drops C0 controls and DEL but keeps newlines; CRLF becomes LF, a lone CR goes", () => {
    assert.equal(sanitizeTerminalText("a\x00b\x07c\x08d\x7fe\r\nf\rg\n"), "abcde\nfg\n");
  });

  it("turns tabs into spaces unless allowed, and newlines into spaces when not allowed", () => {
    assert.equal(sanitizeTerminalText("a\tb"), "a b");
    assert.equal(sanitizeTerminalText("a\tb", { allowTabs: true }), "a\tb");
    assert.equal(sanitizeTerminalText("a\nb\r\nc\rd\u2028e", { allowNewlines: false }), "a b c d e");
    assert.equal(sanitizeTerminalText("a\u2028b\u2029c"), "a\nb\nc");
  });

  it("drops bidi embeddings, overrides and isolates", () => {
    assert.equal(sanitizeTerminalText("invoice\u202egpj.exe"), "invoicegpj.exe");
    assert.equal(sanitizeTerminalText("\u202a\u202b\u202c\u202d\u202ex\u2066\u2067\u2068\u2069"), "x");
  });

  it("replaces lone surrogates with U+FFFD and keeps valid pairs", () => {
    assert.equal(sanitizeTerminalText("a\ud800b"), "a\ufffdb");
    assert.equal(sanitizeTerminalText("a\udc00b\ud83d"), "a\ufffdb\ufffd");
    assert.equal(sanitizeTerminalText("🙂\ud83d\ude42"), "🙂🙂");
    // Halves separated by a control do not pair up once the control is gone.
    assert.equal(sanitizeTerminalText("\ud83d\x07\ude42"), "\ufffd\ufffd");
  });

  it("returns safe text unchanged", () => {
    const s = "Grüße, 世界! 🙂👍🏽 — “quotes” ‹›\u00a0end";
    assert.equal(sanitizeTerminalText(s), s);
  });

  it("cleans 1 MB of ESC [ repeated and other hostile floods (their speed is bench/hostile.bench.ts)", () => {
    // Under mutation testing (MUTATION=1) the instrumented scan is far slower: same shapes, 4 KB.
    const k = process.env.MUTATION ? 4 : 1024;
    const floods = [
      "\x1b[".repeat(512 * k),
      "\x1b]".repeat(512 * k),
      "\x1b".repeat(1024 * k),
      "\u009b".repeat(1024 * k),
      "\x1b[1;".repeat(256 * k),
      "\ud800".repeat(1024 * k),
    ];
    for (const s of floods) {
      const out = sanitizeTerminalText(s);
      assert.equal(unsafeReason(out), undefined);
    }
  });

  it("property: output never contains a control, bidi or lone surrogate character", () => {
    fc.assert(
      fc.property(hostileString, fc.boolean(), fc.boolean(), (s, allowNewlines, allowTabs) => {
        const out = sanitizeTerminalText(s, { allowNewlines, allowTabs });
        assert.equal(unsafeReason(out, allowTabs), undefined);
        if (!allowNewlines) assert.ok(!out.includes("\n"));
        assert.ok(!out.includes("\x1b"));
      }),
      { numRuns },
    );
  });

  it("property: idempotent", () => {
    fc.assert(
      fc.property(hostileString, fc.boolean(), fc.boolean(), (s, allowNewlines, allowTabs) => {
        const once = sanitizeTerminalText(s, { allowNewlines, allowTabs });
        assert.equal(sanitizeTerminalText(once, { allowNewlines, allowTabs }), once);
      }),
      { numRuns },
    );
  });

  it("property: safe text is unchanged, and a complete escape sequence between safe texts vanishes alone", () => {
    const complete = fc.constantFrom(
      "\x1b[31m",
      "\x1b[?1049h",
      "\x1b[38;5;196m",
      "\x1b]0;pwned\x07",
      "\x1b]8;;https://evil.example/\x1b\\",
      "\x1b]52;c;cm0gLXJmIH4=\x07",
      "\x1bP+q544e\x1b\\",
      "\x1b_APC payload\x1b\\",
      "\x1b7",
      "\x1b(B",
      "\u009b31m",
      "\u009d0;title\u009c",
    );
    fc.assert(
      fc.property(safeText, complete, safeText, (a, seq, b) => {
        assert.equal(sanitizeTerminalText(a), a);
        assert.equal(sanitizeTerminalText(a + seq + b), a + b);
      }),
      { numRuns },
    );
  });

  it("drops zero-width and invisible characters and the bidi marks, keeping joiners inside emoji and scripts", () => {
    assert.equal(sanitizeTerminalText("pay\u200bpal"), "paypal");
    assert.equal(sanitizeTerminalText("pay\u200dpal pay\u200cpal"), "paypal paypal");
    assert.equal(sanitizeTerminalText("\ufeffa\u2060b\u2061c\u2064d\u180ee\u061cf"), "abcdef");
    assert.equal(sanitizeTerminalText("left\u200eright\u200f"), "leftright");
    assert.equal(sanitizeTerminalText("👨\u200d👩\u200d👧"), "👨\u200d👩\u200d👧");
    assert.equal(
      sanitizeTerminalText("\u0645\u06cc\u200c\u062e\u0648\u0627\u0645"),
      "\u0645\u06cc\u200c\u062e\u0648\u0627\u0645",
    );
    // A joiner next to something dropped is judged by that neighbour, so a second pass agrees.
    assert.equal(sanitizeTerminalText("a\u200b\u200dé"), "aé");
    assert.equal(sanitizeTerminalText("é\u200d\u200bé"), "éé");
    assert.equal(sanitizeTerminalText("é\u200d\u200dé"), "éé");
  });

  it("property: an invisible character between safe texts vanishes alone", () => {
    const invisible = fc.constantFrom("\u200b", "\u200e", "\u200f", "\u2060", "\ufeff", "\u061c", "\u180e");
    fc.assert(
      fc.property(safeText, invisible, safeText, (a, ch, b) => {
        assert.equal(sanitizeTerminalText(a + ch + b), a + b);
      }),
      { numRuns },
    );
  });

  it("property: never longer than the input", () => {
    fc.assert(
      fc.property(hostileString, (s) => {
        assert.ok(sanitizeTerminalText(s).length <= s.length);
      }),
      { numRuns },
    );
  });
});

describe("escapeJsonForTerminal", () => {
  it("escapes C1, DEL, bidi, zero-width and separators as \\u…, keeping the JSON's value", () => {
    const value = { t: "a\u0085b\u009bc\u007fd\u202ee\u200bf\u2066g\u200fh\u2028i\ufeffj\u00adk", plain: "é 🙂 中" };
    const out = escapeJsonForTerminal(JSON.stringify(value));
    assert.doesNotMatch(out, /[\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/);
    assert.match(out, /\\u0085/);
    assert.match(out, /\\u202e/);
    assert.deepEqual(JSON.parse(out), value);
    assert.equal(escapeJsonForTerminal('{"a":"é 🙂"}'), '{"a":"é 🙂"}');
  });

  it("property: any value round-trips and no unsafe character is left raw", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const out = escapeJsonForTerminal(JSON.stringify(v));
        assert.deepEqual(JSON.parse(out), JSON.parse(JSON.stringify(v)));
        assert.doesNotMatch(out, /[\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200b]/);
      }),
      { numRuns },
    );
  });
});

describe("sanitizeTerminalText: which printable text survives a broken sequence (mutation gaps)", () => {
  const cases: Array<[string, string, { allowNewlines?: boolean; allowTabs?: boolean }?]> = [
    // ESC followed by something that is not a sequence: the ESC goes, the character is judged alone.
    ["a\x1bé", "aé"],
    ["a\x1b\x7f b", "a b"],
    ["a\x1b\x01b", "ab"],
    // A CSI cut short by ESC, by a control, or by non-ASCII.
    ["a\x1b[12\x1b[31mb", "ab"],
    ["a\x1b[12\x1b7b", "ab"],
    ["a\x1b[1éb", "aéb"],
    ["a\x1b[1\nb", "a\nb"],
    // ESC with intermediates: several intermediates, then a final; or cut short.
    ["a\x1b( !Bb", "ab"],
    ["a\x1b(éb", "aéb"],
    ["a\x1b(\x1b[mb", "ab"],
    // OSC and DCS ended by another ESC (which starts a sequence of its own), by CAN or SUB.
    ["a\x1b]0;t\x1b[31mb", "ab"],
    ["a\x1bPq\x1b7b", "ab"],
    ["a\x1b]0;t\x1bxb", "ab"],
    ["a\x1b]0;t\x18b", "ab"],
    ["a\x1bPxx\x1ab", "ab"],
    // BEL ends an OSC but not a DCS.
    ["a\x1b]0;x\x07b", "ab"],
    ["a\x1bPxx\x07yy\x1b\\b", "ab"],
    ["a\x1b]8;;u\x1b\\b", "ab"],
    // 8-bit introducers: SOS, PM, APC, DCS, OSC strings up to 8-bit ST; 8-bit CSI.
    ["a\x98payload\x9cb", "ab"],
    ["a\x9epm\x9cb", "ab"],
    ["a\x9fapc\x9cb", "ab"],
    ["a\x90dcs\x9cb", "ab"],
    ["a\x9d0;t\x9cb", "ab"],
    ["a\x9b31mb", "ab"],
    ["a\x85b", "ab"],
    // Unterminated sequences swallow the rest, as a terminal would.
    ["a\x1b]0;title", "a"],
    ["a\x1bPq", "a"],
    ["a\x1b", "a"],
    ["a\x1b[", "a"],
    // Line ends, tabs and separators by option.
    ["a\r\nb", "a b", { allowNewlines: false }],
    ["a\rb", "a b", { allowNewlines: false }],
    ["a\rb", "ab"],
    ["a\r\nb", "a\nb"],
    ["a\tb", "a\tb", { allowTabs: true }],
    ["a\tb", "a b"],
    ["a\u2028b", "a b", { allowNewlines: false }],
    ["a\u2029b", "a\nb"],
    // Surrogates, and the printable neighbours of the bidi ranges.
    ["a\ud800b", "a\ufffdb"],
    ["a\udc00b", "a\ufffdb"],
    ["\ud83d\ude00", "\ud83d\ude00"],
    ["a\u202ab\u2066c", "abc"],
    ["x\u202fy\u2065z", "x\u202fy\u2065z"],
  ];
  for (const [input, expected, options] of cases) {
    it(`${JSON.stringify(input)}${options ? ` ${JSON.stringify(options)}` : ""} → ${JSON.stringify(expected)}`, () => {
      assert.equal(sanitizeTerminalText(input, options), expected);
    });
  }
});

describe("sanitizeTerminalText: the edges of every range it treats specially (mutation gaps)", () => {
  // Each alone in plain text, so the quick "anything to do?" check must notice it by itself.
  const special = [
    ["\u0000", "ab"],
    ["\u001f", "ab"],
    ["\u007f", "ab"],
    ["\u0080", "ab"],
    ["\u061c", "ab"],
    ["\u180e", "ab"],
    ["\u200b", "ab"],
    ["\u200f", "ab"],
    ["\u2028", "a\nb"],
    ["\u2029", "a\nb"],
    ["\u202a", "ab"],
    ["\u202e", "ab"],
    ["\u2060", "ab"],
    ["\u2064", "ab"],
    ["\u2066", "ab"],
    ["\u2069", "ab"],
    ["\ufeff", "ab"],
    ["\ud800", "a\ufffdb"],
    ["\udbff", "a\ufffdb"],
    ["\udc00", "a\ufffdb"],
    ["\udfff", "a\ufffdb"],
  ];
  for (const [c, expected] of special) {
    it(`handles U+${c!.charCodeAt(0).toString(16).padStart(4, "0")} alone`, () => {
      assert.equal(sanitizeTerminalText(`a${c}b`), expected);
    });
  }

  it("keeps the printable neighbours of those ranges, with and without other work to do", () => {
    for (const c of [" ", "~", "\u00a0", "\u061b", "\u061d", "\u180d", "\u180f", "\u200a", "\u2010", "\u2027"]) {
      assert.equal(sanitizeTerminalText(`a${c}b`), `a${c}b`, JSON.stringify(c));
      assert.equal(sanitizeTerminalText(`\x07a${c}b`), `a${c}b`, `${JSON.stringify(c)} after a control`);
    }
    for (const c of ["\u202f", "\u205f", "\u2065", "\u206a", "\ufefe", "\uff00", "\ud7ff", "\ue000"]) {
      assert.equal(sanitizeTerminalText(`a${c}b`), `a${c}b`, JSON.stringify(c));
      assert.equal(sanitizeTerminalText(`\x07a${c}b`), `a${c}b`, `${JSON.stringify(c)} after a control`);
    }
  });

  it("keeps a joiner only between visible non-ASCII characters, judging each neighbour", () => {
    assert.equal(sanitizeTerminalText("\u00a0\u200d\u00a0"), "\u00a0\u200d\u00a0");
    for (const n of ["\u2028", "\u2029", "\u202a", "\u202e", "\u2066", "\u2069", "\u200c", "\u200b", "\u2060"]) {
      assert.equal(sanitizeTerminalText(`é\u200d${n}é`).includes("\u200d"), false, `joiner before ${n.charCodeAt(0)}`);
      assert.equal(sanitizeTerminalText(`é${n}\u200dé`).includes("\u200d"), false, `joiner after ${n.charCodeAt(0)}`);
    }
    for (const n of ["\u202f", "\u2065", "\u206a", "\u2027", "\u00e9"]) {
      assert.equal(sanitizeTerminalText(`é\u200c${n}`), `é\u200c${n}`, `joiner before ${n.charCodeAt(0)}`);
    }
  });
});

describe("sanitizeTerminalText: the byte ranges of escape sequences, edge by edge (mutation gaps)", () => {
  const cases: Array<[string, string]> = [
    // ESC + intermediate: space and "/" are the edges; then a final byte.
    ["a\x1b b", "a"],
    ["a\x1b/Bb", "ab"],
    // ESC + final: "0" and "~" are the edges of the final bytes.
    ["a\x1b0b", "ab"],
    ["a\x1b~b", "ab"],
    // ESC + ESC: the first is dropped, the second starts a sequence; ESC + line feed keeps it.
    ["a\x1b\x1b[31mb", "ab"],
    ["a\x1b\nb", "a\nb"],
    // Intermediates after intermediates up to "/", then "0" or "~" ends it.
    ["a\x1b(/Bb", "ab"],
    ["a\x1b(0b", "ab"],
    ["a\x1b(~b", "ab"],
    // CSI finals "@" and "~" (ESC [ 2 ~ is the Insert key).
    ["a\x1b[1@b", "ab"],
    ["a\x1b[2~b", "ab"],
    // ST ends a string; the text right after it survives.
    ["a\x1b]0;t\x1b\\\\b", "a\\b"],
    ["a\x1bPq\x1b\\b", "ab"],
    // Surrogate pairs at the edges of the low range, and a high one before a non-surrogate.
    ["a\ud800\udc00b", "a\ud800\udc00b"],
    ["a\udbff\udfffb", "a\udbff\udfffb"],
    ["a\ud800\ue000b", "a\ufffd\ue000b"],
    // Two lone low surrogates are not a pair: only a high one may open one.
    ["a\udc00\udc00b", "a\ufffd\ufffdb"],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
      assert.equal(sanitizeTerminalText(input), expected);
    });
  }
});
