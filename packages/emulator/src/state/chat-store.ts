import {
  type BuildableThreadActivity,
  buildEventMessage,
  buildThreadActivity,
  mriLocalPart,
  parseReplyChainId,
  toTeamsTimestamp,
  type WireResourceType,
} from "@teams-api/protocol";
import type { Variants } from "../context.js";
import { HttpError } from "../http/types.js";
import {
  lastActivity,
  lastMessageId,
  type MemberRole,
  newThread,
  type StoredMessage,
  type StoredThread,
} from "./chat-model.js";
import {
  conversationUrl,
  messageConversationPath,
  messageUrl,
  threadUrl,
  type WireOptions,
  wireConversation,
  wireMessage,
  wireThreadResourceProperties,
} from "./chat-wire.js";
import type { Directory, User } from "./directory.js";
import { type ChatStoreEvent, StoreEventBus } from "./events.js";

export type ChatEvent = ChatStoreEvent;

export type ChatEventListener = (e: ChatEvent) => void;

export interface ChatStateOptions {
  directory: Directory;
  now: () => number;
  /** Chat service root used in event links (`regionGtms.chatService`); a function when bound late. */
  base: string | (() => string);
  variants: Pick<Variants, "emotionsEncoding">;
  /** The store event bus chat changes are raised on (the context's). @default a private bus */
  events?: StoreEventBus;
}

/** What a client may send as a message (§2.8), already type-checked by the route. */
export interface SendInput {
  content: string;
  messagetype: string;
  contenttype?: string;
  clientmessageid?: string;
  imdisplayname?: string;
  properties?: Record<string, unknown>;
  amsreferences?: string[];
  composetime?: number;
}

export interface EditInput {
  content: string;
  messagetype?: string;
  contenttype?: string;
  imdisplayname?: string;
  properties?: Record<string, unknown>;
}

export interface MemberInput {
  mri: string;
  role: MemberRole;
}

/** `msgId;readMs;clientmessageid` (§2.11); the YTC `now;now;now` form fits the same grammar. */
export const HORIZON_PATTERN = /^\d{1,20};\d{1,20};[^;\s]{1,64}$/;

export const errors = {
  conversationNotFound: () => new HttpError(404, "Conversation not found."),
  messageNotFound: () => new HttpError(404, "Message not found."),
  notMember: () => new HttpError(403, "The user is not a member of this conversation."),
  badRequest: (message: string) => new HttpError(400, message),
};

/**
 * The chat store's foundation: the threads and notes it holds, the events it raises (once, here:
 * push and the control plane subscribe), users' properties, lookups that check membership, clocks
 * and versions, and the protocol-built system messages. {@link ChatState} adds the operations.
 */
export class ChatStore {
  readonly directory: Directory;
  readonly now: () => number;
  readonly #base: () => string;
  readonly variants: Pick<Variants, "emotionsEncoding">;
  /** Every thread except 48:notes, by id. */
  readonly threads = new Map<string, StoredThread>();
  readonly #notes = new Map<string, StoredThread>();
  readonly #userProperties = new Map<string, Record<string, string>>();
  /** Where every change is raised, once (push and the control plane subscribe). */
  readonly events: StoreEventBus;
  #eventId = 1000;

  constructor(options: ChatStateOptions) {
    this.directory = options.directory;
    this.now = options.now;
    const base = options.base;
    this.#base = typeof base === "string" ? () => base : base;
    this.variants = options.variants;
    this.events = options.events ?? new StoreEventBus();
  }

  /** Chat service root used in event links. */
  get base(): string {
    return this.#base();
  }

  get wireOptions(): WireOptions {
    return { base: this.base, variants: this.variants };
  }

  // ── events ────────────────────────────────────────────────────────────────────────────────────

  /** Subscribes to events; returns the unsubscribe function. */
  onEvent(listener: ChatEventListener): () => void {
    return this.events.on("chat", listener);
  }

