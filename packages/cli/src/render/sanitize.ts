/**
 * The one gate every server-supplied string passes before it reaches the terminal: the protocol
 * package's sanitizer (escape sequences, C0/C1 controls, bidi overrides removed in one linear scan),
 * plus the single-line form that table cells, headers and error messages use.
 */
import { sanitizeTerminalText } from "@teams-api/protocol";

export { sanitizeTerminalText };

/** Sanitized and folded onto one line (table cells, headers, error messages). */
export function oneLine(text: string): string {
  return sanitizeTerminalText(text, { allowNewlines: false }).replace(/\s+/g, " ").trim();
}

/** Shortens to `max` characters (code points), ending with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(0, max - 1)).join("")}…`;
}
