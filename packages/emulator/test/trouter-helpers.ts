import * as assert from "node:assert/strict";
import { type AllocateResponse, buildFrame, type Frame, parseFrame, trouterQuery } from "@teams-api/protocol";
import { WebSocket } from "ws";
import type { Emulator } from "../src/emulator.js";
import { signIn } from "./identity-helpers.js";

/** A raw socket.io 0.9 client for the emulator's Trouter: frames in, frames out, awaited by predicate. */
export class RawTrouter {
  readonly frames: Frame[] = [];
  #waiters: Array<{ pred: (f: Frame) => boolean; resolve: (f: Frame) => void }> = [];
  closed = false;
  #closedWaiters: Array<() => void> = [];
  #counter = 0;

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (d) => {
      const f = parseFrame(d.toString());
      this.frames.push(f);
      if (f.type === "heartbeat") this.send({ type: "heartbeat" });
      for (const w of [...this.#waiters]) {
        if (w.pred(f)) {
          this.#waiters.splice(this.#waiters.indexOf(w), 1);
          w.resolve(f);
          return;
        }
      }
    });
    ws.on("close", () => {
      this.closed = true;
      for (const w of this.#closedWaiters) w();
    });
  }

  static async open(url: string, headers: Record<string, string> = {}): Promise<RawTrouter> {
    const ws = new WebSocket(url, { headers });
    const t = new RawTrouter(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
      ws.once("unexpected-response", (_req, res) => reject(new Error(`upgrade answered ${res.statusCode}`)));
    });
    return t;
  }

  send(f: Frame): void {
    this.ws.send(buildFrame(f));
  }

  /** A client event with an ack id (`5:<n>+::`). */
  emit(name: string, args: unknown[] = []): number {
    const id = ++this.#counter;
    this.send({ type: "event", endpoint: "", name, args, id, ack: true });
    return id;
  }

  /** The first frame (already received or coming) matching `pred`; consumed. */
  next(pred: (f: Frame) => boolean, what = "frame", timeoutMs = 5000): Promise<Frame> {
    const i = this.frames.findIndex(pred);
    if (i >= 0) return Promise.resolve(this.frames.splice(i, 1)[0]!);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      this.#waiters.push({
        pred,
        resolve: (f) => {
          clearTimeout(timer);
          this.frames.splice(this.frames.indexOf(f), 1);
          resolve(f);
        },
      });
    });
  }

  event(name: string): Promise<Frame & { type: "event" }> {
    return this.next((f) => f.type === "event" && f.name === name, name) as Promise<Frame & { type: "event" }>;
  }

  whenClosed(): Promise<void> {
    return this.closed ? Promise.resolve() : new Promise((r) => this.#closedWaiters.push(r));
  }

  close(): void {
    this.ws.terminate();
  }
}

export interface Session {
  login: string;
  skypeToken: string;
  bearer: string;
  epid: string;
  allocation: AllocateResponse;
  socket: RawTrouter;
}

/** Allocate → handshake → WebSocket → `1::` → user.authenticate → trouter.connected, as PT does. */
export async function connect(
  emu: Emulator,
  login: string,
  o: { epid?: string; bearer?: string; authenticate?: boolean } = {},
): Promise<Session> {
  const user = emu.users.find((u) => u.login === login)!;
  const skypeToken = emu.context.tokens.mintSkypeToken(user).token;
  const bearer = o.bearer ?? (await signIn(emu, login)).access_token;
  const epid = o.epid ?? crypto.randomUUID();
  const res = await fetch(`${emu.origin}/trouter/v4/a?epid=${epid}`, {
    method: "POST",
    headers: { "X-Skypetoken": skypeToken },
  });
  assert.equal(res.status, 200);
  const allocation = (await res.json()) as AllocateResponse;
  const q = trouterQuery({
    connectparams: allocation.connectparams,
    epid,
    connectionNumber: `${Date.now()}_1`,
    ccid: allocation.ccid,
  });
  const hs = await fetch(`${allocation.socketio}socket.io/1/?${q}`, { headers: { "X-Skypetoken": skypeToken } });
  assert.equal(hs.status, 200);
  const sid = (await hs.text()).split(":")[0]!;
  const wsUrl = `${allocation.socketio.replace(/^http/, "ws")}socket.io/1/websocket/${sid}?${q}`;
  const socket = await RawTrouter.open(wsUrl, { "X-Skypetoken": skypeToken });
  await socket.next((f) => f.type === "connect", "1::");
  if (o.authenticate !== false) {
    socket.send({
      type: "event",
      endpoint: "",
      name: "user.authenticate",
      args: [
        {
          headers: { "X-Ms-Test-User": "False", Authorization: `Bearer ${bearer}`, "X-MS-Migration": "True" },
          connectparams: allocation.connectparams,
        },
      ],
    });
    await socket.event("trouter.connected");
  }
  return { login, skypeToken, bearer, epid, allocation, socket };
}
