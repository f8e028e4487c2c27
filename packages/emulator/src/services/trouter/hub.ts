import { createHmac, randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import {
  type AllocateResponse,
  AUDIENCES,
  bearerFromAuthorization,
  buildHandshake,
  CONSUMER_SPACES_SCOPE,
  type ConnectParams,
  encodeTrouterBodyGzip,
  TROUTER_PATHS,
  type TrouterRequest,
  type WireEventMessage,
} from "@teams-api/protocol";
import { type WebSocket, WebSocketServer } from "ws";
import type { EmulatorContext } from "../../context.js";
import { HttpError } from "../../http/types.js";
import type { User } from "../../state/directory.js";
import { RegistrarStore } from "../registrar/store.js";
import { Connection, type ConnectionHost } from "./connection.js";

/** Timings of the emulated Trouter (tests shorten them). */
export interface TrouterTimings {
  /** Redeliver an unACKed `3:::` request after this long. @default 5000 */
  ackTimeoutMs: number;
  /** Redeliveries before the socket is given up. @default 3 */
  maxRedeliveries: number;
  /** Server `2::` heartbeat interval. @default 25000 */
  heartbeatMs: number;
  /** Close a socket that sent nothing for this long (the handshake's close timeout). @default 180000 */
  idleCloseMs: number;
  /** gzip+base64 push bodies at least this long (with the encoding header). @default 2048 */
  gzipAboveBytes: number;
}

export const DEFAULT_TROUTER_TIMINGS: TrouterTimings = {
  ackTimeoutMs: 5000,
  maxRedeliveries: 3,
  heartbeatMs: 25_000,
  idleCloseMs: 180_000,
  gzipAboveBytes: 2048,
};

/** A control-plane fault on pushes or pings (GUIDE §4), for one user or everyone. */
export interface TrouterFault {
  action: "withhold" | "duplicate" | "delay" | "drop-socket" | "stop-pings";
  /** MRI; all users when absent. */
  user?: string;
  ratio?: number;
  count?: number;
  delayMs?: number;
}

interface ActiveTrouterFault extends TrouterFault {
  readonly id: number;
  remaining: number | undefined;
  hits: number;
}

interface Allocation {
  readonly surlId: string;
  readonly user: User;
  readonly epid: string;
  readonly connectparams: ConnectParams;
  readonly ccid: string;
  connection?: Connection;
}

/**
 * Trouter (PROTOCOL.md §7): allocations, the socket.io handshake and WebSockets, and delivery of
 * chat changes from the store event bus to the registrations that ask for them. Pushes for an
 * endpoint whose socket is gone are dropped, and its next connection hears `trouter.message_loss`.
 */
export class TrouterHub implements ConnectionHost {
  readonly registrar: RegistrarStore;
  readonly timings: TrouterTimings;
  readonly #allocations = new Map<string, Allocation>();
  readonly #sessions = new Map<string, { surlId: string; expires: number }>();
  /** Endpoints (`<mri>|<epid>`) that lost pushes since their last connection. */
  readonly #lost = new Set<string>();
  readonly #connections = new Set<Connection>();
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  readonly #secret = randomBytes(32);
  readonly #unsubscribe: () => void;
  #faults: ActiveTrouterFault[] = [];
  #nextFaultId = 1;
  #pushes = 0;

  constructor(
    readonly ctx: Pick<EmulatorContext, "urls" | "now" | "tokens" | "events" | "log">,
    timings: Partial<TrouterTimings> = {},
    private readonly random: () => number = Math.random,
  ) {
    this.timings = { ...DEFAULT_TROUTER_TIMINGS, ...timings };
    this.registrar = new RegistrarStore(() => ctx.now());
    this.#unsubscribe = ctx.events.on("chat", (e) => this.#onChat(e.to, e.event));
  }

  /** The Trouter root: `${origin}/trouter` in loopback mode, the user's cloud's socket host in production-hosts mode. */
  rootFor(user: User): string {
    return this.ctx.urls.trouter(user.kind);
  }

  log(line: string): void {
    this.ctx.log(line);
  }

  // ── allocate and handshake ──────────────────────────────────────────────────────────────────

  #sign(cp: Omit<ConnectParams, "sig">): string {
    return createHmac("sha256", this.#secret)
      .update(`${cp.sr}|${cp.issuer}|${cp.sp}|${cp.se}|${cp.st}`)
      .digest("base64url");
  }

  /** Are these connectparams ours, unexpired and for this epid? */
  #checkParams(q: URLSearchParams | Record<string, unknown>, epid?: string): boolean {
    const get = (k: string): string => String(q instanceof URLSearchParams ? (q.get(k) ?? "") : (q[k] ?? ""));
    const cp = { sr: get("sr"), issuer: get("issuer"), sp: get("sp"), se: get("se"), st: get("st") };
    if (!cp.sr || (epid !== undefined && cp.sr !== epid)) return false;
    if (Number(cp.se) <= this.ctx.now()) return false;
    const sig = get("sig");
    const want = this.#sign(cp);
    return sig.length === want.length && sig === want;
  }

  #newAllocation(user: User, epid: string): Allocation {
    const now = this.ctx.now();
    const base = { sr: epid, issuer: "prod-2", sp: "connect", se: String(now + 7 * 86400_000), st: String(now) };
    const a: Allocation = {
      surlId: randomBytes(16).toString("base64url"),
      user,
      epid,
      connectparams: { ...base, sig: this.#sign(base) },
      ccid: randomBytes(8).toString("base64url"),
    };
    this.#allocations.set(a.surlId, a);
    return a;
  }

  surl(a: Pick<Allocation, "surlId" | "user">): string {
    return `${this.rootFor(a.user)}/v4/f/${a.surlId}/`;
  }

  /** `POST /v4/a?epid=` (§7.2). */
  allocate(user: User, epid: string): AllocateResponse {
    const a = this.#newAllocation(user, epid);
    return {
      socketio: `${this.rootFor(user)}/`,
      surl: this.surl(a),
      url: this.surl(a),
      ttl: "589396",
      connectparams: a.connectparams,
      ccid: a.ccid,
    };
  }

  /** `GET socket.io/1/?<query>`: the handshake text (§7.1 step 3). */
  handshake(user: User, query: URLSearchParams): string {
    const epid = query.get("epid") ?? query.get("sr") ?? "";
    if (!this.#checkParams(query, epid)) throw new HttpError(403, "Invalid or expired connectparams signature.");
    const a = [...this.#allocations.values()].find(
      (x) => x.epid === epid && x.user.mri === user.mri && x.connectparams.sig === query.get("sig"),
    );
    if (!a) throw new HttpError(404, "Unknown allocation.");
    const sid = randomBytes(16).toString("hex");
    this.#sessions.set(sid, { surlId: a.surlId, expires: this.ctx.now() + 60_000 });
    return buildHandshake({ sid, heartbeatSec: 180, closeSec: 180, transports: ["websocket", "xhr-polling"] });
  }

  // ── WebSockets ──────────────────────────────────────────────────────────────────────────────

  /** Handles an HTTP upgrade at `path` (below Trouter's root); false when the path is not Trouter's. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, path: string): boolean {
    const url = new URL(req.url ?? "/", "http://x");
    const ws = /^\/socket\.io\/1\/websocket\/([0-9a-f]{1,64})\/?$/.exec(path);
    const modern = path === TROUTER_PATHS.connect;
    if (!ws && !modern) return false;
    const refuse = (status: number, text: string): true => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return true;
    };
    let alloc: Allocation | undefined;
    const epid = url.searchParams.get("epid") ?? "";
    if (ws) {
      const session = this.#sessions.get(ws[1]!);
      this.#sessions.delete(ws[1]!);
      alloc = session && session.expires > this.ctx.now() ? this.#allocations.get(session.surlId) : undefined;
      if (!alloc) return refuse(404, "Not Found");
      if (!this.#checkParams(url.searchParams, alloc.epid)) return refuse(403, "Forbidden");
    } else if (!/^[A-Za-z0-9{}-]{1,64}$/.test(epid)) {
      return refuse(400, "Bad Request");
    }
    this.#wss.handleUpgrade(req, socket, head, (client: WebSocket) => {
      const conn = new Connection(client, alloc?.epid ?? epid, alloc?.surlId, alloc?.connectparams, this);
      this.#connections.add(conn);
    });
    return true;
  }

  authenticate(authorization: string | undefined, connectparams: unknown, conn: Connection): User | undefined {
    const token = bearerFromAuthorization(authorization);
    if (!token) return undefined;
    let user: User;
    try {
      user = this.ctx.tokens.verifyBearer(token, [AUDIENCES.spaces, AUDIENCES.ic3, CONSUMER_SPACES_SCOPE]).user;
    } catch {
      return undefined;
    }
    if (conn.surlId !== undefined) {
      const a = this.#allocations.get(conn.surlId);
      if (!a || a.user.mri !== user.mri) return undefined;
      if (
        typeof connectparams === "object" &&
        connectparams &&
        !this.#checkParams(connectparams as Record<string, unknown>, a.epid)
      )
        return undefined;
    }
    return user;
  }

  connected(conn: Connection): Record<string, unknown> {
    const user = conn.user!;
    let a = conn.surlId !== undefined ? this.#allocations.get(conn.surlId) : undefined;
    const modern = !a;
    if (!a) {
      a = this.#newAllocation(user, conn.epid);
      conn.surlId = a.surlId;
    }
    const previous = a.connection;
    a.connection = conn;
    if (previous && previous !== conn) previous.terminate();
    const args: Record<string, unknown> = { ttl: 568298, dur: "1" };
    if (modern) {
      Object.assign(args, {
        surl: this.surl(a),
        registrarUrl: this.ctx.urls.registrar(a.user.kind),
        connectparams: a.connectparams,
      });
    }
    const key = `${user.mri}|${conn.epid}`;
    if (this.#lost.delete(key)) {
      const etag = String(this.ctx.now());
      queueMicrotask(() =>
        conn.event("trouter.message_loss", [
          {
            droppedIndicators: [
              { tag: "", etag },
              { tag: "messaging", etag },
            ],
          },
        ]),
      );
    }
    return args;
  }

  answerPing(conn: Connection): boolean {
    return !this.#takeFault("stop-pings", conn.user?.mri);
  }

  closed(conn: Connection, unacked: TrouterRequest[]): void {
    this.#connections.delete(conn);
    const a = conn.surlId !== undefined ? this.#allocations.get(conn.surlId) : undefined;
    if (a?.connection === conn) delete a.connection;
    if (unacked.length && conn.user) this.#lost.add(`${conn.user.mri}|${conn.epid}`);
  }

  // ── delivery ────────────────────────────────────────────────────────────────────────────────

  #onChat(to: readonly string[], event: WireEventMessage): void {
    const body = JSON.stringify(event);
    for (const mri of to) {
      for (const path of this.registrar.chatPaths(mri)) this.deliver(path, body, {}, mri);
    }
  }

  /**
   * A service POSTs to a push URL (`<surl>[suffix]`): forwarded to the socket as a `3:::` request.
   * Returns false when it was dropped (no socket: the endpoint will hear `trouter.message_loss`).
   */
  deliver(pushUrl: string, body: string, headers: Record<string, string> = {}, expectedOwner?: string): boolean {
    const m = /\/v4\/f\/([A-Za-z0-9_-]+)\/(.*)$/.exec(pushUrl);
    const a = m ? this.#allocations.get(m[1]!) : undefined;
    if (!a || (expectedOwner && a.user.mri !== expectedOwner)) return false;
    const suffix = m![2] ?? "";
    const key = `${a.user.mri}|${a.epid}`;
    const conn = a.connection;
    if (!conn?.open || !conn.authenticated) {
      this.#lost.add(key);
      return false;
    }
    this.#pushes++;
    if (this.#takeFault("withhold", a.user.mri)) {
      this.#lost.add(key);
      return false;
    }
    if (this.#takeFault("drop-socket", a.user.mri)) {
      conn.terminate();
      this.#lost.add(key);
      return false;
    }
    const h: Record<string, string> = {
      "X-Microsoft-Skype-Chain-ID": randomUUID(),
      "X-Microsoft-Skype-Message-ID": randomUUID(),
      "X-Trouter-Delivery-Control": "async; ttl=600",
      "Content-Type": "application/json",
      "MS-CV": `${randomBytes(16).toString("base64url").slice(0, 22)}.1.2`,
      "trouter-request": JSON.stringify({ id: randomUUID(), src: "teams-emulator", port: 3443 }),
      "Trouter-Timeout": String(this.timings.ackTimeoutMs),
      ...headers,
    };
    let payload = body;
    if (Buffer.byteLength(body) >= this.timings.gzipAboveBytes) {
      payload = encodeTrouterBodyGzip(body);
      h["X-Microsoft-Skype-Content-Encoding"] = "gzip";
    }
    const request = { method: "POST", url: `/v4/f/${a.surlId}/${suffix || "messaging"}`, headers: h, body: payload };
    const send = (): void => {
      if (!conn.open) return void this.#lost.add(key);
      conn.push(request);
    };
    const delay = this.#takeFault("delay", a.user.mri);
    if (delay) setTimeout(send, delay.delayMs ?? 1000).unref();
    else send();
    if (this.#takeFault("duplicate", a.user.mri)) send();
    return true;
  }

  // ── control plane ───────────────────────────────────────────────────────────────────────────

  addFault(f: TrouterFault): ActiveTrouterFault {
    const fault: ActiveTrouterFault = { ...f, id: this.#nextFaultId++, remaining: f.count, hits: 0 };
    this.#faults.push(fault);
    return fault;
  }

  clearFaults(): number {
    const n = this.#faults.length;
    this.#faults = [];
    return n;
  }

  #takeFault(action: TrouterFault["action"], mri: string | undefined): ActiveTrouterFault | undefined {
    for (const f of this.#faults) {
      if (f.action !== action || (f.user && f.user !== mri)) continue;
      if (f.remaining !== undefined) {
        if (f.remaining <= 0) continue;
        f.remaining--;
      } else if (f.ratio !== undefined && this.random() >= f.ratio) continue;
      f.hits++;
      return f;
    }
    return undefined;
  }

  /** Drops the sockets of one user (or everyone): the next pushes are lost until they reconnect. */
  dropSockets(mri?: string): number {
    let n = 0;
    for (const c of [...this.#connections]) {
      if (mri && c.user?.mri !== mri) continue;
      c.terminate();
      n++;
    }
    return n;
  }

  status(): Record<string, unknown> {
    return {
      connections: [...this.#connections].map((c) => ({
        user: c.user?.mri ?? null,
        epid: c.epid,
        authenticated: c.authenticated,
      })),
      registrations: this.registrar
        .all()
        .map((r) => ({ id: r.id, owner: r.owner, templateKey: r.templateKey, paths: r.paths })),
      faults: this.#faults.map((f) => ({ ...f })),
      pushes: this.#pushes,
    };
  }

  close(): void {
    this.#unsubscribe();
    for (const c of [...this.#connections]) c.terminate();
    this.#wss.close();
  }
}
