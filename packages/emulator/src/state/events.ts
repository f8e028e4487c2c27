/**
 * The store event bus (GUIDE §4): stores raise typed events here once, on every change; push
 * (Trouter), presence pubsub and the control plane subscribe. Handlers never push on their own.
 *
 * Topics are declared in {@link StoreEvents}; a store adds its topic there. A listener that throws
 * never breaks the change that raised the event.
 */
import type { WireEventMessage } from "@teams-api/protocol";

/** A chat change (§2.16): deliver `event` to every user in `to` (the author included). */
export interface ChatStoreEvent {
  readonly to: readonly string[];
  readonly event: WireEventMessage;
}

/**
 * A presence change: `item` is one entry of the UPS push body `{"presence":[item]}` (§3.4),
 * i.e. `{ mri, etag, presence: {…} }`.
 */
export interface PresenceStoreEvent {
  readonly mri: string;
  readonly item: unknown;
}

/**
 * A presence push for one pubsub subscriber (§3.4), raised by the presence pubsub: the Trouter
 * service delivers it as a `3:::` request to the socket whose surl `trouterUri` starts with.
 */
export interface PresencePushEvent {
  /** The subscriber's `trouterUri` (its surl plus the presence suffix). */
  readonly trouterUri: string;
  /** Who subscribed. */
  readonly subscriber: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The JSON string `{"presence":[…]}`. */
  readonly body: string;
}

/** Every topic and its payload. */
export interface StoreEvents {
  chat: ChatStoreEvent;
  presence: PresenceStoreEvent;
  presencePush: PresencePushEvent;
}

export type StoreEventListener<K extends keyof StoreEvents> = (payload: StoreEvents[K]) => void;

export class StoreEventBus {
  readonly #listeners: { [K in keyof StoreEvents]?: Set<StoreEventListener<K>> } = {};
  #onError: (topic: string, err: unknown) => void;

  constructor(options: { onError?: (topic: string, err: unknown) => void } = {}) {
    this.#onError = options.onError ?? (() => {});
  }

  /** Subscribes; returns the unsubscribe function. */
  on<K extends keyof StoreEvents>(topic: K, listener: StoreEventListener<K>): () => void {
    let set = this.#listeners[topic] as Set<StoreEventListener<K>> | undefined;
    if (!set) {
      set = new Set();
      (this.#listeners as Record<string, unknown>)[topic] = set;
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  /** Is anyone listening? Lets a store skip building payloads nobody reads. */
  has(topic: keyof StoreEvents): boolean {
    return (this.#listeners[topic]?.size ?? 0) > 0;
  }

  /** Raises one event to every listener of the topic, in subscription order. */
  emit<K extends keyof StoreEvents>(topic: K, payload: StoreEvents[K]): void {
    const set = this.#listeners[topic] as Set<StoreEventListener<K>> | undefined;
    if (!set) return;
    for (const l of [...set]) {
      try {
        l(payload);
      } catch (err) {
        this.#onError(topic, err);
      }
    }
  }

  /** Drops every listener (emulator reset). */
  clear(): void {
    for (const k of Object.keys(this.#listeners)) delete (this.#listeners as Record<string, unknown>)[k];
  }
}
