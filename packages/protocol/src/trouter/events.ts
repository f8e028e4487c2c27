/**
 * `parseTrouterEvent(url, body, headers)`: a Trouter push (PROTOCOL.md §7.7) → one typed event.
 * The path suffix says which service pushed (`/messaging` or the bare surl: chat EventMessages;
 * `…UnifiedPresenceService`: presence; calling suffixes: calls). Never throws: anything it cannot
 * read comes back as `{ type: "unknown", reason }`.
 */
import { type Emotion, parseEmotions } from "../content/emotions.js";
import { mriFromContactUrl } from "../ids.js";
import { isJsonObject, parseMaybeJsonObject } from "../json.js";
import type { WireConversation, WireEventMessage, WireMessage } from "../wire.js";
import { conversationIdFromLink, parseEventMessages } from "./envelope.js";
import { decodeTrouterBody, MAX_DECODED_BODY_BYTES } from "./shapes.js";

interface MessageFields {
  conversationId: string;
  messageId: string;
  /** Message version (edits and reactions bump it). */
  version: string;
  clientMessageId: string | undefined;
  /** Sender MRI. */
  from: string;
  /** The name the sender's client put on the message (may be empty). */
  fromName: string;
  messageType: string;
  /** Raw content (HTML for RichText/Html). */
  content: string;
  /** ms since epoch (0 when missing). */
  composeTime: number;
  arrivalTime: number;
  threadTopic: string | undefined;
  /** Envelope id (per endpoint counter). */
  eventId: number;
  /** The wire message, for mapping to a model. */
  raw: WireMessage;
}

export interface PresenceItem {
  mri: string;
  availability: string;
  activity: string;
  etag?: string;
  lastActiveTime?: string;
  deviceType?: string;
  raw: unknown;
}

export type TrouterEvent =
  | ({ type: "message" } & MessageFields)
  | ({ type: "edit"; editTime: number } & MessageFields)
  | ({ type: "delete"; deleteTime: number } & MessageFields)
  | ({ type: "reaction"; emotions: Emotion[] } & MessageFields)
  | { type: "typing"; conversationId: string; from: string; fromName: string; stopped: boolean; eventId: number }
  | {
      type: "read";
      conversationId: string;
      /** The viewer's consumption horizon: message id, read time, clientmessageid. */
      horizon: { messageId: string; time: number; clientMessageId: string };
      version: string;
      eventId: number;
      raw: WireConversation;
    }
  | { type: "conversation"; conversationId: string; version: string; eventId: number; raw: WireConversation }
  | {
      type: "thread";
      conversationId: string;
      topic: string | undefined;
      members: Array<{ mri: string; role: string }>;
      version: string;
      eventId: number;
      raw: unknown;
    }
  | { type: "presence"; presences: PresenceItem[] }
  | { type: "call"; callId: string | undefined; from: string | undefined; fromName: string | undefined; raw: unknown }
  | { type: "unknown"; reason: string; resourceType?: string };

export type TrouterEventType = TrouterEvent["type"];

/** Which service a push path belongs to. */
export type PushTarget = "messaging" | "presence" | "call" | "unknown";

/** Classifies a push URL path by its suffix after the surl (`/v4/f/<id>/…`). */
export function pushTarget(url: string): PushTarget {
  let path = url;
  try {
    path = new URL(url, "http://x").pathname;
  } catch {
    // keep the raw text
  }
  const m = /\/v4\/f\/[^/]+\/?(.*)$/.exec(path);
  const suffix = (m ? m[1]! : (path.split("/").pop() ?? "")).replace(/\/+$/, "");
  const s = suffix.toLowerCase();
  if (m && (s === "" || s === "messaging" || s === "skypespacesweb")) return "messaging";
  if (s === "messaging") return "messaging";
  if (s.endsWith("unifiedpresenceservice")) return "presence";
  if (s === "ngcallmanagerwin" || s.startsWith("callagent") || s.includes("ngc")) return "call";
  return "unknown";
}

