/**
 * `ThreadActivity/*` control messages (PROTOCOL.md §8.3): membership, topic, role and setting
 * changes that the service writes into a conversation. Older types carry a small XML document
 * (`<addmember><eventtime/><initiator/><target/>…`, root tag varies), newer ones JSON
 * (`{"eventtime","initiator","members":[{"id","friendlyname"}]}`). Parsing is lenient and never
 * throws: anything unreadable is `{ kind: "unknown" }`.
 */
import { parseMaybeJsonObject } from "../json.js";
import { sanitizeTerminalText } from "../sanitize.js";
import { childNamed, childrenNamed, childText, readXml, type XmlElement } from "./xml.js";

export interface ThreadActivityMember {
  mri: string;
  /** Name the service sent with the event, if any. */
  friendlyName?: string;
  /** For role updates: the new role (`admin`, `user`, …), lowercased. */
  role?: string;
}

interface EventBase {
  /** When it happened, epoch ms. */
  time?: number;
  /** Who did it. */
  initiator?: string;
  /** The initiator's name as sent with the event, if any. */
  initiatorName?: string;
}

export interface MembershipEvent extends EventBase {
  kind: "addMember" | "deleteMember" | "memberJoined" | "memberLeft";
  members: ThreadActivityMember[];
}

export interface TopicUpdateEvent extends EventBase {
  kind: "topicUpdate";
  topic: string;
  previousTopic?: string;
  /** The team ("space") topic rather than the chat or channel topic (`SpaceTopicUpdated`). */
  space?: boolean;
}

export interface RoleUpdateEvent extends EventBase {
  kind: "roleUpdate";
  members: ThreadActivityMember[];
}

export interface ThreadPropertyEvent extends EventBase {
  kind: "joiningEnabledUpdate" | "historyDisclosedUpdate" | "pictureUpdate";
  value: string;
}

export interface ConsumptionHorizonEvent extends EventBase {
  kind: "memberConsumptionHorizonUpdate";
  user: string;
  consumptionHorizon: string;
  messageVisibilityTime?: number;
}

export interface CallActivityEvent extends EventBase {
  kind: "call";
  phase: "started" | "ended" | "recordingFinished";
}

export interface UnknownActivityEvent {
  kind: "unknown";
  messagetype: string;
}

export type ThreadActivityEvent =
  | MembershipEvent
  | TopicUpdateEvent
  | RoleUpdateEvent
  | ThreadPropertyEvent
  | ConsumptionHorizonEvent
  | CallActivityEvent
  | UnknownActivityEvent;

const PREFIX = "ThreadActivity/";

function toMs(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && /^\s*\d{1,16}\s*$/.test(v)) return Number(v);
  return undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function withBase<T extends object>(
  event: T,
  time: number | undefined,
  initiator: string | undefined,
  initiatorName?: string,
): T & EventBase {
  const e: T & EventBase = event;
  if (time !== undefined) e.time = time;
  if (initiator) e.initiator = initiator;
  if (initiatorName) e.initiatorName = initiatorName;
  return e;
}

function member(mri: string, friendlyName: string | undefined, role?: string): ThreadActivityMember {
  const m: ThreadActivityMember = { mri };
  if (friendlyName) m.friendlyName = friendlyName;
  if (role) m.role = role.toLowerCase();
  return m;
}

/** Reads a ThreadActivity message into a typed event. `messagetype` may be given with or without the `ThreadActivity/` prefix. */
export function parseThreadActivity(messagetype: string, content: string): ThreadActivityEvent {
  const mt = typeof messagetype === "string" ? messagetype : "";
  const unknown: UnknownActivityEvent = { kind: "unknown", messagetype: mt };
  try {
    const type = (mt.startsWith(PREFIX) ? mt.slice(PREFIX.length) : mt).toLowerCase();
    const body = typeof content === "string" ? content.trim() : "";
    const json = body.startsWith("{") ? parseMaybeJsonObject<Record<string, unknown>>(body) : undefined;
    return (json ? fromJson(type, json) : fromXml(type, body)) ?? unknown;
  } catch {
    return unknown;
  }
}

