/**
 * What a chat view holds, without any terminal: the loaded messages (oldest first, one entry per
 * id, replaced on edit/delete/reaction), the sends in flight with their state, who is typing, and
 * the short numbers (`/reply 3`) of the messages shown.
 */
import type { Message } from "teams-api";

export type SendState = "sending" | "sent" | "failed";

export interface PendingSend {
  /** The idempotency key, reused by /retry so a retry cannot duplicate the message. */
  readonly clientMessageId: string;
  readonly text: string;
  /** Reply to this message id. */
  readonly replyTo?: string | undefined;
  state: SendState;
  /** Why it failed (one sentence). */
  reason?: string;
  /** The server id once sent. */
  id?: string;
  readonly at: Date;
}

export class ChatModel {
  #messages: Message[] = [];
  readonly #byId = new Map<string, Message>();
  readonly pending: PendingSend[] = [];
  readonly typing = new Map<string, number>();
  /** More history exists before the oldest loaded message. */
  hasOlder = true;

  get messages(): readonly Message[] {
    return this.#messages;
  }

  get newest(): Message | undefined {
    return this.#messages.at(-1);
  }

  get oldest(): Message | undefined {
    return this.#messages[0];
  }

  byNumber(n: number): Message | undefined {
    return Number.isInteger(n) && n >= 1 ? this.#messages[n - 1] : undefined;
  }

  numberOf(id: string): number | undefined {
    const i = this.#messages.findIndex((m) => m.id === id);
    return i < 0 ? undefined : i + 1;
  }

  /**
   * Adds or replaces messages. Returns how many are new (not edits of ones already shown). A message
   * carrying the clientmessageid of a send in flight settles that send.
   */
  upsert(messages: Iterable<Message>): number {
    let added = 0;
    let unsorted = false;
    for (const m of messages) {
      const known = this.#byId.get(m.id);
      if (known) {
        if (m.version >= known.version || m.isDeleted !== known.isDeleted) {
          this.#byId.set(m.id, m);
          const i = this.#messages.indexOf(known);
          if (i >= 0) this.#messages[i] = m;
        }
      } else {
        this.#byId.set(m.id, m);
        const last = this.#messages.at(-1);
        if (last && Number(m.id) < Number(last.id)) unsorted = true;
        this.#messages.push(m);
        added++;
      }
      if (m.clientMessageId) {
        const i = this.pending.findIndex((p) => p.clientMessageId === m.clientMessageId);
        if (i >= 0) this.pending.splice(i, 1);
      }
      this.typing.delete(m.from.mri);
    }
    if (unsorted) this.#messages.sort((a, b) => Number(a.id) - Number(b.id));
    return added;
  }

  /** Older history: prepends, keeping order. */
  prepend(older: readonly Message[]): number {
    const fresh = older.filter((m) => !this.#byId.has(m.id));
    for (const m of fresh) this.#byId.set(m.id, m);
    this.#messages = [...fresh, ...this.#messages].sort((a, b) => Number(a.id) - Number(b.id));
    return fresh.length;
  }

  remove(id: string): void {
    const m = this.#byId.get(id);
    if (!m) return;
    this.#byId.delete(id);
    this.#messages = this.#messages.filter((x) => x !== m);
  }

  get(id: string): Message | undefined {
    return this.#byId.get(id);
  }

  /** Who is typing now (entries expire). */
  typers(now: number): string[] {
    for (const [mri, until] of this.typing) if (until <= now) this.typing.delete(mri);
    return [...this.typing.keys()];
  }
}