const num = (v: unknown): number => {
  if (typeof v === "number") return v;
  if (typeof v !== "string" || v === "") return 0;
  if (/^\d+$/.test(v)) return Number(v);
  const t = Date.parse(v);
  return Number.isNaN(t) ? 0 : t;
};
const str = (v: unknown): string => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");
function messageFields(e: WireEventMessage, m: WireMessage): MessageFields {
  const conversationId =
    str(m.conversationid) ||
    conversationIdFromLink(str(m.conversationLink)) ||
    conversationIdFromLink(e.resourceLink) ||
    "";
  return {
    conversationId,
    messageId: str(m.id),
    version: str(m.version) || str(m.id),
    clientMessageId: m.clientmessageid ? str(m.clientmessageid) : undefined,
    from: mriFromContactUrl(str(m.from)),
    fromName: str(m.imdisplayname),
    messageType: str(m.messagetype),
    content: str(m.content),
    composeTime: num(m.composetime),
    arrivalTime: num(m.originalarrivaltime),
    threadTopic: typeof m.threadtopic === "string" ? m.threadtopic : undefined,
    eventId: e.id,
    raw: m,
  };
}

/** One EventMessage envelope → a typed event. */
export function eventFromEnvelope(e: WireEventMessage): TrouterEvent {
  const r = e.resource;
  if (!isJsonObject(r)) return { type: "unknown", reason: "resource is not an object", resourceType: e.resourceType };
  switch (e.resourceType) {
    case "NewMessage":
    case "MessageUpdate": {
      if (typeof r.messagetype !== "string")
        return { type: "unknown", reason: "message without messagetype", resourceType: e.resourceType };
      const m = r as unknown as WireMessage;
      const f = messageFields(e, m);
      if (m.messagetype.startsWith("Control/")) {
        const stopped = /cleartyping/i.test(m.messagetype);
        if (/typing/i.test(m.messagetype)) {
          return {
            type: "typing",
            conversationId: f.conversationId,
            from: f.from,
            fromName: f.fromName,
            stopped,
            eventId: e.id,
          };
        }
        return {
          type: "unknown",
          reason: `control message ${m.messagetype.slice(0, 40)}`,
          resourceType: e.resourceType,
        };
      }
      if (e.resourceType === "NewMessage") return { type: "message", ...f };
      const props = parseMaybeJsonObject<Record<string, unknown>>(m.properties);
      const deleteTime = num(props.deletetime ?? props.deletionTime);
      if (deleteTime) return { type: "delete", deleteTime, ...f };
      const editTime = num(props.edittime);
      if (m.skypeeditedid || editTime) {
        // An edit with a newer reaction still carries edittime: a version past the edit is a reaction change.
        if (!(editTime && num(f.version) > editTime && props.emotions !== undefined)) {
          return { type: "edit", editTime, ...f };
        }
      }
      return { type: "reaction", emotions: parseEmotions(props.emotions), ...f };
    }
    case "ConversationUpdate": {
      const c = r as unknown as WireConversation;
      const conversationId = str(c.id) || conversationIdFromLink(e.resourceLink) || "";
      const version = str(c.version);
      const props = isJsonObject(c.properties) ? (c.properties as Record<string, unknown>) : {};
      const h = /^(\d+);(\d+);(.*)$/.exec(str(props.consumptionhorizon));
      if (h) {
        return {
          type: "read",
          conversationId,
          horizon: { messageId: h[1]!, time: Number(h[2]), clientMessageId: h[3]! },
          version,
          eventId: e.id,
          raw: c,
        };
      }
      return { type: "conversation", conversationId, version, eventId: e.id, raw: c };
    }
    case "ThreadUpdate": {
      const props = isJsonObject(r.properties) ? r.properties : {};
      const members = Array.isArray(r.members)
        ? r.members.filter(isJsonObject).map((x) => ({ mri: str(x.id), role: str(x.role) }))
        : [];
      return {
        type: "thread",
        conversationId: str(r.id) || conversationIdFromLink(e.resourceLink) || "",
        topic: typeof props.topic === "string" ? props.topic : undefined,
        members,
        version: str(r.version),
        eventId: e.id,
        raw: r,
      };
    }
    case "UserPresence": {
      const mri = mriFromContactUrl(e.resourceLink.replace(/\/presenceDocs\/.*$/, ""));
      const status = str(r.status) || str(r.availability);
      return { type: "presence", presences: [{ mri, availability: status, activity: status, raw: r }] };
    }
    default:
      return { type: "unknown", reason: `resourceType ${e.resourceType.slice(0, 40)}`, resourceType: e.resourceType };
  }
}

