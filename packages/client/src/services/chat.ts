/**
 * The chat service (PROTOCOL.md §2): conversations, messages, sends, edits, reactions, read state,
 * threads and membership. Base URL from `regionGtms.chatService`; skypetoken auth.
 *
 * Sends are exactly-once under retries: every send carries a fresh `clientmessageid` reused on each
 * attempt, and after an ambiguous failure (5xx after the fact, reset, timeout) the transport asks
 * `confirmDelivered`, which looks for that id among the conversation's recent messages before any
 * retry (GUIDE §2, PROTOCOL.md §9.3).
 */
import { randomBytes } from "node:crypto";
import {
  conversationKind,
  DEFAULT_CONVERSATIONS_VIEW,
  DEFAULT_MESSAGES_VIEW,
  DEFAULT_TARGET_TYPE,
  encodePathId,
  mriKind,
  oneOnOneThreadId,
  parseReplyChainId,
  replyChainId,
  toTeamsTimestamp,
  type WireSendMessageRequest,
} from "@teams-api/protocol";
import {
  ConnectionError,
  InvalidArgumentError,
  NotFoundError,
  ProtocolError,
  ServerError,
  TimeoutError,
} from "../errors.js";
import type { ApiRequest, ApiResponse, RequestOptions, ServiceContext } from "../http/types.js";
import type {
  ConsumptionHorizon,
  Conversation,
  ConversationDetails,
  CreatedChat,
  Message,
  SentMessage,
} from "../models.js";
import { buildReplyQuote, composeHtml, composeText, escapeHtml, looksLikeHtml, type MentionInput } from "./content.js";
import {
  messageProperties,
  messageText,
  msFrom,
  toConversation,
  toConversationDetails,
  toHorizons,
  toMember,
  toMessage,
} from "./map.js";
import { MiddleTierService } from "./middle-tier.js";
import { NameResolver } from "./names.js";
import { requestOptions } from "./util.js";

export const CHAT_DEFAULTS = {
  /** Conversations returned by getConversations. */
  conversationsCount: 50,
  /** Messages returned by getMessages. */
  messagesCount: 50,
  conversationsPageSize: 100,
  /** The service's reported maximum. */
  messagesPageSize: 200,
  /** At most one typing indicator per conversation in this window (§2.10: typing lasts ~15–20 s). */
  typingIntervalMs: 15_000,
  /** How far back (server clock vs ours) a delivery check looks for a send's clientmessageid. */
  confirmSkewMs: 5 * 60_000,
  /** Pages a delivery check reads before concluding the message did not land. */
  confirmMaxPages: 25,
  /** How long a thread roster is reused for titles. */
  rosterTtlMs: 60_000,
} as const;

export interface GetConversationsOptions extends RequestOptions {
  /** How many to return (newest activity first); pages are followed until reached. @default 50 */
  count?: number;
  /** @default 100 */
  pageSize?: number;
  /** Only conversations with activity after this (epoch ms). @default 0 (all) */
  startTime?: number;
  /** Fill `title` from member names for untitled chats (extra requests). @default true */
  resolveTitles?: boolean;
}

export interface GetMessagesOptions extends RequestOptions {
  /** How many to return, newest first; `Infinity` for the whole history. @default 50 */
  count?: number;
  /** @default min(count, 200) */
  pageSize?: number;
  /** Only messages that arrived after this (epoch ms). */
  startTime?: number;
  /** Only messages that arrived before this (epoch ms). */
  endTime?: number;
  /** Fill missing sender names and render activity lines ("Dana added Evan"). @default true */
  resolveNames?: boolean;
}

export interface ComposeOptions {
  /** `RichText/Html` (Teams' own) or `Text`. @default "RichText/Html" */
  messageType?: "RichText/Html" | "Text";
  /**
   * How to read `content`: `"html"` as Teams HTML, `"text"` as typed text (converted to HTML),
   * `"auto"`: HTML when it starts with a tag, else text. @default "auto"
   */
  format?: "auto" | "html" | "text";
  /** People to mention; `@Display Name` in the text becomes the mention, else it is prepended. */
  mentions?: MentionInput[];
}

export interface SendMessageOptions extends RequestOptions, ComposeOptions {
  /** Idempotency key; a fresh numeric id by default, reused on every retry. */
  clientMessageId?: string;
  importance?: "" | "high" | "urgent";
  subject?: string;
  /** AMS object ids of inline images (§5.5). */
  amsReferences?: string[];
}

export interface CreateChatOptions extends RequestOptions {
  topic?: string;
  /** First message; for a new 1:1 chat it is what creates the chat. */
  message?: string;
  messageOptions?: Omit<SendMessageOptions, keyof RequestOptions>;
}

export type MemberRole = "Admin" | "User";

