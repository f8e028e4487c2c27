import {
  AUDIENCES,
  GETPRESENCE_MAX_BATCH,
  isSettableAvailability,
  PRESENCE_PATHS,
  parseTeamsTimestamp,
  splitNoteMessage,
} from "@teams-api/protocol";
import type { EmulatorContext } from "../../context.js";
import {
  type Caller,
  type EmuRequest,
  type EmuResponse,
  HttpError,
  type Route,
  route,
  type ServiceTable,
} from "../../http/types.js";
import { NOTE_MAX_LENGTH, type PresenceStore } from "../../state/presence.js";

/**
 * Unified presence (PROTOCOL.md §3) under `regionGtms.unifiedPresence` = `/ups/{region}` (the AFD
 * proxied form, §3.1), then `/v1/…`.
 *
 * Auth (§1.4): writes need a Bearer token of the presence audience; a valid token of another
 * audience gets 401 with sub-status 40102 (TL). Reads also accept the spaces audience (TL). Consumer
 * accounts use their skypetoken (the seed's consumer notes; PT falls back to `X-Skypetoken`).
 */

/** Writes need the presence audience; reads also accept the spaces audience (TL). */
const WRITE = { presence: [AUDIENCES.presence] } as const;
const READ = { presence: [AUDIENCES.presence, AUDIENCES.spaces] } as const;

const bad = (message: string): HttpError => new HttpError(400, message);

/**
 * Two tables: `direct` at the root of presence.teams.microsoft.com / presence.teams.live.com
 * (`/v1/…`), and `proxied` under `/ups` of teams.microsoft.com (`/{region}/v1/…`, the emulator's
 * `regionGtms.unifiedPresence` in loopback mode).
 */
