import {
  toTeamsTimestamp,
  type WireConversation,
  type WireMessage,
  type WireThread,
  type WireThreadMember,
} from "@teams-api/protocol";
import type { Variants } from "../context.js";
import {
  conversationVersion,
  lastActivity,
  lastMessageOf,
  type StoredMessage,
  type StoredThread,
} from "./chat-model.js";

/**
 * Renders chat records into the wire shapes of PROTOCOL.md §2 — links are full URLs on `base`
 * (the chat service root the request came in on, e.g. `http://127.0.0.1:4380`), timestamps have
 * seven fractional digits, `threadProperties` values are all strings.
 */
export interface WireOptions {
  /** Chat service root without `/v1`. */
  base: string;
  variants: Pick<Variants, "emotionsEncoding">;
}

export const conversationUrl = (base: string, id: string): string => `${base}/v1/users/ME/conversations/${id}`;
export const threadUrl = (base: string, id: string): string => `${base}/v1/threads/${id}`;
export const contactUrl = (base: string, mri: string): string => `${base}/v1/users/ME/contacts/${mri}`;
export const messageUrl = (base: string, conversationId: string, id: number | string): string =>
  `${conversationUrl(base, conversationId)}/messages/${id}`;

/** The conversation id a message is addressed under: `<channel>;messageid=<root>` for channel replies. */
export function messageConversationPath(m: StoredMessage): string {
  return m.rootId !== undefined ? `${m.threadId};messageid=${m.rootId}` : m.threadId;
}

/** A message (§2.7), key order as the service sends it. */
export function wireMessage(m: StoredMessage, o: WireOptions): WireMessage {
  const properties: Record<string, unknown> = { ...m.properties };
  if (m.emotions.length > 0) {
    const emotions = m.emotions.map((e) => ({ key: e.key, users: e.users.map((u) => ({ ...u })) }));
    properties.emotions = o.variants.emotionsEncoding === "string" ? JSON.stringify(emotions) : emotions;
  }
  const out: WireMessage = {
    id: String(m.id),
    sequenceId: m.sequenceId,
    clientmessageid: m.clientmessageid,
    version: String(m.version),
    conversationid: m.threadId,
    conversationLink: conversationUrl(o.base, messageConversationPath(m)),
    type: "Message",
    messagetype: m.messagetype,
    contenttype: m.contenttype,
    content: m.content,
    amsreferences: [...m.amsreferences],
    // The samples show generated ThreadActivity messages with a bare MRI in `from`; messages
    // people send carry the full contact URL (§2.7). Clients parse only the last segment.
    from: m.messagetype.startsWith("ThreadActivity/") ? m.from : contactUrl(o.base, m.from),
    imdisplayname: m.imdisplayname,
    composetime: toTeamsTimestamp(m.composetime),
    originalarrivaltime: toTeamsTimestamp(m.id),
    properties,
  };
  if (m.rootId !== undefined) {
    out.rootMessageId = String(m.rootId);
    out.parentMessageId = String(m.rootId);
  }
  return out;
}

/** `threadProperties` of a conversation (§2.4): every value a string. */
export function wireThreadProperties(t: StoredThread, viewer: string): Record<string, string> {
  if (t.kind === "notes") {
    return {
      threadType: "streamofnotes",
      productThreadType: "StreamOfNotes",
      createdat: String(t.createdAt),
      version: String(t.version),
    };
  }
  const member = t.members.get(viewer);
  const p: Record<string, string> = {
    topic: t.topic,
    threadType: t.threadType,
    productThreadType: t.productThreadType,
    uniquerosterthread: t.uniqueRoster ? "true" : "false",
  };
  if (t.team) {
    p.groupId = t.team.groupId;
    p.spaceThreadTopic = t.team.name;
    p.spaceId = t.id;
  }
  p.membercount = String(t.members.size);
  p.createdat = String(t.createdAt);
  p.lastjoinat = String(member?.joinedAt ?? t.lastJoinAt);
  if (t.lastLeaveAt !== undefined) p.lastleaveat = String(t.lastLeaveAt);
  p.version = String(t.version);
  p.tenantid = t.tenantId;
  p.isCreator = t.creator === viewer ? "true" : "false";
  p.gapDetectionEnabled = "True";
  return p;
}

/** The caller's own `properties` of a conversation (§2.4, §2.11). */
export function wireConversationProperties(t: StoredThread, viewer: string): Record<string, string> {
  const member = t.members.get(viewer);
  const last = lastMessageOf(t);
  const p: Record<string, string> = {
    consumptionhorizon: member?.horizon ?? "0;0;0",
    lastimreceivedtime: toTeamsTimestamp(lastActivity(t)),
    isemptyconversation: last ? "False" : "True",
    alerts: "true",
  };
  if (member?.bookmark !== undefined) p.consumptionHorizonBookmark = member.bookmark;
  return p;
}

/** A conversation as one member sees it (§2.4). */
export function wireConversation(t: StoredThread, viewer: string, o: WireOptions): WireConversation {
  const last = lastMessageOf(t);
  const out: WireConversation = {
    id: t.id,
    type: "Conversation",
    version: conversationVersion(t, viewer),
  };
  if (t.kind !== "notes") out.targetLink = threadUrl(o.base, t.id);
  out.properties = wireConversationProperties(t, viewer);
  out.threadProperties = wireThreadProperties(t, viewer);
  const member = t.members.get(viewer);
  if (t.kind !== "notes" && member) out.memberProperties = { role: member.role, isReader: "false" };
  out.lastMessage = last ? wireMessage(last, o) : {};
  if (last) {
    out.lastUpdatedMessageId = last.id;
    out.lastUpdatedMessageVersion = last.version;
  }
  out.messages = `${conversationUrl(o.base, t.id)}/messages`;
  return out;
}

/** Thread `properties` (§2.5): strings. */
export function wireThreadResourceProperties(t: StoredThread): Record<string, string> {
  const p: Record<string, string> = {
    createdat: String(t.createdAt),
    creator: t.creator,
    topic: t.topic,
    threadType: t.threadType,
    productThreadType: t.productThreadType,
    joiningenabled: t.joiningEnabled ? "true" : "false",
    historydisclosed: t.historyDisclosed ? "true" : "false",
    uniquerosterthread: t.uniqueRoster ? "true" : "false",
    tenantid: t.tenantId,
    gapDetectionEnabled: "True",
    ...t.extraProperties,
  };
  if (t.team) {
    p.groupId = t.team.groupId;
    p.spaceThreadTopic = t.team.name;
    p.spaceId = t.id;
  }
  return p;
}

export function wireThreadMember(t: StoredThread, mri: string, o: WireOptions): WireThreadMember {
  const m = t.members.get(mri);
  return {
    id: mri,
    userLink: `${o.base}/v1/users/${mri}`,
    role: m?.role ?? "User",
    capabilities: [],
    linkedMri: "",
    userTile: "",
    friendlyName: "",
    cid: 0,
    type: "ThreadMember",
  };
}

/**
 * `GET /v1/threads/{id}` (§2.5). Channel threads report a roster of one — the caller — as the real
 * service does (PT); the team roster comes from CSA/MT.
 */
export function wireThread(t: StoredThread, viewer: string, o: WireOptions): WireThread {
  const roster = t.kind === "channel" ? [viewer].filter((m) => t.members.has(m)) : [...t.members.keys()];
  return {
    id: t.id,
    type: "Thread",
    version: t.version,
    properties: wireThreadResourceProperties(t),
    members: roster.map((mri) => wireThreadMember(t, mri, o)),
    messages: `${conversationUrl(o.base, t.id)}/messages`,
  };
}