const CONVERSATION_ID = /^(19:[^\s/?#]+|48:[A-Za-z0-9_.-]+|[12348]:[^\s/?#]+|28:[^\s/?#]+)$/;
const THREAD_ID = /^19:[^\s/?#;]+$/;
const MESSAGE_ID = /^\d{1,20}$/;
const MRI = /^(8|28|4|2|1):[^\s/?#;]+$/;
const REACTION_KEY = /^[A-Za-z0-9_-]{1,64}(;[A-Za-z0-9_.-]{1,200})?$/;
const CLIENT_MESSAGE_ID = /^[A-Za-z0-9_-]{1,64}$/;

function checkConversationId(id: unknown): asserts id is string {
  if (typeof id !== "string" || !CONVERSATION_ID.test(id)) {
    throw new InvalidArgumentError(`That is not a conversation id (expected 19:…, 48:… or 8:…).`);
  }
}
function checkThreadId(id: unknown): asserts id is string {
  if (typeof id !== "string" || !THREAD_ID.test(id)) {
    throw new InvalidArgumentError(`That is not a group chat or channel id (expected 19:…).`);
  }
}
function checkMessageId(id: unknown): asserts id is string {
  if (typeof id !== "string" || !MESSAGE_ID.test(id)) {
    throw new InvalidArgumentError(`That is not a message id (expected the numeric server id).`);
  }
}
function checkMri(mri: unknown): asserts mri is string {
  if (typeof mri !== "string" || !MRI.test(mri)) {
    throw new InvalidArgumentError(`That is not a user id (expected 8:orgid:…, 8:live:… or 28:…).`);
  }
}
function checkContent(content: unknown): asserts content is string {
  if (typeof content !== "string" || content.trim() === "") {
    throw new InvalidArgumentError("A message cannot be empty.");
  }
}
function checkCount(count: number | undefined): void {
  if (count !== undefined && !(count > 0)) throw new InvalidArgumentError("count must be a positive number.");
}

/** A fresh clientmessageid: a 19-digit numeric string, like the web client's. */
/** Random bytes drawn 2 KiB at a time: a send needs 8, and one syscall per send shows in the send benchmark. */
let idPool = Buffer.alloc(0);
let idPoolOffset = 0;

export function newClientMessageId(): string {
  if (idPoolOffset + 8 > idPool.length) {
    idPool = randomBytes(2048);
    idPoolOffset = 0;
  }
  const n = idPool.readBigUInt64BE(idPoolOffset) % 9_000_000_000_000_000_000n;
  idPoolOffset += 8;
  return (n + 1_000_000_000_000_000_000n).toString();
}

/** A failure after which a request may or may not have been processed. */
function isAmbiguous(err: unknown): boolean {
  return (
    err instanceof ConnectionError || err instanceof TimeoutError || (err instanceof ServerError && err.status !== 501)
  );
}

export interface ChatServiceOptions {
  /** Name resolution for titles and activity lines; created on demand when not given. */
  names?: NameResolver;
}

export class ChatService {
  readonly #ctx: ServiceContext;
  readonly #names: NameResolver;
  readonly #typingSentAt = new Map<string, number>();
  readonly #rosters = new Map<string, { at: number; members: string[] }>();

  constructor(context: ServiceContext, options: ChatServiceOptions = {}) {
    this.#ctx = context;
    this.#names =
      options.names ??
      new NameResolver(context, {
        middleTier: new MiddleTierService(context),
        threadMembers: (id, o) => this.threadMembers(id, o),
      });
  }

  // ── Plumbing ──────────────────────────────────────────────────────────────────────────────────

  async #v1(options: RequestOptions): Promise<string> {
    const gtms = await this.#ctx.endpoints(options);
    return `${gtms.chatService.replace(/\/+$/, "")}/v1`;
  }

  #conversationUrl(v1: string, id: string): string {
    return `${v1}/users/ME/conversations/${encodePathId(id)}`;
  }

  #request<T>(req: Omit<ApiRequest, "auth">, options: RequestOptions): Promise<ApiResponse<T>> {
    return this.#ctx.transport.request<T>({ ...requestOptions(options), ...req, auth: { kind: "skypetoken" } });
  }

  /**
   * A paging link from the service, re-rooted on our own chat service base: a token is only ever
   * sent to the host regionGtms names, whatever host the link mentions.
   */
  #followLink(link: string, v1: string): string {
    let url: URL;
    try {
      url = new URL(link, v1);
    } catch {
      throw new ProtocolError("The chat service sent a paging link that is not a URL.");
    }
    const idx = url.pathname.indexOf("/v1/");
    if (idx < 0) throw new ProtocolError("The chat service sent a paging link outside its API.");
    return `${v1}${url.pathname.slice(idx + 3)}${url.search}`;
  }

  async #self(options: RequestOptions): Promise<{ mri: string; displayName: string }> {
    const me = await this.#ctx.identity(options);
    return { mri: me.mri, displayName: me.displayName };
  }

  /** Conversation list or message list pages, following `_metadata.backwardLink` until `want` items. */
  async #pages(
    firstUrl: string,
    query: ApiRequest["query"],
    key: "conversations" | "messages",
    want: number,
    options: RequestOptions,
    v1: string,
    onPage?: (items: unknown[]) => boolean,
  ): Promise<unknown[]> {
    const items: unknown[] = [];
    const seenLinks = new Set<string>();
    let url: string | undefined = firstUrl;
    let q: ApiRequest["query"] = query;
    while (url && items.length < want) {
      const res: ApiResponse<unknown> = await this.#request<unknown>(
        { method: "GET", url, ...(q ? { query: q } : {}) },
        options,
      );
      const body = res.body as Record<string, unknown> | null;
      if (!body || typeof body !== "object" || !Array.isArray(body[key])) {
        throw new ProtocolError(`The chat service sent a ${key} page in an unexpected shape.`);
      }
      const page = body[key] as unknown[];
      items.push(...page);
      if (onPage?.(page)) break;
      const meta = body["_metadata"] as Record<string, unknown> | undefined;
      const link = meta && typeof meta["backwardLink"] === "string" ? meta["backwardLink"] : "";
      if (!link || page.length === 0 || seenLinks.has(link)) break;
      seenLinks.add(link);
      url = this.#followLink(link, v1);
      q = undefined;
    }
    return items;
  }

  /** Adds names the service left out and renders system lines with real names, in one batched lookup. */
  async #decorate(messages: Message[]): Promise<Message[]> {
    this.#names.rememberMessages(messages);
    const needed = new Set<string>();
    for (const m of messages) {
      if (!m.from.displayName && m.from.mri && !m.isSystem) needed.add(m.from.mri);
      if (m.activity && "initiator" in m.activity && m.activity.initiator) needed.add(m.activity.initiator);
      if (m.activity && "members" in m.activity) for (const t of m.activity.members) needed.add(t.mri);
    }
    const names = needed.size ? await this.#names.displayNames(needed) : new Map<string, string>();
    // Activity lines get "" for people nobody could name, so they use the name their event carries.
    const knownName = (mri: string): string => (this.#names.has(mri) ? this.#names.peek(mri) : "");
    return messages.map((m) => {
      let out = m;
      if (!m.from.displayName && m.from.mri && !m.isSystem) {
        out = { ...out, from: { ...m.from, displayName: names.get(m.from.mri) ?? this.#names.peek(m.from.mri) } };
      }
      if (m.isSystem && !m.isDeleted) {
        out = { ...out, text: messageText(m.messageType, m.content, messageProperties(m.raw), false, knownName) };
      }
      return out;
    });
  }

  // ── Issue A: reading and sending ─────────────────────────────────────────────────────────────────

  /** Recent conversations, newest activity first, following pages until `count`. */
  async getConversations(options: GetConversationsOptions = {}): Promise<Conversation[]> {
    checkCount(options.count);
    const want = options.count ?? CHAT_DEFAULTS.conversationsCount;
    const pageSize =
      options.pageSize ?? Math.min(Number.isFinite(want) ? want : Infinity, CHAT_DEFAULTS.conversationsPageSize);
    const v1 = await this.#v1(options);
    const raw = await this.#pages(
      `${v1}/users/ME/conversations`,
      {
        view: DEFAULT_CONVERSATIONS_VIEW,
        pageSize,
        startTime: options.startTime ?? 0,
        targetType: DEFAULT_TARGET_TYPE,
      },
      "conversations",
      want,
      options,
      v1,
    );
    const self = (await this.#self(options)).mri;
    const seen = new Set<string>();
    const list: Conversation[] = [];
    for (const r of raw) {
      const c = toConversation(r, self);
      if (seen.has(c.id)) continue;
      seen.add(c.id);
      list.push(c);
      if (list.length >= want) break;
    }
    if (options.resolveTitles !== false) await this.#names.fillTitles(list, options);
    return list;
  }

  /** One conversation with its roster and roles (from the thread, when it is one). */
  async getConversationDetails(id: string, options: RequestOptions = {}): Promise<ConversationDetails> {
    checkConversationId(id);
    const v1 = await this.#v1(options);
    const isThread = id.startsWith("19:");
    const [convRes, thread] = await Promise.all([
      this.#request<unknown>({ method: "GET", url: this.#conversationUrl(v1, id) }, options),
      isThread ? this.#getThread(v1, parseReplyChainId(id).threadId, options) : Promise.resolve(undefined),
    ]);
    const self = (await this.#self(options)).mri;
    const details = toConversationDetails(toConversation(convRes.body, self), thread);
    if (details.members.length) {
      this.#rosters.set(details.id, { at: this.#ctx.now(), members: details.members.map((m) => m.mri) });
      for (const m of details.members) this.#names.remember(m.mri, m.displayName);
      const names = await this.#names.displayNames(details.members.map((m) => m.mri));
      const members = details.members.map((m) => ({ ...m, displayName: names.get(m.mri) ?? m.displayName ?? "" }));
      const withMembers: ConversationDetails = { ...details, members };
      withMembers.title = await this.#names.conversationTitle(withMembers, options);
      return withMembers;
    }
    details.title = await this.#names.conversationTitle(details, options);
    return details;
  }

  async #getThread(v1: string, threadId: string, options: RequestOptions): Promise<unknown> {
    try {
      const res = await this.#request<unknown>(
        { method: "GET", url: `${v1}/threads/${encodePathId(threadId)}`, query: { view: "msnp24Equivalent" } },
        options,
      );
      return res.body;
    } catch (err) {
      // A 1:1 chat that exists as a conversation may have no thread resource yet.
      if (err instanceof NotFoundError && threadId.endsWith("@unq.gbl.spaces")) return undefined;
      throw err;
    }
  }

  /** MRIs of a thread's members (cached briefly; used for titles). */
  async threadMembers(id: string, options: RequestOptions = {}): Promise<string[]> {
    checkThreadId(parseReplyChainId(id).threadId);
    const cached = this.#rosters.get(id);
    if (cached && this.#ctx.now() - cached.at < CHAT_DEFAULTS.rosterTtlMs) return cached.members;
    const thread = (await this.#getThread(await this.#v1(options), parseReplyChainId(id).threadId, options)) as
      | { members?: unknown }
      | undefined;
    if (thread !== undefined && (typeof thread !== "object" || thread === null || !Array.isArray(thread.members))) {
      throw new ProtocolError("The chat service sent a thread in an unexpected shape.");
    }
    const members = (thread?.members as unknown[] | undefined)?.map(toMember).filter((m) => m !== undefined) ?? [];
    for (const m of members) this.#names.remember(m.mri, m.displayName);
    const mris = members.map((m) => m.mri);
    this.#rosters.set(id, { at: this.#ctx.now(), members: mris });
    return mris;
  }

  /** Messages, newest first, following older pages until `count` or the start of history. */
  async getMessages(id: string, options: GetMessagesOptions = {}): Promise<Message[]> {
    checkConversationId(id);
    checkCount(options.count);
    const want = options.count ?? CHAT_DEFAULTS.messagesCount;
    const pageSize =
      options.pageSize ?? Math.min(Number.isFinite(want) ? want : Infinity, CHAT_DEFAULTS.messagesPageSize);
    const v1 = await this.#v1(options);
    const raw = await this.#pages(
      `${this.#conversationUrl(v1, id)}/messages`,
      {
        view: DEFAULT_MESSAGES_VIEW,
        pageSize,
        startTime: options.startTime ?? 1,
        ...(options.endTime !== undefined ? { endTime: options.endTime } : {}),
      },
      "messages",
      want,
      options,
      v1,
    );
    const seen = new Set<string>();
    const messages: Message[] = [];
    for (const r of raw) {
      const m = toMessage(r, id);
      if (seen.has(m.id)) continue;
      seen.add(m.id);
      messages.push(m);
      if (messages.length >= want) break;
    }
    return options.resolveNames === false ? messages : this.#decorate(messages);
  }

  /** One message by id, or NotFoundError. */
  async getMessage(conversationId: string, messageId: string, options: RequestOptions = {}): Promise<Message> {
    checkConversationId(conversationId);
    checkMessageId(messageId);
    const ms = Number(messageId);
    // A window around the id (ids are arrival times) holds the message whatever the bounds' inclusivity.
    const around = await this.getMessages(conversationId, {
      ...requestOptions(options),
      count: 50,
      pageSize: 50,
      startTime: Math.max(1, ms - 1),
      endTime: ms + 1,
    });
    const found = around.find((m) => m.id === messageId);
    if (!found) {
      throw new NotFoundError("not_found", `That message was not found in this conversation.`, { status: 404 });
    }
    return found;
  }

  /** Turns caller content into the body's content per §2.8. */
  #compose(content: string, opts: ComposeOptions): { content: string; messagetype: string; mentions?: string } {
    const messageType = opts.messageType ?? "RichText/Html";
    if (messageType !== "RichText/Html" && messageType !== "Text") {
      throw new InvalidArgumentError(`messageType must be "RichText/Html" or "Text".`);
    }
    if (messageType === "Text") {
      if (opts.mentions?.length) throw new InvalidArgumentError("Mentions need messageType RichText/Html.");
      return { content: escapeHtml(content), messagetype: "Text" };
    }
    for (const m of opts.mentions ?? []) {
      checkMri(m?.mri);
      if (typeof m.displayName !== "string" || m.displayName.trim() === "") {
        throw new InvalidArgumentError("A mention needs a display name.");
      }
    }
    const format = opts.format ?? "auto";
    const composed =
      format === "html" || (format === "auto" && looksLikeHtml(content))
        ? composeHtml(content, opts.mentions)
        : composeText(content, opts.mentions);
    return {
      content: composed.html,
      messagetype: "RichText/Html",
      ...(composed.mentions ? { mentions: composed.mentions } : {}),
    };
  }

  /**
   * Sends a message. Retried safely: the clientmessageid is reused on every attempt, and after an
   * ambiguous failure the conversation is checked for it before sending again — never lost, never
   * duplicated. Returns the server id from `OriginalArrivalTime`.
   */
  async sendMessage(conversationId: string, content: string, options: SendMessageOptions = {}): Promise<SentMessage> {
    checkConversationId(conversationId);
    checkContent(content);
    return this.#sendComposed(conversationId, this.#compose(content, options), options);
  }

  /**
   * Sends a message whose body another service composed (the media service's file and image
   * messages), through the same exactly-once path as every send.
   */
  sendComposed(
    conversationId: string,
    composed: { content: string; messagetype: string; amsreferences?: string[] },
    options: SendMessageOptions = {},
  ): Promise<SentMessage> {
    checkConversationId(conversationId);
    return this.#sendComposed(conversationId, composed, {
      ...options,
      ...(composed.amsreferences ? { amsReferences: composed.amsreferences } : {}),
    });
  }

  async #sendComposed(
    conversationId: string,
    composed: { content: string; messagetype: string; mentions?: string },
    options: SendMessageOptions,
  ): Promise<SentMessage> {
    const clientMessageId = options.clientMessageId ?? newClientMessageId();
    if (!CLIENT_MESSAGE_ID.test(clientMessageId)) {
      throw new InvalidArgumentError("clientMessageId must be 1–64 letters, digits, '-' or '_'.");
    }
    const me = await this.#self(options);
    const properties: Record<string, string> = {};
    if (options.importance !== undefined) properties["importance"] = options.importance;
    if (options.subject !== undefined) properties["subject"] = options.subject;
    if (composed.mentions) properties["mentions"] = composed.mentions;
    const body: WireSendMessageRequest = {
      content: composed.content,
      messagetype: composed.messagetype,
      contenttype: "text",
      clientmessageid: clientMessageId,
      // Without it other clients show a blank sender (§9.4 #13).
      imdisplayname: me.displayName,
      composetime: toTeamsTimestamp(this.#ctx.now()),
      ...(Object.keys(properties).length ? { properties } : {}),
      ...(options.amsReferences?.length ? { amsreferences: options.amsReferences } : {}),
    };
    return this.#postMessage(conversationId, body, options);
  }

  async #postMessage(
    conversationId: string,
    body: WireSendMessageRequest,
    options: RequestOptions,
  ): Promise<SentMessage> {
    const clientMessageId = body.clientmessageid!;
    const v1 = await this.#v1(options);
    const since = this.#ctx.now() - CHAT_DEFAULTS.confirmSkewMs;
    let echoed: Message | undefined;
    const confirmDelivered = async (): Promise<boolean> => {
      echoed = await this.#findSent(conversationId, clientMessageId, since, options);
      return echoed !== undefined;
    };
    let res: ApiResponse<unknown>;
    try {
      res = await this.#request<unknown>(
        {
          method: "POST",
          url: `${this.#conversationUrl(v1, conversationId)}/messages`,
          body,
          idempotent: false,
          confirmDelivered,
        },
        options,
      );
    } catch (err) {
      // Out of retries after an ambiguous failure (5xx, reset, timeout): the last attempt may still
      // have landed. Say "sent" when it did, so a caller who retries does not send it twice.
      if (!isAmbiguous(err) || options.signal?.aborted) throw err;
      let delivered = false;
      try {
        delivered = await confirmDelivered();
      } catch {
        throw err;
      }
      if (!delivered || !echoed) throw err;
      return { id: echoed.id, clientMessageId, conversationId, arrivalTime: echoed.arrivedAt };
    }
    if (res.confirmedByEcho || (echoed && res.status >= 300)) {
      if (!echoed) throw new ProtocolError("The send was confirmed but its message was not found.");
      return { id: echoed.id, clientMessageId, conversationId, arrivalTime: echoed.arrivedAt };
    }
    const b = res.body as Record<string, unknown> | null | undefined;
    // OriginalArrivalTime is the id; a body `id` may just echo the clientmessageid (§2.8).
    let ms = b && typeof b === "object" ? msFrom(b["OriginalArrivalTime"]) : undefined;
    let id = ms !== undefined ? String(ms) : undefined;
    if (id === undefined) {
      const location = res.headers.get("location") ?? "";
      const last = /\/messages\/(\d+)(?:[?#]|$)/.exec(location)?.[1];
      if (last) {
        id = last;
        ms = Number(last);
      }
    }
    if (id === undefined || ms === undefined) {
      throw new ProtocolError("The chat service accepted the message but did not say its id.");
    }
    return { id, clientMessageId, conversationId, arrivalTime: new Date(ms) };
  }

  /** Looks for a clientmessageid among messages that arrived since `since`. */
  async #findSent(
    conversationId: string,
    clientMessageId: string,
    since: number,
    options: RequestOptions,
  ): Promise<Message | undefined> {
    const v1 = await this.#v1(options);
    let found: Message | undefined;
    try {
      await this.#pages(
        `${this.#conversationUrl(v1, conversationId)}/messages`,
        { view: DEFAULT_MESSAGES_VIEW, pageSize: CHAT_DEFAULTS.messagesPageSize, startTime: Math.max(1, since) },
        "messages",
        CHAT_DEFAULTS.messagesPageSize * CHAT_DEFAULTS.confirmMaxPages,
        options,
        v1,
        (page) => {
          for (const raw of page) {
            const r = raw as { clientmessageid?: unknown } | null;
            if (r && typeof r === "object" && String(r.clientmessageid) === clientMessageId) {
              found = toMessage(raw, conversationId);
              return true;
            }
          }
          return false;
        },
      );
    } catch (err) {
      // A 1:1 chat whose creating send never landed does not exist yet: not delivered.
      if (err instanceof NotFoundError) return undefined;
      throw err;
    }
    return found;
  }

  // ── Issue B: replies, edits, reactions, read state, threads ────────────────────────────────────

  /**
   * Replies to a message. In a channel the reply joins the post's reply chain
   * (`<channel>;messageid=<root>`); in a chat it is a quote-reply: the Reply blockquote (author,
   * time, preview) then the text.
   */
  async sendReply(
    conversationId: string,
    messageId: string,
    content: string,
    options: SendMessageOptions = {},
  ): Promise<SentMessage> {
    checkConversationId(conversationId);
    checkMessageId(messageId);
    checkContent(content);
    const { threadId, rootMessageId } = parseReplyChainId(conversationId);
    if (conversationKind(threadId) === "channel") {
      // Replying to a reply joins its root's chain.
      const root = rootMessageId ?? (await this.getMessage(threadId, messageId, options)).rootMessageId ?? messageId;
      return this.sendMessage(replyChainId(threadId, root), content, options);
    }
    const quoted = await this.getMessage(conversationId, messageId, options);
    if (quoted.isSystem) throw new InvalidArgumentError("That is a system message; it cannot be replied to.");
    const authorName = quoted.from.displayName || (await this.#names.displayName(quoted.from.mri));
    const reply = this.#compose(content, { ...options, messageType: "RichText/Html" });
    const quote = buildReplyQuote({
      messageId: quoted.id,
      authorMri: quoted.from.mri,
      authorName,
      preview: quoted.isDeleted ? "This message has been deleted." : quoted.text,
    });
    return this.#sendComposed(conversationId, { ...reply, content: quote + reply.content }, options);
  }

  /** Replaces a message's content (only your own). */
  async editMessage(
    conversationId: string,
    messageId: string,
    content: string,
    options: RequestOptions & ComposeOptions = {},
  ): Promise<void> {
    checkConversationId(conversationId);
    checkMessageId(messageId);
    checkContent(content);
    const composed = this.#compose(content, options);
    const me = await this.#self(options);
    const v1 = await this.#v1(options);
    await this.#request(
      {
        method: "PUT",
        url: `${this.#conversationUrl(v1, conversationId)}/messages/${messageId}`,
        body: {
          content: composed.content,
          messagetype: composed.messagetype,
          contenttype: "text",
          imdisplayname: me.displayName,
          skypeeditedid: messageId,
          ...(composed.mentions ? { properties: { mentions: composed.mentions } } : {}),
        },
      },
      options,
    );
  }

  /** Deletes a message (only your own); it stays as a tombstone with `deletedAt`. */
  async deleteMessage(conversationId: string, messageId: string, options: RequestOptions = {}): Promise<void> {
    checkConversationId(conversationId);
    checkMessageId(messageId);
    const v1 = await this.#v1(options);
    await this.#request(
      {
        method: "DELETE",
        url: `${this.#conversationUrl(v1, conversationId)}/messages/${messageId}`,
        responseType: "none",
      },
      options,
    );
  }

  /**
   * Tells the others you are typing. At most once per 15 s per conversation: a call within the
   * window is a no-op and returns false.
   */
  async sendTypingIndicator(conversationId: string, options: RequestOptions = {}): Promise<boolean> {
    checkConversationId(conversationId);
    const now = this.#ctx.now();
    const last = this.#typingSentAt.get(conversationId);
    if (last !== undefined && now - last < CHAT_DEFAULTS.typingIntervalMs) return false;
    this.#typingSentAt.set(conversationId, now);
    try {
      const v1 = await this.#v1(options);
      await this.#request(
        {
          method: "POST",
          url: `${this.#conversationUrl(v1, conversationId)}/messages`,
          body: { content: "", messagetype: "Control/Typing", contenttype: "Application/Message" },
          // A repeated typing signal is harmless.
          idempotent: true,
        },
        options,
      );
      return true;
    } catch (err) {
      if (this.#typingSentAt.get(conversationId) === now) this.#typingSentAt.delete(conversationId);
      throw err;
    }
  }

  /**
   * Marks the conversation read up to a message (default: the newest). Returns the message id
   * marked, or undefined for an empty conversation.
   */
  async setConsumptionHorizon(
    conversationId: string,
    messageId?: string,
    options: RequestOptions = {},
  ): Promise<string | undefined> {
    checkConversationId(conversationId);
    if (messageId !== undefined) checkMessageId(messageId);
    let mid = messageId;
    let cmid = "0";
    if (mid === undefined) {
      const [newest] = await this.getMessages(conversationId, {
        ...requestOptions(options),
        count: 1,
        resolveNames: false,
      });
      if (!newest) return undefined;
      mid = newest.id;
      cmid = newest.clientMessageId ?? "0";
    }
    const v1 = await this.#v1(options);
    await this.#request(
      {
        method: "PUT",
        url: `${this.#conversationUrl(v1, conversationId)}/properties`,
        query: { name: "consumptionhorizon" },
        body: { consumptionhorizon: `${mid};${this.#ctx.now()};${cmid}` },
        responseType: "none",
      },
      options,
    );
    return mid;
  }

  /** Marks the conversation unread from a message on (the web client's "mark as unread"). */
  async markUnread(conversationId: string, messageId: string, options: RequestOptions = {}): Promise<void> {
    checkConversationId(conversationId);
    checkMessageId(messageId);
    const now = this.#ctx.now();
    const v1 = await this.#v1(options);
    await this.#request(
      {
        method: "PUT",
        url: `${this.#conversationUrl(v1, conversationId)}/properties`,
        query: { name: "consumptionHorizonBookmark" },
        body: { consumptionHorizonBookmark: `${now};${now};${messageId}` },
        responseType: "none",
      },
      options,
    );
  }

  /** Every member's read position. */
  async getConsumptionHorizons(conversationId: string, options: RequestOptions = {}): Promise<ConsumptionHorizon[]> {
    checkConversationId(conversationId);
    const v1 = await this.#v1(options);
    const res = await this.#request<unknown>(
      {
        method: "GET",
        url: `${v1}/threads/${encodePathId(parseReplyChainId(conversationId).threadId)}/consumptionhorizons`,
      },
      options,
    );
    return toHorizons(res.body);
  }

  #checkReaction(conversationId: string, messageId: string, key: string): void {
    checkConversationId(conversationId);
    checkMessageId(messageId);
    if (typeof key !== "string" || !REACTION_KEY.test(key) || key === "follow") {
      throw new InvalidArgumentError(`"${String(key)}" is not a reaction (e.g. like, heart, laugh, 1f525_fire).`);
    }
  }

  /** Adds your reaction (idempotent). */
  async addReaction(
    conversationId: string,
    messageId: string,
    key: string,
    options: RequestOptions = {},
  ): Promise<void> {
    await this.#setReaction("PUT", conversationId, messageId, { key, value: this.#ctx.now() }, options);
  }

  /** Removes your reaction (idempotent). */
  async removeReaction(
    conversationId: string,
    messageId: string,
    key: string,
    options: RequestOptions = {},
  ): Promise<void> {
    await this.#setReaction("DELETE", conversationId, messageId, { key }, options);
  }

  /** PUT adds, DELETE removes: `properties?name=emotions` (§2.12). */
  async #setReaction(
    method: "PUT" | "DELETE",
    conversationId: string,
    messageId: string,
    emotions: { key: string; value?: number },
    options: RequestOptions,
  ): Promise<void> {
    this.#checkReaction(conversationId, messageId, emotions.key);
    const v1 = await this.#v1(options);
    await this.#request(
      {
        method,
        url: `${this.#conversationUrl(v1, conversationId)}/messages/${messageId}/properties`,
        query: { name: "emotions" },
        body: { emotions },
        responseType: "none",
      },
      options,
    );
  }

  /**
   * Starts a chat. One other person and no topic: their 1:1 chat (created by the first message, or
   * fetched/created when there is none). Otherwise a new group chat with you as admin.
   */
  async createChat(memberMris: readonly string[], options: CreateChatOptions = {}): Promise<CreatedChat> {
    if (!Array.isArray(memberMris) || memberMris.length === 0) {
      throw new InvalidArgumentError("A chat needs at least one other person.");
    }
    for (const m of memberMris) checkMri(m);
    if (options.message !== undefined) checkContent(options.message);
    if (options.topic !== undefined && typeof options.topic !== "string") {
      throw new InvalidArgumentError("topic must be text.");
    }
    const me = await this.#self(options);
    const others = [...new Map(memberMris.map((m) => [m.toLowerCase(), m])).values()].filter(
      (m) => m.toLowerCase() !== me.mri.toLowerCase(),
    );
    if (others.length === 0) throw new InvalidArgumentError("A chat needs at least one other person.");
    const topic = options.topic?.trim() ?? "";
    const send = async (id: string): Promise<SentMessage | undefined> =>
      options.message === undefined
        ? undefined
        : this.sendMessage(id, options.message, { ...options.messageOptions, ...requestOptions(options) });

    if (others.length === 1 && !topic) {
      const other = others[0]!;
      if (mriKind(other) === "orgid" && mriKind(me.mri) === "orgid") {
        const id = oneOnOneThreadId(me.mri, other);
        if (options.message !== undefined) {
          const message = await send(id);
          return { id, kind: conversationKind(id), ...(message ? { message } : {}) };
        }
      }
      const v1 = await this.#v1(options);
      const res = await this.#request<unknown>(
        {
          method: "PUT",
          url: `${v1}/users/ME/conversations`,
          body: { members: [{ mri: other, role: "Admin" }] },
          // Get-or-create: repeating it finds the same chat.
          idempotent: true,
        },
        options,
      );
      const b = res.body as { id?: unknown } | null;
      const id = b && typeof b === "object" && typeof b.id === "string" ? b.id : undefined;
      if (!id) throw new ProtocolError("The chat service created the chat but did not say its id.");
      const message = await send(id);
      return { id, kind: conversationKind(id), ...(message ? { message } : {}) };
    }

    const v1 = await this.#v1(options);
    const res = await this.#request<unknown>(
      {
        method: "POST",
        url: `${v1}/threads`,
        body: {
          members: [{ id: me.mri, role: "Admin" }, ...others.map((id) => ({ id, role: "User" }))],
          properties: {
            threadType: "chat",
            ...(topic ? { topic } : {}),
            fixedRoster: false,
            uniquerosterthread: false,
            chatFilesIndexId: "2",
          },
        },
        // Not repeatable: a retry after an ambiguous failure could create a second chat.
        idempotent: false,
      },
      options,
    );
    const location = res.headers.get("location") ?? "";
    const tail = /\/threads\/([^/?#]+)/.exec(location)?.[1];
    let id: string | undefined;
    try {
      id = tail ? decodeURIComponent(tail) : undefined;
    } catch {
      id = undefined;
    }
    if (!id || !THREAD_ID.test(id))
      throw new ProtocolError("The chat service created the chat but did not say its id.");
    this.#rosters.set(id, { at: this.#ctx.now(), members: [me.mri, ...others] });
    const message = await send(id);
    return { id, kind: conversationKind(id), ...(message ? { message } : {}) };
  }

  /** Adds someone to a group chat. */
  async addMember(
    threadId: string,
    mri: string,
    role: MemberRole = "User",
    options: RequestOptions = {},
  ): Promise<void> {
    checkThreadId(threadId);
    checkMri(mri);
    if (role !== "User" && role !== "Admin") throw new InvalidArgumentError(`role must be "User" or "Admin".`);
    const v1 = await this.#v1(options);
    this.#rosters.delete(threadId);
    await this.#request(
      {
        method: "PUT",
        url: `${v1}/threads/${encodePathId(threadId)}/members/${encodePathId(mri)}`,
        body: { role },
        responseType: "none",
      },
      options,
    );
  }

  /** Removes someone from a group chat (yourself: leave). */
  async removeMember(threadId: string, mri: string, options: RequestOptions = {}): Promise<void> {
    checkThreadId(threadId);
    checkMri(mri);
    const v1 = await this.#v1(options);
    this.#rosters.delete(threadId);
    await this.#request(
      {
        method: "DELETE",
        url: `${v1}/threads/${encodePathId(threadId)}/members/${encodePathId(mri)}`,
        responseType: "none",
      },
      options,
    );
  }

  /** Renames a group chat ("" clears the topic). */
  async setTopic(threadId: string, topic: string, options: RequestOptions = {}): Promise<void> {
    checkThreadId(threadId);
    if (typeof topic !== "string") throw new InvalidArgumentError("topic must be text.");
    const v1 = await this.#v1(options);
    await this.#request(
      {
        method: "PUT",
        url: `${v1}/threads/${encodePathId(threadId)}/properties`,
        query: { name: "topic" },
        body: { topic: topic.trim() },
        responseType: "none",
      },
      options,
    );
  }
}