function fromJson(type: string, j: Partial<Record<string, unknown>>): ThreadActivityEvent | undefined {
  const time = toMs(j["eventtime"] ?? j["eventTime"]);
  const initiator = str(j["initiator"]) ?? str(j["userId"]);
  switch (type) {
    case "addmember":
    case "deletemember":
    case "memberjoined":
    case "memberleft": {
      const members: ThreadActivityMember[] = [];
      const raw = Array.isArray(j["members"]) ? (j["members"] as unknown[]) : [];
      for (const m of raw) {
        if (typeof m === "string") members.push(member(m, undefined));
        else if (m && typeof m === "object") {
          const r = m as Record<string, unknown>;
          const id = str(r["id"]) ?? str(r["mri"]);
          if (id) members.push(member(id, str(r["friendlyname"]) ?? str(r["friendlyName"]) ?? str(r["displayName"])));
        }
      }
      if (members.length === 0) return undefined;
      return withBase({ kind: membershipKind(type), members }, time, initiator);
    }
    case "topicupdated":
    case "spacetopicupdated":
    case "topicupdate": {
      const topic = str(j["newValue"]) ?? str(j["value"]);
      if (topic === undefined) return undefined;
      const e: TopicUpdateEvent = { kind: "topicUpdate", topic };
      const old = str(j["oldValue"]);
      if (old !== undefined) e.previousTopic = old;
      if (type === "spacetopicupdated") e.space = true;
      return withBase(e, time, str(j["user"]) ?? initiator);
    }
    case "memberconsumptionhorizonupdate": {
      const user = str(j["user"]);
      if (!user) return undefined;
      const e: ConsumptionHorizonEvent = {
        kind: "memberConsumptionHorizonUpdate",
        user,
        consumptionHorizon: str(j["consumptionhorizon"]) ?? str(j["consumptionHorizon"]) ?? "",
      };
      const vis = toMs(j["messageVisibilityTime"]);
      if (vis !== undefined) e.messageVisibilityTime = vis;
      return withBase(e, time, initiator);
    }
    default:
      return simpleKind(type, time, initiator, j["value"]);
  }
}

function membershipKind(type: string): MembershipEvent["kind"] {
  if (type === "deletemember") return "deleteMember";
  if (type === "memberjoined") return "memberJoined";
  if (type === "memberleft") return "memberLeft";
  return "addMember";
}

/** Types whose payload is at most a `value`. */
function simpleKind(
  type: string,
  time: number | undefined,
  initiator: string | undefined,
  value: unknown,
  initiatorName?: string,
) {
  const v = typeof value === "string" ? value.trim() : typeof value === "boolean" ? String(value) : undefined;
  switch (type) {
    case "joiningenabledupdate":
      return v === undefined
        ? undefined
        : withBase({ kind: "joiningEnabledUpdate" as const, value: v }, time, initiator, initiatorName);
    case "historydisclosedupdate":
      return v === undefined
        ? undefined
        : withBase({ kind: "historyDisclosedUpdate" as const, value: v }, time, initiator, initiatorName);
    case "pictureupdate":
      return withBase({ kind: "pictureUpdate" as const, value: v ?? "" }, time, initiator, initiatorName);
    case "callstarted":
      return withBase({ kind: "call" as const, phase: "started" as const }, time, initiator, initiatorName);
    case "callended":
      return withBase({ kind: "call" as const, phase: "ended" as const }, time, initiator, initiatorName);
    case "callrecordingfinished":
      return withBase({ kind: "call" as const, phase: "recordingFinished" as const }, time, initiator, initiatorName);
    default:
      return undefined;
  }
}

