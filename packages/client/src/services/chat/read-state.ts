/**
 * Read state and typing (PROTOCOL.md §2.10, §2.13): consumption horizons, "mark as unread", and
 * the typing indicator with its 15 s throttle.
 */
import { CHAT_PATHS, parseReplyChainId } from "@teams-api/protocol";
import type { RequestOptions } from "../../http/types.js";
import type { ConsumptionHorizon } from "../../models.js";
import { toHorizons } from "../map.js";
import { requestOptions } from "../util.js";
import { checkConversationId, checkMessageId } from "./checks.js";
import { CHAT_DEFAULTS, type ChatCore } from "./core.js";
import type { Messages } from "./messages.js";

export class ReadState {
  readonly #core: ChatCore;
  readonly #messages: Messages;
  readonly #typingSentAt = new Map<string, number>();

  constructor(core: ChatCore, messages: Messages) {
    this.#core = core;
    this.#messages = messages;
  }

  /**
   * Tells the others you are typing. At most once per 15 s per conversation: a call within the
   * window is a no-op and returns false.
   */
  async typing(conversationId: string, options: RequestOptions = {}): Promise<boolean> {
    checkConversationId(conversationId);
    const core = this.#core;
    const now = core.ctx.now();
    const last = this.#typingSentAt.get(conversationId);
    if (last !== undefined && now - last < CHAT_DEFAULTS.typingIntervalMs) return false;
    this.#typingSentAt.set(conversationId, now);
    try {
      await core.request(
        {
          method: "POST",
          url: await core.url(CHAT_PATHS.messages, { conversationId }, options),
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
  async markRead(
    conversationId: string,
    messageId?: string,
    options: RequestOptions = {},
  ): Promise<string | undefined> {
    checkConversationId(conversationId);
    if (messageId !== undefined) checkMessageId(messageId);
    let mid = messageId;
    let cmid = "0";
    if (mid === undefined) {
      const [newest] = await this.#messages.get(conversationId, {
        ...requestOptions(options),
        count: 1,
        resolveNames: false,
      });
      if (!newest) return undefined;
      mid = newest.id;
      cmid = newest.clientMessageId ?? "0";
    }
    const core = this.#core;
    await core.request(
      {
        method: "PUT",
        url: await core.url(CHAT_PATHS.conversationProperties, { conversationId }, options),
        query: { name: "consumptionhorizon" },
        body: { consumptionhorizon: `${mid};${core.ctx.now()};${cmid}` },
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
    const core = this.#core;
    const now = core.ctx.now();
    await core.request(
      {
        method: "PUT",
        url: await core.url(CHAT_PATHS.conversationProperties, { conversationId }, options),
        query: { name: "consumptionHorizonBookmark" },
        body: { consumptionHorizonBookmark: `${now};${now};${messageId}` },
        responseType: "none",
      },
      options,
    );
  }

  /** Every member's read position, each member named. */
  async horizons(conversationId: string, options: RequestOptions = {}): Promise<ConsumptionHorizon[]> {
    checkConversationId(conversationId);
    const core = this.#core;
    const threadId = parseReplyChainId(conversationId).threadId;
    const res = await core.request<unknown>(
      { method: "GET", url: await core.url(CHAT_PATHS.consumptionHorizons, { threadId }, options) },
      options,
    );
    const horizons = toHorizons(res.body);
    // Read receipts name people: one batched lookup for everyone in the list.
    const names = await core.names.displayNames(horizons.map((h) => h.mri));
    return horizons.map((h) => ({ ...h, displayName: names.get(h.mri) ?? core.names.peek(h.mri) }));
  }
}
