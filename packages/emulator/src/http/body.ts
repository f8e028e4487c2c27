/**
 * Request bodies, read and parsed with limits so no client can exhaust the emulator: a size cap
 * while reading (413), and a nesting-depth cap checked by a linear scan before `JSON.parse` (400),
 * so a body nested thousands deep is refused before anything stores it — and so can never overflow
 * the stack later, when a read serializes it. Errors come out in the owning service's shape.
 */
import type { IncomingMessage } from "node:http";
import { HttpError } from "./types.js";

export const BODY_LIMITS = {
  /** Largest request body read, in bytes. */
  maxBytes: 8 * 1024 * 1024,
  /** Deepest nesting of arrays and objects a JSON body may have (real bodies stay under 10). */
  maxDepth: 64,
} as const;

/** Reads the whole body; rejects with an HttpError(413) once it passes `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number = BODY_LIMITS.maxBytes): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on("data", (c: Buffer) => {
      if (refused) return;
      size += c.length;
      if (size > limit) {
        refused = true;
        chunks.length = 0;
        reject(new HttpError(413, "Request Entity Too Large: the request body is larger than the service accepts."));
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => {
      if (!refused) resolve(Buffer.concat(chunks));
    });
    req.on("error", reject);
  });
}

/**
 * The deepest nesting of `[` and `{` in JSON text, outside strings, stopping as soon as it passes
 * `limit` (linear, no recursion). Malformed text is left for `JSON.parse` to refuse.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** Parses JSON text with the depth cap: HttpError(400) when too deep or not JSON. */
export function parseJsonLimited<T = unknown>(text: string, maxDepth: number = BODY_LIMITS.maxDepth): T {
  if (jsonDepthExceeds(text, maxDepth)) {
    throw new HttpError(400, `The request body nests deeper than ${maxDepth} levels.`);
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new HttpError(400, "The request body is not valid JSON.");
  }
}

/**
 * JSON text for an answer, or undefined when the value cannot be serialized (a cycle, a BigInt, a
 * structure too deep for the stack): the caller answers 500 instead of crashing.
 */
export function serializeJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}
