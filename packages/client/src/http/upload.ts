/**
 * Writing a request body on a `node:http` request (the client's fetch, node-fetch.ts): whole
 * bodies in one write with their Content-Length, streamed bodies (uploads) chunk by chunk.
 *
 * Each chunk is written with a completion callback, and a chunk is asked for only once the write
 * two chunks back has completed. A body that declares {@link WRITE_REUSING} relies on that: it
 * reads into a few buffers it reuses, so a large file moves without allocating per chunk (every
 * freed chunk would otherwise sit in the allocator, and resident memory would climb with the file).
 */
import type { ClientRequest } from "node:http";

/**
 * A body that can write itself chunk by chunk, reusing its buffers: `write` resolves once the
 * chunk was handed to the socket; the body may then reuse that chunk's memory.
 */
export const WRITE_REUSING: unique symbol = Symbol.for("teams-api.writeReusing");

export interface ReusingBody {
  [WRITE_REUSING](write: (chunk: Uint8Array) => Promise<void>): Promise<void>;
  /** Bytes in all, when known (sent as Content-Length). */
  readonly size?: number;
}

function isReusing(body: unknown): body is ReusingBody {
  return typeof body === "object" && body !== null && WRITE_REUSING in body;
}

/** Writes an iterable body keeping at most two writes in flight (see the module note). */
async function writeIterable(source: AsyncIterable<Uint8Array>, write: (c: Uint8Array) => Promise<void>) {
  let previous: Promise<void> | undefined;
  for await (const chunk of source) {
    const done = write(chunk);
    done.catch(() => {});
    if (previous) await previous;
    previous = done;
  }
  if (previous) await previous;
}

/** The byte length of a body sent whole, or a reusing body's declared size; undefined when streamed. */
export function bodyLength(body: unknown): number | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string") return Buffer.byteLength(body);
  if (body instanceof URLSearchParams) return Buffer.byteLength(body.toString());
  if (body instanceof Uint8Array || body instanceof ArrayBuffer) return body.byteLength;
  if (body instanceof Blob) return body.size;
  if (isReusing(body)) return body.size;
  return undefined;
}

/**
 * Writes `body` on `req` and ends it. A whole body goes in one write with the request's end; a
 * streamed one resolves once its last chunk was handed to the socket.
 */
export async function writeBody(body: unknown, req: ClientRequest): Promise<void> {
  if (body === undefined || body === null) return void req.end();
  if (typeof body === "string") return void req.end(body);
  if (body instanceof URLSearchParams) return void req.end(body.toString());
  if (body instanceof Uint8Array) return void req.end(body);
  if (body instanceof ArrayBuffer) return void req.end(new Uint8Array(body));
  if (body instanceof Blob) return void req.end(new Uint8Array(await body.arrayBuffer()));
  const write = (chunk: Uint8Array): Promise<void> =>
    new Promise((resolve, reject) => {
      if (chunk.byteLength === 0) return resolve();
      req.write(chunk, (err) => (err ? reject(err) : resolve()));
    });
  if (isReusing(body)) await body[WRITE_REUSING](write);
  else if (typeof body === "object" && Symbol.asyncIterator in body)
    await writeIterable(body as AsyncIterable<Uint8Array>, write);
  else throw new TypeError("This body cannot be sent.");
  req.end();
}
