import { randomBytes } from "node:crypto";
import {
  type BuildableThreadActivity,
  buildEventMessage,
  buildThreadActivity,
  isValidEmotionKey,
  mriLocalPart,
  newClientMessageId,
  parseOneOnOneThreadId,
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

/** An event for the real-time layer: deliver `event` to every user in `to` (the sender included). */
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
 * The chat service's multi-user state: threads, history, read horizons, reactions. Every mutation
 * checks membership and authorship, bumps versions so a later sync sees it, and emits the events
 * a real-time push layer delivers (§2.16).
 */
export class ChatState {
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

  #emit(to: readonly string[], resourceType: WireResourceType, resourceLink: string, resource: unknown): void {
    if (!this.events.has("chat") || to.length === 0) return;
    const event = buildEventMessage({ id: ++this.#eventId, resourceType, time: this.now(), resourceLink, resource });
    this.events.emit("chat", { to: [...to], event });
  }

  #emitNewMessage(t: StoredThread, m: StoredMessage, to: readonly string[] = [...t.members.keys()]): void {
    if (!this.events.has("chat")) return;
    const resource = { ...wireMessage(m, this.wireOptions), threadtopic: t.topic, counterpartymessageid: String(m.id) };
    this.#emit(to, "NewMessage", messageUrl(this.base, messageConversationPath(m), m.id), resource);
  }

  #emitMessageUpdate(t: StoredThread, m: StoredMessage): void {
    if (!this.events.has("chat")) return;
    const resource = {
      ...wireMessage(m, this.wireOptions),
      ...(m.skypeeditedid !== undefined ? { skypeeditedid: m.skypeeditedid } : {}),
      threadtopic: t.topic,
    };
    this.#emit(
      [...t.members.keys()],
      "MessageUpdate",
      messageUrl(this.base, messageConversationPath(m), m.id),
      resource,
    );
  }

  #emitConversationUpdate(t: StoredThread, users: Iterable<string>): void {
    if (!this.events.has("chat")) return;
    for (const mri of users) {
      this.#emit(
        [mri],
        "ConversationUpdate",
        conversationUrl(this.base, t.id),
        wireConversation(t, mri, this.wireOptions),
      );
    }
  }

  #emitThreadUpdate(t: StoredThread, to: readonly string[] = [...t.members.keys()]): void {
    if (!this.events.has("chat")) return;
    const resource = {
      id: t.id,
      type: "Thread",
      version: t.version,
      properties: wireThreadResourceProperties(t),
      members: [...t.members.values()].map((m) => ({ id: m.mri, role: m.role })),
      messages: `${conversationUrl(this.base, t.id)}/messages`,
    };
    this.#emit(to, "ThreadUpdate", threadUrl(this.base, t.id), resource);
  }

  // ── users ─────────────────────────────────────────────────────────────────────────────────────

  /** The directory's spelling of an MRI (MRIs compare case-insensitively). */
  canonicalMri(mri: string): string {
    return this.directory.byMri(mri)?.mri ?? mri;
  }

  #userByLocalPart(local: string): User | undefined {
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

  #findMessage(thread: StoredThread, root: StoredMessage | undefined, messageId: string): StoredMessage {
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
  #arrival(thread: StoredThread, at = this.now()): number {
    return Math.max(at, lastMessageId(thread) + 1);
  }

  #bumpThread(thread: StoredThread, at: number): number {
    thread.version = Math.max(thread.version + 1, at);
    return thread.version;
  }

  #bumpMessage(thread: StoredThread, m: StoredMessage, at = this.now()): number {
    m.version = Math.max(m.version + 1, at);
    this.#bumpThread(thread, m.version);
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
    this.#bumpThread(thread, m.version);
    return m;
  }

  /** A `ThreadActivity/*` control message (§8.3) authored by the initiator. */
  #systemMessage(
    thread: StoredThread,
    messagetype: string,
    content: string,
    initiator: string,
    at: number,
  ): StoredMessage {
    return this.insert(thread, {
      id: this.#arrival(thread, at),
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
    const arrival = this.#arrival(thread, at);
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
    return this.#systemMessage(thread, messagetype, content, initiator, arrival);
  }

  // ── messages ──────────────────────────────────────────────────────────────────────────────────

  /**
   * Posts a message. A `@unq.gbl.spaces` id whose sorted pair includes the sender creates the 1:1
   * chat on first use (§8.2). `Control/*` messages (typing) are delivered as events, never stored.
   */
  post(sender: User, conversationId: string, input: SendInput): { message: StoredMessage; stored: boolean } {
    const viewer = sender.mri;
    const { threadId } = parseReplyChainId(conversationId);
    const ephemeral = input.messagetype.startsWith("Control/");
    // Only a real message creates a 1:1 chat; typing into one that does not exist yet is a 404.
    if (!this.threads.has(threadId) && threadId.endsWith("@unq.gbl.spaces") && !ephemeral) {
      this.#implicitOneOnOne(sender, threadId);
    }
    const { thread, root } = this.conversation(viewer, conversationId);
    const now = this.now();
    const fields = {
      id: this.#arrival(thread, now),
      clientmessageid: input.clientmessageid ?? newClientMessageId(),
      messagetype: input.messagetype,
      contenttype: input.contenttype ?? "text",
      content: input.content,
      amsreferences: [...(input.amsreferences ?? [])],
      from: viewer,
      imdisplayname: input.imdisplayname ?? "",
      composetime: input.composetime ?? now,
      properties: { ...input.properties },
      emotions: [],
      ...(root ? { rootId: root.id } : {}),
    };
    if (ephemeral) {
      const typing: StoredMessage = { ...fields, sequenceId: 0, threadId: thread.id, version: fields.id };
      this.#emitNewMessage(thread, typing);
      return { message: typing, stored: false };
    }
    const message = this.insert(thread, fields);
    this.#emitNewMessage(thread, message);
    return { message, stored: true };
  }

  #implicitOneOnOne(sender: User, threadId: string): StoredThread {
    const pair = parseOneOnOneThreadId(threadId);
    if (!pair || pair[0] >= pair[1]) throw errors.conversationNotFound();
    const own = mriLocalPart(sender.mri).toLowerCase();
    const [a, b] = [pair[0].toLowerCase(), pair[1].toLowerCase()];
    if (own !== a && own !== b) throw errors.notMember();
    const other = this.#userByLocalPart(own === a ? b : a);
    if (!other || other.mri === sender.mri) throw errors.conversationNotFound();
    return this.#createOneOnOne(sender, other, threadId);
  }

  #createOneOnOne(creator: User, other: User, id: string): StoredThread {
    const now = this.now();
    const t = newThread({
      id,
      kind: "oneOnOne",
      threadType: "chat",
      productThreadType: "OneOnOne",
      uniqueRoster: true,
      createdAt: now,
      creator: creator.mri,
      tenantId: creator.tenantId,
    });
    for (const u of [creator, other])
      t.members.set(u.mri, { mri: u.mri, role: "Admin", joinedAt: now, viewVersion: 0 });
    this.threads.set(id, t);
    this.#emitThreadUpdate(t);
    return t;
  }

  /** Edits a message (§2.9); returns the edit time. Only the author may edit. */
  edit(viewer: string, conversationId: string, messageId: string, input: EditInput): number {
    const { thread, root } = this.conversation(viewer, conversationId);
    const m = this.#findMessage(thread, root, messageId);
    if (m.from !== viewer) throw new HttpError(403, "Only the author of a message can edit it.");
    if (m.messagetype.startsWith("ThreadActivity/")) throw errors.badRequest("System messages cannot be edited.");
    if (m.properties.deletetime !== undefined)
      throw errors.badRequest("The message has been deleted and cannot be edited.");
    const at = this.#bumpMessage(thread, m);
    m.content = input.content;
    if (input.messagetype !== undefined) m.messagetype = input.messagetype;
    if (input.contenttype !== undefined) m.contenttype = input.contenttype;
    if (input.imdisplayname !== undefined) m.imdisplayname = input.imdisplayname;
    if (input.properties) Object.assign(m.properties, input.properties);
    m.properties.edittime = String(at);
    m.skypeeditedid = String(m.id);
    this.#emitMessageUpdate(thread, m);
    return at;
  }

  /** Deletes a message (§2.9): the message stays as a tombstone with `deletetime`. Only the author may delete. */
  delete(viewer: string, conversationId: string, messageId: string): void {
    const { thread, root } = this.conversation(viewer, conversationId);
    const m = this.#findMessage(thread, root, messageId);
    if (m.from !== viewer) throw new HttpError(403, "Only the author of a message can delete it.");
    if (m.messagetype.startsWith("ThreadActivity/")) throw errors.badRequest("System messages cannot be deleted.");
    if (m.properties.deletetime !== undefined) return; // already a tombstone: deleting again changes nothing
    const at = this.#bumpMessage(thread, m);
    m.content = "";
    m.amsreferences = [];
    m.properties = { deletetime: String(at) };
    m.emotions = [];
    this.#emitMessageUpdate(thread, m);
  }

  /**
   * Adds (value given, not 0) or removes (value undefined or 0) the viewer's reaction. Idempotent
   * both ways; an entry keeps its (possibly empty) users array after removal.
   */
  react(
    viewer: string,
    conversationId: string,
    messageId: string,
    key: string,
    value: string | number | undefined,
  ): void {
    const { thread, root } = this.conversation(viewer, conversationId);
    const m = this.#findMessage(thread, root, messageId);
    if (m.properties.deletetime !== undefined) throw errors.badRequest("Cannot react to a deleted message.");
    if (!isValidEmotionKey(key)) throw errors.badRequest(`Invalid emotion key '${key}'.`);
    const remove = value === undefined || value === 0 || value === "0";
    let entry = m.emotions.find((e) => e.key === key);
    const has = entry?.users.some((u) => u.mri === viewer) ?? false;
    if (remove ? !has : has) return;
    const now = this.now();
    if (remove) {
      entry!.users = entry!.users.filter((u) => u.mri !== viewer);
    } else {
      if (!entry) {
        entry = { key, users: [] };
        m.emotions.push(entry);
      }
      entry.users.push({ mri: viewer, time: now, value: value as string | number });
    }
    this.#bumpMessage(thread, m, now);
    this.#emitMessageUpdate(thread, m);
  }

  // ── read state ────────────────────────────────────────────────────────────────────────────────

  /** Sets the viewer's consumption horizon or bookmark (§2.11). */
  setReadState(
    viewer: string,
    conversationId: string,
    name: "consumptionhorizon" | "consumptionHorizonBookmark",
    value: string,
  ): void {
    const { thread, root } = this.conversation(viewer, conversationId);
    if (root) throw errors.badRequest("Read state is kept per conversation, not per reply chain.");
    if (!HORIZON_PATTERN.test(value)) {
      throw errors.badRequest(`Invalid ${name} '${value}': expected '<messageId>;<timeMs>;<clientmessageid>'.`);
    }
    const member = thread.members.get(viewer)!;
    if (name === "consumptionhorizon") member.horizon = value;
    else member.bookmark = value;
    member.viewVersion = Math.max(this.now(), thread.version + 1, member.viewVersion + 1);
    this.#emitConversationUpdate(thread, [viewer]);
  }

  // ── threads ───────────────────────────────────────────────────────────────────────────────────

  #resolveMembers(list: readonly MemberInput[]): Array<{ user: User; role: MemberRole }> {
    return list.map(({ mri, role }) => {
      const user = this.directory.byMri(mri);
      if (!user) throw new HttpError(404, `User ${mri} was not found.`);
      return { user, role };
    });
  }

  /** `POST /v1/threads` (§2.13): a new group chat. The creator must be listed as Admin. */
  createThread(creator: User, members: readonly MemberInput[], properties: Record<string, unknown>): StoredThread {
    const mine = members.find((m) => m.mri.toLowerCase() === creator.mri.toLowerCase());
    if (mine?.role !== "Admin") throw errors.badRequest("The creator must be in members with the role Admin.");
    const resolved = this.#resolveMembers(members);
    const threadType = properties.threadType === undefined ? "chat" : String(properties.threadType);
    if (threadType !== "chat") throw errors.badRequest(`threadType '${threadType}' cannot be created by a client.`);
    const topic = properties.topic === undefined || properties.topic === null ? "" : String(properties.topic);
    const extra: Record<string, string> = {};
    for (const [k, v] of Object.entries(properties)) {
      if (["threadType", "topic", "uniquerosterthread"].includes(k) || v === undefined || v === null) continue;
      extra[k] = typeof v === "string" ? v : JSON.stringify(v);
    }
    let id: string;
    do id = `19:${randomBytes(16).toString("hex")}@thread.v2`;
    while (this.threads.has(id));
    const now = this.now();
    const t = newThread({
      id,
      kind: "group",
      topic,
      threadType: "chat",
      productThreadType: "Chat",
      uniqueRoster: properties.uniquerosterthread === true || properties.uniquerosterthread === "true",
      createdAt: now,
      creator: creator.mri,
      tenantId: creator.tenantId,
      extraProperties: extra,
    });
    for (const { user, role } of resolved) {
      if (!t.members.has(user.mri)) t.members.set(user.mri, { mri: user.mri, role, joinedAt: now, viewVersion: 0 });
    }
    this.threads.set(id, t);
    const others = [...t.members.keys()].filter((m) => m !== creator.mri);
    const activity: StoredMessage[] = [];
    if (others.length) activity.push(this.addActivity(t, "AddMember", creator.mri, now, others));
    if (topic) activity.push(this.addActivity(t, "TopicUpdate", creator.mri, now, topic));
    this.#emitThreadUpdate(t);
    for (const m of activity) this.#emitNewMessage(t, m);
    this.#emitConversationUpdate(t, t.members.keys());
    return t;
  }

  /** `PUT /v1/users/ME/conversations` (§2.13, MMZ): the 1:1 chat with `other`, created when missing. */
  oneOnOneWith(viewer: User, other: User): { thread: StoredThread; created: boolean } {
    if (other.mri === viewer.mri) throw errors.badRequest("A one-on-one chat needs another member.");
    const id = `19:${[mriLocalPart(viewer.mri), mriLocalPart(other.mri)].sort().join("_")}@unq.gbl.spaces`;
    const existing = this.threads.get(id);
    if (existing) return { thread: existing, created: false };
    const thread = this.#createOneOnOne(viewer, other, id);
    this.#emitConversationUpdate(thread, thread.members.keys());
    return { thread, created: true };
  }

  #groupForChange(viewer: string, threadId: string, what: string): StoredThread {
    const t = this.thread(viewer, threadId);
    if (t.kind === "oneOnOne") throw errors.badRequest(`The ${what} of a one-on-one chat cannot be changed.`);
    if (t.kind === "channel") throw new HttpError(403, `The ${what} of a channel are managed by its team.`);
    return t;
  }

  /** Adds members or changes roles (§2.13). Validates every entry before changing anything. */
  addMembers(viewer: string, threadId: string, list: readonly MemberInput[]): void {
    const t = this.#groupForChange(viewer, threadId, "members");
    const resolved = this.#resolveMembers(list);
    const roleChanges = resolved.filter(({ user, role }) => {
      const m = t.members.get(user.mri);
      return m !== undefined && m.role !== role;
    });
    if (roleChanges.length && t.members.get(viewer)?.role !== "Admin") {
      throw new HttpError(403, "Only an Admin can change member roles.");
    }
    const now = this.now();
    const added: string[] = [];
    for (const { user, role } of resolved) {
      if (t.members.has(user.mri) || added.includes(user.mri)) continue;
      t.members.set(user.mri, { mri: user.mri, role, joinedAt: now, viewVersion: 0 });
      added.push(user.mri);
    }
    const messages: StoredMessage[] = [];
    if (added.length) {
      t.lastJoinAt = now;
      messages.push(this.addActivity(t, "AddMember", viewer, now, added));
    }
    for (const { user, role } of roleChanges) {
      t.members.get(user.mri)!.role = role;
      messages.push(this.addActivity(t, "RoleUpdate", viewer, now, { mri: user.mri, role }));
    }
    if (!messages.length) return;
    this.#emitThreadUpdate(t);
    for (const m of messages) this.#emitNewMessage(t, m);
    this.#emitConversationUpdate(t, added);
  }

  /** Removes a member; removing yourself is leaving (§2.13). */
  removeMember(viewer: string, threadId: string, mri: string): void {
    const t = this.#groupForChange(viewer, threadId, "members");
    const target = this.canonicalMri(mri);
    if (!t.members.has(target)) throw new HttpError(404, `${mri} is not a member of this conversation.`);
    const before = [...t.members.keys()];
    const now = this.now();
    const m = this.addActivity(t, "DeleteMember", viewer, now, [target]);
    t.members.delete(target);
    t.lastLeaveAt = now;
    this.#bumpThread(t, now);
    this.#emitThreadUpdate(t, before);
    this.#emitNewMessage(t, m, before);
  }

  /** `PUT /v1/threads/{id}/properties?name=` (§2.13): topic, joiningenabled, historydisclosed, picture, description. */
  setThreadProperty(viewer: string, threadId: string, name: string, value: string): void {
    const t = this.thread(viewer, threadId);
    if (t.kind === "channel") throw new HttpError(403, "Channel properties are managed by its team.");
    const now = this.now();
    let message: StoredMessage | undefined;
    const flag = (v: string): boolean => {
      if (v !== "true" && v !== "false") throw errors.badRequest(`${name} must be true or false.`);
      return v === "true";
    };
    switch (name) {
      case "topic":
        if (t.kind === "oneOnOne") throw errors.badRequest("A one-on-one chat has no topic.");
        if (value.length > 1024) throw errors.badRequest("The topic is too long.");
        if (t.topic === value) return;
        t.topic = value;
        message = this.addActivity(t, "TopicUpdate", viewer, now, value);
        break;
      case "joiningenabled": {
        const v = flag(value);
        if (t.joiningEnabled === v) return;
        t.joiningEnabled = v;
        message = this.addActivity(t, "JoiningEnabledUpdate", viewer, now, String(v));
        break;
      }
      case "historydisclosed": {
        const v = flag(value);
        if (t.historyDisclosed === v) return;
        t.historyDisclosed = v;
        message = this.addActivity(t, "HistoryDisclosedUpdate", viewer, now, String(v));
        break;
      }
      case "picture":
        if (t.extraProperties.picture === value) return;
        t.extraProperties.picture = value;
        message = this.addActivity(t, "PictureUpdate", viewer, now, value);
        break;
      case "description":
        if (t.extraProperties.description === value) return;
        t.extraProperties.description = value;
        this.#bumpThread(t, now);
        break;
      default:
        throw errors.badRequest(`Thread property '${name}' cannot be set.`);
    }
    this.#emitThreadUpdate(t);
    if (message) this.#emitNewMessage(t, message);
  }

  /** `GET /v1/threads/{id}/consumptionhorizons` (§2.11). Members who never read report "0". */
  consumptionHorizons(
    viewer: string,
    threadId: string,
  ): {
    id: string;
    version: string;
    consumptionhorizons: Array<{ id: string; consumptionhorizon: string; messageVisibilityTime: number }>;
  } {
    const t = threadId === "48:notes" ? this.notesOf(viewer) : this.thread(viewer, threadId);
    let version = t.version;
    for (const m of t.members.values()) version = Math.max(version, m.viewVersion);
    return {
      id: t.id,
      version: String(version),
      consumptionhorizons: [...t.members.values()].map((m) => ({
        id: m.mri,
        consumptionhorizon: m.horizon ?? "0",
        messageVisibilityTime: m.joinedAt,
      })),
    };
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
