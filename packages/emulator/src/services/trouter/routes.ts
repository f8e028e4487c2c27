import type { EmulatorContext } from "../../context.js";
import {
  type EmuRequest,
  type EmuResponse,
  HttpError,
  type Route,
  route,
  type ServiceTable,
  type SkypeCaller,
} from "../../http/types.js";
import type { TrouterFault, TrouterHub } from "./hub.js";

/**
 * Trouter's HTTP side (PROTOCOL.md §7.1–§7.3, §7.10) under `/trouter` in loopback mode:
 * `POST /v4/a?epid=` allocate and `GET /socket.io/1/?<query>` handshake, both with `X-Skypetoken`.
 * The WebSockets (`/socket.io/1/websocket/<sid>`, `/v4/c`) are upgrades the hub takes directly.
 */
export function trouterRoutes(hub: TrouterHub): ServiceTable {
  const allocate = (req: EmuRequest, { user }: SkypeCaller): EmuResponse => {
    const epid = req.url.searchParams.get("epid") ?? "";
    if (!/^[A-Za-z0-9{}-]{1,64}$/.test(epid)) throw new HttpError(400, "The epid query parameter is required.");
    return { status: 200, body: hub.allocate(user, epid) };
  };
  const handshake = (req: EmuRequest, { user }: SkypeCaller): EmuResponse => ({
    status: 200,
    headers: { "Content-Type": "text/plain" },
    body: hub.handshake(user, req.url.searchParams),
  });
  const connectNeedsUpgrade = (): EmuResponse => {
    throw new HttpError(400, "/v4/c is a WebSocket endpoint: connect with an Upgrade request.");
  };
  return {
    service: "trouter",
    routes: [
      route("POST", /^\/v4\/a\/?$/, "skypetoken", allocate),
      route("GET", /^\/v4\/a\/?$/, "skypetoken", allocate),
      route("GET", /^\/socket\.io\/1\/?$/, "skypetoken", handshake),
      route("GET", /^\/v4\/c\/?$/, "none", connectNeedsUpgrade),
    ],
    // The WebSockets (`/socket.io/1/websocket/<sid>`, `/v4/c`) are upgrades the hub takes directly.
    upgrade: (req, socket, head, _mount, path) => {
      if (!hub.upgrade(req, socket, head, path)) socket.destroy();
    },
  };
}

const ACTIONS: readonly TrouterFault["action"][] = ["withhold", "duplicate", "delay", "drop-socket", "stop-pings"];

/**
 * Control plane for push (GUIDE §4):
 *   GET    /_emulator/trouter          connections, registrations, faults, push count
 *   POST   /_emulator/trouter/drop     {user?} drops sockets now → {dropped:n}
 *   POST   /_emulator/trouter/faults   {action, user?, ratio?|count?, delayMs?} → 201
 *   DELETE /_emulator/trouter/faults   clears → {cleared:n}
 * `user` is an MRI or a sign-in name.
 */
export function trouterControlRoutes(ctx: EmulatorContext, hub: TrouterHub): ServiceTable {
  const bad = (m: string) => new HttpError(400, m);
  const body = (req: EmuRequest): Record<string, unknown> => {
    if (req.rawBody.length === 0) return {};
    const v = req.json<unknown>();
    if (!v || typeof v !== "object" || Array.isArray(v)) throw bad("The body must be a JSON object.");
    return v as Record<string, unknown>;
  };
  const userOf = (v: unknown): string | undefined => {
    if (v === undefined) return undefined;
    const u = typeof v === "string" ? (ctx.directory.byMri(v) ?? ctx.directory.byLogin(v)) : undefined;
    if (!u) throw bad("'user' must name a known user (MRI or sign-in name).");
    return u.mri;
  };
  const addFault = (req: EmuRequest): EmuResponse => {
    const b = body(req);
    for (const k of Object.keys(b))
      if (!["action", "user", "ratio", "count", "delayMs"].includes(k)) throw bad(`Unknown key '${k}'.`);
    if (!ACTIONS.includes(b.action as TrouterFault["action"]))
      throw bad(`'action' must be one of ${ACTIONS.join(", ")}.`);
    const f: TrouterFault = { action: b.action as TrouterFault["action"] };
    const user = userOf(b.user);
    if (user) f.user = user;
    if (b.ratio !== undefined) {
      if (typeof b.ratio !== "number" || !(b.ratio > 0 && b.ratio <= 1))
        throw bad("'ratio' must be a number in (0, 1].");
      f.ratio = b.ratio;
    }
    if (b.count !== undefined) {
      if (!Number.isInteger(b.count) || (b.count as number) < 1) throw bad("'count' must be an integer ≥ 1.");
      f.count = b.count as number;
    }
    if (f.ratio === undefined && f.count === undefined) throw bad("A fault needs 'count' or 'ratio'.");
    if (b.delayMs !== undefined) {
      if (!Number.isInteger(b.delayMs) || (b.delayMs as number) < 0 || (b.delayMs as number) > 600_000)
        throw bad("'delayMs' must be 0..600000.");
      f.delayMs = b.delayMs as number;
    }
    return { status: 201, body: hub.addFault(f) };
  };
  const at = (method: string, tail: string, handler: (req: EmuRequest) => EmuResponse): Route =>
    route(method, new RegExp(`^/trouter${tail}/?$`), "none", handler);
  return {
    service: "control",
    routes: [
      at("GET", "", () => ({ status: 200, body: hub.status() })),
      at("POST", "/drop", (req) => ({ status: 200, body: { dropped: hub.dropSockets(userOf(body(req).user)) } })),
      at("POST", "/faults", addFault),
      at("DELETE", "/faults", () => ({ status: 200, body: { cleared: hub.clearFaults() } })),
    ],
  };
}