function presenceItems(v: unknown): PresenceItem[] {
  const list = isJsonObject(v) && Array.isArray(v.presence) ? v.presence : Array.isArray(v) ? v : [];
  const out: PresenceItem[] = [];
  for (const item of list) {
    if (!isJsonObject(item) || typeof item.mri !== "string") continue;
    const p = isJsonObject(item.presence) ? item.presence : {};
    out.push({
      mri: item.mri,
      availability: str(p.availability),
      activity: str(p.activity),
      ...(typeof item.etag === "string" ? { etag: item.etag } : {}),
      ...(typeof p.lastActiveTime === "string" ? { lastActiveTime: p.lastActiveTime } : {}),
      ...(typeof p.deviceType === "string" ? { deviceType: p.deviceType } : {}),
      raw: item,
    });
  }
  return out;
}

function callEvent(v: unknown): TrouterEvent {
  let payload: unknown = v;
  if (isJsonObject(v) && (typeof v.cp === "string" || typeof v.gp === "string")) {
    try {
      const text = decodeTrouterBody(
        str(v.cp ?? v.gp),
        { "X-Microsoft-Skype-Content-Encoding": "gzip" },
        4 * 1024 * 1024,
      );
      payload = JSON.parse(text);
    } catch {
      // fall back to the outer object
    }
  }
  const p = isJsonObject(payload) ? payload : {};
  const cn = isJsonObject(p.callNotification) ? p.callNotification : {};
  const from = isJsonObject(cn.from) ? cn.from : {};
  const dbg = isJsonObject(p.debugContent) ? p.debugContent : {};
  const callId = str(dbg.callId) || str((v as Record<string, unknown>)?.callId) || undefined;
  return {
    type: "call",
    callId,
    from: str(from.id) || str((v as Record<string, unknown>)?.callerId) || undefined,
    fromName: str(from.displayName) || undefined,
    raw: payload,
  };
}

/**
 * Parses one push. Body: the `body` string of the `3:::` request (JSON text, or base64 gzip with the
 * encoding header). Returns one event per envelope (a body normally holds one).
 */
export function parseTrouterEvents(
  url: string,
  body: string,
  headers: Readonly<Record<string, string | undefined>> = {},
  options: { maxBodyBytes?: number } = {},
): TrouterEvent[] {
  let text: string;
  try {
    text = decodeTrouterBody(
      typeof body === "string" ? body : "",
      headers,
      options.maxBodyBytes ?? MAX_DECODED_BODY_BYTES,
    );
  } catch (err) {
    return [{ type: "unknown", reason: err instanceof Error ? err.message : "undecodable body" }];
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [{ type: "unknown", reason: "body is not JSON" }];
  }
  // Some services double-encode: the JSON value is itself a JSON string.
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return [{ type: "unknown", reason: "body is not JSON" }];
    }
  }
  switch (pushTarget(url)) {
    case "messaging": {
      const envelopes = parseEventMessages(value);
      if (!envelopes.length) return [{ type: "unknown", reason: "no EventMessage in body" }];
      return envelopes.map(eventFromEnvelope);
    }
    case "presence":
      return [{ type: "presence", presences: presenceItems(value) }];
    case "call":
      return [callEvent(value)];
    default:
      return [{ type: "unknown", reason: "push for an unknown path" }];
  }
}

/** The seed's single-event form: the first event of a push. */
export function parseTrouterEvent(
  url: string,
  body: string,
  headers: Readonly<Record<string, string | undefined>> = {},
): TrouterEvent {
  return parseTrouterEvents(url, body, headers)[0] ?? { type: "unknown", reason: "empty push" };
}
