import { InvalidArgumentError } from "commander";

const UNITS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--for 90m`, `1h`, `1h30m`, `2d`: milliseconds, from a minute to 30 days. */
export function parseDuration(value: string): number {
  const text = value.trim().toLowerCase();
  const parts = [...text.matchAll(/(\d+)\s*([smhd])/g)];
  if (
    !parts.length ||
    parts
      .map((p) => p[0])
      .join("")
      .replace(/\s/g, "") !== text.replace(/\s/g, "")
  ) {
    throw new InvalidArgumentError("expected a duration such as 30m, 1h or 1h30m.");
  }
  const ms = parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]!]!, 0);
  if (ms < 60_000 || ms > 30 * UNITS.d!) throw new InvalidArgumentError("expected a duration from 1m to 30d.");
  return ms;
}

/** "1 h 30 min" for messages. */
export function formatDuration(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.round((ms % 3_600_000) / 60_000);
  return [h ? `${h} h` : "", m ? `${m} min` : ""].filter(Boolean).join(" ") || "less than a minute";
}
