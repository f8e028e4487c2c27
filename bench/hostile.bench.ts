import { htmlToText, sanitizeTerminalText, textToHtml } from "@teams-api/protocol";
import { alternate, type Benchmark } from "./lib.js";

/**
 * Hostile content must not cost more than linear time: a codec that goes quadratic on deep nesting
 * or unterminated escapes is a denial of service. For each flood built to provoke a worst case, the
 * subject renders it at 1 MB once and the baseline renders the same flood at 1/8 MB eight times —
 * the same characters in all. Linear code scores about 1×; quadratic code scores about 8×.
 */
const MB = 1024 * 1024;
const PARTS = 8;

/** Floods by size in characters. */
const floods: Array<[string, (n: number) => unknown]> = [
  ["nested <b>", (n) => htmlToText("<b>".repeat(n / 3))],
  ["unmatched close tags", (n) => htmlToText(`${"<b>".repeat(n / 14)}${"</x>".repeat(n / 8)}`)],
  ["unclosed <li>", (n) => htmlToText(`<ol>${"<li>a".repeat(n / 5)}`)],
  ["unterminated <a", (n) => htmlToText("<a ".repeat(n / 3))],
  ["entity-encoded escapes", (n) => htmlToText("&#27;[31m".repeat(n / 9))],
  [
    "mention spans",
    (n) => htmlToText(`<span itemtype="http://schema.skype.com/Mention" itemid="1">x</span>`.repeat(n / 60)),
  ],
  ["ESC [ flood", (n) => sanitizeTerminalText("\x1b[".repeat(n / 2))],
  ["unterminated OSC", (n) => sanitizeTerminalText("\x1b]".repeat(n / 2))],
  ["C1 CSI flood", (n) => sanitizeTerminalText("\u009b".repeat(n))],
  ["lone surrogates", (n) => sanitizeTerminalText("\ud800".repeat(n))],
  ["unclosed bold", (n) => textToHtml("**a ".repeat(n / 4))],
  ["unclosed code", (n) => textToHtml("`a ".repeat(n / 3))],
  ["unclosed links", (n) => textToHtml("[a](".repeat(n / 4))],
  ["nested lists", (n) => textToHtml("- a\n  - b\n".repeat(n / 10))],
];

const bench: Benchmark = {
  name: "hostile",
  description: `${floods.length} hostile floods (htmlToText, sanitizeTerminalText, textToHtml) at 1 MB against ${PARTS}× 1/${PARTS} MB`,
  async run({ runs }) {
    const { baselineMs, subjectMs } = await alternate(
      runs,
      () => {
        for (const [, flood] of floods) for (let i = 0; i < PARTS; i++) flood(MB / PARTS);
      },
      () => {
        for (const [, flood] of floods) flood(MB);
      },
    );
    return {
      baseline: { name: `${PARTS}× 128 KiB floods`, samplesMs: baselineMs },
      subject: { name: "1 MiB floods", samplesMs: subjectMs },
      target: 2,
      notes: { floods: floods.map(([name]) => name).join(", ") },
    };
  },
};
export default bench;
