/**
 * The thin socket layer (GUIDE §2 Real-time): one `ws` speaking socket.io 0.9 (PROTOCOL.md §7.4):
 * echoes `2::` heartbeats, pings every 30 s and closes when a pong or any frame is overdue, ACKs
 * every `3:::` request at once, and turns the rest into callbacks. Malformed frames are logged and
 * skipped; the socket lives on.
 */
import {
  buildFrame,
  buildTrouterAck,
  type Frame,
  FrameError,
  parseFrame,
  parseTrouterRequest,
  type TrouterRequest,
} from "@teams-api/protocol";
import type WebSocket from "ws";
import type { Logger } from "../http/types.js";

export interface SocketTimings {
  /** `ping` event interval. @default 30000 */
  pingIntervalMs: number;
  /** Close when the pong (or any frame) has not come this long after a ping. @default 15000 */
  pingTimeoutMs: number;
  /** Close when the server sent nothing for this long (its heartbeats stopped). @default 200000 */
  idleTimeoutMs: number;
  /** Largest frame accepted; a larger one closes the socket (reconnect and backfill follow). @default 16 MiB */
  maxFrameBytes: number;
}

export const DEFAULT_SOCKET_TIMINGS: SocketTimings = {
  pingIntervalMs: 30_000,
  pingTimeoutMs: 15_000,
  idleTimeoutMs: 200_000,
  maxFrameBytes: 16 * 1024 * 1024,
};

export interface SocketHandlers {
  onEvent(name: string, args: unknown[]): void;
  onRequest(req: TrouterRequest): void;
  onClose(reason: string): void;
}

let WebSocketImpl: typeof WebSocket | undefined;

/** Loads `ws` once, before the first socket: commands that never open push do not pay for it at start. */
export async function loadWebSocket(): Promise<void> {
  WebSocketImpl ??= (await import("ws")).default;
}

export class TrouterSocket {
  #ws: WebSocket;
  #counter = 0;
  #closed = false;
  #ping: NodeJS.Timeout | undefined;
  #pingDeadline: NodeJS.Timeout | undefined;
  #idle: NodeJS.Timeout | undefined;
  #acks = new Map<number, (args: unknown[]) => void>();
  #opened: Promise<void>;
  #connectFrame: Promise<void>;

  constructor(
    url: string,
    options: { headers: Record<string, string>; agent?: import("node:http").Agent | undefined },
    private readonly handlers: SocketHandlers,
    private readonly timings: SocketTimings,
    private readonly logger: Logger | undefined,
  ) {
    if (!WebSocketImpl) throw new Error("loadWebSocket() must resolve before a TrouterSocket is made.");
    this.#ws = new WebSocketImpl(url, {
      headers: options.headers,
      maxPayload: timings.maxFrameBytes,
      handshakeTimeout: timings.pingTimeoutMs,
      ...(options.agent ? { agent: options.agent } : {}),
    });
    let connected!: () => void;
    let failed!: (e: Error) => void;
    this.#connectFrame = new Promise((res, rej) => {
      connected = res;
      failed = rej;
    });
    this.#connectFrame.catch(() => {});
    this.#opened = new Promise((resolve, reject) => {
      this.#ws.once("open", () => resolve());
      this.#ws.once("unexpected-response", (_req, res) => {
        reject(new Error(`the Trouter socket was refused (${res.statusCode})`));
        res.resume();
      });
      this.#ws.once("error", (e) => reject(e));
    });
    this.#opened.catch(() => {});
    this.#ws.on("message", (data, isBinary) => {
      this.#touch();
      if (isBinary) return;
      const text = data.toString("utf8");
      let frame: Frame;
      try {
        frame = parseFrame(text);
      } catch (err) {
        this.logger?.warn(
          `trouter: skipped an unreadable frame (${err instanceof FrameError ? err.message : "error"}, ${text.length} bytes)`,
        );
        return;
      }
      if (frame.type === "connect") connected();
      this.#onFrame(frame);
    });
    this.#ws.on("close", (code) => {
      failed(new Error(`the Trouter socket closed (${code})`));
      this.#shutdown(`closed (${code})`);
    });
    this.#ws.on("error", (err) => {
      failed(err);
      this.#shutdown(`error: ${err.message}`);
    });
  }

  /** Resolves when the WebSocket is open and the server said `1::`. */
  async ready(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("the Trouter socket did not answer in time")), timeoutMs);
    });
    try {
      await Promise.race([Promise.all([this.#opened, this.#connectFrame]), timeout]);
    } finally {
      clearTimeout(timer);
    }
    this.#touch();
    this.#ping = setInterval(() => this.#sendPing(), this.timings.pingIntervalMs);
    this.#ping.unref();
  }

  get closed(): boolean {
    return this.#closed;
  }

  #send(frame: Frame): void {
    if (this.#closed || this.#ws.readyState !== this.#ws.OPEN) return;
    this.#ws.send(buildFrame(frame));
  }

  /** Sends an event; with `ack`, resolves with the server's ack args. */
  emit(name: string, args: unknown[], ack = true): Promise<unknown[]> {
    if (!ack) {
      this.#send({ type: "event", endpoint: "", name, args });
      return Promise.resolve([]);
    }
    const id = ++this.#counter;
    const p = new Promise<unknown[]>((resolve) => this.#acks.set(id, resolve));
    this.#send({ type: "event", endpoint: "", name, args, id, ack: true });
    return p;
  }

  #sendPing(): void {
    if (this.#pingDeadline) return;
    this.#pingDeadline = setTimeout(() => this.close("ping timeout"), this.timings.pingTimeoutMs);
    this.#pingDeadline.unref();
    void this.emit("ping", []).then(() => {
      clearTimeout(this.#pingDeadline);
      this.#pingDeadline = undefined;
    });
  }

  #touch(): void {
    if (this.#idle) clearTimeout(this.#idle);
    this.#idle = setTimeout(() => this.close("server went quiet"), this.timings.idleTimeoutMs);
    this.#idle.unref();
  }

  #onFrame(frame: Frame): void {
    switch (frame.type) {
      case "heartbeat":
        this.#send({ type: "heartbeat" });
        return;
      case "ack": {
        const resolve = this.#acks.get(frame.ackId);
        if (resolve) {
          this.#acks.delete(frame.ackId);
          resolve(frame.args ?? []);
        }
        return;
      }
      case "event":
        if (frame.name === "ping" && frame.id !== undefined) {
          this.#send({ type: "ack", endpoint: "", ackId: frame.id, args: ["pong"] });
          return;
        }
        this.handlers.onEvent(frame.name, frame.args);
        return;
      case "message": {
        const req = parseTrouterRequest(frame.data);
        if (!req) {
          this.logger?.warn(`trouter: skipped a message frame that is not a request (${frame.data.length} bytes)`);
          return;
        }
        // ACK first, always: the push is ours now (a bad body is still answered, so it is not redelivered).
        this.#send({ type: "message", endpoint: "", data: JSON.stringify(buildTrouterAck(req, 200, ++this.#counter)) });
        this.handlers.onRequest(req);
        return;
      }
      case "disconnect":
        this.close("server disconnected");
        return;
      default:
        return;
    }
  }

  close(reason = "closed by client"): void {
    if (this.#closed) return;
    this.#ws.terminate();
    this.#shutdown(reason);
  }

  #shutdown(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#ping);
    clearTimeout(this.#pingDeadline);
    clearTimeout(this.#idle);
    this.#acks.clear();
    this.handlers.onClose(reason);
  }
}
