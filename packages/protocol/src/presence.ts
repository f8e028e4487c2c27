/**
 * Unified presence (PROTOCOL.md §3): wire shapes, the paths under `regionGtms.unifiedPresence`,
 * request builders and lenient parsers of batch reads and Trouter presence pushes.
 */
import { escapeHtml } from "./content/escape.js";
import { pathTemplate } from "./path-template.js";

/** Every availability the service reports (§3.2). */
export const AVAILABILITIES = [
  "Available",
  "AvailableIdle",
  "Away",
  "BeRightBack",
  "Busy",
  "BusyIdle",
  "DoNotDisturb",
  "Offline",
  "PresenceUnknown",
] as const;
export type Availability = (typeof AVAILABILITIES)[number];

/** What a user can force through `forceavailability` (§3.3). */
export const SETTABLE_AVAILABILITIES = ["Available", "Busy", "DoNotDisturb", "BeRightBack", "Away", "Offline"] as const;
export type SettableAvailability = (typeof SETTABLE_AVAILABILITIES)[number];

export function isSettableAvailability(value: string): value is SettableAvailability {
  return (SETTABLE_AVAILABILITIES as readonly string[]).includes(value);
}

/** The activity the web client pairs with a forced availability: `Offline` goes with `OffWork`. */
export function activityForAvailability(availability: SettableAvailability): string {
  return availability === "Offline" ? "OffWork" : availability;
}

/** PT batches up to 650 MRIs per getpresence call (§3.2). */
export const GETPRESENCE_MAX_BATCH = 650;

/** Per-item status of a batch read: found. */
export const PRESENCE_STATUS_OK = 20000;
/** Per-item status of a batch read: nobody by that MRI. */
export const PRESENCE_STATUS_NOT_FOUND = 40400;

/** Appended to a note's message: "show when people message me" (§3.3). */
export const PINNED_NOTE_MARKER = "<pinnednote></pinnednote>";
/** The expiry the web client sends for a note that never expires. */
export const NOTE_NEVER_EXPIRES = "9999-12-31T05:00:00.000Z";

/** Trouter path suffixes presence pushes are addressed to ([DISAGREE] §3.4: PT vs SQ). */
export const PRESENCE_PUSH_SUFFIXES = ["TeamsUnifiedPresenceService", "unifiedPresenceService"] as const;
/** The suffix the web client registers (PT). */
export const PRESENCE_PUSH_SUFFIX = PRESENCE_PUSH_SUFFIXES[0];

/** Paths under `regionGtms.unifiedPresence` (which ends before `/v1`). Trailing slashes as the web client sends them. */
export const PRESENCE_PATHS = {
  getPresence: pathTemplate("/v1/presence/getpresence/"),
  forceAvailability: pathTemplate("/v1/me/forceavailability/"),
  endpoints: pathTemplate("/v1/me/endpoints/"),
  endpoint: pathTemplate<"epid">("/v1/me/endpoints/{epid}"),
  reportActivity: pathTemplate("/v1/me/reportmyactivity/"),
  publishNote: pathTemplate("/v1/me/publishnote"),
  subscriptions: pathTemplate<"epid">("/v1/pubsub/subscriptions/{epid}"),
} as const;

// ── Wire shapes ─────────────────────────────────────────────────────────────────────────────────

export interface WirePresenceNote {
  /** HTML; may end with {@link PINNED_NOTE_MARKER}. */
  message: string;
  publishTime?: string;
  expiry?: string;
}

export interface WireForcedAvailability {
  availability: string;
  activity?: string;
  expiry?: string;
  publishTime?: string;
}

export interface WirePresence {
  sourceNetwork?: "Self" | "Federated" | "SameEnterprise" | string;
  availability: Availability | string;
  activity?: string;
  deviceType?: "Desktop" | "Mobile" | "Web" | string;
  lastActiveTime?: string;
  capabilities?: string[];
  note?: WirePresenceNote;
  calendarData?: { isOutOfOffice: boolean; outOfOfficeNote?: WirePresenceNote };
  forcedAvailability?: WireForcedAvailability;
  workLocation?: { location: number; expirationTime?: string; source?: string };
}