  protected emit(to: readonly string[], resourceType: WireResourceType, resourceLink: string, resource: unknown): void {
    if (!this.events.has("chat") || to.length === 0) return;
    const event = buildEventMessage({ id: ++this.#eventId, resourceType, time: this.now(), resourceLink, resource });
    this.events.emit("chat", { to: [...to], event });
  }

  protected emitNewMessage(t: StoredThread, m: StoredMessage, to: readonly string[] = [...t.members.keys()]): void {
    if (!this.events.has("chat")) return;
    const resource = { ...wireMessage(m, this.wireOptions), threadtopic: t.topic, counterpartymessageid: String(m.id) };
    this.emit(to, "NewMessage", messageUrl(this.base, messageConversationPath(m), m.id), resource);
  }

  protected emitMessageUpdate(t: StoredThread, m: StoredMessage): void {
    if (!this.events.has("chat")) return;
    const resource = {
      ...wireMessage(m, this.wireOptions),
      ...(m.skypeeditedid !== undefined ? { skypeeditedid: m.skypeeditedid } : {}),
      threadtopic: t.topic,
    };
    this.emit(
      [...t.members.keys()],
      "MessageUpdate",
      messageUrl(this.base, messageConversationPath(m), m.id),
      resource,
    );
  }

  protected emitConversationUpdate(t: StoredThread, users: Iterable<string>): void {
    if (!this.events.has("chat")) return;
    for (const mri of users) {
      this.emit(
        [mri],
        "ConversationUpdate",
        conversationUrl(this.base, t.id),
        wireConversation(t, mri, this.wireOptions),
      );
    }
  }

  protected emitThreadUpdate(t: StoredThread, to: readonly string[] = [...t.members.keys()]): void {
    if (!this.events.has("chat")) return;
    const resource = {
      id: t.id,
      type: "Thread",
      version: t.version,
      properties: wireThreadResourceProperties(t),
      members: [...t.members.values()].map((m) => ({ id: m.mri, role: m.role })),
      messages: `${conversationUrl(this.base, t.id)}/messages`,
    };
    this.emit(to, "ThreadUpdate", threadUrl(this.base, t.id), resource);
  }

  // ── users ─────────────────────────────────────────────────────────────────────────────────────

  /** The directory's spelling of an MRI (MRIs compare case-insensitively). */
  canonicalMri(mri: string): string {
    return this.directory.byMri(mri)?.mri ?? mri;
  }

  protected userByLocalPart(local: string): User | undefined {
    const l = local.toLowerCase();
    return this.directory.users.find((u) => mriLocalPart(u.mri).toLowerCase() === l);
  }

  /** `GET /v1/users/ME/properties` (§2.3): a flat object of strings; `userDetails` JSON-encoded. */
  userProperties(user: User): Record<string, string> {
    const own = this.#userProperties.get(user.mri) ?? {};
    return {
      skypeName: user.skypeId,
      primaryMemberName: user.upn,
      locale: "en-us",
      userDetails: JSON.stringify({ name: user.displayName, upn: user.upn, email: user.email, licenseType: "Teams" }),
      lastActivityAt: toTeamsTimestamp(this.now()),
      readReceiptsEnabled: "true",
      cid: user.kind === "consumer" ? user.skypeId.replace(/^live:\.cid\./, "") : "",
      chatSettings: "{}",
      favorites: "[]",
      ...own,
    };
  }

  setUserProperty(user: User, name: string, value: string): void {
    const own = this.#userProperties.get(user.mri) ?? {};
    own[name] = value;
    this.#userProperties.set(user.mri, own);
  }

  // ── lookups ───────────────────────────────────────────────────────────────────────────────────

  /** The user's 48:notes, created on first use. */
  notesOf(mri: string, createdAt = this.now()): StoredThread {
    let t = this.#notes.get(mri);
    if (!t) {
      const user = this.directory.byMri(mri);
      t = newThread({
        id: "48:notes",
        kind: "notes",
        owner: mri,
        threadType: "streamofnotes",
        productThreadType: "StreamOfNotes",
        createdAt,
        creator: mri,
        tenantId: user?.tenantId ?? "",
      });
      t.members.set(mri, { mri, role: "Admin", joinedAt: createdAt, viewVersion: 0 });
      this.#notes.set(mri, t);
    }
    return t;
  }

  /** Every conversation the user is in, their 48:notes included, most recent activity first. */
  conversationsOf(mri: string): StoredThread[] {
    const out: StoredThread[] = [this.notesOf(mri)];
    for (const t of this.threads.values()) if (t.members.has(mri)) out.push(t);
    return out.sort((a, b) => lastActivity(b) - lastActivity(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /**
   * Resolves a conversation id as addressed under `/v1/users/ME/conversations/{id}` — a thread id,
   * `48:notes`, or `<channel>;messageid=<root>` — checking the viewer is a member.
   */
  conversation(viewer: string, conversationId: string): { thread: StoredThread; root?: StoredMessage } {
    const { threadId, rootMessageId } = parseReplyChainId(conversationId);
    const thread = threadId === "48:notes" ? this.notesOf(viewer) : this.threads.get(threadId);
    if (!thread) throw errors.conversationNotFound();
    if (!thread.members.has(viewer)) throw errors.notMember();
    if (rootMessageId === undefined) return { thread };
    if (thread.kind !== "channel" || !/^\d{1,16}$/.test(rootMessageId)) throw errors.conversationNotFound();
    const root = thread.byId.get(Number(rootMessageId));
    if (!root || root.rootId !== undefined) throw errors.conversationNotFound();
    return { thread, root };
  }

  /** A thread as addressed under `/v1/threads/{id}` (no 48: feeds), checking membership. */
  thread(viewer: string, threadId: string): StoredThread {
    const thread = this.threads.get(threadId);
    if (!thread) throw errors.conversationNotFound();
    if (!thread.members.has(viewer)) throw errors.notMember();
    return thread;
  }

  /** Messages the viewer can see in a conversation (a reply chain: the root and its replies), oldest first. */
  messages(viewer: string, conversationId: string): { thread: StoredThread; messages: StoredMessage[] } {
    const { thread, root } = this.conversation(viewer, conversationId);
    if (!root) return { thread, messages: thread.messages };
    return { thread, messages: thread.messages.filter((m) => m.id === root.id || m.rootId === root.id) };
  }

  protected findMessage(thread: StoredThread, root: StoredMessage | undefined, messageId: string): StoredMessage {
    const m = /^\d{1,16}$/.test(messageId) ? thread.byId.get(Number(messageId)) : undefined;
    if (!m || (root && m.id !== root.id && m.rootId !== root.id)) {
      if (messageId && thread.messages.some((x) => x.clientmessageid === messageId)) {
        throw errors.badRequest("ColdStoreNotSupportedForMessageException");
      }
      throw errors.messageNotFound();
    }
    return m;
  }

  // ── clocks and versions ───────────────────────────────────────────────────────────────────────

  /** A fresh message id: arrival ms, bumped past the thread's newest id so ids strictly increase. */
  protected arrival(thread: StoredThread, at = this.now()): number {
    return Math.max(at, lastMessageId(thread) + 1);
  }

  protected bumpThread(thread: StoredThread, at: number): number {
    thread.version = Math.max(thread.version + 1, at);
    return thread.version;
  }

  protected bumpMessage(thread: StoredThread, m: StoredMessage, at = this.now()): number {
    m.version = Math.max(m.version + 1, at);
    this.bumpThread(thread, m.version);
    return m.version;
  }

  /**
   * Appends a message to a thread's history: assigns the sequence id, indexes it, bumps the thread
   * version. No events (the seed uses this directly; live paths emit after).
   */
  insert(
    thread: StoredThread,
    fields: Omit<StoredMessage, "sequenceId" | "threadId" | "version"> & { version?: number },
  ): StoredMessage {
    if (fields.id <= lastMessageId(thread)) throw new Error(`message ids must increase (${thread.id})`);
    const m: StoredMessage = {
      ...fields,
      sequenceId: thread.nextSequenceId++,
      threadId: thread.id,
      version: fields.version ?? fields.id,
    };
    thread.messages.push(m);
    thread.byId.set(m.id, m);
    this.bumpThread(thread, m.version);
    return m;
  }

  /** A `ThreadActivity/*` control message (§8.3) authored by the initiator. */
  protected systemMessage(
    thread: StoredThread,
    messagetype: string,
    content: string,
    initiator: string,
    at: number,
  ): StoredMessage {
    return this.insert(thread, {
      id: this.arrival(thread, at),
      clientmessageid: "0",
      messagetype,
      contenttype: "text",
      content,
      amsreferences: [],
      from: initiator,
      imdisplayname: this.directory.byMri(initiator)?.displayName ?? "",
      composetime: at,
      properties: {},
      emotions: [],
    });
  }

  /** Adds a ThreadActivity message for seeds and live changes (built by the protocol, §8.3). */
  addActivity(
    thread: StoredThread,
    kind: ActivityKind,
    initiator: string,
    at: number,
    value: ActivityValue,
  ): StoredMessage {
    const arrival = this.arrival(thread, at);
    const base = { time: arrival, initiator };
    let event: BuildableThreadActivity;
    switch (kind) {
      case "AddMember":
      case "DeleteMember":
        event = {
          ...base,
          kind: kind === "AddMember" ? "addMember" : "deleteMember",
          members: (value as string[]).map((mri) => ({ mri })),
        };
        break;
      case "RoleUpdate": {
        const { mri, role } = value as { mri: string; role: MemberRole };
        event = { ...base, kind: "roleUpdate", members: [{ mri, role: role.toLowerCase() }] };
        break;
      }
      case "TopicUpdate":
        event = { ...base, kind: "topicUpdate", topic: String(value) };
        break;
      default:
        event = { ...base, kind: ACTIVITY_KINDS[kind], value: String(value) };
    }
    const { messagetype, content } = buildThreadActivity(event);
    return this.systemMessage(thread, messagetype, content, initiator, arrival);
  }
}

export type ActivityKind =
  | "AddMember"
  | "DeleteMember"
  | "TopicUpdate"
  | "RoleUpdate"
  | "JoiningEnabledUpdate"
  | "HistoryDisclosedUpdate"
  | "PictureUpdate";
export type ActivityValue = string[] | string | { mri: string; role: MemberRole };

const ACTIVITY_KINDS = {
  JoiningEnabledUpdate: "joiningEnabledUpdate",
  HistoryDisclosedUpdate: "historyDisclosedUpdate",
  PictureUpdate: "pictureUpdate",
} as const;
