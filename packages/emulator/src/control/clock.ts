import { type EmuRequest, type EmuResponse, HttpError, route, type ServiceTable } from "../http/types.js";

/**
 * The emulator's clock: the injected base clock plus an offset that only moves forward. Every
 * token lifetime, code expiry and device-code deadline reads it (through `EmulatorContext.now`),
 * so a test can let a day pass without waiting:
 *
 *   GET  /_emulator/clock                   {now, time, offsetMs}
 *   POST /_emulator/clock {"advanceMs": n}  moves the clock n ms ahead → {now, time, offsetMs}
 *
 * The clock never moves back (tokens already issued would be "not yet valid"); `reset` of the
 * emulator returns it to the base clock.
 */
export class EmulatorClock {
  #offsetMs = 0;
  readonly #base: () => number;

  constructor(base: () => number = Date.now) {
    this.#base = base;
  }

  /** Epoch ms. */
  readonly now = (): number => this.#base() + this.#offsetMs;

  get offsetMs(): number {
    return this.#offsetMs;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError("the clock only moves forward");
    this.#offsetMs += ms;
  }

  reset(): void {
    this.#offsetMs = 0;
  }
}

/** Largest single step: a year, enough for any token lifetime (refresh tokens: 90 days). */
export const MAX_ADVANCE_MS = 366 * 24 * 3600 * 1000;

export function clockRoutes(clock: EmulatorClock): ServiceTable {
  const state = (): EmuResponse => ({
    status: 200,
    headers: { "Cache-Control": "no-store" },
    body: { now: clock.now(), time: new Date(clock.now()).toISOString(), offsetMs: clock.offsetMs },
  });

  const advance = (req: EmuRequest): EmuResponse => {
    const body = req.json<unknown>();
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw new HttpError(400, "The request body must be a JSON object.");
    }
    for (const key of Object.keys(body)) if (key !== "advanceMs") throw new HttpError(400, `Unknown field '${key}'.`);
    const ms = (body as { advanceMs?: unknown }).advanceMs;
    if (typeof ms !== "number" || !Number.isInteger(ms) || ms < 0 || ms > MAX_ADVANCE_MS) {
      throw new HttpError(
        400,
        `'advanceMs' must be a whole number of milliseconds from 0 to ${MAX_ADVANCE_MS} (the clock only moves forward).`,
      );
    }
    clock.advance(ms);
    return state();
  };

  const pattern = /^\/clock\/?$/;
  return {
    service: "control",
    routes: [route("GET", pattern, "none", state), route("POST", pattern, "none", advance)],
  };
}