function fromXml(type: string, body: string): ThreadActivityEvent | undefined {
  const els = readXml(body);
  const rootIndex = els.findIndex((e) => e.parent === -1);
  if (rootIndex < 0) return simpleKind(type, undefined, undefined, undefined);
  const time = toMs(childText(els, rootIndex, "eventtime"));
  const initiator = childText(els, rootIndex, "initiator") || undefined;
  const initInfo = childNamed(els, rootIndex, "detailedinitiatorinfo");
  const initiatorName = initInfo ? nameIn(els, initInfo) : undefined;

  switch (type) {
    case "addmember":
    case "deletemember":
    case "memberjoined":
    case "memberleft":
    case "roleupdate": {
      const members = targets(els, rootIndex);
      if (members.length === 0) return undefined;
      const kind = type === "roleupdate" ? "roleUpdate" : membershipKind(type);
      return withBase({ kind, members } as MembershipEvent | RoleUpdateEvent, time, initiator, initiatorName);
    }
    case "topicupdate":
    case "topicupdated":
    case "spacetopicupdated": {
      const value = childNamed(els, rootIndex, "value");
      if (value === undefined) return undefined;
      const e: TopicUpdateEvent = { kind: "topicUpdate", topic: value.text.trim() };
      if (type === "spacetopicupdated") e.space = true;
      return withBase(e, time, initiator, initiatorName);
    }
    default:
      return simpleKind(type, time, initiator, childText(els, rootIndex, "value"), initiatorName);
  }
}

function nameIn(els: readonly XmlElement[], e: XmlElement): string | undefined {
  const idx = els.indexOf(e);
  return (childText(els, idx, "friendlyname") ?? childText(els, idx, "displayname")) || undefined;
}

/** `<target>mri</target>` or `<target><id>mri</id><role>admin</role></target>` children, merged with `<detailedtargetinfo>`. */
function targets(els: readonly XmlElement[], root: number): ThreadActivityMember[] {
  const out: ThreadActivityMember[] = [];
  const byMri = new Map<string, ThreadActivityMember>();
  for (const t of childrenNamed(els, root, "target")) {
    const e = els[t];
    if (!e) continue;
    const mri = e.text.trim() || childText(els, t, "id") || childText(els, t, "mri") || "";
    if (!mri) continue;
    const m = member(mri, childText(els, t, "friendlyname") || undefined, childText(els, t, "role") || undefined);
    out.push(m);
    byMri.set(mri, m);
  }
  for (const t of childrenNamed(els, root, "detailedtargetinfo")) {
    const mri = childText(els, t, "id") || childText(els, t, "mri") || "";
    if (!mri) continue;
    const name = childText(els, t, "friendlyname") || childText(els, t, "displayname") || undefined;
    const role = childText(els, t, "role") || undefined;
    const existing = byMri.get(mri);
    if (existing) {
      if (name && !existing.friendlyName) existing.friendlyName = name;
      if (role && !existing.role) existing.role = role.toLowerCase();
    } else {
      const m = member(mri, name, role);
      out.push(m);
      byMri.set(mri, m);
    }
  }
  return out;
}

// ── Rendering ───────────────────────────────────────────────────────────────────────────────────

/**
 * Resolves an MRI to a display name. Return "" (or the MRI itself) when the name is unknown, so the
 * name the service sent with the event, or a short id, is used instead of a placeholder.
 */
export type NameOf = (mri: string) => string;

const MAX_NAME = 100;

function clean(s: string): string {
  const t = sanitizeTerminalText(s, { allowNewlines: false }).replace(/\s+/g, " ").trim();
  return t.length > MAX_NAME ? `${t.slice(0, MAX_NAME - 1)}…` : t;
}

/** The best name for `mri`: the resolver's, unless it only echoes the MRI, then the event's, then a short MRI. */
function who(nameOf: NameOf, mri: string, friendly?: string): string {
  let resolved = "";
  try {
    const r = nameOf(mri);
    if (typeof r === "string") resolved = r;
  } catch {
    // A failing resolver must not break rendering.
  }
  if (resolved && resolved !== mri) return clean(resolved) || "Someone";
  if (friendly) return clean(friendly) || "Someone";
  // A Skype or live name is readable; an object id or a cid is not, and no raw id is shown to people.
  const short = mri.replace(/^\d+:(?:orgid:|live:)?/, "");
  if (!short || /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(short) || /^\.cid\./.test(short)) return UNKNOWN_PERSON;
  return clean(short) || UNKNOWN_PERSON;
}

