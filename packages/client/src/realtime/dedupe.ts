/**
 * Duplicate filter for live and replayed events (PROTOCOL.md §2.16: events repeat across
 * reconnects): per conversation, the newest version seen of each message id. Bounded: past
 * `perConversation` ids the oldest are forgotten and their ids fall under a floor that counts as
 * seen, so memory stays flat however long the listener runs.
 */
export class MessageDedupe {
  readonly #conversations = new Map<string, { versions: Map<string, number>; floor: number }>();

  constructor(private readonly perConversation = 2000) {}

  #of(conversationId: string) {
    let c = this.#conversations.get(conversationId);
    if (!c) {
      c = { versions: new Map(), floor: 0 };
      this.#conversations.set(conversationId, c);
    }
    return c;
  }

  /** Has this message id been seen (at any version)? */
  known(conversationId: string, id: string): boolean {
    const c = this.#conversations.get(conversationId);
    if (!c) return false;
    return c.versions.has(id) || (Number(id) > 0 && Number(id) <= c.floor);
  }

  /** True the first time a (conversation, id, version) newer than anything seen arrives; records it. */
  accept(conversationId: string, id: string, version: number): boolean {
    const c = this.#of(conversationId);
    const seen = c.versions.get(id);
    if (seen === undefined && Number(id) > 0 && Number(id) <= c.floor) return false;
    if (seen !== undefined && version <= seen) return false;
    c.versions.delete(id);
    c.versions.set(id, version);
    if (c.versions.size > this.perConversation) {
      const oldest = c.versions.keys().next().value as string;
      c.versions.delete(oldest);
      c.floor = Math.max(c.floor, Number(oldest) || 0);
    }
    return true;
  }
}

/** Keeps the newest value per key; `accept` is true when the value is new (read horizons, thread versions). */
export class LatestValue<V extends string | number> {
  readonly #values = new Map<string, V>();
  accept(key: string, value: V, newer: (a: V, b: V) => boolean = (a, b) => a !== b): boolean {
    const old = this.#values.get(key);
    if (old !== undefined && !newer(value, old)) return false;
    this.#values.set(key, value);
    return true;
  }
}
