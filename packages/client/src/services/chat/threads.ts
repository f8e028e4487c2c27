/**
 * Threads and members (PROTOCOL.md §2.11, §2.14): starting chats (1:1 get-or-create, group
 * threads), adding and removing members, the topic.
 */
import { CHAT_PATHS, conversationKind, mriKind, oneOnOneThreadId } from "@teams-api/protocol";
import { InvalidArgumentError, ProtocolError } from "../../errors.js";
import type { RequestOptions } from "../../http/types.js";
import type { CreatedChat, SentMessage } from "../../models.js";
import { requestOptions } from "../util.js";
import { checkContent, checkMri, checkThreadId, THREAD_ID } from "./checks.js";
import type { ChatCore } from "./core.js";
import type { MessageWriter, SendMessageOptions } from "./write.js";

export interface CreateChatOptions extends RequestOptions {
  topic?: string;
  /** First message; for a new 1:1 chat it is what creates the chat. */
  message?: string;
  messageOptions?: Omit<SendMessageOptions, keyof RequestOptions>;
}

export type MemberRole = "Admin" | "User";

export class Threads {
  readonly #core: ChatCore;
  readonly #writer: MessageWriter;

  constructor(core: ChatCore, writer: MessageWriter) {
    this.#core = core;
    this.#writer = writer;
  }

  /**
   * Starts a chat. One other person and no topic: their 1:1 chat (created by the first message, or
   * fetched/created when there is none). Otherwise a new group chat with you as admin.
   */
  async create(memberMris: readonly string[], options: CreateChatOptions = {}): Promise<CreatedChat> {
    if (!Array.isArray(memberMris) || memberMris.length === 0) {
      throw new InvalidArgumentError("A chat needs at least one other person.");
    }
    for (const m of memberMris) checkMri(m);
    if (options.message !== undefined) checkContent(options.message);
    if (options.topic !== undefined && typeof options.topic !== "string") {
      throw new InvalidArgumentError("topic must be text.");
    }
    const core = this.#core;
    const me = await core.self(options);
    const others = [...new Map(memberMris.map((m) => [m.toLowerCase(), m])).values()].filter(
      (m) => m.toLowerCase() !== me.mri.toLowerCase(),
    );
    if (others.length === 0) throw new InvalidArgumentError("A chat needs at least one other person.");
    const topic = options.topic?.trim() ?? "";
    const created = async (id: string): Promise<CreatedChat> => {
      const message: SentMessage | undefined =
        options.message === undefined
          ? undefined
          : await this.#writer.send(id, options.message, { ...options.messageOptions, ...requestOptions(options) });
      return { id, kind: conversationKind(id), ...(message ? { message } : {}) };
    };

    if (others.length === 1 && !topic) {
      const other = others[0]!;
      // Between two work accounts the 1:1 id is known, and the first message creates the chat.
      if (options.message !== undefined && mriKind(other) === "orgid" && mriKind(me.mri) === "orgid") {
        return created(oneOnOneThreadId(me.mri, other));
      }
      const res = await core.request<unknown>(
        {
          method: "PUT",
          url: await core.url(CHAT_PATHS.conversations, {}, options),
          body: { members: [{ mri: other, role: "Admin" }] },
          // Get-or-create: repeating it finds the same chat.
          idempotent: true,
        },
        options,
      );
      const b = res.body as { id?: unknown } | null;
      const id = b && typeof b === "object" && typeof b.id === "string" ? b.id : undefined;
      if (!id) throw new ProtocolError("The chat service created the chat but did not say its id.");
      return created(id);
    }

    const res = await core.request<unknown>(
      {
        method: "POST",
        url: await core.url(CHAT_PATHS.threads, {}, options),
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
    core.rosters.set(id, { at: core.ctx.now(), members: [me.mri, ...others] });
    return created(id);
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
    const core = this.#core;
    const url = await core.url(CHAT_PATHS.threadMember, { threadId, mri }, options);
    core.rosters.delete(threadId);
    await core.request({ method: "PUT", url, body: { role }, responseType: "none" }, options);
  }

  /** Removes someone from a group chat (yourself: leave). */
  async removeMember(threadId: string, mri: string, options: RequestOptions = {}): Promise<void> {
    checkThreadId(threadId);
    checkMri(mri);
    const core = this.#core;
    const url = await core.url(CHAT_PATHS.threadMember, { threadId, mri }, options);
    core.rosters.delete(threadId);
    await core.request({ method: "DELETE", url, responseType: "none" }, options);
  }

  /** Renames a group chat ("" clears the topic). */
  async setTopic(threadId: string, topic: string, options: RequestOptions = {}): Promise<void> {
    checkThreadId(threadId);
    if (typeof topic !== "string") throw new InvalidArgumentError("topic must be text.");
    const core = this.#core;
    await core.request(
      {
        method: "PUT",
        url: await core.url(CHAT_PATHS.threadProperties, { threadId }, options),
        query: { name: "topic" },
        body: { topic: topic.trim() },
        responseType: "none",
      },
      options,
    );
  }
}
