/**
 * Presence as a library user sees it, mapped from the wire at this one boundary (PROTOCOL.md §3.2).
 */
import {
  type Availability,
  htmlToText,
  parseTeamsTimestamp,
  splitNoteMessage,
  type WirePresenceItem,
} from "@teams-api/protocol";

export interface StatusMessage {
  /** Plain text (the service stores HTML). */
  readonly text: string;
  /** Shown to people when they message this user. */
  readonly pinned: boolean;
  /** Epoch ms; undefined when it never expires. */
  readonly expiresAt: number | undefined;
}

export interface Presence {
  readonly mri: string;
  /** `PresenceUnknown` for someone the service does not know. */
  readonly availability: Availability | string;
  /** E.g. `InAMeeting`, `Presenting`, `OffWork`. */
  readonly activity: string;
  readonly deviceType: string | undefined;
  /** Epoch ms. */
  readonly lastActiveAt: number | undefined;
  readonly statusMessage: StatusMessage | undefined;
  readonly outOfOffice: boolean;
  /** The status the user chose, while it lasts. */
  readonly forced: { readonly availability: string; readonly expiresAt: number | undefined } | undefined;
  /** `Self`, `SameEnterprise` or `Federated`. */
  readonly sourceNetwork: string | undefined;
  /** The service's version of this presence (sent back to skip unchanged users). */
  readonly etag: string | undefined;
}

/** Notes that "never expire" carry a year-9999 expiry. */
const FAR_FUTURE = Date.UTC(9000, 0, 1);

function expiry(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const ms = parseTeamsTimestamp(iso);
  return Number.isNaN(ms) || ms >= FAR_FUTURE ? undefined : ms;
}

/** The one wire → model mapping. */
export function toPresence(item: WirePresenceItem): Presence {
  const p = item.presence;
  const noteMessage = p?.note?.message;
  let statusMessage: StatusMessage | undefined;
  if (noteMessage) {
    const { html, pinned } = splitNoteMessage(noteMessage);
    const text = htmlToText(html).trim();
    if (text) statusMessage = { text, pinned, expiresAt: expiry(p?.note?.expiry) };
  }
  const last = p?.lastActiveTime ? parseTeamsTimestamp(p.lastActiveTime) : Number.NaN;
  return {
    mri: item.mri,
    availability: p?.availability ?? "PresenceUnknown",
    activity: p?.activity ?? p?.availability ?? "PresenceUnknown",
    deviceType: p?.deviceType,
    lastActiveAt: Number.isNaN(last) ? undefined : last,
    statusMessage,
    outOfOffice: p?.calendarData?.isOutOfOffice === true,
    forced: p?.forcedAvailability
      ? { availability: p.forcedAvailability.availability, expiresAt: expiry(p.forcedAvailability.expiry) }
      : undefined,
    sourceNetwork: p?.sourceNetwork,
    etag: item.etag,
  };
}

/** Whether two presences differ in anything a person would notice. */
export function presenceChanged(a: Presence | undefined, b: Presence): boolean {
  if (!a) return true;
  if (a.etag && b.etag) return a.etag !== b.etag;
  return (
    a.availability !== b.availability ||
    a.activity !== b.activity ||
    a.statusMessage?.text !== b.statusMessage?.text ||
    a.outOfOffice !== b.outOfOffice
  );
}