/** What an activity line calls someone nobody could name. */
export const UNKNOWN_PERSON = "Unknown user";

/**
 * "A", "A and B", "A, B and C"; past `max + 1` names, the first `max` and a count:
 * "A, B, C and 2 others". Activity lines use the default; chat titles pass their own `max`.
 */
export function joinNames(names: readonly string[], max = 3): string {
  if (names.length === 0) return "";
  if (names.length === 1) return names[0] ?? "";
  if (names.length <= max + 1) return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
  const rest = names.length - max;
  return `${names.slice(0, max).join(", ")} and ${rest} other${rest === 1 ? "" : "s"}`;
}

function isTrue(v: string): boolean {
  return /^(?:true|1|yes|on)$/i.test(v.trim());
}

/** One readable line for a thread activity event, e.g. "Dana added Evan and Frank". Terminal-safe. */
export function renderThreadActivity(event: ThreadActivityEvent, nameOf: NameOf): string {
  const actor = "initiator" in event && event.initiator ? who(nameOf, event.initiator, event.initiatorName) : undefined;
  switch (event.kind) {
    case "addMember":
    case "deleteMember":
    case "memberJoined":
    case "memberLeft": {
      const names = joinNames(event.members.map((m) => who(nameOf, m.mri, m.friendlyName)));
      const plural = event.members.length > 1;
      const self = event.members.length === 1 && event.members[0]?.mri === event.initiator;
      if (event.kind === "memberJoined") return `${names} joined`;
      if (event.kind === "memberLeft") return `${names} left`;
      if (event.kind === "addMember") {
        if (self) return `${names} joined`;
        return actor ? `${actor} added ${names}` : `${names} ${plural ? "were" : "was"} added`;
      }
      if (self) return `${names} left`;
      return actor ? `${actor} removed ${names}` : `${names} ${plural ? "were" : "was"} removed`;
    }
    case "topicUpdate": {
      const what = event.space ? "the team name" : "the topic";
      const topic = clean(event.topic);
      if (topic === "") return actor ? `${actor} removed ${what}` : `${capitalize(what)} was removed`;
      return actor ? `${actor} changed ${what} to “${topic}”` : `${capitalize(what)} was changed to “${topic}”`;
    }
    case "roleUpdate": {
      const groups = new Map<string, string[]>();
      for (const m of event.members) {
        const role = m.role ?? "";
        const list = groups.get(role) ?? [];
        list.push(who(nameOf, m.mri, m.friendlyName));
        groups.set(role, list);
      }
      const clauses: string[] = [];
      for (const [role, names] of groups) {
        const many = names.length > 1;
        const list = joinNames(names);
        if (role === "admin") clauses.push(`made ${list} ${many ? "admins" : "an admin"}`);
        else if (role === "user" || role === "member") clauses.push(`made ${list} ${many ? "members" : "a member"}`);
        else if (role === "") clauses.push(`changed the role of ${list}`);
        else clauses.push(`changed the role of ${list} to ${clean(role)}`);
      }
      const text = clauses.join(" and ");
      return actor ? `${actor} ${text}` : `Someone ${text}`;
    }
    case "joiningEnabledUpdate": {
      const state = isTrue(event.value) ? "on" : "off";
      return actor ? `${actor} turned ${state} joining by link` : `Joining by link was turned ${state}`;
    }
    case "historyDisclosedUpdate":
      if (isTrue(event.value)) {
        return actor
          ? `${actor} made the chat history visible to new members`
          : "Chat history is now visible to new members";
      }
      return actor ? `${actor} hid the chat history from new members` : "Chat history is now hidden from new members";
    case "pictureUpdate":
      return actor ? `${actor} changed the picture` : "The picture was changed";
    case "memberConsumptionHorizonUpdate":
      return `${who(nameOf, event.user)} read the conversation`;
    case "call":
      return event.phase === "started"
        ? "Call started"
        : event.phase === "ended"
          ? "Call ended"
          : "Call recording is ready";
    default:
      return "Conversation updated";
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
