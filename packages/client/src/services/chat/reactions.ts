/** Reactions (PROTOCOL.md §2.12): PUT adds, DELETE removes `properties?name=emotions` on a message. */
import { CHAT_PATHS, isValidReactionKey } from "@teams-api/protocol";
import { InvalidArgumentError } from "../../errors.js";
import type { RequestOptions } from "../../http/types.js";
import { checkConversationId, checkMessageId } from "./checks.js";
import type { ChatCore } from "./core.js";

export class Reactions {
  readonly #core: ChatCore;

  constructor(core: ChatCore) {
    this.#core = core;
  }

  /** Adds your reaction (idempotent). */
  async add(conversationId: string, messageId: string, key: string, options: RequestOptions = {}): Promise<void> {
    await this.#set("PUT", conversationId, messageId, { key, value: this.#core.ctx.now() }, options);
  }

  /** Removes your reaction (idempotent). */
  async remove(conversationId: string, messageId: string, key: string, options: RequestOptions = {}): Promise<void> {
    await this.#set("DELETE", conversationId, messageId, { key }, options);
  }

  async #set(
    method: "PUT" | "DELETE",
    conversationId: string,
    messageId: string,
    emotions: { key: string; value?: number },
    options: RequestOptions,
  ): Promise<void> {
    checkConversationId(conversationId);
    checkMessageId(messageId);
    const key = emotions.key;
    if (!isValidReactionKey(key)) {
      throw new InvalidArgumentError(`"${String(key)}" is not a reaction (e.g. like, heart, laugh, 1f525_fire).`);
    }
    const core = this.#core;
    await core.request(
      {
        method,
        url: await core.url(CHAT_PATHS.messageProperties, { conversationId, messageId }, options),
        query: { name: "emotions" },
        body: { emotions },
        responseType: "none",
      },
      options,
    );
  }
}
