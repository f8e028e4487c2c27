import type { Conversation, Identity, Message } from "teams-api";

/**
 * The JSON a command prints: curated fields with names resolved, no `raw` wire objects. Strings are
 * left as the server sent them — JSON escapes control characters, so nothing reaches a terminal raw.
 */
export function conversationJson(c: Conversation, number?: number): Record<string, unknown> {
  return {
    ...(number !== undefined ? { number } : {}),
    id: c.id,
    title: c.title,
    kind: c.kind,
    topic: c.topic,
    isUnread: c.isUnread,
    lastActivityAt: c.lastActivityAt?.toISOString() ?? null,
    lastMessage: c.lastMessage
      ? {
          id: c.lastMessage.id,
          from: { mri: c.lastMessage.from.mri, displayName: c.lastMessage.from.displayName },
          text: c.lastMessage.text,
          arrivedAt: c.lastMessage.arrivedAt.toISOString(),
        }
      : null,
  };
}

/** A message as JSON; its people carry the names the library resolved. */
export function messageJson(m: Message, number?: number): Record<string, unknown> {
  return {
    ...(number !== undefined ? { number } : {}),
    id: m.id,
    conversationId: m.conversationId,
    messageType: m.messageType,
    from: { mri: m.from.mri, displayName: m.from.displayName },
    text: m.text,
    content: m.content,
    arrivedAt: m.arrivedAt.toISOString(),
    editedAt: m.editedAt?.toISOString() ?? null,
    isDeleted: m.isDeleted,
    isSystem: m.isSystem,
    attachments: m.attachments.map((a) => ({
      kind: a.kind,
      objectId: a.objectId,
      store: a.store,
      fileName: a.fileName,
      size: a.size ?? null,
      caption: a.caption ?? null,
    })),
    reactions: m.reactions.map((r) => ({
      key: r.key,
      count: r.count,
      users: r.users.map((u) => ({ mri: u.mri, displayName: u.displayName })),
    })),
  };
}

/** Who is signed in, as `teams whoami` and `teams login` print it. */
export function identityJson(me: Identity): Record<string, unknown> {
  return {
    mri: me.mri,
    displayName: me.displayName,
    email: me.email ?? null,
    tenantId: me.tenantId ?? null,
    kind: me.kind,
  };
}
