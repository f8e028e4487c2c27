/**
 * The chat service's multi-user state: threads, history, read horizons, reactions. Every mutation
 * checks membership and authorship, bumps versions so a later sync sees it, and emits the events
 * a real-time push layer delivers (§2.16). Layers: `chat-store.ts` (data, lookups, clocks, events),
 * `chat-threads.ts` (threads and members), this file (messages, reactions, read state).
 */
import {
  isValidEmotionKey,
  mriLocalPart,
  newClientMessageId,
  parseOneOnOneThreadId,
  parseReplyChainId,
} from "@teams-api/protocol";
import { HttpError } from "../http/types.js";
import type { StoredMessage, StoredThread } from "./chat-model.js";
import { type EditInput, errors, HORIZON_PATTERN, type SendInput } from "./chat-store.js";
import { ChatThreads } from "./chat-threads.js";
import type { User } from "./directory.js";

export {
  type ActivityKind,
  type ActivityValue,
  type ChatEvent,
  type ChatEventListener,
  type ChatStateOptions,
  type EditInput,
  errors,
  HORIZON_PATTERN,
  type MemberInput,
  type SendInput,
} from "./chat-store.js";

export class ChatState extends ChatThreads {
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
      id: this.arrival(thread, now),
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
      this.emitNewMessage(thread, typing);
      return { message: typing, stored: false };
    }
    const message = this.insert(thread, fields);
    this.emitNewMessage(thread, message);
    return { message, stored: true };
  }

  #implicitOneOnOne(sender: User, threadId: string): StoredThread {
    const pair = parseOneOnOneThreadId(threadId);
    if (!pair || pair[0] >= pair[1]) throw errors.conversationNotFound();
    const own = mriLocalPart(sender.mri).toLowerCase();
    const [a, b] = [pair[0].toLowerCase(), pair[1].toLowerCase()];
    if (own !== a && own !== b) throw errors.notMember();
    const other = this.userByLocalPart(own === a ? b : a);
    if (!other || other.mri === sender.mri) throw errors.conversationNotFound();
    return this.createOneOnOne(sender, other, threadId);
  }

  /** Edits a message (§2.9); returns the edit time. Only the author may edit. */
  edit(viewer: string, conversationId: string, messageId: string, input: EditInput): number {
    const { thread, root } = this.conversation(viewer, conversationId);
    const m = this.findMessage(thread, root, messageId);
    if (m.from !== viewer) throw new HttpError(403, "Only the author of a message can edit it.");
    if (m.messagetype.startsWith("ThreadActivity/")) throw errors.badRequest("System messages cannot be edited.");
    if (m.properties.deletetime !== undefined)
      throw errors.badRequest("The message has been deleted and cannot be edited.");
    const at = this.bumpMessage(thread, m);
    m.content = input.content;
    if (input.messagetype !== undefined) m.messagetype = input.messagetype;
    if (input.contenttype !== undefined) m.contenttype = input.contenttype;
    if (input.imdisplayname !== undefined) m.imdisplayname = input.imdisplayname;
    if (input.properties) Object.assign(m.properties, input.properties);
    m.properties.edittime = String(at);
    m.skypeeditedid = String(m.id);
    this.emitMessageUpdate(thread, m);
    return at;
  }

  /** Deletes a message (§2.9): the message stays as a tombstone with `deletetime`. Only the author may delete. */
  delete(viewer: string, conversationId: string, messageId: string): void {
    const { thread, root } = this.conversation(viewer, conversationId);
    const m = this.findMessage(thread, root, messageId);
    if (m.from !== viewer) throw new HttpError(403, "Only the author of a message can delete it.");
    if (m.messagetype.startsWith("ThreadActivity/")) throw errors.badRequest("System messages cannot be deleted.");
    if (m.properties.deletetime !== undefined) return; // already a tombstone: deleting again changes nothing
    const at = this.bumpMessage(thread, m);
    m.content = "";
    m.amsreferences = [];
    m.properties = { deletetime: String(at) };
    m.emotions = [];
    this.emitMessageUpdate(thread, m);
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
    const m = this.findMessage(thread, root, messageId);
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
    this.bumpMessage(thread, m, now);
    this.emitMessageUpdate(thread, m);
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
    this.emitConversationUpdate(thread, [viewer]);
  }
}
