import { createHash } from "node:crypto";
import { HttpError } from "../../http/types.js";

/**
 * `syncState` cursors (§2.4, §2.6): opaque hex to the client, like the real service's. Each is bound
 * to the conversation (or, for the conversation list, the user) it was issued for; anything that does
 * not decode, or was issued for something else, is a 400.
 */
export type Cursor =
  /** Older messages: version ≥ start, id < before. */
  | { k: "mb"; c: string; s: number; b: number }
  /** Message changes after version `v`. */
  | { k: "ms"; c: string; v: number }
  /** Next page of the conversation list from offset `o` (filter version ≥ start). */
  | { k: "cb"; c: string; s: number; o: number }
  /** Conversation changes after version `v`. */
  | { k: "cs"; c: string; v: number };

const MAGIC = "3a2f01";

/** A short binding of a cursor to what it pages. */
export function bindingOf(scope: string): string {
  return createHash("sha256").update(scope).digest("hex").slice(0, 12);
}

export function encodeCursor(c: Cursor): string {
  return MAGIC + Buffer.from(JSON.stringify(c), "utf8").toString("hex");
}

const isNum = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

export function decodeCursor(raw: string, scope: string, kinds: ReadonlyArray<Cursor["k"]>): Cursor {
  const invalid = () => new HttpError(400, "Invalid syncState.");
  if (!raw.startsWith(MAGIC) || !/^(?:[0-9a-f]{2})+$/i.test(raw) || raw.length > 2048) throw invalid();
  let c: Record<string, unknown>;
  try {
    c = JSON.parse(Buffer.from(raw.slice(MAGIC.length), "hex").toString("utf8")) as Record<string, unknown>;
  } catch {
    throw invalid();
  }
  if (!c || typeof c !== "object" || !kinds.includes(c.k as Cursor["k"]) || c.c !== bindingOf(scope)) throw invalid();
  const ok =
    (c.k === "mb" && isNum(c.s) && isNum(c.b)) ||
    (c.k === "cb" && isNum(c.s) && isNum(c.o)) ||
    ((c.k === "ms" || c.k === "cs") && isNum(c.v));
  if (!ok) throw invalid();
  return c as unknown as Cursor;
}
