/**
 * The client's own `fetch`, on `node:http` / `node:https`: HTTP/1.1 on keep-alive connections,
 * gzip, deflate and br answers inflated as fetch inflates them, the signal's reason as the failure
 * (a TimeoutError stays a TimeoutError), and the proxy rules of the rest of the client (a CONNECT
 * tunnel through HTTPS_PROXY / HTTP_PROXY, NO_PROXY honoured). It answers with a standard
 * `Response`, so everything above it reads answers as it would from fetch.
 *
 * Why not Node's global fetch (undici):
 * - Node 20's fetch keeps every answer's body stream reachable through a WeakRef (its
 *   FinalizationRegistry) until the next full collection, so each request's state survives the
 *   young-generation collections: a client sending steadily promoted ~40 KB per request, and its
 *   scavenges took 8–16 ms instead of ~1 (bench/README.md, push).
 * - It keeps every chunk of a streamed request body until the answer arrives (nodejs/undici#4058),
 *   so a 200 MB upload would cost 200 MB. Here each chunk is written with a completion callback
 *   (see upload.ts).
 */
import {
  type Agent,
  type ClientRequest,
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
} from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { pipeline, Readable } from "node:stream";
import { constants, createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { proxyAgentFor } from "../realtime/proxy.js";
import type { Env, FetchLike } from "./fetch.js";
import { bodyLength, writeBody } from "./upload.js";

/**
 * The headers Node's fetch adds when a request does not set them, added here too so the wire stays
 * what it was (br answers are inflated all the same).
 */
const FETCH_DEFAULT_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ["accept", "*/*"],
  ["accept-language", "*"],
  ["sec-fetch-mode", "cors"],
  ["user-agent", "node"],
  ["accept-encoding", "gzip, deflate"],
];

/** Statuses whose answers have no body (and a Response refuses one for). */
const NULL_BODY = new Set([204, 205, 304]);

/** An inflating stream for a Content-Encoding fetch would inflate, or undefined to pass it through. */
function inflaterFor(coding: string | undefined): NodeJS.ReadWriteStream | undefined {
  switch (coding?.trim().toLowerCase()) {
    case "gzip":
    case "x-gzip":
      // Lenient with a missing trailer, as fetch is.
      return createGunzip({ flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH });
    case "deflate":
      return createInflate({ flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH });
    case "br":
      return createBrotliDecompress({
        flush: constants.BROTLI_OPERATION_FLUSH,
        finishFlush: constants.BROTLI_OPERATION_FLUSH,
      });
    default:
      return undefined;
  }
}

/** A Node answer as a standard Response: every header line kept (Set-Cookie included), body inflated. */
export function toResponse(res: IncomingMessage, method: string): Response {
  const headers = new Headers();
  const raw = res.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  const status = res.statusCode ?? 0;
  const init = { status, statusText: res.statusMessage ?? "", headers };
  if (NULL_BODY.has(status) || method === "HEAD") {
    res.resume();
    return new Response(null, init);
  }
  const inflater = inflaterFor(res.headers["content-encoding"]);
  // pipeline: cancelling the body (a size cap, a discard) destroys the socket's stream too.
  const body = inflater ? (pipeline(res, inflater, () => {}) as unknown as Readable) : res;
  return new Response(Readable.toWeb(body) as unknown as ReadableStream<Uint8Array>, init);
}

/** An Error to fail a request with, from an abort signal's reason (fetch rejects with the reason). */
function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException("This operation was aborted", "AbortError");
}

/**
 * Idle kept-alive connections close after this long (or the server's shorter Keep-Alive hint), as
 * undici's do, so a request seldom goes out on a connection the server is closing (a reset there
 * would leave a send's fate to the delivery check).
 */
const IDLE_CONNECTION_MS = 4_000;

/** A fetch on node:http / node:https (see the module note). Keep-alive agents live as long as it does. */
export function createNodeFetch(env: Env): FetchLike {
  const direct = {
    http: new HttpAgent({ keepAlive: true, timeout: IDLE_CONNECTION_MS }),
    https: new HttpsAgent({ keepAlive: true, timeout: IDLE_CONNECTION_MS }),
  };
  return async (input, init = {}) => {
    const url = new URL(String(input));
    const secure = url.protocol === "https:";
    if (!secure && url.protocol !== "http:") throw new TypeError(`Cannot fetch a ${url.protocol} URL.`);
    const method = (init.method ?? "GET").toUpperCase();
    const signal = init.signal ?? undefined;
    if (signal?.aborted) throw abortReason(signal);

    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((v, k) => {
      headers[k] = v;
    });
    for (const [name, value] of FETCH_DEFAULT_HEADERS) headers[name] ??= value;
    const body = init.body as unknown;
    const length = bodyLength(body);
    if (length !== undefined && !("content-length" in headers)) headers["content-length"] = String(length);

    let answer: IncomingMessage | undefined;
    let req: ClientRequest | undefined;
    // Before the answer the request fails with the reason; after it, the body does.
    const onAbort = (): void => {
      const reason = abortReason(signal!);
      if (answer) answer.destroy(reason);
      else req?.destroy(reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });

    /** The request on `agent`: its answer, or its failure. */
    const exchange = async (agent: Agent): Promise<IncomingMessage> => {
      const sent = (secure ? httpsRequest : httpRequest)(url, { method, headers, agent });
      req = sent;
      const answered = new Promise<IncomingMessage>((resolve, reject) => {
        sent.once("response", resolve);
        sent.once("error", reject);
      });
      answered.catch(() => {});
      try {
        // A streamed body stops at the first failure or an early answer (a refusal mid-upload).
        await Promise.race([writeBody(body, sent), answered]);
        return await answered;
      } catch (err) {
        sent.destroy(err as Error);
        // An answer that came early (a refusal mid-upload) wins; else the failure itself.
        return await answered;
      }
    };

    let res: IncomingMessage;
    try {
      res = await exchange(proxyAgentFor(url.href, env) ?? (secure ? direct.https : direct.http));
    } catch (failure) {
      signal?.removeEventListener("abort", onAbort);
      throw failure;
    }
    answer = res;
    res.once("close", () => signal?.removeEventListener("abort", onAbort));
    try {
      return toResponse(res, method);
    } catch (err) {
      // A status a Response cannot carry (under 200, over 599): the exchange failed.
      res.destroy();
      throw new TypeError(`The server answered with HTTP ${res.statusCode}, which is not a valid status.`, {
        cause: err,
      });
    }
  };
}
