import { createHash } from "node:crypto";
import {
  activityForAvailability,
  PRESENCE_STATUS_NOT_FOUND,
  PRESENCE_STATUS_OK,
  type SettableAvailability,
  toTeamsTimestamp,
  type WirePresence,
  type WirePresenceItem,
} from "@teams-api/protocol";
import type { Directory, User } from "./directory.js";
import type { StoreEventBus } from "./events.js";

/**
 * Unified presence state (PROTOCOL.md §3): each user's endpoints (devices that said "I am online"),
 * a forced availability with its expiry, a status note, and pubsub subscriptions. Availability is
 * derived, never stored: forced "Offline" or no live endpoint → Offline; else the forced status
 * while it lasts; else Available, or Away when every endpoint reports inactivity.
 *
 * Endpoints expire when not renewed (a PUT of the endpoint or an activity report) for
 * {@link ENDPOINT_TTL_MS}; forced statuses and notes at their expiry — all on the emulator's clock.
 * Every change raises a `presence` event once: writes at once, expiries when {@link sweep} runs
 * (each read and write sweeps; the emulator also sweeps on a timer and when its clock moves).
 */

/** An endpoint not renewed for this long is gone (the user goes Offline when it was the last). */
export const ENDPOINT_TTL_MS = 3 * 60_000;
/** Subscriptions last this long unless re-posted (the web client re-posts about hourly). */
export const SUBSCRIPTION_TTL_MS = 60 * 60_000;
/** Longest status note text (Teams' limit). */
export const NOTE_MAX_LENGTH = 280;

type DeviceType = "Desktop" | "Mobile" | "Web";

interface Endpoint {
  readonly id: string;
  deviceType: DeviceType;
  /** Renewed at; expires {@link ENDPOINT_TTL_MS} later. Infinity for seeded devices. */
  renewedAt: number;
  active: boolean;
}

interface Timed<T> {
  value: T;
  publishTime: number;
  /** Epoch ms; Infinity when it never expires. */
  expiresAt: number;
}

interface UserPresence {
  readonly endpoints: Map<string, Endpoint>;
  forced?: Timed<{ availability: SettableAvailability; activity: string }>;
  note?: Timed<string>;
  outOfOffice?: Timed<string>;
  /** Seeded activity shown while online and not forced (e.g. InAMeeting). */
  activity?: { availability: string; activity: string };
  lastActiveAt: number;
}

export interface PresenceSubscription {
  readonly epid: string;
  /** Who subscribed. */
  readonly owner: string;
  trouterUri: string;
  readonly mris: Set<string>;
  expiresAt: number;
}

export interface PresenceStoreOptions {
  directory: Directory;
  now: () => number;
  events: StoreEventBus;
}

export class PresenceStore {
  readonly #directory: Directory;
  readonly #now: () => number;
  readonly #events: StoreEventBus;
  readonly #users = new Map<string, UserPresence>();
  readonly #subscriptions = new Map<string, PresenceSubscription>();
  /** The etag each user had when last announced, to raise one event per real change. */
  readonly #announced = new Map<string, string>();

  constructor(options: PresenceStoreOptions) {
    this.#directory = options.directory;
    this.#now = options.now;
    this.#events = options.events;
  }

