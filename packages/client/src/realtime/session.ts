/**
 * One Trouter session (PROTOCOL.md §7.1): allocate → handshake → WebSocket → `1::` →
 * `user.authenticate` → `user.activity` → `trouter.connected`, and the registrar calls (§7.8).
 * Credentials go only to the configured Trouter/registrar roots and Trouter's own socket hosts.
 */
import { randomUUID } from "node:crypto";
import {
  type AllocateResponse,
  buildChatRegistration,
  type ConnectParams,
  modernConnectParams,
  modernConnectQuery,
  PUSH_ROOTS,
  parseAllocateResponse,
  parseHandshake,
  parseModernConnected,
  REGISTRAR_PATH,
  TROUTER_HOST_SUFFIXES,
  TROUTER_PATHS,
  trouterQuery,
} from "@teams-api/protocol";
import type { AccountKind, CloudName } from "../auth/profiles.js";
import { AuthenticationError, ConnectionError, ProtocolError, TeamsError } from "../errors.js";
import type { Env, FetchLike } from "../http/fetch.js";
import type { Logger } from "../http/types.js";
import { proxyAgentFor } from "./proxy.js";
import { loadWebSocket, type SocketHandlers, type SocketTimings, TrouterSocket } from "./socket.js";

/** Where push lives for a cloud: real hosts, or derived from TEAMS_BASE_URL for the emulator. */
export interface PushRoots {
  trouter: string;
  registrar: string;
}

export function pushRoots(cloud: CloudName, kind: AccountKind, baseUrl: string): PushRoots {
  if (cloud === "emulator") {
    const base = baseUrl.replace(/\/+$/, "");
    return { trouter: `${base}/trouter`, registrar: `${base}${REGISTRAR_PATH}` };
  }
  return { ...PUSH_ROOTS[kind] };
}

/** May a credential go to this URL? The roots' origins, or https on Trouter's own hosts. */
export function trustedPushUrl(url: string, roots: PushRoots): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  const origins = [roots.trouter, roots.registrar].map((r) => new URL(r).origin);
  if (origins.includes(u.origin)) return true;
  return u.protocol === "https:" && TROUTER_HOST_SUFFIXES.some((s) => u.hostname.endsWith(s));
}

export interface SessionDeps {
  fetch: FetchLike;
  env: Env;
  logger: Logger | undefined;
  roots: PushRoots;
  kind: AccountKind;
  epid: string;
  skypeToken(stale?: string): Promise<string>;
  /** The bearer token `user.authenticate` carries (Skype Spaces audience). */
  bearer(): Promise<string>;
  /**
   * Which connect flow (§7.1, §7.10): `"v4a"` allocates first (`/v4/a`, X-Skypetoken); `"v4c"`
   * opens `/v4/c` at once, authenticates and registers with the IC3 bearer only. @default "v4a"
   */
  flow?: "v4a" | "v4c";
  /** The IC3 bearer the `/v4/c` flow authenticates and registers with. */
  ic3Bearer?(): Promise<string>;
  timings: SocketTimings & { connectTimeoutMs: number; registrationTtlSec: number };
}

async function call(
  deps: SessionDeps,
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Response> {
  if (!trustedPushUrl(url, deps.roots)) throw new ProtocolError("Trouter handed out a host that is not Trouter's.");
  let res: Response;
  try {
    res = await deps.fetch(url, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
      signal: AbortSignal.timeout(deps.timings.connectTimeoutMs),
    });
  } catch (err) {
    throw new ConnectionError(`Could not reach the push service (${(err as Error)?.name ?? "error"}).`);
  }
  if (res.status === 401) {
    await res.body?.cancel();
    throw new AuthenticationError("unauthorized", "The push service refused the session (401).", {
      status: 401,
      request: { method, url: url.split("?")[0] ?? "" },
    });
  }
  return res;
}

type SessionHandlers = Omit<SocketHandlers, "onEvent"> & { onEvent(name: string, args: unknown[]): void };

export class TrouterSession {
  allocation!: AllocateResponse;
  socket!: TrouterSocket;
  /** `trouter.connected` args. */
  connected: Record<string, unknown> = {};

