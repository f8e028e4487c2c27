/**
 * Concurrency for the token manager (GUIDE §2 Tokens): one run in flight per key, shared by every
 * caller (each may give up on its own signal without cancelling the shared work), and a serial
 * section for refresh-token grants (each may rotate the refresh token the next one needs).
 */
import { AbortError } from "../errors.js";

/** Races a shared promise against one caller's signal, without cancelling the shared work. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new AbortError(undefined, { cause: signal.reason }));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new AbortError(undefined, { cause: signal.reason }));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

export class SingleFlight {
  readonly #flights = new Map<string, Promise<string>>();
  #chain: Promise<unknown> = Promise.resolve();

  /** `run` once per key at a time: callers arriving while it runs share its result. */
  run(key: string, run: () => Promise<string>, signal: AbortSignal | undefined): Promise<string> {
    let f = this.#flights.get(key);
    if (!f) {
      const started = run().finally(() => {
        if (this.#flights.get(key) === started) this.#flights.delete(key);
      });
      f = started;
      this.#flights.set(key, f);
    }
    return abortable(f, signal);
  }

  /** Runs one after another, whatever the previous one's outcome. */
  serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.#chain.catch(() => {}).then(run);
    this.#chain = next;
    return next;
  }

  /** Forgets the runs in flight (their callers still get their results). */
  clear(): void {
    this.#flights.clear();
  }
}