/** One item of a batch read (and of a push). */
export interface WirePresenceItem {
  mri: string;
  etag?: string;
  etagMatch?: boolean;
  status?: number;
  source?: string;
  /** Left out when `etagMatch` is true. */
  presence?: WirePresence;
}

export interface WireGetPresenceRequestItem {
  mri: string;
  /** The etag last seen: an unchanged user comes back `etagMatch: true` without `presence`. */
  etag?: string;
}

export interface WireForceAvailabilityRequest {
  availability?: string;
  activity?: string;
  desiredExpirationTime?: string;
}

export interface WirePresenceEndpointRequest {
  id: string;
  availability: "Available";
  activity: "Available";
  activityReporting: "Transport";
  deviceType: "Desktop" | "Mobile" | "Web";
}

export interface WireReportActivityRequest {
  endpointId: string;
  isActive: boolean;
}

export interface WirePublishNoteRequest {
  message: string;
  expiry: string;
}

export interface WirePresenceSubscription {
  mri: string;
  source: "ups" | string;
}

export interface WirePresenceSubscriptionRequest {
  trouterUri: string;
  shouldPurgePreviousSubscriptions: boolean;
  subscriptionsToAdd: WirePresenceSubscription[];
  subscriptionsToRemove: WirePresenceSubscription[];
}

/** The JSON string body of a Trouter presence push (§3.4). */
export interface WirePresencePush {
  presence: WirePresenceItem[];
}

// ── Builders ────────────────────────────────────────────────────────────────────────────────────

export function getPresenceBody(
  items: ReadonlyArray<{ mri: string; etag?: string | undefined }>,
): WireGetPresenceRequestItem[] {
  return items.map((i) => (i.etag ? { mri: i.mri, etag: i.etag } : { mri: i.mri }));
}

/** Forces an availability until `expiresAt` (epoch ms), or until reset when none. */
export function forceAvailabilityBody(
  availability: SettableAvailability,
  expiresAt?: number,
): WireForceAvailabilityRequest {
  return {
    availability,
    activity: activityForAvailability(availability),
    ...(expiresAt !== undefined ? { desiredExpirationTime: new Date(expiresAt).toISOString() } : {}),
  };
}

/** Back to automatic: the web client sends an empty object. */
export function resetAvailabilityBody(): WireForceAvailabilityRequest {
  return {};
}

export function presenceEndpointBody(
  epid: string,
  deviceType: WirePresenceEndpointRequest["deviceType"] = "Desktop",
): WirePresenceEndpointRequest {
  return { id: epid, availability: "Available", activity: "Available", activityReporting: "Transport", deviceType };
}

export function reportActivityBody(epid: string, isActive: boolean): WireReportActivityRequest {
  return { endpointId: epid, isActive };
}

/** A status message from plain text: HTML-escaped, pinned with the marker, expiring at `expiresAt` (epoch ms). */
export function publishNoteBody(
  text: string,
  options: { expiresAt?: number; pinned?: boolean } = {},
): WirePublishNoteRequest {
  return {
    message: `${escapeHtml(text)}${options.pinned ? PINNED_NOTE_MARKER : ""}`,
    expiry: options.expiresAt !== undefined ? new Date(options.expiresAt).toISOString() : NOTE_NEVER_EXPIRES,
  };
}

/** The trouterUri a subscriber registers: the Trouter surl plus the presence suffix. */
export function presenceTrouterUri(surl: string, suffix: string = PRESENCE_PUSH_SUFFIX): string {
  return `${surl.replace(/\/+$/, "")}/${suffix}`;
}

