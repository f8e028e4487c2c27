/**
 * The chat service's records (PROTOCOL.md §2): threads with their members, read horizons and
 * message history. Plain data; `ChatState` (chat.ts) owns every mutation, and `chat-wire.ts` renders
 * these records into exactly what the service sends.
 */

export type ThreadKind = "oneOnOne" | "group" | "channel" | "notes";
export type MemberRole = "Admin" | "User";

/** One reaction key on a message and who reacted (§2.12). */
export interface StoredEmotion {
  key: string;
  users: Array<{ mri: string; time: number; value: string | number }>;
}

export interface StoredMessage {
  /** Server id: arrival time in epoch ms, unique and strictly increasing within its thread. */
  id: number;
  sequenceId: number;
  clientmessageid: string;
  /** Bumped on every change (edit, delete, reaction). */
  version: number;
  /** The thread it lives in (for channel replies: the channel). */
  threadId: string;
  /** Channel replies: the root post's id. */
  rootId?: number;
  messagetype: string;
  contenttype: string;
  content: string;
  amsreferences: string[];
  /** Sender MRI. */
  from: string;
  imdisplayname: string;
  composetime: number;
  /** Wire `properties` except emotions: string values, some JSON-encoded (mentions, files…). */
  properties: Record<string, unknown>;
  emotions: StoredEmotion[];
  /** Set by the last edit: the id the edit addressed. */
  skypeeditedid?: string;
}

export interface StoredMember {
  mri: string;
  role: MemberRole;
  /** When the member joined: history visible from here (messageVisibilityTime). */
  joinedAt: number;
  /** `msgId;readMs;clientmessageid`, undefined when the member never read. */
  horizon?: string;
  /** `consumptionHorizonBookmark` (mark as unread). */
  bookmark?: string;
  /** Version of this member's own view (horizon/bookmark changes), folded into the conversation version. */
  viewVersion: number;
}

export interface StoredThread {
  id: string;
  kind: ThreadKind;
  /** 48:notes: the user whose notes these are. */
  owner?: string;
  topic: string;
  threadType: string;
  productThreadType: string;
  uniqueRoster: boolean;
  createdAt: number;
  creator: string;
  tenantId: string;
  joiningEnabled: boolean;
  historyDisclosed: boolean;
  /** Other `properties` set on creation or by PUT properties (picture, description, fixedRoster…). */
  extraProperties: Record<string, string>;
  /** Channels: the team. */
  team?: { groupId: string; name: string };
  version: number;
  /** Last time a member joined / left (threadProperties lastjoinat / lastleaveat). */
  lastJoinAt: number;
  lastLeaveAt?: number;
  members: Map<string, StoredMember>;
  /** Sorted by id, ascending. */
  messages: StoredMessage[];
  byId: Map<number, StoredMessage>;
  nextSequenceId: number;
}

export function newThread(init: {
  id: string;
  kind: ThreadKind;
  owner?: string;
  topic?: string;
  threadType: string;
  productThreadType: string;
  uniqueRoster?: boolean;
  createdAt: number;
  creator: string;
  tenantId: string;
  team?: { groupId: string; name: string };
  extraProperties?: Record<string, string>;
}): StoredThread {
  return {
    id: init.id,
    kind: init.kind,
    ...(init.owner !== undefined ? { owner: init.owner } : {}),
    topic: init.topic ?? "",
    threadType: init.threadType,
    productThreadType: init.productThreadType,
    uniqueRoster: init.uniqueRoster ?? false,
    createdAt: init.createdAt,
    creator: init.creator,
    tenantId: init.tenantId,
    joiningEnabled: true,
    historyDisclosed: false,
    extraProperties: { ...init.extraProperties },
    ...(init.team ? { team: init.team } : {}),
    version: init.createdAt,
    lastJoinAt: init.createdAt,
    members: new Map(),
    messages: [],
    byId: new Map(),
    nextSequenceId: 1,
  };
}

/** The newest stored message, if any. */
export function lastMessageOf(thread: StoredThread): StoredMessage | undefined {
  return thread.messages[thread.messages.length - 1];
}

/** The last message's id, or 0. */
export function lastMessageId(thread: StoredThread): number {
  return lastMessageOf(thread)?.id ?? 0;
}

/** Last activity: newest message arrival, or creation. Orders the conversation list. */
export function lastActivity(thread: StoredThread): number {
  return Math.max(lastMessageId(thread), thread.createdAt);
}

/** The conversation's version as one member sees it (their own horizon changes count). */
export function conversationVersion(thread: StoredThread, viewer: string): number {
  const member = thread.members.get(viewer);
  return Math.max(thread.version, member?.viewVersion ?? 0);
}
