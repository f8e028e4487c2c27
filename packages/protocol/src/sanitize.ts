/**
 * Terminal-safe text. Everything the server sends (message bodies, display names, topics, file
 * names) is untrusted: an escape sequence in it could recolour the terminal, move the cursor,
 * retitle the window, write the clipboard (OSC 52) or plant a disguised hyperlink (OSC 8), and
 * bidi overrides can make text read differently from what it is. One linear scan removes all of it.
 */

export interface SanitizeOptions {
  /**
   * Keep line feeds. When false, each line break (`\n`, `\r\n`, lone `\r`, U+2028, U+2029) becomes
   * a single space so single-line fields (names, topics) stay on one line.
   * @default true
   */
  allowNewlines?: boolean;
  /**
   * Keep horizontal tabs. When false, each tab becomes a space.
   * @default false
   */
  allowTabs?: boolean;
}

const ESC = 0x1b;
const BEL = 0x07;
const CAN = 0x18;
const SUB = 0x1a;

/**
 * Anything that needs the slow path: C0 (tab and LF included, they depend on options), DEL, C1,
 * bidi controls and marks, zero-width and invisible characters, line/paragraph separators, surrogates.
 */
const NEEDS_WORK =
  /[\u0000-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff\ud800-\udfff]/;

/**
 * Invisible characters that hide in text ("pay\u200Bpal" reads as "paypal"): zero-width space,
 * word joiner and invisible operators, byte-order mark, Mongolian vowel separator, and the bidi
 * marks LRM, RLM and ALM. All dropped.
 */
function isInvisible(c: number): boolean {
  return (
    c === 0x200b ||
    c === 0x200e ||
    c === 0x200f ||
    c === 0x061c ||
    c === 0x180e ||
    c === 0xfeff ||
    (c >= 0x2060 && c <= 0x2064)
  );
}

/**
 * Zero-width non-joiner and joiner (U+200C, U+200D) are needed inside emoji sequences and in
 * scripts such as Persian or Devanagari, where both neighbours are non-ASCII. Next to ASCII they
 * only hide something ("pay\u200Dpal"), so there they are dropped.
 */
function isHiddenJoiner(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c !== 0x200c && c !== 0x200d) return false;
  return !(isVisibleNonAscii(s.charCodeAt(i - 1)) && isVisibleNonAscii(s.charCodeAt(i + 1)));
}

/** A non-ASCII character the scan keeps as it is (so a kept joiner's neighbours survive too). */
function isVisibleNonAscii(c: number): boolean {
  if (c < 0xa0 || c === 0x200c || c === 0x200d || isInvisible(c)) return false;
  return !(c === 0x2028 || c === 0x2029 || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069));
}

/** What the scanner is inside of. */
enum Mode {
  Text = 0,
  /** After ESC: deciding what kind of sequence follows. */
  Escape = 1,
  /** ESC followed by intermediates (0x20–0x2F), waiting for the final byte. */
  EscapeIntermediate = 2,
  /** Control Sequence: parameters, intermediates, final byte. */
  Csi = 3,
  /** OSC: ends at BEL or ST. */
  Osc = 4,
  /** DCS, SOS, PM, APC: end at ST only. */
  String = 5,
}

/**
 * Removes every terminal control sequence and control character from untrusted text:
 * - ESC-introduced sequences: CSI (`ESC [`, private parameters included), OSC (`ESC ]`, ended by BEL
 *   or ST, so OSC 8 hyperlinks and OSC 52 clipboard writes vanish with their payload), DCS/SOS/PM/APC
 *   strings up to ST, and two-character sequences (`ESC 7`, `ESC ( B`, …). An unterminated string
 *   sequence swallows the rest of the text, as a terminal would.
 * - 8-bit C1 introducers (U+009B CSI, U+009D OSC, U+0090 DCS, …) are treated like their ESC forms;
 *   every other C1 control (U+0080–U+009F) is dropped.
 * - Raw C0 controls and DEL are dropped, except `\n` (unless `allowNewlines` is false) and `\t`
 *   (only with `allowTabs`); `\r\n` becomes `\n` and a lone `\r` is dropped.
 * - Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) are dropped; U+2028 and
 *   U+2029 become `\n`.
 * - Lone surrogates become U+FFFD.
 * - Zero-width and invisible characters (U+200B, U+2060–U+2064, U+FEFF, U+180E) and the bidi marks
 *   LRM, RLM and ALM are dropped; U+200C/U+200D are kept only between two non-ASCII characters
 *   (emoji sequences, scripts that need them).
 *
 * Linear time, no regular-expression backtracking. Idempotent: the output contains nothing this
 * function would change.
 */
