/**
 * Leniency for the service's odd encodings: several `properties` fields arrive either as a
 * JSON-encoded string or as the value itself (PROTOCOL.md §9.4 #6). These helpers accept both and
 * never throw on malformed input.
 */

/** A JSON object: not null, not an array. */
export function isJsonObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Parses a value that may be JSON-encoded in a string. Returns `fallback` for empty or malformed input. */
export function parseMaybeJson<T>(value: unknown, fallback: T): T {
  if (value === undefined || value === null || value === "") return fallback;
  if (typeof value !== "string") return value as T;
  try {
    return JSON.parse(value) as T;
  } catch {
    return fallback;
  }
}

/** An array that may arrive JSON-encoded; anything not an array becomes `[]`. */
export function parseMaybeJsonArray<T>(value: unknown): T[] {
  const parsed = parseMaybeJson<unknown>(value, []);
  return Array.isArray(parsed) ? (parsed as T[]) : [];
}

/** An object that may arrive JSON-encoded; anything not a plain object becomes `{}`. */
export function parseMaybeJsonObject<T extends object>(value: unknown): Partial<T> {
  const parsed = parseMaybeJson<unknown>(value, {});
  return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Partial<T>) : {};
}
