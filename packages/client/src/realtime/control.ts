/**
 * A client's live push: at most one listener at a time, started, stopped and iterated here, with
 * presence riding on it (subscriptions pushed over its Trouter session, this client's presence
 * endpoint registered while it is connected). TeamsClient only forwards.
 */
import { parsePresenceItem } from "@teams-api/protocol";
import type { PresenceService } from "../services/presence/index.js";
import { createListener, eventIterator, type RealtimeHost } from "./index.js";
import type { RealtimeListener } from "./listener.js";
import type { RealtimeEvent, RealtimeOptions } from "./types.js";

export class RealtimeControl {
  readonly #host: RealtimeHost;
  readonly #presence: PresenceService;
  #listener: RealtimeListener | undefined;

  constructor(host: RealtimeHost, presence: PresenceService) {
    this.#host = host;
    this.#presence = presence;
  }

  /** Starts a listener (stopping a running one first); resolves once connected and registered. */
  async start(options: RealtimeOptions = {}): Promise<RealtimeListener> {
    await this.stop();
    const listener = await this.#newListener(options);
    await listener.start();
    return listener;
  }

  /** Stops live push and deletes the registration at once. */
  async stop(): Promise<void> {
    const listener = this.#listener;
    this.#listener = undefined;
    if (listener) {
      this.#presence.usePush(undefined);
      await this.#presence.stop().catch(() => {});
    }
    await listener?.stop();
  }

  /** Live events; starts the listener when none is running (with `options`). */
  events(options: RealtimeOptions = {}): AsyncIterableIterator<RealtimeEvent> {
    const running = this.#listener;
    if (running) return eventIterator(running);
    let inner: AsyncIterableIterator<RealtimeEvent> | undefined;
    const ready = this.#newListener(options).then(async (listener) => {
      inner = eventIterator(listener);
      await listener.start();
    });
    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      next: async () => {
        await ready;
        return inner!.next();
      },
      return: async () => {
        await ready.catch(() => {});
        return inner ? inner.return!() : { done: true, value: undefined };
      },
    };
  }

  async #newListener(options: RealtimeOptions): Promise<RealtimeListener> {
    const listener = await createListener(this.#host, options);
    this.#listener = listener;
    this.#presenceOver(listener);
    return listener;
  }

  /**
   * While the listener runs: presence subscriptions are pushed over its Trouter session, and this
   * client's presence endpoint (the Trouter epid) is registered, so the user shows online.
   */
  #presenceOver(listener: RealtimeListener): void {
    this.#presence.usePush({
      surl: () => listener.endpoint?.surl,
      onPresence: (deliver) =>
        listener.subscribe((e) => {
          if (e.type !== "presence") return;
          deliver(e.presences.map((p) => parsePresenceItem(p.raw)).filter((i) => i !== undefined));
        }),
      onConnected: (connected) =>
        listener.subscribe((e) => {
          if (e.type === "state" && e.state === "connected" && e.endpoint) connected(e.endpoint.surl);
        }),
    });
    listener.subscribe((e) => {
      if (e.type === "state" && e.state === "connected" && this.#listener === listener) {
        void this.#presence.start(e.endpoint ? { endpointId: e.endpoint.epid } : {}).catch(() => {});
      }
    });
  }
}
