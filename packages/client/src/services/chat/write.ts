/**
 * Writing messages (PROTOCOL.md §2.8–2.9): composing content from the caller's options, sends and
 * quote-replies (delivered exactly once by ./send.ts), edits and deletes.
 */
import {
  CHAT_PATHS,
  conversationKind,
  newClientMessageId,
  parseReplyChainId,
  replyChainId,
  toTeamsTimestamp,
} from "@teams-api/protocol";
import { InvalidArgumentError } from "../../errors.js";
import type { RequestOptions } from "../../http/types.js";
import type { SentMessage } from "../../models.js";
import { buildReplyQuote, composeHtml, composeText, escapeHtml, looksLikeHtml, type MentionInput } from "../content.js";
import {
  checkClientMessageId,
  checkContent,
  checkConversationId,
  checkMessageId,
  checkMessageSize,
  checkMri,
} from "./checks.js";
import type { ChatCore } from "./core.js";
import type { Messages } from "./messages.js";
import { deliver, type SendBody } from "./send.js";

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

interface Composed {
  content: string;
  messagetype: string;
  mentions?: string;
}

/** Turns caller content into the body's content per §2.8. */
export function compose(content: string, opts: ComposeOptions): Composed {
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

export class MessageWriter {
  readonly #core: ChatCore;
  readonly #messages: Messages;
  /** The last 1,000 clientmessageids this client sent: the realtime listener drops their echoes. */
  readonly sentIds = new Set<string>();

  constructor(core: ChatCore, messages: Messages) {
    this.#core = core;
    this.#messages = messages;
  }

  /**
   * Sends a message. Retried safely: the clientmessageid is reused on every attempt, and after an
   * ambiguous failure the conversation is checked for it before sending again — never lost, never
   * duplicated. Returns the server id from `OriginalArrivalTime`.
   */
  async send(conversationId: string, content: string, options: SendMessageOptions = {}): Promise<SentMessage> {
    checkConversationId(conversationId);
    checkContent(content);
    return this.#sendComposed(conversationId, compose(content, options), options);
  }

  /**
   * Replies to a message. In a channel the reply joins the post's reply chain
   * (`<channel>;messageid=<root>`); in a chat it is a quote-reply: the Reply blockquote (author,
   * time, preview) then the text.
   */
  async reply(
    conversationId: string,
    messageId: string,
    content: string,
    options: SendMessageOptions = {},
  ): Promise<SentMessage> {
    checkConversationId(conversationId);
    checkMessageId(messageId);
    checkContent(content);
    const messages = this.#messages;
    const { threadId, rootMessageId } = parseReplyChainId(conversationId);
    if (conversationKind(threadId) === "channel") {
      // Replying to a reply joins its root's chain.
      const root = rootMessageId ?? (await messages.one(threadId, messageId, options)).rootMessageId ?? messageId;
      return this.send(replyChainId(threadId, root), content, options);
    }
    const quoted = await messages.one(conversationId, messageId, options);
    if (quoted.isSystem) throw new InvalidArgumentError("That is a system message; it cannot be replied to.");
    const authorName = quoted.from.displayName || (await this.#core.names.displayName(quoted.from.mri));
    const reply = compose(content, { ...options, messageType: "RichText/Html" });
    const quote = buildReplyQuote({
      messageId: quoted.id,
      authorMri: quoted.from.mri,
      authorName,
      preview: quoted.isDeleted ? "This message has been deleted." : quoted.text,
    });
    return this.#sendComposed(conversationId, { ...reply, content: quote + reply.content }, options);
  }

  /**
   * Sends a body another service composed (the media service's file and image messages) through
   * the same exactly-once path as every send.
   */
  sendComposed(
    conversationId: string,
    composed: { content: string; messagetype: string; amsreferences?: string[] },
    options: SendMessageOptions = {},
  ): Promise<SentMessage> {
    checkConversationId(conversationId);
    const { amsreferences, ...rest } = composed;
    return this.#sendComposed(conversationId, rest, {
      ...options,
      ...(amsreferences ? { amsReferences: amsreferences } : {}),
    });
  }

  async #sendComposed(conversationId: string, composed: Composed, options: SendMessageOptions): Promise<SentMessage> {
    const clientMessageId = options.clientMessageId ?? newClientMessageId();
    checkClientMessageId(clientMessageId);
    this.sentIds.add(clientMessageId);
    if (this.sentIds.size > 1000) this.sentIds.delete(this.sentIds.values().next().value as string);
    const core = this.#core;
    const me = await core.self(options);
    const properties: Record<string, string> = {};
    if (options.importance !== undefined) properties["importance"] = options.importance;
    if (options.subject !== undefined) properties["subject"] = options.subject;
    if (composed.mentions) properties["mentions"] = composed.mentions;
    const body: SendBody = {
      content: composed.content,
      messagetype: composed.messagetype,
      contenttype: "text",
      clientmessageid: clientMessageId,
      // Without it other clients show a blank sender (§9.4 #13).
      imdisplayname: me.displayName,
      composetime: toTeamsTimestamp(core.ctx.now()),
      ...(Object.keys(properties).length ? { properties } : {}),
      ...(options.amsReferences?.length ? { amsreferences: options.amsReferences } : {}),
    };
    checkMessageSize(body.content, body.properties);
    // A caller-chosen clientmessageid may be a retry after an unknown outcome: look before posting.
    const recheck = options.clientMessageId !== undefined;
    return deliver(core, (id, o) => this.#messages.raw(id, o), conversationId, body, { ...options, recheck });
  }

  /** Replaces a message's content (only your own). */
  async edit(
    conversationId: string,
    messageId: string,
    content: string,
    options: RequestOptions & ComposeOptions = {},
  ): Promise<void> {
    checkConversationId(conversationId);
    checkMessageId(messageId);
    checkContent(content);
    const composed = compose(content, options);
    checkMessageSize(composed.content, composed.mentions ? { mentions: composed.mentions } : undefined);
    const core = this.#core;
    const me = await core.self(options);
    await core.request(
      {
        method: "PUT",
        url: await core.url(CHAT_PATHS.message, { conversationId, messageId }, options),
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
  async delete(conversationId: string, messageId: string, options: RequestOptions = {}): Promise<void> {
    checkConversationId(conversationId);
    checkMessageId(messageId);
    const core = this.#core;
    await core.request(
      {
        method: "DELETE",
        url: await core.url(CHAT_PATHS.message, { conversationId, messageId }, options),
        responseType: "none",
      },
      options,
    );
  }
}
