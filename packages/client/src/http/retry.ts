/**
 * Retry policy (GUIDE §2, Azure core-rest-pipeline / openai-node): connection errors, 408, 429 and
 * 5xx are retried with full-jitter exponential backoff, and `Retry-After` is obeyed.
 */

export interface BackoffOptions {
  /** First delay ceiling. @default 500 */
  baseMs?: number;
  /** Largest delay ceiling. @default 30000 */
  capMs?: number;
}

export const DEFAULT_BACKOFF = { baseMs: 500, capMs: 30_000 } as const;

/**
 * Full-jitter exponential backoff: a uniformly random delay in `[0, min(cap, base · 2^attempt))`.
 * `attempt` counts retries already made (0 for the first retry).
 */
export function backoffDelay(
  attempt: number,
  random: () => number = Math.random,
  options: BackoffOptions = {},
): number {
  const base = options.baseMs ?? DEFAULT_BACKOFF.baseMs;
  const cap = options.capMs ?? DEFAULT_BACKOFF.capMs;
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, Math.min(attempt, 30)));
  return Math.floor(random() * ceiling);
}

/**
 * Milliseconds to wait from a `Retry-After` value: delta-seconds (`"30"`, `"1.5"`) or an HTTP date.
 * A date in the past means 0. Anything else is `undefined`.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  if (/^-/.test(v)) return undefined;
  // An HTTP date always names a weekday or a month; refuse bare garbage Date.parse would accept.
  if (!/[A-Za-z]{3}/.test(v)) return undefined;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** The server's wait hint: `retry-after-ms` (Azure, OpenAI) first, then `Retry-After`. */
export function retryAfterFromHeaders(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = headers.get("retry-after-ms");
  if (ms && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.round(Number(ms));
  return parseRetryAfter(headers.get("retry-after"), now);
}

/** Statuses worth another attempt. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

/**
 * Statuses that prove the request was not processed, so even a non-idempotent request may be sent
 * again: 429 (throttled before handling) and 408 (the server never got the whole request).
 */
export function isNotProcessedStatus(status: number): boolean {
  return status === 429 || status === 408;
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      // Stryker disable next-line OptionalChaining: equivalent — the listener exists only when a signal does
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
