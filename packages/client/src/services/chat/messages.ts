/**
 * Reading messages (PROTOCOL.md §2.6): an async-iterable pager over a conversation's history,
 * `get({count})` on top of it, one message by id, and the one batched name lookup that fills
 * missing sender names and renders activity lines.
 */
import { CHAT_PATHS, DEFAULT_MESSAGES_VIEW } from "@teams-api/protocol";
import { NotFoundError } from "../../errors.js";
import type { RequestOptions } from "../../http/types.js";
import type { Message, Person } from "../../models.js";
import { messageProperties, messageText, toMessage } from "../map.js";
import { requestOptions } from "../util.js";
import { checkConversationId, checkCount, checkMessageId } from "./checks.js";
import { CHAT_DEFAULTS, type ChatCore } from "./core.js";
import { rawPages, take, uniqueItems } from "./pager.js";

export interface ListMessagesOptions extends RequestOptions {
  /** Messages per request. @default 200 (the service's maximum) */
  pageSize?: number;
  /** Only messages that arrived after this (epoch ms). */
  startTime?: number;
  /** Only messages that arrived before this (epoch ms). */
  endTime?: number;
  /** Fill missing sender names and render activity lines ("Dana added Evan"), one lookup per page. @default true */
  resolveNames?: boolean;
}

export interface GetMessagesOptions extends ListMessagesOptions {
  /** How many to return, newest first; `Infinity` for the whole history. @default 50 */
  count?: number;
  /** @default min(count, 200) */
  pageSize?: number;
}

export class Messages {
  readonly #core: ChatCore;

  constructor(core: ChatCore) {
    this.#core = core;
  }

  /**
   * A conversation's messages, newest first, fetched page by page as the loop asks:
   * `for await (const m of client.chat.messages.list(id)) …`. Breaking out stops the requests.
   */
  list(conversationId: string, options: ListMessagesOptions = {}): AsyncGenerator<Message, void, undefined> {
    checkConversationId(conversationId);
    return this.#list(conversationId, options);
  }

  async *#list(conversationId: string, options: ListMessagesOptions): AsyncGenerator<Message, void, undefined> {
    yield* uniqueItems(
      this.raw(conversationId, options),
      (raw) => toMessage(raw, conversationId),
      options.resolveNames === false ? undefined : (page) => this.decorate(page),
    );
  }

  /** The raw wire pages of a conversation's history (for the delivery check, which needs no mapping). */
  async *raw(conversationId: string, options: ListMessagesOptions): AsyncGenerator<unknown[], void, undefined> {
    const core = this.#core;
    yield* rawPages(
      core,
      {
        url: await core.url(CHAT_PATHS.messages, { conversationId }, options),
        query: {
          view: DEFAULT_MESSAGES_VIEW,
          pageSize: options.pageSize ?? CHAT_DEFAULTS.messagesPageSize,
          startTime: options.startTime ?? 1,
          ...(options.endTime !== undefined ? { endTime: options.endTime } : {}),
        },
        key: "messages",
      },
      options,
    );
  }

  /** Messages, newest first, following older pages until `count` or the start of history. */
  async get(conversationId: string, options: GetMessagesOptions = {}): Promise<Message[]> {
    checkConversationId(conversationId);
    checkCount(options.count);
    const want = options.count ?? CHAT_DEFAULTS.messagesCount;
    const pageSize =
      options.pageSize ?? Math.min(Number.isFinite(want) ? want : Infinity, CHAT_DEFAULTS.messagesPageSize);
    // Names are looked up once for the whole result, not once per page.
    const messages = await take(this.#list(conversationId, { ...options, pageSize, resolveNames: false }), want);
    return options.resolveNames === false ? messages : this.decorate(messages);
  }

  /** One message by id, or NotFoundError. */
  async one(conversationId: string, messageId: string, options: RequestOptions = {}): Promise<Message> {
    checkConversationId(conversationId);
    checkMessageId(messageId);
    const ms = Number(messageId);
    // A window around the id (ids are arrival times) holds the message whatever the bounds' inclusivity.
    const around = await this.get(conversationId, {
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

  /**
   * Resolves every person the messages show — senders the service left unnamed, the people who
   * reacted, those mentioned, those an activity line names — in one batched lookup, and renders
   * system lines with real names. After this no `Person` in the messages has an empty name.
   */
  async decorate(messages: Message[]): Promise<Message[]> {
    const names = this.#core.names;
    names.rememberMessages(messages);
    const needed = new Set<string>();
    for (const m of messages) {
      if (!m.from.displayName && m.from.mri && !m.isSystem) needed.add(m.from.mri);
      if (m.activity && "initiator" in m.activity && m.activity.initiator) needed.add(m.activity.initiator);
      if (m.activity && "members" in m.activity) for (const t of m.activity.members) needed.add(t.mri);
      for (const r of m.reactions) for (const u of r.users) if (!names.has(u.mri)) needed.add(u.mri);
    }
    const resolved = needed.size ? await names.displayNames(needed) : new Map<string, string>();
    const person = (p: Person): Person =>
      p.displayName || !p.mri ? p : { mri: p.mri, displayName: resolved.get(p.mri) ?? names.peek(p.mri) };
    // Activity lines get "" for people nobody could name, so they use the name their event carries.
    const knownName = (mri: string): string => (names.has(mri) ? names.peek(mri) : "");
    return messages.map((m) => {
      let out: Message = { ...m, mentions: m.mentions.map(person) };
      if (!m.isSystem) out = { ...out, from: person(m.from) };
      if (m.reactions.length)
        out = { ...out, reactions: m.reactions.map((r) => ({ ...r, users: r.users.map(person) })) };
      if (m.isSystem && !m.isDeleted) {
        out = { ...out, text: messageText(m.messageType, m.content, messageProperties(m.raw), false, knownName) };
      }
      return out;
    });
  }
}
