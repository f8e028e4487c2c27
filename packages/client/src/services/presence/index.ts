/**
 * Unified presence (PROTOCOL.md §3): batched reads with etags, the user's own status and status
 * message, the presence endpoint a running client keeps alive, and subscriptions — pushed over
 * Trouter when a push source is attached (the realtime listener), polled otherwise.
 *
 * Base URL from `regionGtms.unifiedPresence`. Enterprise: Bearer for the presence audience (writes
 * with another audience's token get 401 sub-status 40102, §1.4). Consumer: the skypetoken.
 */
import { randomUUID } from "node:crypto";
import {
  AUDIENCES,
  forceAvailabilityBody,
  GETPRESENCE_MAX_BATCH,
  getPresenceBody,
  isSettableAvailability,
  type PathTemplate,
  PRESENCE_PATHS,
  parseGetPresenceResponse,
  presenceEndpointBody,
  presenceSubscriptionBody,
  presenceTrouterUri,
  publishNoteBody,
  reportActivityBody,
  resetAvailabilityBody,
  SETTABLE_AVAILABILITIES,
  type SettableAvailability,
  type WirePresenceItem,
} from "@teams-api/protocol";
import { InvalidArgumentError, ProtocolError } from "../../errors.js";
import type { AuthScheme, HttpMethod, RequestOptions, ServiceContext } from "../../http/types.js";
import { mapLimit, requestOptions } from "../util.js";
import { type Presence, presenceChanged, toPresence } from "./model.js";

export type { Presence, StatusMessage } from "./model.js";

export const PRESENCE_DEFAULTS = {
  /** MRIs per getpresence call (PT's batch size, the most the emulator and service take). */
  batchSize: GETPRESENCE_MAX_BATCH,
  /** getpresence calls in flight at once. */
  concurrency: 4,
  /** How often a running client renews its endpoint (the service expires one after 3 minutes). */
  renewIntervalMs: 60_000,
  /** How often a subscription without push reads its users again. */
  pollIntervalMs: 30_000,
  /**
   * How often a pushed subscription is posted again: the service expires one after about an hour
   * (§3.4: the web client re-posts hourly and on reconnect).
   */
  resubscribeIntervalMs: 45 * 60_000,
  deviceType: "Desktop",
} as const;

/** Where pushed presence comes from: the realtime listener's Trouter session. */
export interface PresencePushSource {
  /** The session's surl, or undefined while not connected. */
  surl(): string | undefined;
  /** Presence items pushed to this session; returns the unsubscribe function. */
  onPresence(listener: (items: WirePresenceItem[]) => void): () => void;
  /** Called with the surl each time the session (re)connects; returns the unsubscribe function. */
  onConnected?(listener: (surl: string) => void): () => void;
}

export interface PresenceSubscribeOptions extends RequestOptions {
  /** Without push: how often to read the users again. @default 30000 */
  pollIntervalMs?: number;
  /** Errors of background reads and re-posts (the subscription keeps going). */
  onError?: (error: unknown) => void;
  /** With push: how often to post the subscription again before it expires. @default 2700000 (45 min) */
  resubscribeIntervalMs?: number;
  /** With push: called after the subscription was posted again, after a reconnect or before expiry. */
  onResubscribed?: (reason: "reconnect" | "renewal") => void;
}

export interface PresenceSubscription {
  readonly mris: readonly string[];
  /** "push" when changes arrive over Trouter, "poll" otherwise. */
  readonly mode: "push" | "poll";
  close(): Promise<void>;
}

export interface DurationOptions extends RequestOptions {
  /** Milliseconds until it ends by itself; without it, it lasts until changed. */
  expiresIn?: number;
}

function expiresAt(now: number, options: DurationOptions): number | undefined {
  const ms = options.expiresIn;
  if (ms === undefined) return undefined;
  if (!Number.isFinite(ms) || ms <= 0)
    throw new InvalidArgumentError("expiresIn must be a positive number of milliseconds.");
  return now + ms;
}

