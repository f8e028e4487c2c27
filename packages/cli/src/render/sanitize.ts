/**
 * The one gate every server-supplied string passes before it reaches the terminal.
 *
 * Placeholder until @teams-api/protocol exports `sanitizeTerminalText` (then this module
 * re-exports it): removes whole escape sequences (CSI, OSC, DCS/PM/APC/SOS, 8-bit CSI) so their
 * parameters do not leak as text, then every remaining C0/C1 control character except newline and
 * tab, and the Unicode bidirectional overrides that can reorder what the user sees.
 */
export function sanitizeTerminalText(text: string): string {
  return text
    .replace(/\x1b\][\s\S]*?(?:\x07|\x1b\\|$)/g, "")
    .replace(/\x1b[P^_X][\s\S]*?(?:\x1b\\|$)/g, "")
    .replace(/(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?/g, "")
    .replace(/\x1b[ -/]*[0-~]?/g, "")
    .replace(/\r\n?/g, "\n")
    .replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, "")
    .replace(/[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g, "");
}

/** Sanitized and folded onto one line (table cells, headers, error messages). */
export function oneLine(text: string): string {
  return sanitizeTerminalText(text).replace(/\s+/g, " ").trim();
}

/** Shortens to `max` characters (code points), ending with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(0, max - 1)).join("")}…`;
}
