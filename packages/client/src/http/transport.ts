/**
 * The transport every service call goes through: auth headers per scheme, the credential host
 * policy, retries with backoff and Retry-After, per-attempt timeouts, 401 → refresh → retry once,
 * typed errors and redacted logging (GUIDE §2).
 */
import { amsSkypeTokenAuthorization, bearerAuthorization, skypeTokenAuthentication } from "@teams-api/protocol";
import {
  AbortError,
  ConnectionError,
  ProtocolError,
  type RedactedRequest,
  TeamsError,
  TimeoutError,
} from "../errors.js";
import {
  type BodyFactory,
  BodyTooLargeError,
  DEFAULT_MAX_RESPONSE_BYTES,
  describeBytes,
  discard,
  type RequestBody,
  readBodyCapped,
  serializeBody,
} from "./body.js";
import { confirm, settle, unknownDelivery } from "./delivery.js";
import { apiErrorFromAnswer, requestIdFrom } from "./error-map.js";
import type { FetchLike } from "./fetch.js";
import { assertCredentialTarget, buildUrl } from "./policy.js";
import type { Redactor } from "./redact.js";
import {
  backoffDelay,
  sleep as defaultSleep,
  isNotProcessedStatus,
  isRetryableStatus,
  retryAfterFromHeaders,
} from "./retry.js";
import type { ApiRequest, ApiResponse, HttpMethod, Logger, RetryWait, TokenSource, Transport } from "./types.js";

export { assertCredentialTarget, buildUrl, isLoopback, originOf } from "./policy.js";

