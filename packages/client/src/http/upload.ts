/**
 * The fetch for streamed request bodies (uploads), on `node:http`/`node:https` with the same proxy
 * rules as the rest of the client (a CONNECT tunnel through HTTPS_PROXY / HTTP_PROXY, NO_PROXY
 * honoured). Not undici's `fetch`: it keeps every chunk of a streamed request body until the
 * answer arrives (nodejs/undici#4058), so a 200 MB upload would cost 200 MB.
 *
 * Each chunk is written with a completion callback, and a chunk is asked for only once the write
 * two chunks back has completed. A body that declares {@link WRITE_REUSING} relies on that: it
 * reads into a few buffers it reuses, so a large file moves without allocating per chunk (every
 * freed chunk would otherwise sit in the allocator, and resident memory would climb with the file).
 */
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { Readable } from "node:stream";
import { proxyAgentFor } from "../realtime/proxy.js";
import type { Env, FetchLike } from "./fetch.js";

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

async function writeBody(body: unknown, write: (c: Uint8Array) => Promise<void>): Promise<void> {
  if (body === undefined || body === null) return;
  if (isReusing(body)) return body[WRITE_REUSING](write);
  if (typeof body === "string") return write(Buffer.from(body));
  if (body instanceof URLSearchParams) return write(Buffer.from(body.toString()));
  if (body instanceof Uint8Array) return write(body);
  if (body instanceof ArrayBuffer) return write(new Uint8Array(body));
  if (body instanceof Blob) return write(new Uint8Array(await body.arrayBuffer()));
  if (typeof body === "object" && Symbol.asyncIterator in body)
    return writeIterable(body as AsyncIterable<Uint8Array>, write);
  throw new TypeError("This body cannot be streamed.");
}

export function createStreamingFetch(env: Env): FetchLike {
  return async (input, init = {}) => {
    const url = new URL(String(input));
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((v, k) => {
      headers[k] = v;
    });
    const body = init.body as unknown;
    if (isReusing(body) && body.size !== undefined && !("content-length" in headers)) {
      headers["content-length"] = String(body.size);
    }
    const agent = proxyAgentFor(url.href, env);
    const req = (url.protocol === "https:" ? httpsRequest : httpRequest)(url, {
      method: init.method ?? "GET",
      headers,
      ...(init.signal ? { signal: init.signal } : {}),
      ...(agent ? { agent } : {}),
    });
    const answered = new Promise<IncomingMessage>((resolve, reject) => {
      req.once("response", resolve);
      req.once("error", reject);
    });
    answered.catch(() => {});
    const write = (chunk: Uint8Array): Promise<void> =>
      new Promise((resolve, reject) => {
        if (chunk.byteLength === 0) return resolve();
        req.write(chunk, (err) => (err ? reject(err) : resolve()));
      });
    let res: IncomingMessage;
    try {
      await writeBody(body, write);
      req.end();
      res = await answered;
    } catch (err) {
      req.destroy(err as Error);
      // An answer that came early (a refusal mid-upload) wins; else the failure itself.
      res = await answered;
    }
    const out = new Headers();
    for (const [k, v] of Object.entries(res.headers)) {
      if (Array.isArray(v)) for (const item of v) out.append(k, item);
      else if (v !== undefined) out.set(k, String(v));
    }
    const status = res.statusCode ?? 0;
    if (status === 204 || status === 205 || status === 304) {
      res.resume();
      return new Response(null, { status, headers: out });
    }
    return new Response(Readable.toWeb(res) as unknown as ReadableStream<Uint8Array>, { status, headers: out });
  };
}