export function presenceRoutes(
  _ctx: EmulatorContext,
  store: PresenceStore,
): { direct: ServiceTable; proxied: ServiceTable } {
  const object = (req: EmuRequest): Record<string, unknown> => {
    const body = req.rawBody.length ? req.json<unknown>() : {};
    if (!body || typeof body !== "object" || Array.isArray(body)) throw bad("The request body must be a JSON object.");
    return body as Record<string, unknown>;
  };
  const time = (value: unknown, field: string): number => {
    const ms = typeof value === "string" ? parseTeamsTimestamp(value) : Number.NaN;
    if (Number.isNaN(ms)) throw bad(`${field} must be an ISO-8601 time.`);
    return ms;
  };

  const getPresence = (req: EmuRequest, { user: viewer }: Caller): EmuResponse => {
    const body = req.json<unknown>();
    if (!Array.isArray(body)) throw bad("The request body must be a JSON array of {mri} items.");
    if (body.length > GETPRESENCE_MAX_BATCH) {
      throw bad(`At most ${GETPRESENCE_MAX_BATCH} users can be asked in one request.`);
    }
    store.sweep();
    const items = body.map((raw: unknown) => {
      const item = raw as { mri?: unknown; etag?: unknown } | null;
      if (!item || typeof item.mri !== "string" || !item.mri) throw bad("Each item needs an mri.");
      return store.item(viewer.mri, item.mri, typeof item.etag === "string" ? item.etag : undefined);
    });
    return { status: 200, body: items };
  };

  const forceAvailability = (req: EmuRequest, { user }: Caller): EmuResponse => {
    const body = object(req);
    if (body.availability === undefined || body.availability === "") {
      store.forceAvailability(user, undefined);
      return { status: 200 };
    }
    if (typeof body.availability !== "string" || !isSettableAvailability(body.availability)) {
      throw bad(`Availability '${String(body.availability)}' cannot be forced.`);
    }
    const expiresAt =
      body.desiredExpirationTime === undefined ? undefined : time(body.desiredExpirationTime, "desiredExpirationTime");
    store.forceAvailability(user, {
      availability: body.availability,
      ...(expiresAt !== undefined ? { expiresAt } : {}),
    });
    return { status: 200 };
  };

  const putEndpoint = (req: EmuRequest, { user }: Caller): EmuResponse => {
    const body = object(req);
    if (typeof body.id !== "string" || !/^[\w.-]{1,128}$/.test(body.id)) throw bad("id must be an endpoint id.");
    // Only Available is accepted here (§3.3); idle/away goes through reportmyactivity.
    if (body.availability !== undefined && body.availability !== "Available") {
      throw bad("An endpoint can only be registered as Available.");
    }
    const device = body.deviceType ?? "Desktop";
    if (device !== "Desktop" && device !== "Mobile" && device !== "Web") throw bad("deviceType is not valid.");
    const created = store.putEndpoint(user, body.id, device);
    return { status: created ? 201 : 200 };
  };

  const deleteEndpoint = (req: EmuRequest, { user }: Caller): EmuResponse => {
    store.deleteEndpoint(user, req.params.epid!);
    return { status: 200 };
  };

  const reportActivity = (req: EmuRequest, { user }: Caller): EmuResponse => {
    const body = object(req);
    if (typeof body.endpointId !== "string" || typeof body.isActive !== "boolean") {
      throw bad("endpointId and isActive are required.");
    }
    if (!store.reportActivity(user, body.endpointId, body.isActive)) {
      throw new HttpError(404, "Endpoint not found; register it first.");
    }
    return { status: 200 };
  };

  const publishNote = (req: EmuRequest, { user }: Caller): EmuResponse => {
    const body = object(req);
    if (typeof body.message !== "string") throw bad("message is required.");
    if (splitNoteMessage(body.message).html.length > NOTE_MAX_LENGTH * 6) throw bad("The note is too long.");
    const expiresAt = body.expiry === undefined ? Number.POSITIVE_INFINITY : time(body.expiry, "expiry");
    store.publishNote(user, body.message, expiresAt);
    return { status: 200 };
  };

  const subscribe = (req: EmuRequest, { user }: Caller): EmuResponse => {
    const body = object(req);
    const list = (v: unknown, field: string): string[] => {
      if (v === undefined) return [];
      if (!Array.isArray(v)) throw bad(`${field} must be an array.`);
      return v.map((s: unknown) => {
        const mri = (s as { mri?: unknown } | null)?.mri;
        if (typeof mri !== "string" || !mri) throw bad(`Each of ${field} needs an mri.`);
        return mri;
      });
    };
    if (typeof body.trouterUri !== "string" || !/^https?:\/\//.test(body.trouterUri)) {
      throw bad("trouterUri must be the subscriber's Trouter URL.");
    }
    store.subscribe(user, req.params.epid!, {
      trouterUri: body.trouterUri,
      purge: body.shouldPurgePreviousSubscriptions === true,
      add: list(body.subscriptionsToAdd, "subscriptionsToAdd"),
      remove: list(body.subscriptionsToRemove, "subscriptionsToRemove"),
    });
    return { status: 200 };
  };

  const table = (base: string): ServiceTable => {
    const at = (
      method: string,
      pattern: string,
      auth: typeof WRITE | typeof READ,
      handler: (req: EmuRequest, caller: Caller) => EmuResponse,
    ): Route => route(method, new RegExp(`${base}${pattern}$`), auth, handler);
    return {
      service: "presence",
      routes: [
        at("POST", PRESENCE_PATHS.getPresence.pattern, READ, getPresence),
        at("PUT", PRESENCE_PATHS.forceAvailability.pattern, WRITE, forceAvailability),
        at("PUT", PRESENCE_PATHS.endpoints.pattern, WRITE, putEndpoint),
        at("DELETE", PRESENCE_PATHS.endpoint.pattern, WRITE, deleteEndpoint),
        at("POST", PRESENCE_PATHS.reportActivity.pattern, WRITE, reportActivity),
        at("PUT", PRESENCE_PATHS.publishNote.pattern, WRITE, publishNote),
        at("POST", PRESENCE_PATHS.subscriptions.pattern, READ, subscribe),
      ],
    };
  };
  return { direct: table("^"), proxied: table("^/(?<region>[a-z]+)") };
}
