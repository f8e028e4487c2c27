/**
 * The realtime listener (GUIDE §2 Real-time; PROTOCOL.md §7): a state machine (`connecting |
 * connected | reconnecting | closed`) over Trouter sessions, with jittered backoff reset after a
 * stable minute, registration refresh before its TTL, and gap-free delivery: after any reconnect,
 * `trouter.message_loss` or a sequence gap, it replays from REST before emitting anything newer,
 * drops duplicates by (conversation, id, version) and its own echoes by clientmessageid.
 */
import { type PresenceItem, parseTrouterEvents, type TrouterEvent, type TrouterRequest } from "@teams-api/protocol";
import { AuthenticationError } from "../errors.js";
import type { Logger } from "../http/types.js";
import type { Message } from "../models.js";
import type { ChatService } from "../services/chat/index.js";
import { toMessage } from "../services/map.js";
import { LatestValue, MessageDedupe } from "./dedupe.js";
import { type SessionDeps, TrouterSession, unregister } from "./session.js";
import { DEFAULT_SOCKET_TIMINGS } from "./socket.js";
import type { RealtimeEvent, RealtimeOptions, RealtimeState, RealtimeTimings, ResumeReason } from "./types.js";

export const DEFAULT_REALTIME_TIMINGS: RealtimeTimings = {
  ...DEFAULT_SOCKET_TIMINGS,
  connectTimeoutMs: 20_000,
  registrationTtlSec: 86_400,
  backoffBaseMs: 1000,
  backoffCapMs: 30_000,
  stableMs: 60_000,
  backfillMarginMs: 10_000,
};

export interface ListenerDeps {
  session: Omit<SessionDeps, "timings">;
  chat: ChatService;
  /** clientmessageids this client sent (their echoes are dropped). */
  sentIds: ReadonlySet<string>;
  logger: Logger | undefined;
  now: () => number;
}

type MessageKind = "message" | "edit" | "delete" | "reaction";

export class RealtimeListener {
  state: RealtimeState = "closed";
  readonly #deps: ListenerDeps;
  readonly #options: RealtimeOptions;
  readonly #timings: RealtimeTimings;
  readonly #filter: ReadonlySet<string> | undefined;
  #session: TrouterSession | undefined;
  #queue: Promise<void> = Promise.resolve();
  #attempt = 0;
  #connections = 0;
  #timers = new Set<NodeJS.Timeout>();
  #stopped = false;
  readonly #dedupe = new MessageDedupe();
  readonly #reads = new LatestValue<string>();
  readonly #threads = new LatestValue<number>();
  /** Last sequenceId emitted per conversation (gap detection). */
  readonly #seq = new Map<string, number>();
  /** Newest server time seen (message ids and versions are server ms). */
  #watermark: number;
  readonly #startedAt: number;
  readonly #listeners = new Set<(e: RealtimeEvent) => void>();

  constructor(deps: ListenerDeps, options: RealtimeOptions = {}) {
    this.#deps = deps;
    this.#options = options;
    this.#timings = { ...DEFAULT_REALTIME_TIMINGS, ...options.timings };
    this.#filter = options.conversations?.length ? new Set(options.conversations) : undefined;
    this.#startedAt = deps.now();
    this.#watermark = this.#startedAt;
  }

