/**
 * Conversations (PROTOCOL.md §2.5, §2.11): the recent list, one conversation with its roster, and
 * thread rosters for titles.
 */
import { CHAT_PATHS, DEFAULT_CONVERSATIONS_VIEW, DEFAULT_TARGET_TYPE, parseReplyChainId } from "@teams-api/protocol";
import { NotFoundError, ProtocolError } from "../../errors.js";
import type { RequestOptions } from "../../http/types.js";
import type { Conversation, ConversationDetails } from "../../models.js";
import { toConversation, toConversationDetails, toMember } from "../map.js";
import { checkConversationId, checkCount, checkThreadId } from "./checks.js";
import { CHAT_DEFAULTS, type ChatCore } from "./core.js";
import { rawPages, take, uniqueItems } from "./pager.js";

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

export interface ListConversationsOptions extends RequestOptions {
  /** @default 100 */
  pageSize?: number;
  /** Only conversations with activity after this (epoch ms). @default 0 (all) */
  startTime?: number;
}

export class Conversations {
  readonly #core: ChatCore;

  constructor(core: ChatCore) {
    this.#core = core;
  }

  /** Every conversation, newest activity first, page by page as the loop asks (titles not filled). */
  async *list(options: ListConversationsOptions = {}): AsyncGenerator<Conversation, void, undefined> {
    const core = this.#core;
    const self = (await core.self(options)).mri;
    const pages = rawPages(
      core,
      {
        url: await core.url(CHAT_PATHS.conversations, {}, options),
        query: {
          view: DEFAULT_CONVERSATIONS_VIEW,
          pageSize: options.pageSize ?? CHAT_DEFAULTS.conversationsPageSize,
          startTime: options.startTime ?? 0,
          targetType: DEFAULT_TARGET_TYPE,
        },
        key: "conversations",
      },
      options,
    );
    yield* uniqueItems(pages, (raw) => toConversation(raw, self));
  }

  /** Recent conversations, newest activity first, following pages until `count`. */
  async get(options: GetConversationsOptions = {}): Promise<Conversation[]> {
    checkCount(options.count);
    const want = options.count ?? CHAT_DEFAULTS.conversationsCount;
    const pageSize =
      options.pageSize ?? Math.min(Number.isFinite(want) ? want : Infinity, CHAT_DEFAULTS.conversationsPageSize);
    const list = await take(this.list({ ...options, pageSize }), want);
    if (options.resolveTitles !== false) await this.#core.names.fillTitles(list, options);
    return list;
  }

  /** One conversation with its roster and roles (from the thread, when it is one). */
  async details(id: string, options: RequestOptions = {}): Promise<ConversationDetails> {
    checkConversationId(id);
    const core = this.#core;
    const isThread = id.startsWith("19:");
    const [convRes, thread] = await Promise.all([
      core.request<unknown>(
        { method: "GET", url: await core.url(CHAT_PATHS.conversation, { conversationId: id }, options) },
        options,
      ),
      isThread ? this.#thread(parseReplyChainId(id).threadId, options) : Promise.resolve(undefined),
    ]);
    const self = (await core.self(options)).mri;
    const details = toConversationDetails(toConversation(convRes.body, self), thread);
    if (details.members.length) {
      core.rosters.set(details.id, { at: core.ctx.now(), members: details.members.map((m) => m.mri) });
      for (const m of details.members) core.names.remember(m.mri, m.displayName);
      const names = await core.names.displayNames(details.members.map((m) => m.mri));
      const members = details.members.map((m) => ({ ...m, displayName: names.get(m.mri) ?? m.displayName ?? "" }));
      const withMembers: ConversationDetails = { ...details, members };
      withMembers.title = await core.names.conversationTitle(withMembers, options);
      return withMembers;
    }
    details.title = await core.names.conversationTitle(details, options);
    return details;
  }

  /** MRIs of a thread's members (cached briefly; used for titles). */
  async members(id: string, options: RequestOptions = {}): Promise<string[]> {
    const core = this.#core;
    const threadId = parseReplyChainId(id).threadId;
    checkThreadId(threadId);
    const cached = core.rosters.get(id);
    if (cached && core.ctx.now() - cached.at < CHAT_DEFAULTS.rosterTtlMs) return cached.members;
    const thread = (await this.#thread(threadId, options)) as { members?: unknown } | undefined;
    if (thread !== undefined && (typeof thread !== "object" || thread === null || !Array.isArray(thread.members))) {
      throw new ProtocolError("The chat service sent a thread in an unexpected shape.");
    }
    const members = (thread?.members as unknown[] | undefined)?.map(toMember).filter((m) => m !== undefined) ?? [];
    for (const m of members) core.names.remember(m.mri, m.displayName);
    const mris = members.map((m) => m.mri);
    core.rosters.set(id, { at: core.ctx.now(), members: mris });
    return mris;
  }

  async #thread(threadId: string, options: RequestOptions): Promise<unknown> {
    const core = this.#core;
    try {
      const res = await core.request<unknown>(
        {
          method: "GET",
          url: await core.url(CHAT_PATHS.thread, { threadId }, options),
          query: { view: "msnp24Equivalent" },
        },
        options,
      );
      return res.body;
    } catch (err) {
      // A 1:1 chat that exists as a conversation may have no thread resource yet.
      if (err instanceof NotFoundError && threadId.endsWith("@unq.gbl.spaces")) return undefined;
      throw err;
    }
  }
}
