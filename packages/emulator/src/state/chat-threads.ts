/** The thread operations of the chat store (§2.13): create chats, members and roles, thread properties, read horizons. */
import { randomBytes } from "node:crypto";
import { oneOnOneThreadId } from "@teams-api/protocol";
import { HttpError } from "../http/types.js";
import { type MemberRole, newThread, type StoredMessage, type StoredThread } from "./chat-model.js";
import { ChatStore, errors, type MemberInput } from "./chat-store.js";
import type { User } from "./directory.js";

export class ChatThreads extends ChatStore {
  protected createOneOnOne(creator: User, other: User, id: string): StoredThread {
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
    this.emitThreadUpdate(t);
    return t;
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
    this.emitThreadUpdate(t);
    for (const m of activity) this.emitNewMessage(t, m);
    this.emitConversationUpdate(t, t.members.keys());
    return t;
  }

  /** `PUT /v1/users/ME/conversations` (§2.13, MMZ): the 1:1 chat with `other`, created when missing. */
  oneOnOneWith(viewer: User, other: User): { thread: StoredThread; created: boolean } {
    if (other.mri === viewer.mri) throw errors.badRequest("A one-on-one chat needs another member.");
    const id = oneOnOneThreadId(viewer.mri, other.mri);
    const existing = this.threads.get(id);
    if (existing) return { thread: existing, created: false };
    const thread = this.createOneOnOne(viewer, other, id);
    this.emitConversationUpdate(thread, thread.members.keys());
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
    this.emitThreadUpdate(t);
    for (const m of messages) this.emitNewMessage(t, m);
    this.emitConversationUpdate(t, added);
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
    this.bumpThread(t, now);
    this.emitThreadUpdate(t, before);
    this.emitNewMessage(t, m, before);
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
        this.bumpThread(t, now);
        break;
      default:
        throw errors.badRequest(`Thread property '${name}' cannot be set.`);
    }
    this.emitThreadUpdate(t);
    if (message) this.emitNewMessage(t, message);
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