  /** Subscribes to every event (the async iterator uses this); returns the unsubscribe. */
  subscribe(listener: (e: RealtimeEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get endpoint(): { epid: string; surl: string } | undefined {
    const s = this.#session;
    return s?.allocation ? { epid: this.#deps.session.epid, surl: s.surl } : undefined;
  }

  #emit(e: RealtimeEvent): void {
    try {
      this.#options.onEvent?.(e);
      if (e.type === "message") this.#options.onMessage?.(e.message, e);
    } catch (err) {
      this.#deps.logger?.warn(`realtime: a listener callback threw (${(err as Error)?.message ?? err})`);
    }
    for (const l of this.#listeners) l(e);
  }

  #setState(state: RealtimeState, reason?: string): void {
    if (this.state === state) return;
    this.state = state;
    const endpoint = state === "connected" ? this.endpoint : undefined;
    this.#emit({ type: "state", state, ...(reason ? { reason } : {}), ...(endpoint ? { endpoint } : {}) });
  }

  #later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.#timers.delete(t);
      fn();
    }, ms);
    this.#timers.add(t);
  }

  /** Serializes all event handling: replays finish before newer live events are emitted. */
  #enqueue(job: () => Promise<void> | void): void {
    this.#queue = this.#queue.then(job).catch((err) => {
      this.#deps.logger?.warn(`realtime: ${(err as Error)?.message ?? err}`);
      // A failed replay may have left a gap: start over on a fresh connection (which replays again).
      this.#session?.close("replay failed");
    });
  }

  /** Connects; resolves once connected. An authentication failure on the first attempt rejects. */
  async start(): Promise<void> {
    this.#stopped = false;
    this.#setState("connecting");
    try {
      await this.#connect();
    } catch (err) {
      if (err instanceof AuthenticationError) {
        this.#setState("closed", "authentication failed");
        throw err;
      }
      this.#scheduleReconnect(String((err as Error)?.message ?? err));
    }
  }

  async #connect(): Promise<void> {
    const session = new TrouterSession({ ...this.#deps.session, timings: this.#timings });
    this.#session = session;
    await session.open(
      {
        onEvent: (name, args) => this.#onServerEvent(session, name, args),
        onRequest: (req) => this.#enqueue(() => this.#onPush(req)),
        onClose: (reason) => this.#onClosed(session, reason),
      },
      ++this.#connections,
    );
    if (this.#stopped) return session.close();
    await session.register();
    this.#scheduleRegistration(session);
    this.#setState("connected");
    this.#later(this.#timings.stableMs, () => {
      if (this.#session === session && !session.socket.closed) this.#attempt = 0;
    });
    if (this.#connections > 1) this.#enqueue(() => this.#replay("reconnect"));
  }

  #scheduleRegistration(session: TrouterSession): void {
    const ttlMs = session.registrationTtlSec * 1000;
    const at = Math.max(ttlMs / 2, ttlMs - 60_000);
    this.#later(at, () => {
      if (this.#session !== session || session.socket.closed || this.#stopped) return;
      session.register().then(
        () => this.#scheduleRegistration(session),
        () => session.close("re-register failed"),
      );
    });
  }

  #onClosed(session: TrouterSession, reason: string): void {
    if (this.#session !== session || this.#stopped) return;
    this.#scheduleReconnect(reason);
  }

  #scheduleReconnect(reason: string): void {
    if (this.#stopped) return;
    this.#setState("reconnecting", reason);
    const t = this.#timings;
    const delay = Math.random() * Math.min(t.backoffCapMs, t.backoffBaseMs * 2 ** this.#attempt);
    this.#attempt = Math.min(this.#attempt + 1, 16);
    this.#later(delay, () => {
      if (this.#stopped) return;
      this.#connect().catch((err) => {
        this.#deps.logger?.warn(`realtime: reconnect failed (${(err as Error)?.message ?? err})`);
        this.#scheduleReconnect("reconnect failed");
      });
    });
  }

  #onServerEvent(session: TrouterSession, name: string, args: unknown[]): void {
    if (name === "trouter.message_loss") {
      this.#enqueue(async () => {
        await this.#replay("message_loss");
        if (!session.socket.closed) await session.socket.emit("trouter.processed_message_loss", args);
      });
    } else if (name === "trouter.reconnect") {
      session.close("server asked to reconnect");
    }
  }

  // ── events ──────────────────────────────────────────────────────────────────────────────────

  async #onPush(req: TrouterRequest): Promise<void> {
    for (const ev of parseTrouterEvents(req.url, req.body, req.headers, {
      maxBodyBytes: this.#timings.maxFrameBytes,
    })) {
      await this.#onEvent(ev);
    }
  }

  #wanted(conversationId: string): boolean {
    return !this.#filter || this.#filter.has(conversationId);
  }

  async #onEvent(ev: TrouterEvent): Promise<void> {
    switch (ev.type) {
      case "message":
      case "edit":
      case "delete":
      case "reaction": {
        if (!this.#wanted(ev.conversationId)) return;
        let message: Message;
        try {
          message = toMessage(ev.raw, ev.conversationId);
        } catch (err) {
          this.#deps.logger?.warn(`realtime: skipped an unreadable message (${(err as Error).message})`);
          return;
        }
        const seq = sequenceOf(message);
        const last = this.#seq.get(ev.conversationId);
        // A sequence gap — or the first message of a conversation, whose predecessors since the
        // start may have been lost — is filled from REST before this message is emitted.
        if (ev.type === "message" && seq !== undefined && (last === undefined || seq > last + 1)) {
          await this.#replayConversation(
            ev.conversationId,
            "gap",
            last === undefined ? this.#startedAt : undefined,
            Number(message.id) - 1,
          );
        }
        this.#deliver(ev.type, message, false);
        return;
      }
      case "typing":
        if (this.#wanted(ev.conversationId))
          this.#emit({
            type: "typing",
            conversationId: ev.conversationId,
            from: { mri: ev.from, displayName: ev.fromName },
            stopped: ev.stopped,
          });
        return;
      case "read":
        if (
          this.#wanted(ev.conversationId) &&
          this.#reads.accept(ev.conversationId, `${ev.horizon.messageId};${ev.horizon.time}`)
        )
          this.#emit({ type: "read", conversationId: ev.conversationId, horizon: ev.horizon });
        return;
      case "conversation":
        if (this.#wanted(ev.conversationId)) this.#emit({ type: "conversation", conversationId: ev.conversationId });
        return;
      case "thread":
        if (
          this.#wanted(ev.conversationId) &&
          this.#threads.accept(ev.conversationId, Number(ev.version) || 0, (a, b) => a > b)
        )
          this.#emit({ type: "thread", conversationId: ev.conversationId, topic: ev.topic, members: ev.members });
        return;
      case "presence":
        this.#emit({ type: "presence", presences: ev.presences as PresenceItem[] });
        return;
      case "call":
        this.#emit({
          type: "call",
          callId: ev.callId,
          from: ev.from ? { mri: ev.from, displayName: ev.fromName ?? "" } : undefined,
        });
        return;
      default:
        this.#deps.logger?.debug(`realtime: ignored a push (${ev.reason})`);
    }
  }

  /** Emits a message event once per (conversation, id, version); returns whether it was emitted. */
  #deliver(kind: MessageKind, message: Message, replayed: boolean): boolean {
    const conv = message.conversationId;
    if (!this.#dedupe.accept(conv, message.id, message.version)) return false;
    const seq = sequenceOf(message);
    if (seq !== undefined && seq > (this.#seq.get(conv) ?? 0)) this.#seq.set(conv, seq);
    this.#watermark = Math.max(this.#watermark, Number(message.id) || 0, message.version);
    const own = message.clientMessageId !== undefined && this.#deps.sentIds.has(message.clientMessageId);
    if (own && !this.#options.includeOwn && kind === "message") return false;
    this.#emit({ type: kind, conversationId: conv, message, replayed } as RealtimeEvent);
    return true;
  }

  // ── replay ──────────────────────────────────────────────────────────────────────────────────

  async #replay(reason: ResumeReason): Promise<void> {
    const since = this.#watermark - this.#timings.backfillMarginMs;
    const conversations = this.#filter
      ? [...this.#filter]
      : (
          await this.#deps.chat.getConversations({ startTime: Math.max(1, since), count: 500, resolveTitles: false })
        ).map((c) => c.id);
    let replayed = 0;
    for (const id of conversations) replayed += await this.#replayConversation(id, undefined, since);
    this.#emit({ type: "resumed", replayed, reason });
  }

  /** Replays one conversation from `since`; emits `resumed` itself when `reason` is given. */
  async #replayConversation(
    conversationId: string,
    reason?: ResumeReason,
    since = this.#watermark - this.#timings.backfillMarginMs,
    until?: number,
  ): Promise<number> {
    const messages = await this.#deps.chat.getMessages(conversationId, {
      startTime: Math.max(1, since),
      ...(until !== undefined && until > 0 ? { endTime: until } : {}),
      count: 10_000,
      pageSize: 200,
      resolveNames: false,
    });
    messages.sort((a, b) => Number(a.id) - Number(b.id));
    let n = 0;
    for (const m of messages) {
      if (m.messageType.startsWith("Control/")) continue;
      const known = this.#dedupe.known(m.conversationId, m.id);
      let kind: MessageKind;
      // Only what arrived after the listener started is new; older history is not replayed.
      if (!known && Number(m.id) >= this.#startedAt) {
        if (m.isDeleted) {
          this.#dedupe.accept(m.conversationId, m.id, m.version);
          continue;
        }
        kind = "message";
      } else if (m.version >= this.#startedAt) {
        kind = m.isDeleted ? "delete" : m.editedAt && m.editedAt.getTime() >= m.version ? "edit" : "reaction";
      } else continue;
      if (this.#deliver(kind, m, true)) n++;
    }
    if (reason && (n > 0 || reason !== "gap")) this.#emit({ type: "resumed", replayed: n, reason });
    return n;
  }

  /** Stops: deletes the registration at once, closes the socket. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    const session = this.#session;
    this.#session = undefined;
    session?.close();
    this.#setState("closed", "stopped");
    try {
      await unregister({ ...this.#deps.session, timings: this.#timings }, session?.registrar || undefined);
    } catch (err) {
      this.#deps.logger?.warn(`realtime: could not delete the registration (${(err as Error)?.message ?? err})`);
    }
  }
}

function sequenceOf(m: Message): number | undefined {
  const s = (m.raw as { sequenceId?: unknown }).sequenceId;
  return typeof s === "number" && s > 0 ? s : undefined;
}
