/**
 * The chat service (PROTOCOL.md §2; docs/protocol.md §2): one facade over small resource modules —
 * conversations, messages (read), the message writer with exactly-once sends, reactions, read state
 * and typing, threads and members. Base URL from `regionGtms.chatService`; skypetoken auth.
 *
 * The resources are reachable directly (`client.chat.messages.list(id)` is an async-iterable pager);
 * the flat methods (`getMessages`, `sendMessage`, …) are the stable shortcuts over them.
 */
import type { RequestOptions, ServiceContext } from "../../http/types.js";
import type {
  ConsumptionHorizon,
  Conversation,
  ConversationDetails,
  CreatedChat,
  Message,
  SentMessage,
} from "../../models.js";
import { MiddleTierService } from "../middle-tier.js";
import { NameResolver } from "../names.js";
import { Conversations, type GetConversationsOptions } from "./conversations.js";
import { ChatCore } from "./core.js";
import { type GetMessagesOptions, Messages } from "./messages.js";
import { Reactions } from "./reactions.js";
import { ReadState } from "./read-state.js";
import { type CreateChatOptions, type MemberRole, Threads } from "./threads.js";
import { type ComposeOptions, MessageWriter, type SendMessageOptions } from "./write.js";

export type { GetConversationsOptions, ListConversationsOptions } from "./conversations.js";
export { CHAT_DEFAULTS } from "./core.js";
export type { GetMessagesOptions, ListMessagesOptions } from "./messages.js";
export type { CreateChatOptions, MemberRole } from "./threads.js";
export type { ComposeOptions, SendMessageOptions } from "./write.js";

export interface ChatServiceOptions {
  /** Name resolution for titles and activity lines; created on demand when not given. */
  names?: NameResolver;
}

export class ChatService {
  readonly conversations: Conversations;
  readonly messages: Messages;
  /** Sends, quote-replies, edits and deletes. */
  readonly writer: MessageWriter;
  readonly reactions: Reactions;
  readonly readState: ReadState;
  readonly threads: Threads;

  constructor(context: ServiceContext, options: ChatServiceOptions = {}) {
    const names =
      options.names ??
      new NameResolver(context, {
        middleTier: new MiddleTierService(context),
        threadMembers: (id, o) => this.conversations.members(id, o),
      });
    const core = new ChatCore(context, names);
    this.conversations = new Conversations(core);
    this.messages = new Messages(core);
    this.writer = new MessageWriter(core, this.messages);
    this.reactions = new Reactions(core);
    this.readState = new ReadState(core, this.messages);
    this.threads = new Threads(core, this.writer);
  }

  // ── Conversations ─────────────────────────────────────────────────────────────────────────────

  /** Recent conversations, newest activity first, following pages until `count`. */
  getConversations(options?: GetConversationsOptions): Promise<Conversation[]> {
    return this.conversations.get(options);
  }

  /** One conversation with its roster and roles (from the thread, when it is one). */
  getConversationDetails(id: string, options?: RequestOptions): Promise<ConversationDetails> {
    return this.conversations.details(id, options);
  }

  /** MRIs of a thread's members (cached briefly; used for titles). */
  threadMembers(id: string, options?: RequestOptions): Promise<string[]> {
    return this.conversations.members(id, options);
  }

  // ── Messages ──────────────────────────────────────────────────────────────────────────────────

  /** Messages, newest first, following older pages until `count` or the start of history. */
  getMessages(id: string, options?: GetMessagesOptions): Promise<Message[]> {
    return this.messages.get(id, options);
  }

  /** One message by id, or NotFoundError. */
  getMessage(conversationId: string, messageId: string, options?: RequestOptions): Promise<Message> {
    return this.messages.one(conversationId, messageId, options);
  }

  /** Sends a message exactly once, even across retries; returns its server id. */
  sendMessage(conversationId: string, content: string, options?: SendMessageOptions): Promise<SentMessage> {
    return this.writer.send(conversationId, content, options);
  }

  /** Replies to a message: joins a channel post's reply chain, or quotes it in a chat. */
  sendReply(
    conversationId: string,
    messageId: string,
    content: string,
    options?: SendMessageOptions,
  ): Promise<SentMessage> {
    return this.writer.reply(conversationId, messageId, content, options);
  }

  /** Replaces a message's content (only your own). */
  editMessage(
    conversationId: string,
    messageId: string,
    content: string,
    options?: RequestOptions & ComposeOptions,
  ): Promise<void> {
    return this.writer.edit(conversationId, messageId, content, options);
  }

  /** Deletes a message (only your own); it stays as a tombstone with `deletedAt`. */
  deleteMessage(conversationId: string, messageId: string, options?: RequestOptions): Promise<void> {
    return this.writer.delete(conversationId, messageId, options);
  }

  // ── Reactions, read state, typing ─────────────────────────────────────────────────────────────

  /** Adds your reaction (idempotent). */
  addReaction(conversationId: string, messageId: string, key: string, options?: RequestOptions): Promise<void> {
    return this.reactions.add(conversationId, messageId, key, options);
  }

  /** Removes your reaction (idempotent). */
  removeReaction(conversationId: string, messageId: string, key: string, options?: RequestOptions): Promise<void> {
    return this.reactions.remove(conversationId, messageId, key, options);
  }

  /** Tells the others you are typing; at most once per 15 s per conversation (false when skipped). */
  sendTypingIndicator(conversationId: string, options?: RequestOptions): Promise<boolean> {
    return this.readState.typing(conversationId, options);
  }

  /** Marks the conversation read up to a message (default: the newest); returns the id marked. */
  setConsumptionHorizon(
    conversationId: string,
    messageId?: string,
    options?: RequestOptions,
  ): Promise<string | undefined> {
    return this.readState.markRead(conversationId, messageId, options);
  }

  /** Marks the conversation unread from a message on. */
  markUnread(conversationId: string, messageId: string, options?: RequestOptions): Promise<void> {
    return this.readState.markUnread(conversationId, messageId, options);
  }

  /** Every member's read position. */
  getConsumptionHorizons(conversationId: string, options?: RequestOptions): Promise<ConsumptionHorizon[]> {
    return this.readState.horizons(conversationId, options);
  }

  // ── Threads and members ───────────────────────────────────────────────────────────────────────

  /** Starts a chat: the 1:1 chat with one person (no topic), else a new group chat. */
  createChat(memberMris: readonly string[], options?: CreateChatOptions): Promise<CreatedChat> {
    return this.threads.create(memberMris, options);
  }

  /** Adds someone to a group chat. */
  addMember(threadId: string, mri: string, role?: MemberRole, options?: RequestOptions): Promise<void> {
    return this.threads.addMember(threadId, mri, role, options);
  }

  /** Removes someone from a group chat (yourself: leave). */
  removeMember(threadId: string, mri: string, options?: RequestOptions): Promise<void> {
    return this.threads.removeMember(threadId, mri, options);
  }

  /** Renames a group chat ("" clears the topic). */
  setTopic(threadId: string, topic: string, options?: RequestOptions): Promise<void> {
    return this.threads.setTopic(threadId, topic, options);
  }
}
