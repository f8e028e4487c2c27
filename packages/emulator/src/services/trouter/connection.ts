import {
  buildFrame,
  type ConnectParams,
  type Frame,
  FrameError,
  parseFrame,
  parseTrouterResponse,
  type TrouterRequest,
} from "@teams-api/protocol";
import type { WebSocket } from "ws";
import type { User } from "../../state/directory.js";

/** What a connection asks of its hub. */
export interface ConnectionHost {
  /** Verifies the `user.authenticate` Authorization header; the user or undefined. */
  authenticate(authorization: string | undefined, connectparams: unknown, conn: Connection): User | undefined;
  /** Called once authenticated: answers the `trouter.connected` args. */
  connected(conn: Connection): Record<string, unknown>;
  /** Should this ping be answered? (the stop-pings fault) */
  answerPing(conn: Connection): boolean;
  closed(conn: Connection, unacked: TrouterRequest[]): void;
  timings: { ackTimeoutMs: number; maxRedeliveries: number; heartbeatMs: number; idleCloseMs: number };
  log(line: string): void;
}

interface Pending {
  request: TrouterRequest;
  attempts: number;
  timer: NodeJS.Timeout;
}

/**
 * One Trouter socket (socket.io 0.9 over a WebSocket, §7.4–§7.7): `1::` on open, `user.authenticate`
 * → `trouter.connected`, acks for client events, `2::` heartbeats both ways, and `3:::` requests
 * redelivered until the client answers with the same id.
 */
export class Connection {
  user: User | undefined;
  authenticated = false;
  #serverEventId = 0;
  #nextRequestId = 1;
  readonly #pending = new Map<number, Pending>();
  #heartbeat: NodeJS.Timeout | undefined;
  #idle: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(
    readonly ws: WebSocket,
    readonly epid: string,
    /** The allocation (surl id) this socket serves; set at once (/v4/a) or after authenticate (/v4/c). */
    public surlId: string | undefined,
    readonly connectparams: ConnectParams | undefined,
    private readonly host: ConnectionHost,
  ) {
    ws.on("message", (data, isBinary) => this.#onMessage(isBinary ? "" : data.toString("utf8")));
    ws.on("close", () => this.#onClose());
    ws.on("error", () => this.#onClose());
    this.#send({ type: "connect", endpoint: "" });
    this.#heartbeat = setInterval(() => this.#send({ type: "heartbeat" }), host.timings.heartbeatMs);
    this.#heartbeat.unref();
    this.#touch();
  }

  get open(): boolean {
    return !this.#closed;
  }

  #touch(): void {
    if (this.#idle) clearTimeout(this.#idle);
    this.#idle = setTimeout(() => this.terminate(), this.host.timings.idleCloseMs);
    this.#idle.unref();
  }

  #send(frame: Frame): void {
    if (this.#closed) return;
    this.ws.send(buildFrame(frame));
  }

  /** A server event (`trouter.connected`, `trouter.message_loss`, …). */
  event(name: string, args: unknown[]): void {
    this.#send({ type: "event", endpoint: "", name, args, id: ++this.#serverEventId });
  }

  /** Pushes a `3:::` request; redelivered until ACKed. Returns the request id. */
  push(req: Omit<TrouterRequest, "id">): number {
    const request: TrouterRequest = { id: this.#nextRequestId++, ...req };
    this.#deliver({ request, attempts: 0, timer: undefined as unknown as NodeJS.Timeout });
    return request.id;
  }

  #deliver(p: Pending): void {
    if (this.#closed) return;
    p.attempts++;
    this.#send({ type: "message", endpoint: "", data: JSON.stringify(p.request) });
    p.timer = setTimeout(() => {
      if (p.attempts > this.host.timings.maxRedeliveries) {
        this.host.log(`trouter: request ${p.request.id} never acknowledged; closing the socket`);
        this.terminate();
        return;
      }
      this.#deliver(p);
    }, this.host.timings.ackTimeoutMs);
    p.timer.unref();
    this.#pending.set(p.request.id, p);
  }

  #onMessage(text: string): void {
    this.#touch();
    let frame: Frame;
    try {
      frame = parseFrame(text);
    } catch (err) {
      this.host.log(`trouter: unreadable client frame (${err instanceof FrameError ? err.message : "error"})`);
      return;
    }
    switch (frame.type) {
      case "heartbeat":
        return; // the echo of ours, or the client's own
      case "disconnect":
        this.terminate();
        return;
      case "message": {
        const res = parseTrouterResponse(frame.data);
        const p = res ? this.#pending.get(res.id) : undefined;
        if (p) {
          clearTimeout(p.timer);
          this.#pending.delete(res!.id);
        }
        return;
      }
      case "event":
        this.#onEvent(frame.name, frame.args, frame.id);
        return;
      default:
        return;
    }
  }

  #ack(id: number | undefined, args: unknown[]): void {
    if (id !== undefined) this.#send({ type: "ack", endpoint: "", ackId: id, args });
  }

  #onEvent(name: string, args: unknown[], id: number | undefined): void {
    const first = (args[0] ?? {}) as Record<string, unknown>;
    switch (name) {
      case "user.authenticate": {
        const headers = (first.headers ?? {}) as Record<string, unknown>;
        const auth = Object.entries(headers).find(([k]) => k.toLowerCase() === "authorization")?.[1];
        const user = this.host.authenticate(typeof auth === "string" ? auth : undefined, first.connectparams, this);
        if (!user) {
          // A bad or expired token never gets trouter.connected: the socket is closed.
          this.#send({ type: "disconnect", endpoint: "" });
          this.terminate();
          return;
        }
        this.user = user;
        this.authenticated = true;
        this.event("trouter.connected", [this.host.connected(this)]);
        this.#ack(id, []);
        return;
      }
      case "ping":
        if (this.host.answerPing(this)) this.#ack(id, ["pong"]);
        return;
      default:
        // user.activity, trouter.processed_message_loss and the rest: acknowledged
        this.#ack(id, []);
    }
  }

  terminate(): void {
    if (this.#closed) return;
    this.ws.terminate();
    this.#onClose();
  }

  #onClose(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    if (this.#idle) clearTimeout(this.#idle);
    const unacked = [...this.#pending.values()].map((p) => {
      clearTimeout(p.timer);
      return p.request;
    });
    this.#pending.clear();
    this.host.closed(this, unacked);
  }
}