export function sanitizeTerminalText(s: string, options?: SanitizeOptions): string {
  const allowNewlines = options?.allowNewlines ?? true;
  const allowTabs = options?.allowTabs ?? false;
  // Stryker disable next-line ConditionalExpression: equivalent — the quick exit only saves time
  if (!NEEDS_WORK.test(s)) return s;

  const newline = allowNewlines ? "\n" : " ";
  const n = s.length;
  let out = "";
  /** Start of the pending run of plain text to copy. */
  let runStart = 0;
  let mode: Mode = Mode.Text;

  // Stryker disable next-line EqualityOperator: equivalent — charCodeAt(n) is NaN, which every branch drops
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);

    // Stryker disable next-line ConditionalExpression: equivalent — the switch has no Text case; this keeps text out of it
    if (mode !== Mode.Text) {
      // Inside a sequence: everything is consumed until it ends or is aborted.
      switch (mode) {
        case Mode.Escape:
          // ESC [ → CSI, ESC ] → OSC, ESC P/X/^/_ → DCS/SOS/PM/APC strings, ESC + intermediates,
          // ESC + one final byte (0x30–0x7E) → a complete two-character sequence.
          if (c === 0x5b) mode = Mode.Csi;
          else if (c === 0x5d) mode = Mode.Osc;
          else if (c === 0x50 || c === 0x58 || c === 0x5e || c === 0x5f) mode = Mode.String;
          else if (c >= 0x20 && c <= 0x2f) mode = Mode.EscapeIntermediate;
          else if (c >= 0x30 && c <= 0x7e) mode = Mode.Text;
          else {
            // Not a sequence after all: drop the ESC, reprocess this character as text.
            mode = Mode.Text;
            i--;
          }
          // Where a sequence goes on, the run starts again where it ends.
          runStart = i + 1;
          continue;
        case Mode.EscapeIntermediate:
          if (c >= 0x20 && c <= 0x2f) continue;
          mode = Mode.Text;
          if (c >= 0x30 && c <= 0x7e) runStart = i + 1;
          else {
            i--;
            runStart = i + 1;
          }
          continue;
        case Mode.Csi:
          // Parameters and intermediates (0x20–0x3F) continue; a final byte (0x40–0x7E) ends it.
          if (c >= 0x20 && c <= 0x3f) continue;
          mode = Mode.Text;
          if (c >= 0x40 && c <= 0x7e) runStart = i + 1;
          else {
            // Aborted (another ESC, a control, non-ASCII): reprocess this character.
            i--;
            runStart = i + 1;
          }
          continue;
        case Mode.Osc:
        case Mode.String:
          if (c === ESC) {
            // Any ESC ends the string and starts a sequence of its own: ST (ESC \) is then a
            // complete two-character sequence like any other.
            mode = Mode.Escape;
          } else if (c === 0x9c || c === CAN || c === SUB || (c === BEL && mode === Mode.Osc)) {
            mode = Mode.Text;
            runStart = i + 1;
          }
          continue;
      }
    }

    // Plain text. Printable ASCII and most of Unicode pass straight through.
    if (c >= 0x20 && c < 0x7f) continue;
    if (isInvisible(c) || isHiddenJoiner(s, i)) {
      out += s.slice(runStart, i);
      runStart = i + 1;
      continue;
    }
    if (c >= 0xa0 && c < 0x2028) continue;
    if (c > 0x2069 && (c < 0xd800 || c > 0xdfff)) continue;

    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++; // a valid pair
        continue;
      }
      out += s.slice(runStart, i) + "\ufffd";
      runStart = i + 1;
      continue;
    }
    if (c >= 0xdc00) {
      // A low surrogate (everything above 0xDFFF went on above) not consumed by a high one.
      out += s.slice(runStart, i) + "\ufffd";
      runStart = i + 1;
      continue;
    }
    if (c >= 0x202f && c <= 0x2065) continue;

    // Something to drop or replace: flush the run before it.
    out += s.slice(runStart, i);
    runStart = i + 1;
    if (c === 0x0a) out += newline;
    else if (c === 0x0d) {
      if (s.charCodeAt(i + 1) !== 0x0a && !allowNewlines) out += " ";
    } else if (c === 0x09) out += allowTabs ? "\t" : " ";
    else if (c === 0x2028 || c === 0x2029) out += newline;
    else if (c === ESC) mode = Mode.Escape;
    else if (c === 0x9b) mode = Mode.Csi;
    else if (c === 0x9d) mode = Mode.Osc;
    else if (c === 0x90 || c === 0x98 || c === 0x9e || c === 0x9f) mode = Mode.String;
    // Every other C0, DEL, C1 and bidi control: dropped.
  }
  if (mode === Mode.Text) out += s.slice(runStart);
  return out;
}

/**
 * Characters JSON.stringify leaves raw that a terminal acts on or hides: DEL, C1 controls, the bidi
 * marks, embeddings, overrides and isolates, zero-width and invisible characters, line and paragraph
 * separators. JSON text may only carry them inside strings, so escaping them keeps it valid JSON.
 */
const JSON_UNSAFE = /[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/**
 * JSON text made safe to print on a terminal: every character in {@link JSON_UNSAFE} written as a
 * `\uXXXX` escape. The value it parses to is unchanged.
 */
export function escapeJsonForTerminal(json: string): string {
  return json.replace(JSON_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