  constructor(private readonly deps: SessionDeps) {}

  get surl(): string {
    return this.allocation.surl;
  }

  /** The registrar this session registers with: the roots', or the one `/v4/c` named. */
  registrar = "";

  /** The registrar TTL: `/v4/c` registrations last an hour (§7.10). */
  get registrationTtlSec(): number {
    const ttl = this.deps.timings.registrationTtlSec;
    return this.deps.flow === "v4c" ? Math.min(ttl, 3600) : ttl;
  }

  /** Runs the whole connect sequence; resolves once `trouter.connected` arrived. */
  async open(handlers: SessionHandlers, connectionNumber: number): Promise<void> {
    const d = this.deps;
    this.registrar = d.roots.registrar;
    if (d.flow === "v4c") return this.#openModern(handlers, connectionNumber);
    const skype = await d.skypeToken();
    const res = await call(
      d,
      "POST",
      `${d.roots.trouter}${TROUTER_PATHS.allocate}?epid=${encodeURIComponent(d.epid)}`,
      {
        "X-Skypetoken": skype,
        "Content-Length": "0",
      },
    );
    if (!res.ok) {
      await res.body?.cancel();
      throw new ConnectionError(`Trouter allocate answered ${res.status}.`);
    }
    const allocation = parseAllocateResponse(await res.json().catch(() => undefined));
    if (!allocation) throw new ProtocolError("Trouter sent an allocation in an unexpected shape.");
    this.allocation = allocation;
    const socketio = allocation.socketio.endsWith("/") ? allocation.socketio : `${allocation.socketio}/`;
    const query = trouterQuery({
      connectparams: allocation.connectparams,
      epid: d.epid,
      connectionNumber: `${Date.now()}_${connectionNumber}`,
      ccid: allocation.ccid,
    });
    const hs = await call(d, "GET", `${socketio}${TROUTER_PATHS.handshake}?${query}`, { "X-Skypetoken": skype });
    const text = await hs.text();
    if (!hs.ok) throw new ConnectionError(`The Trouter handshake answered ${hs.status}.`);
    const { sid } = parseHandshake(text);
    const wsUrl = `${socketio.replace(/^http/, "ws")}${TROUTER_PATHS.websocket}${sid}?${query}`;
    if (!trustedPushUrl(socketio, d.roots)) throw new ProtocolError("Trouter handed out a host that is not Trouter's.");
    this.connected = await this.#socket(
      wsUrl,
      { "X-Skypetoken": skype },
      `Bearer ${await d.bearer()}`,
      allocation.connectparams,
      handlers,
    );
  }

  /** `/v4/c` (§7.10): the WebSocket at once; `trouter.connected` hands over surl and registrar. */
  async #openModern(handlers: SessionHandlers, connectionNumber: number): Promise<void> {
    const d = this.deps;
    if (!d.ic3Bearer) throw new ProtocolError("The /v4/c flow needs an IC3 token.");
    const query = modernConnectQuery({
      epid: d.epid,
      connectionNumber: `${Date.now()}_${connectionNumber}`,
      correlationId: randomUUID(),
    });
    const wsUrl = `${d.roots.trouter.replace(/^http/, "ws")}${TROUTER_PATHS.connect}?${query}`;
    const cp = modernConnectParams(d.epid, Date.now());
    const args = await this.#socket(
      wsUrl,
      { Origin: "https://teams.cloud.microsoft" },
      `Bearer ${await d.ic3Bearer()}`,
      cp,
      handlers,
    );
    const connected = parseModernConnected(args);
    if (!connected) {
      this.socket.close("no surl");
      throw new ProtocolError("Trouter's /v4/c connection named no push URL.");
    }
    for (const url of [connected.surl, connected.registrarUrl ?? d.roots.registrar]) {
      if (!trustedPushUrl(url, d.roots)) {
        this.socket.close("untrusted host");
        throw new ProtocolError("Trouter handed out a host that is not Trouter's.");
      }
    }
    this.registrar = connected.registrarUrl ?? d.roots.registrar;
    this.connected = args;
    this.allocation = {
      socketio: d.roots.trouter,
      surl: connected.surl,
      url: connected.surl,
      ttl: connected.ttl ?? "",
      connectparams: connected.connectparams ?? cp,
    };
  }

  /** WebSocket → `1::` → `user.authenticate` + `user.activity` → `trouter.connected` (its args). */
  async #socket(
    wsUrl: string,
    headers: Record<string, string>,
    authorization: string,
    connectparams: ConnectParams,
    handlers: SessionHandlers,
  ): Promise<Record<string, unknown>> {
    await loadWebSocket();
    const d = this.deps;
    let resolveConnected!: (args: Record<string, unknown>) => void;
    const connected = new Promise<Record<string, unknown>>((r) => {
      resolveConnected = r;
    });
    let closedEarly!: (reason: string) => void;
    const closed = new Promise<never>((_, reject) => {
      closedEarly = (reason) =>
        reject(new ConnectionError(`The Trouter socket closed before it was connected (${reason}).`));
    });
    closed.catch(() => {});
    let up = false;
    this.socket = new TrouterSocket(
      wsUrl,
      { headers, agent: proxyAgentFor(wsUrl, d.env) },
      {
        onEvent: (name, args) => {
          if (name === "trouter.connected") resolveConnected((args[0] ?? {}) as Record<string, unknown>);
          else handlers.onEvent(name, args);
        },
        onRequest: (req) => handlers.onRequest(req),
        onClose: (reason) => (up ? handlers.onClose(reason) : closedEarly(reason)),
      },
      d.timings,
      d.logger,
    );
    let timer: NodeJS.Timeout | undefined;
    try {
      await this.socket.ready(d.timings.connectTimeoutMs);
      void this.socket.emit(
        "user.authenticate",
        [
          {
            headers: { "X-Ms-Test-User": "False", Authorization: authorization, "X-MS-Migration": "True" },
            connectparams,
          },
        ],
        false,
      );
      void this.socket.emit("user.activity", [{ state: "active", cv: `${randomCv()}.0.1` }]);
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new ConnectionError("Trouter did not confirm the connection in time.")),
          d.timings.connectTimeoutMs,
        );
      });
      const args = await Promise.race([connected, closed, timeout]);
      up = true;
      return args;
    } catch (err) {
      this.socket.close("connect failed");
      throw err instanceof TeamsError
        ? err
        : new ConnectionError(`Could not open the Trouter socket (${(err as Error).message}).`);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Registers for chat events on this session's surl (§7.8): TeamsCDLWebWorker, registrationId = epid. */
  async register(): Promise<void> {
    const d = this.deps;
    const body = buildChatRegistration({
      epid: d.epid,
      surl: this.surl,
      consumer: d.kind === "consumer",
      ttl: this.registrationTtlSec,
    });
    const res = await call(
      d,
      "POST",
      this.registrar,
      { ...(await registrarAuth(d)), "Content-Type": "application/json" },
      JSON.stringify(body),
    );
    await res.body?.cancel();
    if (res.status !== 202 && res.status !== 200) throw new ConnectionError(`The registrar answered ${res.status}.`);
  }

  close(reason?: string): void {
    this.socket?.close(reason);
  }
}

/** How the registrar is called: X-Skypetoken, or the IC3 bearer only for `/v4/c` (§7.10). */
async function registrarAuth(d: SessionDeps): Promise<Record<string, string>> {
  if (d.flow === "v4c" && d.ic3Bearer) return { Authorization: `Bearer ${await d.ic3Bearer()}` };
  return { "X-Skypetoken": await d.skypeToken() };
}

/** Deletes the registration (stop / sign-out): any status but 202 is only logged. */
export async function unregister(deps: SessionDeps, registrar = deps.roots.registrar): Promise<void> {
  const res = await call(deps, "DELETE", `${registrar}/${encodeURIComponent(deps.epid)}`, await registrarAuth(deps));
  await res.body?.cancel();
  if (res.status !== 202) deps.logger?.warn(`trouter: the registrar answered ${res.status} to the delete`);
}

const CV_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
function randomCv(): string {
  let s = "";
  for (let i = 0; i < 22; i++) s += CV_ALPHABET[Math.floor(Math.random() * 64)];
  return s;
}
