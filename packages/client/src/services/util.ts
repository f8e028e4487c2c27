import type { RequestOptions } from "../http/types.js";

/** Only the per-call transport options of a method's options object (signal, timeout, maxRetries). */
export function requestOptions(options: RequestOptions): RequestOptions {
  const out: RequestOptions = {};
  if (options.signal !== undefined) out.signal = options.signal;
  if (options.timeout !== undefined) out.timeout = options.timeout;
  if (options.maxRetries !== undefined) out.maxRetries = options.maxRetries;
  return out;
}
