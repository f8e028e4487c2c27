/**
 * Teams timestamps: ISO-8601 with exactly seven fractional digits (`2024-06-12T13:46:40.1230000Z`),
 * and message ids that are arrival times in epoch milliseconds written as strings.
 */

/** Formats epoch milliseconds the way the chat service does: seven fractional digits, `Z`. */
export function toTeamsTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2024-06-12T13:46:40.123Z
  return `${iso.slice(0, 23)}0000Z`;
}

/** Parses any ISO-8601 timestamp (3, 7 or any number of fractional digits) to epoch ms; NaN if invalid. */
export function parseTeamsTimestamp(value: string): number {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  if (!m) return Number.NaN;
  const frac = (m[2] ?? "").slice(0, 3).padEnd(3, "0");
  return Date.parse(`${m[1]}.${frac}${m[3] ?? "Z"}`);
}
