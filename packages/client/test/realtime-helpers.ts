import { type Emulator, startEmulator } from "@teams-api/emulator";
import type { RealtimeEvent, RealtimeTimings, TeamsClient } from "../src/index.js";
import { clientFor, PASSWORD } from "./auth-helpers.js";

/** Fast timings for tests: quick reconnects, short connect timeouts. */
export const TEST_TIMINGS: Partial<RealtimeTimings> = {
  backoffBaseMs: 5,
  backoffCapMs: 50,
  connectTimeoutMs: 5000,
  pingTimeoutMs: 2000,
};

export async function pushWorld(): Promise<Emulator> {
  return startEmulator({ port: 0, trouter: { ackTimeoutMs: 300, maxRedeliveries: 3 } });
}

export interface PushPair {
  emu: Emulator;
  alice: TeamsClient;
  bob: TeamsClient;
  close(): Promise<void>;
}

/** An emulator with Alice and Bob signed in; `close` stops their listeners and the emulator. */
export async function pushPair(): Promise<PushPair> {
  const emu = await pushWorld();
  const alice = await signedIn(emu, "alice@contoso.com");
  const bob = await signedIn(emu, "bob@contoso.com");
  return {
    emu,
    alice,
    bob,
    close: async () => {
      await bob.stopRealtime();
      await alice.stopRealtime();
      await emu.close();
    },
  };
}

export async function signedIn(emu: Emulator, login: string, logs?: string[]): Promise<TeamsClient> {
  const log = (m: string) => logs?.push(m);
  const c = clientFor(emu, logs ? { logger: { debug: log, info: log, warn: log, error: log } } : {});
  await c.signInWithPassword(login, PASSWORD);
  return c;
}

/** Records a listener's events and waits on them by predicate (no sleeps). */
export class Recorder {
  readonly events: RealtimeEvent[] = [];
  #waiters: Array<{ pred: (e: RealtimeEvent[]) => boolean; resolve: () => void }> = [];

  readonly onEvent = (e: RealtimeEvent): void => {
    this.events.push(e);
    for (const w of [...this.#waiters]) {
      if (w.pred(this.events)) {
        this.#waiters.splice(this.#waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };

  of<T extends RealtimeEvent["type"]>(type: T): Array<Extract<RealtimeEvent, { type: T }>> {
    return this.events.filter((e) => e.type === type) as Array<Extract<RealtimeEvent, { type: T }>>;
  }

  until(pred: (events: RealtimeEvent[]) => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    if (pred(this.events)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      this.#waiters.push({
        pred,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }
}

export async function control(emu: Emulator, path: string, body?: unknown, method = "POST"): Promise<unknown> {
  const res = await fetch(`${emu.origin}/_emulator/trouter${path}`, {
    method,
    ...(body !== undefined ? { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } } : {}),
  });
  if (!res.ok) throw new Error(`control ${path} answered ${res.status}`);
  return res.json();
}