export interface TransportOptions {
  fetch: FetchLike;
  /** For requests with a streamed body (uploads). @default `fetch` */
  uploadFetch?: FetchLike | undefined;
  redactor: Redactor;
  logger?: Logger | undefined;
  /** Per-attempt timeout in ms. @default 30000 */
  timeout?: number;
  /** Retries after the first attempt. @default 3 */
  maxRetries?: number;
  /** Wall clock for Retry-After dates and timings (not the token clock). @default Date.now */
  now?: () => number;
  /** Jitter source. @default Math.random */
  random?: () => number;
  /** Longest `Retry-After` the transport waits; a longer one surfaces as RateLimitError. @default 60000 */
  maxRetryAfterMs?: number;
  /** Headers sent with every request (client version…). */
  headers?: Record<string, string>;
  /** Waits between attempts (injectable for tests). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Largest answer body, counted after gzip/deflate/br inflation. @default 33554432 (32 MiB) */
  maxResponseBytes?: number;
  /** Overall time for one call: every attempt, every wait between them, the body. @default 120000 */
  deadline?: number;
  /** Told before each wait between attempts (a throttle's Retry-After, a backoff), so a UI can show it. */
  onRetryWait?: ((wait: RetryWait) => void) | undefined;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RETRIES = 3;
export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;
export const DEFAULT_DEADLINE_MS = 120_000;
export { DEFAULT_MAX_RESPONSE_BYTES, type RequestBody };

const MAX_REDIRECTS = 5;

/** A raw exchange: what the token endpoint and sign-in automation use (no auth, raw Response back). */
export interface RawRequest {
  method: HttpMethod;
  url: string;
  headers?: Record<string, string>;
  body?: RequestBody;
  signal?: AbortSignal | undefined;
  timeout?: number | undefined;
  maxRetries?: number | undefined;
  /** @default true for GET, false otherwise */
  idempotent?: boolean;
  /** Follow redirects (same-policy re-check per hop). @default false: return the 3xx */
  followRedirects?: boolean;
  deadline?: number | undefined;
  maxResponseBytes?: number | undefined;
}

export interface TeamsTransport extends Transport {
  /** Sends without credentials and returns the final Response whatever its status (after retries). */
  raw(req: RawRequest): Promise<Response>;
}

/** Marks a rejection of `fetch` itself (as opposed to a refusal raised while preparing the request). */
class FetchFailed extends Error {
  constructor(cause: unknown) {
    super("fetch failed", { cause });
  }
}

type Failure =
  | { kind: "aborted"; cause: unknown }
  | { kind: "timeout"; cause: unknown }
  | { kind: "connection"; cause: unknown; notProcessed: boolean };

function connectionCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e && typeof e === "object"; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function createTransport(options: TransportOptions, tokens?: TokenSource): TeamsTransport {
  const redactor = options.redactor;
  const log = options.logger;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const wait = options.sleep ?? defaultSleep;
  const maxRetryAfter = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;

  /** A success's body under the size cap, while the attempt's clock runs; typed errors when it fails. */
  const readAnswer = async (
    response: Response,
    limit: number,
    method: string,
    url: URL,
    signal: AbortSignal | undefined,
  ): Promise<Uint8Array> => {
    try {
      return await readBodyCapped(response, limit);
    } catch (err) {
      if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
      if (err instanceof BodyTooLargeError) {
        throw new ProtocolError(
          `The answer to ${method} ${redactor.url(url)} is too large: it passed the ${describeBytes(limit)} limit (maxResponseBytes), so reading stopped.`,
        );
      }
      if (err instanceof TimeoutError || (err as { name?: string } | undefined)?.name === "TimeoutError") {
        throw new TimeoutError(`${method} ${redactor.url(url)} did not finish its answer in time.`);
      }
      throw new ConnectionError(`${method} ${redactor.url(url)} was cut off while reading the answer.`, {
        cause: connectionCode(err),
      });
    }
  };

  interface Exchange {
    method: HttpMethod;
    url: URL;
    body: RequestBody | BodyFactory | undefined;
    /** Headers for one attempt to `url`; `reauth` is true once, after a 401. */
    headers(url: URL, reauth: boolean): Promise<Headers>;
    idempotent: boolean;
    confirmDelivered: (() => Promise<unknown>) | undefined;
    maxRetries: number;
    timeout: number;
    /** Overall ms for the call: attempts, waits between them and the body. */
    deadline: number;
    signal: AbortSignal | undefined;
    allowReauth: boolean;
    followRedirects: boolean;
  }

  /** `release` stops the attempt's timeout clock: call it once the body has been read. */
  type Outcome = { response: Response; url: URL; release: () => void } | { echo: true; confirmation: unknown };

  const describe = (method: string, url: URL): RedactedRequest => ({ method, url: redactor.url(url) });

  /** One attempt, following redirects by hand so credentials never ride a redirect unchecked. */
  const attempt = async (
    ex: Exchange,
    reauth: boolean,
    signal: AbortSignal,
  ): Promise<{ response: Response; url: URL }> => {
    let url = ex.url;
    let method: string = ex.method;
    let body = typeof ex.body === "function" ? await ex.body() : ex.body;
    for (let hop = 0; ; hop++) {
      const headers = await ex.headers(url, reauth);
      let response: Response;
      try {
        const init: RequestInit & { duplex?: "half" } = {
          method,
          headers,
          body: body ?? null,
          signal,
          redirect: "manual",
        };
        // A streamed body (uploads) must say so to fetch.
        if (body && typeof body === "object" && (Symbol.asyncIterator in body || body instanceof ReadableStream)) {
          init.duplex = "half";
        }
        response = await (init.duplex && options.uploadFetch ? options.uploadFetch : options.fetch)(url, init);
      } catch (err) {
        throw new FetchFailed(err);
      }
      const location = response.headers.get("location");
      if (!ex.followRedirects || response.status < 300 || response.status > 399 || !location || hop >= MAX_REDIRECTS) {
        return { response, url };
      }
      await discard(response);
      url = new URL(location, url);
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === "POST")) {
        method = "GET";
        body = undefined;
      }
    }
  };

  const exchange = async (ex: Exchange): Promise<Outcome> => {
    // Redacting the URL costs a parse; only logs and errors need it.
    let labelText: string | undefined;
    const label = (): string => {
      labelText ??= `${ex.method} ${redactor.url(ex.url)}`;
      return labelText;
    };
    let retries = 0;
    let reauthed = false;
    let reauthNext = false;
    const deadlineAt = now() + ex.deadline;
    /** Does a wait of `ms` still leave time for another attempt before the deadline? */
    const fits = (ms: number): boolean => now() + ms < deadlineAt;
    const waitThen = async (ms: number, reason: RetryWait["reason"], retryAfter: boolean): Promise<void> => {
      options.onRetryWait?.({
        reason,
        delayMs: ms,
        retryAfter,
        retry: retries + 1,
        method: ex.method,
        url: redactor.url(ex.url),
      });
      await pause(ms, ex.signal);
      retries++;
    };
    for (;;) {
      if (ex.signal?.aborted) throw new AbortError(undefined, { cause: ex.signal.reason });
      const left = deadlineAt - now();
      if (left <= 0) throw new TimeoutError(`${label()} did not finish within its ${ex.deadline} ms deadline.`);
      const budget = Math.min(ex.timeout, left);
      const timeoutController = new AbortController();
      const timer = setTimeout(
        () => timeoutController.abort(new TimeoutError(`No answer within ${budget} ms.`)),
        budget,
      );
      const signal = ex.signal ? AbortSignal.any([ex.signal, timeoutController.signal]) : timeoutController.signal;
      const started = now();
      log?.debug(`→ ${label()}${retries ? ` (retry ${retries})` : ""}`);
      const release = (): void => clearTimeout(timer);
      let failure: Failure | undefined;
      let result: { response: Response; url: URL } | undefined;
      try {
        result = await attempt(ex, reauthNext, signal);
      } catch (err) {
        release();
        if (!(err instanceof FetchFailed)) throw err; // policy refusals, token errors: not transport failures
        if (ex.signal?.aborted) failure = { kind: "aborted", cause: ex.signal.reason };
        else if (timeoutController.signal.aborted) failure = { kind: "timeout", cause: undefined };
        else {
          const code = connectionCode(err.cause);
          failure = { kind: "connection", cause: code, notProcessed: code === "ECONNREFUSED" || code === "ENOTFOUND" };
        }
      }
      reauthNext = false;

      if (failure) {
        if (failure.kind === "aborted") throw new AbortError(undefined, { cause: failure.cause });
        const error =
          failure.kind === "timeout"
            ? new TimeoutError(
                budget < ex.timeout
                  ? `${label()} did not finish within its ${ex.deadline} ms deadline.`
                  : `${label()} got no answer within ${ex.timeout} ms.`,
              )
            : new ConnectionError(
                `${label()} failed: could not reach the service${failure.cause ? ` (${String(failure.cause)})` : ""}.`,
              );
        const mayRetry = ex.idempotent || (failure.kind === "connection" && failure.notProcessed);
        if (!mayRetry) {
          // The request left and the server may still be working on it: delivered if a check finds
          // it, otherwise unknown — never sent again while it may still land.
          if (!ex.confirmDelivered) throw error;
          const found = await confirm(ex.confirmDelivered, ex.signal);
          if (typeof found === "object") return { echo: true, confirmation: found.evidence };
          throw unknownDelivery(label(), error);
        }
        if (retries >= ex.maxRetries) throw error;
        const delay = backoffDelay(retries, random);
        if (!fits(delay)) throw error;
        log?.warn(`${label()}: ${error.message} Retrying in ${delay} ms (retry ${retries + 1} of ${ex.maxRetries}).`);
        await waitThen(delay, failure.kind, false);
        continue;
      }

      const { response } = result!;
      log?.debug(`← ${response.status} ${label()} ${now() - started} ms`);

      if (response.status === 401 && ex.allowReauth && !reauthed) {
        reauthed = true;
        reauthNext = true;
        release();
        await discard(response);
        log?.info(`${label()}: credentials rejected (401); refreshing them and retrying once.`);
        continue;
      }
      if (isRetryableStatus(response.status) && retries < ex.maxRetries) {
        const hinted = retryAfterFromHeaders(response.headers, now());
        const delay = hinted ?? backoffDelay(retries, random);
        // A wait the deadline cannot hold surfaces the answer now (a RateLimitError says how long).
        if ((hinted === undefined || hinted <= maxRetryAfter) && fits(delay)) {
          if (!ex.idempotent && !isNotProcessedStatus(response.status)) {
            if (!ex.confirmDelivered) return { ...result!, release };
            release();
            const settled = await settle(ex.confirmDelivered, ex.signal, response, label());
            if (settled) return { echo: true, confirmation: settled.evidence };
          }
          release();
          await discard(response);
          log?.warn(
            `${label()}: HTTP ${response.status}; retrying in ${delay} ms (retry ${retries + 1} of ${ex.maxRetries}).`,
          );
          await waitThen(delay, response.status === 429 ? "rate_limited" : "server_error", hinted !== undefined);
          continue;
        }
      }
      if (response.status >= 500 && response.status !== 501 && !ex.idempotent && ex.confirmDelivered) {
        // The final answer is a server failure: the request may have landed all the same.
        release();
        const settled = await settle(ex.confirmDelivered, ex.signal, response, label());
        if (settled) return { echo: true, confirmation: settled.evidence };
      }
      return { ...result!, release };
    }
  };

  const pause = async (ms: number, signal: AbortSignal | undefined): Promise<void> => {
    try {
      await wait(ms, signal);
    } catch (err) {
      throw new AbortError(undefined, { cause: err });
    }
  };

  const request = async <T>(req: ApiRequest): Promise<ApiResponse<T>> => {
    const url = buildUrl(req.url, req.query);
    const method = req.method;
    const baseHeaders = new Headers(options.headers);
    for (const [k, v] of Object.entries(req.headers ?? {})) baseHeaders.set(k, v);
    if (!baseHeaders.has("accept")) baseHeaders.set("accept", "application/json");
    const body = serializeBody(req.body, baseHeaders);
    const auth = req.auth;
    if (auth.kind !== "none" && !tokens)
      throw new TeamsError("not_signed_in", "This request needs a signed-in session.");

    // The credentials sent on the last attempt, so a 401 refreshes exactly those.
    let sentSkype: string | undefined;
    let sentBearer: string | undefined;
    const headers = async (target: URL, reauth: boolean): Promise<Headers> => {
      const h = new Headers(baseHeaders);
      if (auth.kind === "none" || !tokens) return h;
      assertCredentialTarget(target, tokens.trustedOrigins(), redactor);
      const signalOpt = req.signal ? { signal: req.signal } : {};
      if (auth.kind === "skype_token") {
        const token = await tokens.skypeToken({ ...signalOpt, ...(reauth && sentSkype ? { stale: sentSkype } : {}) });
        sentSkype = token;
        h.set("authorization", amsSkypeTokenAuthorization(token));
      }
      if (auth.kind === "skypetoken" || auth.kind === "bearer+skypetoken") {
        const token = await tokens.skypeToken({ ...signalOpt, ...(reauth && sentSkype ? { stale: sentSkype } : {}) });
        sentSkype = token;
        if (auth.kind === "skypetoken") h.set("authentication", skypeTokenAuthentication(token));
        else h.set("x-skypetoken", token);
      }
      if (auth.kind === "bearer" || auth.kind === "bearer+skypetoken") {
        const token = await tokens.accessToken(auth.audience, {
          ...signalOpt,
          ...(reauth && sentBearer ? { stale: sentBearer } : {}),
        });
        sentBearer = token;
        h.set("authorization", bearerAuthorization(token));
      }
      return h;
    };

    const outcome = await exchange({
      method,
      url,
      body,
      headers,
      idempotent: req.idempotent ?? !(method === "POST" || method === "PATCH"),
      confirmDelivered: req.confirmDelivered,
      maxRetries: req.maxRetries ?? options.maxRetries ?? DEFAULT_MAX_RETRIES,
      timeout: req.timeout ?? options.timeout ?? DEFAULT_TIMEOUT_MS,
      deadline: req.deadline ?? options.deadline ?? DEFAULT_DEADLINE_MS,
      signal: req.signal,
      allowReauth: auth.kind !== "none",
      followRedirects: true,
    });
    if ("echo" in outcome) {
      return {
        status: 200,
        headers: new Headers(),
        body: undefined as T,
        requestId: undefined,
        confirmedByEcho: true,
        confirmation: outcome.confirmation,
      };
    }
    const { response, release } = outcome;
    const requestId = requestIdFrom(response.headers);
    // Redacted only when an error needs it: a success costs no URL parse.
    const described = (): RedactedRequest => describe(method, url);
    if (response.status < 200 || response.status > 299) {
      try {
        throw await errorFrom(response, described());
      } finally {
        release();
      }
    }
    const type = req.responseType ?? "json";
    if (type === "stream") {
      release();
      return { status: response.status, headers: response.headers, body: response.body as T, requestId };
    }
    if (type === "none") {
      release();
      await discard(response);
      return { status: response.status, headers: response.headers, body: undefined as T, requestId };
    }
    let text: string;
    try {
      const limit = req.maxResponseBytes ?? maxResponseBytes;
      text = new TextDecoder().decode(await readAnswer(response, limit, method, url, req.signal));
    } finally {
      release();
    }
    if (type === "text") return { status: response.status, headers: response.headers, body: text as T, requestId };
    if (text.trim() === "")
      return { status: response.status, headers: response.headers, body: undefined as T, requestId };
    try {
      return { status: response.status, headers: response.headers, body: JSON.parse(text) as T, requestId };
    } catch {
      throw new ProtocolError(
        `The service answered ${method} ${described().url} with HTTP ${response.status} but a body that is not valid JSON${requestId ? ` (request id ${requestId})` : ""}.`,
      );
    }
  };

  const errorFrom = async (response: Response, described: RedactedRequest): Promise<TeamsError> => {
    const err = await apiErrorFromAnswer(response, described, redactor, now());
    log?.debug(`✗ ${err.name}: ${err.message}`);
    return err;
  };

  const raw = async (req: RawRequest): Promise<Response> => {
    const url = buildUrl(req.url);
    const base = new Headers(options.headers);
    for (const [k, v] of Object.entries(req.headers ?? {})) base.set(k, v);
    const outcome = await exchange({
      method: req.method,
      url,
      body: req.body,
      headers: async () => new Headers(base),
      idempotent: req.idempotent ?? req.method === "GET",
      confirmDelivered: undefined,
      maxRetries: req.maxRetries ?? options.maxRetries ?? DEFAULT_MAX_RETRIES,
      timeout: req.timeout ?? options.timeout ?? DEFAULT_TIMEOUT_MS,
      deadline: req.deadline ?? options.deadline ?? DEFAULT_DEADLINE_MS,
      signal: req.signal,
      allowReauth: false,
      followRedirects: req.followRedirects ?? false,
    });
    if ("echo" in outcome) throw new TeamsError("internal", "unreachable: raw requests have no delivery check");
    // Read the (small: token endpoint, sign-in page) body while the attempt's clock still runs, so
    // a body that never ends times out too; hand back a complete Response.
    const { response, release } = outcome;
    let buffer: Uint8Array;
    try {
      buffer = await readAnswer(response, req.maxResponseBytes ?? maxResponseBytes, req.method, url, req.signal);
    } finally {
      release();
    }
    const nullBody = response.status === 204 || response.status === 205 || response.status === 304;
    return new Response(nullBody ? null : buffer, { status: response.status, headers: response.headers });
  };

  return {
    request,
    raw,
  };
}
