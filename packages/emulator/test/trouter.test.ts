import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  buildChatRegistration,
  buildTrouterAck,
  type Frame,
  parseTrouterEvent,
  parseTrouterRequest,
  type TrouterRequest,
} from "@teams-api/protocol";
import { type Emulator, startEmulator } from "../src/emulator.js";
import { ALICE_BOB, BOB } from "./chat-helpers.js";
import { signIn } from "./identity-helpers.js";
import { connect, RawTrouter, type Session } from "./trouter-helpers.js";

/** Trouter and the registrar (PROTOCOL.md §7): a raw socket.io client against the emulator. */

const ALICE_LOGIN = "alice@contoso.com";
const BOB_LOGIN = "bob@contoso.com";

let emu: Emulator;
before(async () => {
  emu = await startEmulator({ port: 0, trouter: { ackTimeoutMs: 150, maxRedeliveries: 2, gzipAboveBytes: 1500 } });
});
after(() => emu.close());

async function register(
  s: Session,
  body = buildChatRegistration({ epid: s.epid, surl: s.allocation.surl }),
): Promise<Response> {
  return fetch(`${emu.origin}/registrar/prod/V2/registrations`, {
    method: "POST",
    headers: { "X-Skypetoken": s.skypeToken, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function send(as: string, text: string): Promise<void> {
  const user = emu.users.find((u) => u.login === as)!;
  const res = await fetch(`${emu.origin}/v1/users/ME/conversations/${encodeURIComponent(ALICE_BOB)}/messages`, {
    method: "POST",
    headers: {
      Authentication: `skypetoken=${emu.context.tokens.mintSkypeToken(user).token}`,
      "Content-Type": "application/json",
    },
    body: JSON.stringify({
      content: text,
      messagetype: "Text",
      contenttype: "text",
      clientmessageid: String(Date.now()),
    }),
  });
  assert.equal(res.status, 201);
}

const isPush = (f: Frame): boolean => f.type === "message" && f.data.includes('"method"');
async function nextPush(s: Session, timeoutMs = 5000): Promise<TrouterRequest> {
  const f = (await s.socket.next(isPush, "push", timeoutMs)) as Frame & { type: "message" };
  return parseTrouterRequest(f.data)!;
}
const ack = (s: Session, r: TrouterRequest) =>
  s.socket.send({ type: "message", endpoint: "", data: JSON.stringify(buildTrouterAck(r)) });

describe("trouter: allocate, handshake, socket", { timeout: 60_000 }, () => {
  it("allocate answers the §7.2 shape under /trouter, with X-Skypetoken only", async () => {
    const unauth = await fetch(`${emu.origin}/trouter/v4/a?epid=e1`, { method: "POST" });
    assert.equal(unauth.status, 401);
    const s = await connect(emu, ALICE_LOGIN);
    const a = s.allocation;
    assert.equal(a.socketio, `${emu.origin}/trouter/`);
    assert.match(a.surl, new RegExp(`^${emu.origin}/trouter/v4/f/[A-Za-z0-9_-]+/$`));
    assert.equal(a.url, a.surl);
    assert.equal(a.connectparams.sr, s.epid);
    assert.ok(a.connectparams.sig && a.ccid);
    s.socket.close();
  });

  it("a tampered signature is refused at the handshake and at the WebSocket", async () => {
    const s = await connect(emu, ALICE_LOGIN);
    const q = new URLSearchParams({ ...s.allocation.connectparams, sig: "forged", epid: s.epid });
    const hs = await fetch(`${s.allocation.socketio}socket.io/1/?${q}`, { headers: { "X-Skypetoken": s.skypeToken } });
    assert.equal(hs.status, 403);
    await assert.rejects(
      RawTrouter.open(`${emu.origin.replace("http", "ws")}/trouter/socket.io/1/websocket/abcdef?${q}`),
      /404/,
    );
    s.socket.close();
  });

  it('ping → 6:::n+["pong"], user.activity is acknowledged, 2:: heartbeats are echoed', async () => {
    const s = await connect(emu, ALICE_LOGIN);
    const a = s.socket.emit("user.activity", [{ state: "active", cv: "x.0.1" }]);
    assert.deepEqual(await s.socket.next((f) => f.type === "ack" && f.ackId === a, "activity ack"), {
      type: "ack",
      endpoint: "",
      ackId: a,
      args: [],
    });
    const p = s.socket.emit("ping");
    assert.deepEqual(await s.socket.next((f) => f.type === "ack" && f.ackId === p, "pong"), {
      type: "ack",
      endpoint: "",
      ackId: p,
      args: ["pong"],
    });
    s.socket.close();
  });

  it("a bad or expired token never gets trouter.connected: the socket closes", async () => {
    const s = await connect(emu, ALICE_LOGIN, { bearer: "not-a-token", authenticate: false });
    s.socket.send({
      type: "event",
      endpoint: "",
      name: "user.authenticate",
      args: [{ headers: { Authorization: "Bearer not-a-token" } }],
    });
    await s.socket.whenClosed();
    assert.ok(!s.socket.frames.some((f) => f.type === "event" && f.name === "trouter.connected"));
  });

  it("/v4/c: no allocate; trouter.connected carries surl, registrarUrl and connectparams", async () => {
    const { access_token } = await signIn(emu, BOB_LOGIN);
    const sock = await RawTrouter.open(`${emu.origin.replace("http", "ws")}/trouter/v4/c?epid=modern-1&timeout=40`);
    await sock.next((f) => f.type === "connect");
    sock.send({
      type: "event",
      endpoint: "",
      name: "user.authenticate",
      args: [{ headers: { Authorization: `Bearer ${access_token}` } }],
    });
    const c = await sock.event("trouter.connected");
    const args = c.args[0] as Record<string, unknown>;
    assert.match(String(args.surl), /\/trouter\/v4\/f\/.+\/$/);
    assert.equal(args.registrarUrl, `${emu.origin}/registrar/prod/V2/registrations`);
    assert.equal((args.connectparams as Record<string, string>).sr, "modern-1");
    sock.close();
  });
});

describe("registrar and push delivery", { timeout: 60_000 }, () => {
  it("registers (202), pushes chat events to /messaging, redelivers until ACKed, deletes (202)", async () => {
    const s = await connect(emu, BOB_LOGIN);
    const bad = await register(s, { registrationId: "x" } as never);
    assert.equal(bad.status, 400);
    assert.equal((await register(s)).status, 202);
    await send(ALICE_LOGIN, "hello bob");
    const first = await nextPush(s);
    assert.equal(first.method, "POST");
    assert.match(first.url, /^\/v4\/f\/[^/]+\/messaging$/);
    const ev = parseTrouterEvent(first.url, first.body, first.headers);
    assert.equal(ev.type, "message");
    // not ACKed → the same request again
    const again = await nextPush(s);
    assert.equal(again.id, first.id);
    ack(s, again);
    await send(ALICE_LOGIN, "x".repeat(2000));
    const big = await nextPush(s);
    assert.equal(big.headers["X-Microsoft-Skype-Content-Encoding"], "gzip");
    const bigEv = parseTrouterEvent(big.url, big.body, big.headers);
    assert.ok(bigEv.type === "message" && bigEv.content.length === 2000);
    assert.ok(big.id > first.id);
    ack(s, big);
    const del = await fetch(`${emu.origin}/registrar/prod/V2/registrations/${s.epid}`, {
      method: "DELETE",
      headers: { "X-Skypetoken": s.skypeToken },
    });
    assert.equal(del.status, 202);
    const status = (await (await fetch(`${emu.origin}/_emulator/trouter`)).json()) as { registrations: unknown[] };
    assert.equal(status.registrations.length, 0);
    s.socket.close();
  });

  it("registration TTL expires; the seed's template keys are accepted", async () => {
    let clock = Date.now();
    const emu2 = await startEmulator({ port: 0, now: () => clock });
    const s = await connect(emu2, BOB_LOGIN);
    const register = (_s: Session, body: unknown) =>
      fetch(`${emu2.origin}/registrar/prod/V2/registrations`, {
        method: "POST",
        headers: { "X-Skypetoken": s.skypeToken, "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    for (const templateKey of ["TFLSkypeSpacesWeb_2.0", "TFLSkypeSpacesWeb_1.0", "SkypeSpacesWeb_2.3"]) {
      const body = buildChatRegistration({ epid: s.epid, surl: s.allocation.surl, ttl: 1 });
      body.clientDescription.templateKey = templateKey;
      body.clientDescription.appId = "SkypeSpacesWeb";
      body.registrationId = `r-${templateKey}`;
      assert.equal((await register(s, body)).status, 202);
    }
    const owned = (await (await fetch(`${emu2.origin}/_emulator/trouter`)).json()) as {
      registrations: Array<{ owner: string }>;
    };
    assert.equal(owned.registrations.filter((r) => r.owner === BOB).length, 3);
    clock += 1001;
    const later = (await (await fetch(`${emu2.origin}/_emulator/trouter`)).json()) as { registrations: unknown[] };
    assert.equal(later.registrations.length, 0);
    s.socket.close();
    await emu2.close();
  });

  it("pushes while the socket is gone are dropped; the next connection hears trouter.message_loss", async () => {
    const epid = crypto.randomUUID();
    const s = await connect(emu, BOB_LOGIN, { epid });
    assert.equal((await register(s)).status, 202);
    const dropped = (await (
      await fetch(`${emu.origin}/_emulator/trouter/drop`, { method: "POST", body: JSON.stringify({ user: BOB_LOGIN }) })
    ).json()) as { dropped: number };
    assert.ok(dropped.dropped >= 1);
    await s.socket.whenClosed();
    await send(ALICE_LOGIN, "while you were away");
    const s2 = await connect(emu, BOB_LOGIN, { epid });
    const loss = await s2.socket.event("trouter.message_loss");
    assert.ok(Array.isArray((loss.args[0] as { droppedIndicators: unknown[] }).droppedIndicators));
    const a = s2.socket.emit("trouter.processed_message_loss", loss.args);
    await s2.socket.next((f) => f.type === "ack" && f.ackId === a);
    s2.socket.close();
  });

  it("faults: duplicate and withhold pushes, stop answering pings", async () => {
    const s = await connect(emu, BOB_LOGIN);
    assert.equal((await register(s)).status, 202);
    const fault = (body: unknown) =>
      fetch(`${emu.origin}/_emulator/trouter/faults`, { method: "POST", body: JSON.stringify(body) });
    assert.equal((await fault({ action: "explode", count: 1 })).status, 400);
    assert.equal((await fault({ action: "duplicate", user: BOB_LOGIN, count: 1 })).status, 201);
    await send(ALICE_LOGIN, "twice");
    const one = await nextPush(s);
    const two = await nextPush(s);
    assert.notEqual(one.id, two.id);
    assert.equal(one.body, two.body);
    ack(s, one);
    ack(s, two);
    assert.equal((await fault({ action: "withhold", user: BOB, count: 1 })).status, 201);
    await send(ALICE_LOGIN, "never pushed");
    await send(ALICE_LOGIN, "pushed");
    const got = await nextPush(s);
    const ev = parseTrouterEvent(got.url, got.body, got.headers);
    assert.ok(ev.type === "message" && ev.content === "pushed");
    ack(s, got);
    assert.equal((await fault({ action: "stop-pings", user: BOB, count: 1 })).status, 201);
    const p1 = s.socket.emit("ping");
    const p2 = s.socket.emit("ping");
    const pong = await s.socket.next((f) => f.type === "ack", "pong");
    assert.equal(pong.type === "ack" && pong.ackId, p2);
    assert.notEqual(p1, p2);
    await fetch(`${emu.origin}/_emulator/trouter/faults`, { method: "DELETE" });
    s.socket.close();
  });
});