  #state(mri: string): UserPresence {
    const key = mri.toLowerCase();
    let s = this.#users.get(key);
    if (!s) {
      s = { endpoints: new Map(), lastActiveAt: 0 };
      this.#users.set(key, s);
    }
    return s;
  }

  // ── writes ────────────────────────────────────────────────────────────────────────────────────

  /** `PUT /v1/me/endpoints/`: registers or renews an endpoint. Returns whether it is new. */
  putEndpoint(user: User, id: string, deviceType: DeviceType): boolean {
    const s = this.#state(user.mri);
    const now = this.#now();
    const existing = s.endpoints.get(id);
    this.#expire(s, now);
    const created = !s.endpoints.has(id);
    s.endpoints.set(id, { id, deviceType, renewedAt: existing?.renewedAt === Infinity ? Infinity : now, active: true });
    s.lastActiveAt = now;
    this.sweep();
    return created;
  }

  /** `DELETE /v1/me/endpoints/{epid}`. Returns whether there was one. */
  deleteEndpoint(user: User, id: string): boolean {
    const s = this.#state(user.mri);
    const had = s.endpoints.delete(id);
    // The device is gone: so are the pubsub subscriptions it made.
    const sub = this.#subscriptions.get(id);
    if (sub && sub.owner === user.mri) this.#subscriptions.delete(id);
    this.sweep();
    return had;
  }

  /** `POST /v1/me/reportmyactivity/`: renews the endpoint and records active/inactive. False when unknown. */
  reportActivity(user: User, id: string, isActive: boolean): boolean {
    const s = this.#state(user.mri);
    const now = this.#now();
    this.#expire(s, now);
    const e = s.endpoints.get(id);
    if (!e) return false;
    if (e.renewedAt !== Infinity) e.renewedAt = now;
    e.active = isActive;
    if (isActive) s.lastActiveAt = now;
    this.sweep();
    return true;
  }

  /** `PUT /v1/me/forceavailability/`: a status until `expiresAt`, or back to automatic with none. */
  forceAvailability(user: User, forced: { availability: SettableAvailability; expiresAt?: number } | undefined): void {
    const s = this.#state(user.mri);
    if (forced) {
      s.forced = {
        value: { availability: forced.availability, activity: activityForAvailability(forced.availability) },
        publishTime: this.#now(),
        expiresAt: forced.expiresAt ?? Infinity,
      };
    } else delete s.forced;
    this.sweep();
  }

  /** `PUT /v1/me/publishnote`: an empty message clears the note. */
  publishNote(user: User, message: string, expiresAt: number): void {
    const s = this.#state(user.mri);
    if (message === "") delete s.note;
    else s.note = { value: message, publishTime: this.#now(), expiresAt };
    this.sweep();
  }

  /** `POST /v1/pubsub/subscriptions/{epid}`. */
  subscribe(
    user: User,
    epid: string,
    body: { trouterUri: string; purge: boolean; add: readonly string[]; remove: readonly string[] },
  ): PresenceSubscription {
    let sub = this.#subscriptions.get(epid);
    if (!sub || sub.owner !== user.mri) {
      sub = { epid, owner: user.mri, trouterUri: body.trouterUri, mris: new Set(), expiresAt: 0 };
      this.#subscriptions.set(epid, sub);
    }
    sub.trouterUri = body.trouterUri;
    sub.expiresAt = this.#now() + SUBSCRIPTION_TTL_MS;
    if (body.purge) sub.mris.clear();
    for (const m of body.remove) sub.mris.delete(m.toLowerCase());
    for (const m of body.add) sub.mris.add(m.toLowerCase());
    return sub;
  }

  /** Live subscriptions watching a user. */
  subscribersOf(mri: string): PresenceSubscription[] {
    const now = this.#now();
    const key = mri.toLowerCase();
    const out: PresenceSubscription[] = [];
    for (const [epid, sub] of this.#subscriptions) {
      if (sub.expiresAt <= now) this.#subscriptions.delete(epid);
      else if (sub.mris.has(key)) out.push(sub);
    }
    return out;
  }

  /** Demo state: a device that never expires, an activity, a note, an out-of-office note. */
  seed(
    mri: string,
    seed: {
      device?: DeviceType;
      active?: boolean;
      activity?: { availability: string; activity: string };
      note?: string;
      outOfOffice?: string;
    },
  ): void {
    const s = this.#state(mri);
    const now = this.#now();
    if (seed.device) {
      const id = `seed-${seed.device.toLowerCase()}`;
      s.endpoints.set(id, { id, deviceType: seed.device, renewedAt: Infinity, active: seed.active ?? true });
      s.lastActiveAt = now - 7 * 60_000;
    }
    if (seed.activity) s.activity = seed.activity;
    if (seed.note) s.note = { value: seed.note, publishTime: now - 3 * 3600_000, expiresAt: Infinity };
    if (seed.outOfOffice) {
      s.outOfOffice = { value: seed.outOfOffice, publishTime: now - 86400_000, expiresAt: now + 4 * 86400_000 };
    }
    this.#announced.set(mri.toLowerCase(), this.#etag(this.#presence(mri, mri, now)));
  }

  // ── reads ─────────────────────────────────────────────────────────────────────────────────────

  /** One item of a batch read as `viewer` sees it; `etag` the viewer already has → `etagMatch`. */
  item(viewer: string, mri: string, etag?: string): WirePresenceItem {
    const user = this.#directory.byMri(mri);
    if (!user) return { mri, etagMatch: false, status: PRESENCE_STATUS_NOT_FOUND, source: "ups" };
    const presence = this.#presence(viewer, user.mri, this.#now());
    const current = this.#etag(presence);
    if (etag && etag === current)
      return { mri, etag: current, etagMatch: true, status: PRESENCE_STATUS_OK, source: "ups" };
    return { mri, etag: current, etagMatch: false, status: PRESENCE_STATUS_OK, source: "ups", presence };
  }

  /** The availability a user shows right now (for tests and the control plane). */
  availability(mri: string): string {
    return this.#presence(mri, mri, this.#now()).availability;
  }

  /**
   * Applies every expiry due on the clock and raises an event for each user whose
   * presence differs from what was last announced (a `presence` event with the self view).
   */
  sweep(): void {
    const now = this.#now();
    for (const [key, s] of this.#users) {
      this.#expire(s, now);
      const user = this.#directory.byMri(key);
      if (!user) continue;
      const etag = this.#etag(this.#presence(user.mri, user.mri, now));
      if (this.#announced.get(key) === etag) continue;
      this.#announced.set(key, etag);
      this.#events.emit("presence", { mri: user.mri, item: this.item(user.mri, user.mri) });
    }
  }

  #expire(s: UserPresence, now: number): void {
    for (const [id, e] of s.endpoints) if (e.renewedAt + ENDPOINT_TTL_MS <= now) s.endpoints.delete(id);
    if (s.forced && s.forced.expiresAt <= now) delete s.forced;
    if (s.note && s.note.expiresAt <= now) delete s.note;
    if (s.outOfOffice && s.outOfOffice.expiresAt <= now) delete s.outOfOffice;
  }

  #presence(viewer: string, mri: string, now: number): WirePresence {
    const s = this.#users.get(mri.toLowerCase());
    if (s) this.#expire(s, now);
    const endpoints = s ? [...s.endpoints.values()] : [];
    const viewerUser = this.#directory.byMri(viewer);
    const target = this.#directory.byMri(mri);
    const sourceNetwork =
      viewer.toLowerCase() === mri.toLowerCase()
        ? "Self"
        : viewerUser && target && viewerUser.kind === "enterprise" && viewerUser.tenantId === target.tenantId
          ? "SameEnterprise"
          : "Federated";

    let availability: string;
    let activity: string;
    const forced = s?.forced;
    if (endpoints.length === 0 || forced?.value.availability === "Offline") {
      availability = "Offline";
      activity = forced?.value.availability === "Offline" ? "OffWork" : "Offline";
    } else if (forced) {
      availability = forced.value.availability;
      activity = forced.value.activity;
    } else if (s?.activity) {
      ({ availability, activity } = s.activity);
    } else if (endpoints.every((e) => !e.active)) {
      availability = "Away";
      activity = "Away";
    } else {
      availability = "Available";
      activity = "Available";
    }
    const device = [...endpoints].sort((a, b) => Number(b.active) - Number(a.active))[0]?.deviceType;
    const iso = (ms: number): string => toTeamsTimestamp(ms === Infinity ? Date.UTC(9999, 11, 31, 5) : ms);
    const presence: WirePresence = {
      sourceNetwork,
      availability,
      activity,
      ...(device ? { deviceType: device } : {}),
      ...(s && s.lastActiveAt > 0 ? { lastActiveTime: iso(s.lastActiveAt) } : {}),
      capabilities: ["Audio", "Video"],
    };
    if (forced) {
      presence.forcedAvailability = {
        availability: forced.value.availability,
        activity: forced.value.activity,
        publishTime: iso(forced.publishTime),
        ...(forced.expiresAt !== Infinity ? { expiry: iso(forced.expiresAt) } : {}),
      };
    }
    if (s?.note) {
      presence.note = { message: s.note.value, publishTime: iso(s.note.publishTime), expiry: iso(s.note.expiresAt) };
    }
    const ooo = s?.outOfOffice;
    presence.calendarData = ooo
      ? {
          isOutOfOffice: true,
          outOfOfficeNote: { message: ooo.value, publishTime: iso(ooo.publishTime), expiry: iso(ooo.expiresAt) },
        }
      : { isOutOfOffice: false };
    return presence;
  }

  /** `A` + ten digits, stable for the same presence (sourceNetwork aside: one etag for every viewer). */
  #etag(p: WirePresence): string {
    const { sourceNetwork: _, ...rest } = p;
    const digest = createHash("sha1").update(JSON.stringify(rest)).digest();
    return `A${String(digest.readUInt32BE(0)).padStart(10, "0")}`;
  }
}
