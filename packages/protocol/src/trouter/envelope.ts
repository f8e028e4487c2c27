/**
 * The EventMessage envelope (PROTOCOL.md §2.16): what the chat service pushes on Trouter
 * `/messaging` (as a JSON string body) and in the long poll's `eventMessages[]`.
 */
import type { WireEventMessage, WireResourceType } from "../wire.js";

export function buildEventMessage<R>(fields: {
  id: number;
  resourceType: WireResourceType | string;
  time: number | string;
  resourceLink: string;
  resource: R;
}): WireEventMessage<R> {
  return {
    id: fields.id,
    type: "EventMessage",
    resourceType: fields.resourceType,
    time: typeof fields.time === "number" ? new Date(fields.time).toISOString() : fields.time,
    resourceLink: fields.resourceLink,
    resource: fields.resource,
  };
}

/** Validates one envelope; undefined when the value is not one. */
export function parseEventMessage(value: unknown): WireEventMessage | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.resourceType !== "string") return undefined;
  if (v.type !== undefined && v.type !== "EventMessage") return undefined;
  if (typeof v.resource !== "object" || v.resource === null) return undefined;
  return {
    id: typeof v.id === "number" ? v.id : Number(v.id) || 0,
    type: "EventMessage",
    resourceType: v.resourceType,
    time: typeof v.time === "string" ? v.time : "",
    resourceLink: typeof v.resourceLink === "string" ? v.resourceLink : "",
    resource: v.resource,
  };
}

/** Envelopes in a body: one envelope, an array of them, or `{ eventMessages: [...] }` (long poll). */
export function parseEventMessages(value: unknown): WireEventMessage[] {
  const list = Array.isArray(value)
    ? value
    : typeof value === "object" && value !== null && Array.isArray((value as { eventMessages?: unknown }).eventMessages)
      ? (value as { eventMessages: unknown[] }).eventMessages
      : [value];
  const out: WireEventMessage[] = [];
  for (const v of list) {
    const e = parseEventMessage(v);
    if (e) out.push(e);
  }
  return out;
}

/** The conversation id in a resourceLink (`…/conversations/<cid>/messages/<mid>` or `…/threads/<id>`). */
export function conversationIdFromLink(link: string): string | undefined {
  const m = /\/(?:conversations|threads)\/([^/?#]+)/.exec(link);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return m[1];
  }
}
