/**
 * Fault injection (GUIDE §4): answer the next N matching requests, or a share of them, with a
 * throttle, a server error, added latency or a dropped connection. Tests and benchmarks drive it
 * through /_emulator/faults; the client never does.
 */
export interface FaultSpec {
  /** Status to answer with (429, 500, 503…). */
  status?: number;
  /**
   * Answer as the sign-in service does with this AADSTS error (its AAD JSON body and status; see
   * services/login/aadsts.ts). Applies to the token endpoints unless `path` says otherwise.
   */
  aadsts?: number;
  /** Destroy the connection instead of answering. */
  reset?: boolean;
  /** `Retry-After` header value (seconds, or an HTTP date). */
  retryAfter?: number | string;
  /** Delay before handling (or before the fault's answer). */
  latencyMs?: number;
  /** Apply to the next N matching requests. */
  count?: number;
  /** Or to this share (0..1) of matching requests, until cleared. */
  ratio?: number;
  /** Only this method. */
  method?: string;
  /** Only paths matching this regex source (decoded path). */
  path?: string;
  /**
   * "before" (default): the request is not processed. "after": it is processed, then the answer is
   * replaced by the fault — the client cannot tell whether it landed.
   */
  phase?: "before" | "after";
}

export interface ActiveFault extends FaultSpec {
  readonly id: number;
  remaining: number | undefined;
  hits: number;
}

export class FaultController {
  #faults: ActiveFault[] = [];
  #nextId = 1;
  /** Each fault's path, compiled once: `take` runs on every request. */
  readonly #patterns = new Map<number, RegExp>();

  constructor(private readonly random: () => number = Math.random) {}

  add(spec: FaultSpec): ActiveFault {
    if (spec.count === undefined && spec.ratio === undefined && spec.latencyMs === undefined) {
      throw new Error("a fault needs count, ratio or latencyMs");
    }
    const pattern = spec.path !== undefined ? new RegExp(spec.path) : undefined; // invalid → throws here
    const fault: ActiveFault = { ...spec, id: this.#nextId++, remaining: spec.count, hits: 0 };
    if (pattern) this.#patterns.set(fault.id, pattern);
    this.#faults.push(fault);
    return fault;
  }

  /** Removes one fault; false when there is none with that id. */
  remove(id: number): boolean {
    const before = this.#faults.length;
    this.#faults = this.#faults.filter((f) => f.id !== id);
    this.#patterns.delete(id);
    return this.#faults.length !== before;
  }

  list(): readonly ActiveFault[] {
    return this.#faults;
  }

  clear(): void {
    this.#faults = [];
    this.#patterns.clear();
  }

  /** Picks the fault (if any) that applies to this request, consuming one of its count. */
  take(method: string, path: string): ActiveFault | undefined {
    // The control plane is never faulted: tests must always be able to inspect and clear faults.
    if (path === "/_emulator" || path.startsWith("/_emulator/")) return undefined;
    for (const f of this.#faults) {
      if (f.method && f.method.toUpperCase() !== method) continue;
      if (f.path && !this.#patterns.get(f.id)?.test(path)) continue;
      if (f.remaining !== undefined) {
        if (f.remaining <= 0) continue;
        if (f.ratio !== undefined && this.random() >= f.ratio) continue;
        f.remaining--;
      } else if (f.ratio !== undefined && this.random() >= f.ratio) {
        continue;
      }
      f.hits++;
      if (f.remaining === 0) this.remove(f.id);
      return f;
    }
    return undefined;
  }
}