export function presenceSubscriptionBody(
  trouterUri: string,
  add: readonly string[],
  remove: readonly string[] = [],
  purge = false,
): WirePresenceSubscriptionRequest {
  return {
    trouterUri,
    shouldPurgePreviousSubscriptions: purge,
    subscriptionsToAdd: add.map((mri) => ({ mri, source: "ups" })),
    subscriptionsToRemove: remove.map((mri) => ({ mri, source: "ups" })),
  };
}

// ── Parsers ─────────────────────────────────────────────────────────────────────────────────────

/** Whether a Trouter request URL is a presence push (either suffix, any case). */
export function isPresencePushUrl(url: string): boolean {
  const path = (url.split("?")[0] ?? "").replace(/\/+$/, "").toLowerCase();
  return PRESENCE_PUSH_SUFFIXES.some((s) => path.endsWith(`/${s.toLowerCase()}`));
}

/** A note's message split into its text (HTML) and whether it carries the pinned marker. */
export function splitNoteMessage(message: string): { html: string; pinned: boolean } {
  const idx = message.toLowerCase().indexOf(PINNED_NOTE_MARKER);
  if (idx < 0) return { html: message, pinned: false };
  return { html: message.slice(0, idx) + message.slice(idx + PINNED_NOTE_MARKER.length), pinned: true };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function parseNote(v: unknown): WirePresenceNote | undefined {
  if (!isObject(v) || typeof v.message !== "string") return undefined;
  return {
    message: v.message,
    ...(typeof v.publishTime === "string" ? { publishTime: v.publishTime } : {}),
    ...(typeof v.expiry === "string" ? { expiry: v.expiry } : {}),
  };
}

function parsePresence(v: unknown): WirePresence | undefined {
  if (!isObject(v)) return undefined;
  const availability = typeof v.availability === "string" ? v.availability : "PresenceUnknown";
  const out: WirePresence = { ...(v as Partial<WirePresence>), availability };
  const note = parseNote(v.note);
  if (note) out.note = note;
  else delete out.note;
  if (!Array.isArray(v.capabilities)) delete out.capabilities;
  if (isObject(v.calendarData)) {
    const ooo = parseNote(v.calendarData.outOfOfficeNote);
    out.calendarData = {
      isOutOfOffice: v.calendarData.isOutOfOffice === true,
      ...(ooo ? { outOfOfficeNote: ooo } : {}),
    };
  } else delete out.calendarData;
  if (isObject(v.forcedAvailability) && typeof v.forcedAvailability.availability === "string") {
    out.forcedAvailability = v.forcedAvailability as unknown as WireForcedAvailability;
  } else delete out.forcedAvailability;
  return out;
}

/** One presence item, or undefined when it has no MRI. Unknown fields pass through; odd types are dropped. */
export function parsePresenceItem(v: unknown): WirePresenceItem | undefined {
  if (!isObject(v) || typeof v.mri !== "string" || v.mri === "") return undefined;
  const presence = parsePresence(v.presence);
  return {
    mri: v.mri,
    ...(typeof v.etag === "string" ? { etag: v.etag } : {}),
    etagMatch: v.etagMatch === true,
    ...(typeof v.status === "number" ? { status: v.status } : {}),
    ...(typeof v.source === "string" ? { source: v.source } : {}),
    ...(presence ? { presence } : {}),
  };
}

/** A getpresence answer: the array of items, or undefined when the body is not an array. */
export function parseGetPresenceResponse(body: unknown): WirePresenceItem[] | undefined {
  if (!Array.isArray(body)) return undefined;
  return body.map(parsePresenceItem).filter((i): i is WirePresenceItem => i !== undefined);
}

/** A Trouter presence push body: a JSON string (or already parsed) `{presence:[…]}`; undefined if not one. */
export function parsePresencePush(body: unknown): WirePresenceItem[] | undefined {
  let v = body;
  if (typeof v === "string") {
    try {
      v = JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  if (!isObject(v) || !Array.isArray(v.presence)) return undefined;
  return parseGetPresenceResponse(v.presence);
}
