/**
 * The one boundary where wire objects become public models. Lenient where the service is
 * inconsistent (JSON-string-or-value properties, string-typed numbers, optional fields), strict where
 * nothing sensible can be built (no id, wrong types): that is a ProtocolError, never a crash.
 */
import {
  conversationKind,
  describeSystemMessage,
  fileMessageCaption,
  htmlToText,
  isJsonObject,
  mriFromContactUrl,
  type NameOf,
  parseMaybeJson,
  parseMediaReferences,
  parseMentions,
  parseReplyChainId,
  parseSharedFiles,
  parseTeamsTimestamp,
  parseThreadActivity,
  sanitizeTerminalText,
  summarizeReactions,
  type ThreadActivityEvent,
  type WireConversation,
  type WireMessage,
  type WireMessageProperties,
  type WireShortProfile,
  type WireTenant,
  type WireThread,
} from "@teams-api/protocol";
import { ProtocolError } from "../errors.js";
import type {
  Attachment,
  ConsumptionHorizon,
  Conversation,
  ConversationDetails,
  ConversationMember,
  Message,
  Person,
  Reaction,
  TenantInfo,
  UserProfile,
} from "../models.js";

function str(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (Number.isFinite(v)) return String(v);
  return undefined;
}

/** Epoch ms from a number or numeric string; undefined for "", "0", garbage. */
export function msFrom(v: unknown): number | undefined {
  // Number("") and Number("  ") are 0, which is no time either.
  const n = typeof v === "number" ? v : typeof v === "string" ? Number(v) : Number.NaN;
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

function dateFromMs(v: unknown): Date | undefined {
  const ms = msFrom(v);
  return ms === undefined ? undefined : new Date(ms);
}

function dateFromIso(v: unknown): Date | undefined {
  if (typeof v !== "string") return undefined;
  const ms = parseTeamsTimestamp(v);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** Message `properties`: an object, or the same object JSON-encoded in a string. */
export function messageProperties(wire: WireMessage): WireMessageProperties {
  const p = parseMaybeJson<unknown>(wire.properties, {});
  return isJsonObject(p) ? (p as WireMessageProperties) : {};
}

function reactionsFrom(props: WireMessageProperties): Reaction[] {
  return summarizeReactions(props.emotions).map((r) => ({
    key: r.key,
    count: r.count,
    users: r.users.map((mri) => ({ mri, displayName: "" })),
  }));
}

function mentionsFrom(props: WireMessageProperties): Person[] {
  const seen = new Set<string>();
  const out: Person[] = [];
  for (const m of parseMentions(props.mentions)) {
    if (!m.mri || seen.has(m.mri)) continue;
    seen.add(m.mri);
    out.push({ mri: m.mri, displayName: m.displayName });
  }
  return out;
}

const SYSTEM_PREFIXES = ["ThreadActivity/", "Event/", "Control/", "Signal/"];
const SYSTEM_TYPES = new Set(["RichText/Media_CallRecording", "RichText/Media_CallTranscript"]);

export function isSystemMessageType(messageType: string): boolean {
  return SYSTEM_TYPES.has(messageType) || SYSTEM_PREFIXES.some((p) => messageType.startsWith(p));
}

/** Terminal-safe text of a message: activity and call lines for system messages, else its content as text. */
export function messageText(
  messageType: string,
  content: string,
  props: WireMessageProperties,
  deleted: boolean,
  nameOf: NameOf,
): string {
  if (deleted) return "";
  // System messages (Control/ included) read as their activity or call line, or as nothing.
  if (isSystemMessageType(messageType)) return describeSystemMessage(messageType, content, nameOf) ?? "";
  // `Text` is plain text with HTML entities: keep its line breaks, which HTML rendering would fold.
  const html = messageType === "Text" ? `<pre>${content}</pre>` : content;
  // Stryker disable next-line ConditionalExpression: equivalent — htmlToText ignores `mentions: undefined` too
  return htmlToText(html, props.mentions !== undefined ? { mentions: props.mentions } : {});
}

/**
 * Wire message → Message. `conversationId` is the conversation it was fetched from, used when the
 * message does not say; `nameOf` names people in activity lines.
 */
export function toMessage(wire: unknown, conversationId?: string, nameOf?: NameOf): Message {
  if (!isJsonObject(wire)) throw new ProtocolError("The chat service sent a message that is not an object.");
  const w = wire as WireMessage;
  const id = str(w.id);
  if (!id) throw new ProtocolError("The chat service sent a message without an id.");
  const messageType = typeof w.messagetype === "string" ? w.messagetype : "";
  if (w.content !== undefined && w.content !== null && typeof w.content !== "string") {
    throw new ProtocolError(`Message ${id} has content that is not a string.`);
  }
  const content = typeof w.content === "string" ? w.content : "";
  const props = messageProperties(w);
  const deletedAt = dateFromMs(props.deletetime) ?? dateFromMs(props.deletionTime);
  const editedAt = dateFromMs(props.edittime);
  const arrivedAt = dateFromIso(w.originalarrivaltime) ?? dateFromMs(id);
  if (!arrivedAt) throw new ProtocolError(`Message ${id} has no arrival time.`);
  const composedAt = dateFromIso(w.composetime);

  const linkId = typeof w.conversationLink === "string" ? mriFromConversationLink(w.conversationLink) : undefined;
  const link = linkId ? parseReplyChainId(linkId) : undefined;
  const convId = str(w.conversationid) ?? link?.threadId ?? conversationId ?? "";
  const rootMessageId = str(w.rootMessageId) ?? link?.rootMessageId ?? str(w.parentMessageId);

  const fromMri = typeof w.from === "string" ? mriFromContactUrl(w.from) : "";
  const displayName =
    (typeof w.imdisplayname === "string" && w.imdisplayname) ||
    (typeof w["fromDisplayNameInToken"] === "string" && (w["fromDisplayNameInToken"] as string)) ||
    "";
  const clientMessageId = str(w.clientmessageid);
  const isDeleted = deletedAt !== undefined;
  const activity: ThreadActivityEvent | undefined = messageType.startsWith("ThreadActivity/")
    ? parseThreadActivity(messageType, content)
    : undefined;
  // "" when unknown, so an activity line falls back to the name the event itself carries.
  const names: NameOf = nameOf ?? ((mri) => (mri === fromMri && displayName ? displayName : ""));

  return {
    id,
    conversationId: convId,
    ...(clientMessageId && clientMessageId !== "0" ? { clientMessageId } : {}),
    version: msFrom(w.version) ?? arrivedAt.getTime(),
    messageType,
    from: { mri: fromMri, displayName },
    content: isDeleted ? "" : content,
    text: messageText(messageType, content, props, isDeleted, names),
    ...(composedAt ? { composedAt } : {}),
    arrivedAt,
    ...(editedAt ? { editedAt } : {}),
    ...(deletedAt ? { deletedAt } : {}),
    isDeleted,
    isSystem: isSystemMessageType(messageType),
    ...(activity ? { activity } : {}),
    reactions: isDeleted ? [] : reactionsFrom(props),
    mentions: mentionsFrom(props),
    ...(rootMessageId ? { rootMessageId } : {}),
    attachments: isDeleted ? [] : attachmentsFrom(content, w.amsreferences, props.files),
    raw: w,
  };
}

/** The conversation id at the end of a `conversationLink` URL. */
function mriFromConversationLink(link: string): string | undefined {
  const idx = link.lastIndexOf("/conversations/");
  if (idx < 0) return undefined;
  // Stryker disable next-line StringLiteral: equivalent — split always yields a first element
  const tail = link.slice(idx + "/conversations/".length).split("?")[0] ?? "";
  try {
    return decodeURIComponent(tail);
  } catch {
    return tail;
  }
}

/** `msgId;readMs;clientmessageid` → its parts (any missing or "0" part is undefined). */
export function parseHorizon(value: unknown): { messageId?: string; readAt?: number; clientMessageId?: string } {
  if (typeof value !== "string") return {};
  const [mid, ms, cmid] = value.split(";");
  const messageId = msFrom(mid) !== undefined ? mid : undefined;
  const readAt = msFrom(ms);
  return {
    ...(messageId ? { messageId } : {}),
    ...(readAt !== undefined ? { readAt } : {}),
    ...(cmid && cmid !== "0" ? { clientMessageId: cmid } : {}),
  };
}

function hasMessage(v: unknown): boolean {
  return isJsonObject(v) && str(v["id"]) !== undefined;
}

function isUnread(wire: WireConversation, lastMessage: Message | undefined, selfMri: string | undefined): boolean {
  const props = isJsonObject(wire.properties) ? wire.properties : {};
  const horizon = parseHorizon(props["consumptionhorizon"]);
  const bookmark = props["consumptionHorizonBookmark"];
  if (typeof bookmark === "string") {
    // Mark-unread: `markedAt;…;messageId`, unread while marked after the last read.
    const [markedAt, , markedId] = bookmark.split(";");
    if (msFrom(markedId) !== undefined && (msFrom(markedAt) ?? 0) > (horizon.readAt ?? 0)) return true;
  }
  if (!lastMessage || lastMessage.messageType.startsWith("Control/")) return false;
  if (selfMri && lastMessage.from.mri.toLowerCase() === selfMri.toLowerCase()) return false;
  const last = msFrom(lastMessage.id) ?? 0;
  return last > (msFrom(horizon.messageId) ?? 0);
}

/** Wire conversation → Conversation (title = topic; services fill it from members). */
export function toConversation(wire: unknown, selfMri?: string): Conversation {
  if (!isJsonObject(wire)) throw new ProtocolError("The chat service sent a conversation that is not an object.");
  const w = wire as unknown as WireConversation;
  const id = str(w.id);
  if (!id) throw new ProtocolError("The chat service sent a conversation without an id.");
  const tp = isJsonObject(w.threadProperties) ? w.threadProperties : {};
  const props = isJsonObject(w.properties) ? w.properties : {};
  const lastMessage = hasMessage(w.lastMessage) ? toMessage(w.lastMessage, id) : undefined;
  const topic = typeof tp["topic"] === "string" ? tp["topic"] : "";
  const memberCount = msFrom(tp["membercount"]);
  const lastActivityAt = dateFromIso(props["lastimreceivedtime"]) ?? lastMessage?.arrivedAt;
  const productThreadType = typeof tp["productThreadType"] === "string" ? tp["productThreadType"] : undefined;
  return {
    id,
    // Consumer 1:1 chats have thread-shaped ids (`19:uni01_…@thread.v2`); the thread says what it is.
    kind: productThreadType === "OneOnOne" ? "oneOnOne" : conversationKind(id),
    topic,
    title: topic,
    threadType: typeof tp["threadType"] === "string" ? tp["threadType"] : "",
    ...(productThreadType ? { productThreadType } : {}),
    ...(lastMessage ? { lastMessage } : {}),
    ...(lastActivityAt ? { lastActivityAt } : {}),
    isUnread: isUnread(w, lastMessage, selfMri),
    ...(memberCount !== undefined ? { memberCount } : {}),
    version: msFrom(w.version) ?? 0,
    raw: w,
  };
}

export function toMember(wire: unknown): ConversationMember | undefined {
  if (!isJsonObject(wire) || typeof wire["id"] !== "string") return undefined;
  const name = [wire["friendlyName"], wire["userDisplayName"], wire["displayName"]].find(
    (v) => typeof v === "string" && v !== "",
  ) as string | undefined;
  return {
    mri: wire["id"],
    role: typeof wire["role"] === "string" ? wire["role"] : "User",
    displayName: name ?? "",
  };
}

/** Conversation + its thread (when it is one) → ConversationDetails. */
export function toConversationDetails(conversation: Conversation, thread?: unknown): ConversationDetails {
  if (thread === undefined) return { ...conversation, members: [] };
  if (!isJsonObject(thread)) throw new ProtocolError("The chat service sent a thread that is not an object.");
  const t = thread as unknown as WireThread;
  if (t.members !== undefined && !Array.isArray(t.members)) {
    throw new ProtocolError("The chat service sent a thread whose members are not a list.");
  }
  const members = t.members?.map(toMember).filter((m): m is ConversationMember => m !== undefined) ?? [];
  const props = isJsonObject(t.properties) ? t.properties : {};
  const creator = typeof props["creator"] === "string" ? props["creator"] : undefined;
  const createdAt = dateFromMs(props["createdat"]);
  const topic = conversation.topic || (typeof props["topic"] === "string" ? props["topic"] : "");
  return {
    ...conversation,
    topic,
    title: conversation.title || topic,
    members,
    ...(conversation.memberCount === undefined && members.length ? { memberCount: members.length } : {}),
    ...(creator ? { creator } : {}),
    ...(createdAt ? { createdAt } : {}),
    rawThread: t,
  };
}

export function toHorizons(wire: unknown): ConsumptionHorizon[] {
  if (!isJsonObject(wire) || !Array.isArray(wire["consumptionhorizons"])) {
    throw new ProtocolError("The chat service sent consumption horizons in an unexpected shape.");
  }
  const out: ConsumptionHorizon[] = [];
  for (const h of wire["consumptionhorizons"] as unknown[]) {
    if (!isJsonObject(h) || typeof h["id"] !== "string") continue;
    const p = parseHorizon(h["consumptionhorizon"]);
    out.push({
      mri: h["id"],
      displayName: "",
      ...(p.messageId ? { messageId: p.messageId } : {}),
      ...(p.readAt !== undefined ? { readAt: new Date(p.readAt) } : {}),
    });
  }
  return out;
}

export function toProfile(wire: unknown): UserProfile | undefined {
  if (!isJsonObject(wire) || typeof wire["mri"] !== "string" || wire["mri"] === "") return undefined;
  const w = wire as unknown as WireShortProfile;
  const opt = (key: keyof WireShortProfile, as: string = key): Record<string, string> => {
    const v = w[key];
    return typeof v === "string" && v !== "" ? { [as]: v } : {};
  };
  const name =
    (typeof w.displayName === "string" && w.displayName) ||
    [w.givenName, w.surname].filter((x) => typeof x === "string" && x).join(" ");
  return {
    mri: w.mri,
    displayName: name,
    ...opt("objectId"),
    ...opt("givenName"),
    ...opt("surname"),
    ...opt("email"),
    ...opt("userPrincipalName"),
    ...opt("jobTitle"),
    ...opt("department"),
    ...opt("companyName"),
    ...opt("userLocation", "location"),
    ...opt("tenantName"),
    ...opt("type"),
    ...opt("userType"),
    raw: w,
  } as UserProfile;
}

export function toTenant(wire: unknown): TenantInfo | undefined {
  if (!isJsonObject(wire) || typeof wire["tenantId"] !== "string") return undefined;
  const w = wire as unknown as WireTenant;
  return {
    tenantId: w.tenantId,
    tenantName: typeof w.tenantName === "string" ? w.tenantName : "",
    userId: typeof w.userId === "string" ? w.userId : "",
    isInvitationRedeemed: w.isInvitationRedeemed === true,
    ...(typeof w.countryLetterCode === "string" ? { countryLetterCode: w.countryLetterCode } : {}),
    userType: typeof w.userType === "string" ? w.userType : "Member",
    ...(typeof w.tenantType === "string" ? { tenantType: w.tenantType } : {}),
    raw: w,
  };
}

/** Files and images a message references (AMS objects and shared files), names made terminal-safe. */
export function attachmentsFrom(content: string, amsreferences: unknown, files?: unknown): Attachment[] {
  const refs = parseMediaReferences(content, Array.isArray(amsreferences) ? amsreferences : undefined);
  const caption = refs.length ? fileMessageCaption(content) : undefined;
  const clean = (s: string): string => sanitizeTerminalText(s, { allowNewlines: false });
  const ams: Attachment[] = refs.map((r, i) => ({
    kind: r.kind,
    objectId: r.objectId,
    store: "ams",
    fileName: clean(r.fileName ?? ""),
    ...(r.size !== undefined ? { size: r.size } : {}),
    ...(r.url ? { url: r.url } : {}),
    ...(caption && i === 0 ? { caption: sanitizeTerminalText(caption) } : {}),
  }));
  const shared: Attachment[] = parseSharedFiles(files).map((f) => ({
    kind: "file",
    objectId: f.id,
    store: "sharepoint",
    fileName: clean(f.fileName),
    ...(f.url ? { url: f.url } : {}),
  }));
  return [...ams, ...shared];
}
