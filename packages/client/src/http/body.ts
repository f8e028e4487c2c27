/**
 * Reading an answer's body with a ceiling. `fetch` inflates gzip, deflate and br on the fly, so the
 * bytes counted here are the inflated ones: a small compressed bomb is stopped at the same limit as
 * a server that never stops sending, and neither can take the process's memory. Also: how a
 * request body is serialized, and how an unread body is let go.
 */

/**
 * Largest answer body read by default: the biggest real page (200 messages of up to ~28 KB each,
 * PROTOCOL.md §2.6 and §9.6, with their JSON) fits several times over.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/** Thrown by {@link readBodyCapped} when the body passes the limit; the reader is cancelled. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`answer larger than ${limit} bytes`);
    this.name = "BodyTooLargeError";
  }
}

/** Reads the whole body, or throws {@link BodyTooLargeError} as soon as it passes `limit` bytes. */
export async function readBodyCapped(res: Response, limit: number): Promise<Uint8Array> {
  // A declared length over the limit is refused before a byte is read (only when not encoded: the
  // declared length of an encoded body is the compressed size).
  const declared = Number(res.headers.get("content-length") ?? Number.NaN);
  if (!res.headers.get("content-encoding") && declared > limit) {
    await res.body?.cancel().catch(() => {});
    throw new BodyTooLargeError(limit);
  }
  if (!res.body) return new Uint8Array(0);
  const { chunks, size, stopped } = await readChunks(res.body, (n) => n > limit);
  if (stopped) throw new BodyTooLargeError(limit);
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** `32 MiB`, `512 KiB`, `900 bytes`: a limit as people read it. */
export function describeBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

/** What `fetch` accepts as a body. */
export type RequestBody = NonNullable<RequestInit["body"]>;

/** A body sent as is, made afresh for each attempt (streamed uploads). */
export type BodyFactory = () => RequestBody | Promise<RequestBody>;

export function serializeBody(body: unknown, headers: Headers): RequestBody | BodyFactory | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "function") return body as BodyFactory;
  if (typeof body === "string") {
    if (!headers.has("content-type")) headers.set("content-type", "text/plain; charset=utf-8");
    return body;
  }
  if (body instanceof URLSearchParams) {
    if (!headers.has("content-type")) headers.set("content-type", "application/x-www-form-urlencoded;charset=UTF-8");
    return body;
  }
  if (body instanceof Uint8Array || body instanceof ArrayBuffer || body instanceof Blob)
    return body as unknown as RequestBody;
  if (!headers.has("content-type")) headers.set("content-type", "application/json");
  return JSON.stringify(body);
}

/** Drains and discards a body so the connection can be reused. */
export async function discard(res: Response): Promise<void> {
  try {
    await res.body?.cancel();
  } catch {
    // already consumed or aborted
  }
}

/** The first `limit` bytes of a body as text (error answers: their gist is all we need). */
export async function readCapped(res: Response, limit: number): Promise<string> {
  if (!res.body) return "";
  const { chunks } = await readChunks(res.body, (n) => n >= limit);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Reads a body chunk by chunk until it ends or `enough(bytesSoFar)` says so after a chunk — then
 * the reader is cancelled (the rest is never downloaded) and `stopped` is true.
 */
async function readChunks(
  body: ReadableStream<Uint8Array>,
  enough: (size: number) => boolean,
): Promise<{ chunks: Uint8Array[]; size: number; stopped: boolean }> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { chunks, size, stopped: false };
    chunks.push(value);
    size += value.byteLength;
    if (enough(size)) {
      await reader.cancel().catch(() => {});
      return { chunks, size, stopped: true };
    }
  }
}