export class PresenceService {
  readonly #ctx: ServiceContext;
  /** Last presence seen per MRI (lower-cased), for etags. */
  readonly #cache = new Map<string, Presence>();
  #epid: string | undefined;
  #renewTimer: NodeJS.Timeout | undefined;
  #active = true;
  #push: PresencePushSource | undefined;
  readonly #subscriptions = new Set<() => Promise<void>>();
  /** Pushed subscriptions: each re-posts itself on the current surl. */
  readonly #reposts = new Set<(reason: "reconnect" | "renewal") => void>();
  #offConnected: (() => void) | undefined;
  readonly #renewIntervalMs: number;

  constructor(context: ServiceContext, options: { renewIntervalMs?: number } = {}) {
    this.#ctx = context;
    this.#renewIntervalMs = options.renewIntervalMs ?? PRESENCE_DEFAULTS.renewIntervalMs;
  }

  async #request<T>(
    method: HttpMethod,
    path: string,
    body: unknown,
    options: RequestOptions,
    extra: { idempotent?: boolean } = {},
  ): Promise<T> {
    const base = (await this.#ctx.endpoints(options)).unifiedPresence;
    if (!base) throw new ProtocolError("The session's service map has no unifiedPresence address.");
    const me = await this.#ctx.identity(options);
    const auth: AuthScheme =
      me.kind === "consumer" ? { kind: "skypetoken" } : { kind: "bearer", audience: AUDIENCES.presence };
    const res = await this.#ctx.transport.request<T>({
      ...requestOptions(options),
      method,
      url: `${base.replace(/\/+$/, "")}${path}`,
      ...(body !== undefined ? { body } : {}),
      headers: { "x-ms-client-user-agent": "Teams-V2-Web", ...(this.#epid ? { "x-ms-endpoint-id": this.#epid } : {}) },
      auth,
      ...extra,
      responseType: method === "POST" && path === PRESENCE_PATHS.getPresence.build({}) ? "json" : "none",
    });
    return res.body;
  }

  #path(t: PathTemplate, params: Record<string, string> = {}): string {
    return (t as PathTemplate<string>).build(params);
  }

  // ── reads ─────────────────────────────────────────────────────────────────────────────────────

  /**
   * Presence of these users, in the order asked (duplicates asked once). Large lists go in batches
   * of {@link PRESENCE_DEFAULTS.batchSize}; users unchanged since the last read are answered from
   * their etag. Someone the service does not know comes back `PresenceUnknown`.
   */
  async getPresence(mris: readonly string[], options: RequestOptions = {}): Promise<Presence[]> {
    const unique = new Map<string, string>();
    for (const m of mris) {
      if (typeof m !== "string" || !m.trim()) throw new InvalidArgumentError("Every MRI must be a non-empty string.");
      const key = m.trim().toLowerCase();
      if (!unique.has(key)) unique.set(key, m.trim());
    }
    const wanted = [...unique.values()];
    const batches: string[][] = [];
    for (let i = 0; i < wanted.length; i += PRESENCE_DEFAULTS.batchSize) {
      batches.push(wanted.slice(i, i + PRESENCE_DEFAULTS.batchSize));
    }
    await mapLimit(batches, PRESENCE_DEFAULTS.concurrency, async (batch) => {
      const body = getPresenceBody(batch.map((mri) => ({ mri, etag: this.#cache.get(mri.toLowerCase())?.etag })));
      const raw = await this.#request<unknown>("POST", this.#path(PRESENCE_PATHS.getPresence), body, options, {
        idempotent: true,
      });
      const items = parseGetPresenceResponse(raw);
      if (!items) throw new ProtocolError("The presence service sent presence in an unexpected shape.");
      this.#absorb(items);
    });
    return wanted.map((m) => this.#cache.get(m.toLowerCase()) ?? toPresence({ mri: m }));
  }

  /** Takes items into the cache; returns the presences that changed. */
  #absorb(items: readonly WirePresenceItem[]): Presence[] {
    const changed: Presence[] = [];
    for (const item of items) {
      const key = item.mri.toLowerCase();
      const before = this.#cache.get(key);
      if (item.etagMatch && before) continue;
      const next = toPresence(item);
      this.#cache.set(key, next);
      if (presenceChanged(before, next)) changed.push(next);
    }
    return changed;
  }

  // ── the user's own status ─────────────────────────────────────────────────────────────────────

  /** Shows this status (until `expiresIn` ms pass, or until reset) instead of the automatic one. */
  async setStatus(availability: SettableAvailability, options: DurationOptions = {}): Promise<void> {
    if (typeof availability !== "string" || !isSettableAvailability(availability)) {
      throw new InvalidArgumentError(`Status must be one of ${SETTABLE_AVAILABILITIES.join(", ")}.`);
    }
    const body = forceAvailabilityBody(availability, expiresAt(this.#ctx.now(), options));
    await this.#request("PUT", this.#path(PRESENCE_PATHS.forceAvailability), body, options);
  }

  /** Back to the automatic status (from the user's devices and activity). */
  async resetStatus(options: RequestOptions = {}): Promise<void> {
    await this.#request("PUT", this.#path(PRESENCE_PATHS.forceAvailability), resetAvailabilityBody(), options);
  }

  /** Sets the status message (plain text); `pinned` shows it when people message the user. */
  async setStatusMessage(text: string, options: DurationOptions & { pinned?: boolean } = {}): Promise<void> {
    if (typeof text !== "string" || !text.trim()) {
      throw new InvalidArgumentError("The status message is empty; use clearStatusMessage() to remove it.");
    }
    const at = expiresAt(this.#ctx.now(), options);
    const body = publishNoteBody(text.trim(), {
      ...(at !== undefined ? { expiresAt: at } : {}),
      pinned: options.pinned === true,
    });
    await this.#request("PUT", this.#path(PRESENCE_PATHS.publishNote), body, options);
  }

  async clearStatusMessage(options: RequestOptions = {}): Promise<void> {
    await this.#request(
      "PUT",
      this.#path(PRESENCE_PATHS.publishNote),
      { message: "", expiry: publishNoteBody("").expiry },
      options,
    );
  }

  // ── the endpoint of a running client ─────────────────────────────────────────────────────────

  /** The endpoint id while {@link start} is in effect. */
  get endpointId(): string | undefined {
    return this.#epid;
  }

  /**
   * Registers this client as an online device and keeps it alive (renewal and activity reports
   * every minute), as the web client does while it runs. Idempotent.
   */
  async start(options: RequestOptions & { endpointId?: string } = {}): Promise<string> {
    if (this.#epid) return this.#epid;
    const epid = options.endpointId ?? randomUUID();
    this.#epid = epid;
    try {
      await this.#request(
        "PUT",
        this.#path(PRESENCE_PATHS.endpoints),
        presenceEndpointBody(epid, PRESENCE_DEFAULTS.deviceType),
        options,
      );
    } catch (err) {
      this.#epid = undefined;
      throw err;
    }
    this.#renewTimer = setInterval(() => void this.#renew().catch(() => {}), this.#renewIntervalMs);
    this.#renewTimer.unref();
    return epid;
  }

  /** Reports the user active or idle (idle on every device reads Away). */
  async setActive(isActive: boolean, options: RequestOptions = {}): Promise<void> {
    this.#active = isActive;
    if (!this.#epid) return;
    await this.#request(
      "POST",
      this.#path(PRESENCE_PATHS.reportActivity),
      reportActivityBody(this.#epid, isActive),
      options,
    );
  }

  async #renew(): Promise<void> {
    const epid = this.#epid;
    if (!epid) return;
    await this.#request(
      "PUT",
      this.#path(PRESENCE_PATHS.endpoints),
      presenceEndpointBody(epid, PRESENCE_DEFAULTS.deviceType),
      {},
    );
    await this.#request("POST", this.#path(PRESENCE_PATHS.reportActivity), reportActivityBody(epid, this.#active), {});
  }

  /** Deletes the endpoint (the user reads Offline at once when it was their last) and stops subscriptions. */
  async stop(options: RequestOptions = {}): Promise<void> {
    clearInterval(this.#renewTimer);
    this.#renewTimer = undefined;
    await Promise.allSettled([...this.#subscriptions].map((close) => close()));
    const epid = this.#epid;
    this.#epid = undefined;
    if (epid) await this.#request("DELETE", this.#path(PRESENCE_PATHS.endpoint, { epid }), undefined, options);
  }

  // ── subscriptions ────────────────────────────────────────────────────────────────────────────

  /** Pushed presence from the realtime listener; `undefined` detaches (subscriptions fall back to polling). */
  usePush(source: PresencePushSource | undefined): void {
    this.#offConnected?.();
    this.#offConnected = undefined;
    this.#push = source;
    // A reconnect hands out a new surl: pushes to the old one are lost, so every subscription is
    // posted again at once (§3.4, §7.9).
    this.#offConnected = source?.onConnected?.(() => {
      for (const repost of this.#reposts) repost("reconnect");
    });
  }

  /**
   * Calls `listener` with each change of these users' presence: pushed over Trouter when a push
   * source is attached and connected (pubsub subscription), polled otherwise. Returns after the
   * first read, which sets the baseline.
   */
  async subscribe(
    mris: readonly string[],
    listener: (presence: Presence) => void,
    options: PresenceSubscribeOptions = {},
  ): Promise<PresenceSubscription> {
    const first = await this.getPresence(mris, options);
    const list = first.map((p) => p.mri);
    // What this subscriber last saw of each user (other reads must not hide a change from it).
    const seen = new Map(first.map((p) => [p.mri.toLowerCase(), p]));
    const emit = (presences: Presence[]): void => {
      for (const p of presences) {
        const key = p.mri.toLowerCase();
        if (!seen.has(key) || !presenceChanged(seen.get(key), p)) continue;
        seen.set(key, p);
        listener(p);
      }
    };
    const surl = this.#push?.surl();
    let close: () => Promise<void>;
    let mode: "push" | "poll";
    if (this.#push && surl) {
      mode = "push";
      const epid = this.#epid ?? (await this.start(options));
      const off = this.#push.onPresence((items) => {
        this.#absorb(items);
        emit(items.map((i) => this.#cache.get(i.mri.toLowerCase()) ?? toPresence(i)));
      });
      let uri = presenceTrouterUri(surl);
      const post = async (add: readonly string[], remove: readonly string[] = [], o: RequestOptions = {}) => {
        const path = this.#path(PRESENCE_PATHS.subscriptions, { epid: this.#epid ?? epid });
        await this.#request("POST", path, presenceSubscriptionBody(uri, add, remove), o, { idempotent: true });
      };
      await post(list, [], options);
      const repost = (reason: "reconnect" | "renewal"): void => {
        const surlNow = this.#push?.surl();
        if (!surlNow) return;
        uri = presenceTrouterUri(surlNow);
        post(list).then(
          () => options.onResubscribed?.(reason),
          (err) => options.onError?.(err),
        );
      };
      this.#reposts.add(repost);
      const renewal = setInterval(
        () => repost("renewal"),
        options.resubscribeIntervalMs ?? PRESENCE_DEFAULTS.resubscribeIntervalMs,
      );
      renewal.unref();
      close = async () => {
        off();
        clearInterval(renewal);
        this.#reposts.delete(repost);
        if (this.#epid) await post([], list);
      };
    } else {
      mode = "poll";
      const every = options.pollIntervalMs ?? PRESENCE_DEFAULTS.pollIntervalMs;
      let running = false;
      const timer = setInterval(() => {
        if (running) return;
        running = true;
        this.getPresence(list)
          .then(emit)
          .catch((err) => options.onError?.(err))
          .finally(() => {
            running = false;
          });
      }, every);
      timer.unref();
      close = async () => clearInterval(timer);
    }
    const closeOnce = async (): Promise<void> => {
      if (!this.#subscriptions.delete(closeOnce)) return;
      await close();
    };
    this.#subscriptions.add(closeOnce);
    return { mris: list, mode, close: closeOnce };
  }
}
