import * as assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import type { Emulator } from "@teams-api/emulator";
import { buildFrame, type Frame, parseFrame } from "@teams-api/protocol";
import { WebSocketServer } from "ws";
import type { TeamsClient } from "../src/index.js";
import { CHAT, LOGIN, MRI } from "./chat-fixtures.js";
import { pushWorld, Recorder, signedIn } from "./realtime-helpers.js";

/**
 * A small hostile Trouter: a handshake that never answers, malformed and unknown frames, invalid
 * JSON bodies, a 10 MB push, a gzip bomb, a push for an unknown path. The listener must log (never a
 * token), ACK what has an id, and stay up or reconnect — then still deliver the next real push.
 */

interface Hostile {
  origin: string;
  acks: number[];
  /** Resolves once every id has been ACKed. */
  acked(ids: number[]): Promise<void>;
  handshakes: number;
  close(): Promise<void>;
}

function push(id: number, url: string, body: string, headers: Record<string, string> = {}): string {
  return buildFrame({
    type: "message",
    endpoint: "",
    data: JSON.stringify({ id, method: "POST", url, headers, body }),
  });
}

const goodMessage = (text: string) =>
  JSON.stringify({
    id: 1,
    type: "EventMessage",
    resourceType: "NewMessage",
    time: new Date().toISOString(),
    resourceLink: `https://x/v1/users/ME/conversations/${CHAT.aliceBob}/messages/${Date.now()}`,
    resource: {
      id: String(Date.now()),
      version: String(Date.now()),
      conversationid: CHAT.aliceBob,
      messagetype: "Text",
      content: text,
      from: MRI.alice,
      imdisplayname: "Alice Example",
      originalarrivaltime: new Date().toISOString(),
    },
  });

async function hostileTrouter(): Promise<Hostile> {
  // 200 MB of zeros, gzipped (~200 KB): built once, before any socket is waiting on this process.
  const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024)).toString("base64");
  const big = goodMessage("x".repeat(10 * 1024 * 1024));
  const waiters: Array<() => void> = [];
  const state: Hostile = {
    origin: "",
    acks: [],
    handshakes: 0,
    close: async () => {},
    acked: async (ids) => {
      while (!ids.every((id) => state.acks.includes(id))) await new Promise<void>((r) => waiters.push(r));
    },
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (req.method === "POST" && url.pathname === "/v4/a") {
      res.setHeader("Content-Type", "application/json");
      res.end(
        JSON.stringify({
          socketio: `${state.origin}/`,
          surl: `${state.origin}/v4/f/hostile/`,
          ttl: "600",
          connectparams: {
            sr: url.searchParams.get("epid"),
            issuer: "x",
            sp: "connect",
            se: "9999999999999",
            st: "0",
            sig: "s",
          },
        }),
      );
      return;
    }
    if (url.pathname === "/socket.io/1/") {
      state.handshakes++;
      if (state.handshakes === 1) return; // never answers
      res.end("hostilesid:180:180:websocket");
      return;
    }
    if (url.pathname.startsWith("/registrar")) {
      res.statusCode = 202;
      res.end();
      return;
    }
    res.statusCode = 404;
    res.end();
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  server.on("upgrade", (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.send("1::");
      ws.on("message", (d) => {
        let f: Frame;
        try {
          f = parseFrame(d.toString());
        } catch {
          return;
        }
        if (f.type === "message") {
          state.acks.push((JSON.parse(f.data) as { id: number }).id);
          for (const w of waiters.splice(0)) w();
        }
        if (f.type !== "event" || f.name !== "user.authenticate") return;
        ws.send('5:1::{"name":"trouter.connected","args":[{"ttl":600}]}');
        for (const bad of [
          "garbage",
          "9::",
          "5:::{",
          "5:::[1]",
          "6:::x",
          "3:::not json",
          '3:::{"id":"x"}',
          "\u0000\u001b[2J",
        ])
          ws.send(bad);
        ws.send(Buffer.from([1, 2, 3])); // binary
        ws.send(push(101, "/v4/f/hostile/messaging", "{not json"));
        ws.send(
          push(
            102,
            "/v4/f/hostile/messaging",
            JSON.stringify({ resourceType: "NewMessage", resource: { content: 5 } }),
          ),
        );
        ws.send(push(103, "/v4/f/hostile/messaging", big));
        ws.send(push(104, "/v4/f/hostile/messaging", bomb, { "X-Microsoft-Skype-Content-Encoding": "gzip" }));
        ws.send(push(105, "/v4/f/hostile/nobody-registered-this", goodMessage("unknown path")));
        ws.send(push(106, "/v4/f/hostile/messaging", goodMessage("still alive")));
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  state.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((r) => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      server.close(() => r());
    });
  return state;
}

let emu: Emulator;
let bob: TeamsClient;
let hostile: Hostile;
const logs: string[] = [];
before(async () => {
  emu = await pushWorld();
  bob = await signedIn(emu, LOGIN.bob, logs);
  hostile = await hostileTrouter();
});
after(async () => {
  await bob.stopRealtime();
  await hostile.close();
  await emu.close();
});

describe("realtime against a hostile Trouter", { timeout: 120_000 }, () => {
  it("survives every kind of bad input and still delivers the next real push", async () => {
    const r = new Recorder();
    await bob.startRealtime({
      onEvent: (e) => {
        r.onEvent(e);
      },
      conversations: [CHAT.aliceBob],
      roots: { trouter: hostile.origin, registrar: `${hostile.origin}/registrar/prod/V2/registrations` },
      timings: { connectTimeoutMs: 4000, backoffBaseMs: 5, backoffCapMs: 20 },
    });
    await r.until(
      () => r.of("message").some((e) => e.message.text === "still alive"),
      "the real push after the hostile ones",
      60_000,
    );
    assert.ok(hostile.handshakes >= 2, "the hanging handshake was abandoned and retried");
    await hostile.acked([101, 102, 103, 104, 105, 106]);
    const texts = r.of("message").map((e) => e.message.text);
    assert.ok(!texts.includes("unknown path"), "a push for an unknown path is not a chat event");
    assert.ok(
      texts.some((t) => t.length === 10 * 1024 * 1024),
      "a 10 MB push is delivered whole",
    );
    assert.equal(bob.isSignedIn(), true);
    const log = logs.join("\n");
    assert.match(log, /skipped an unreadable frame/);
    assert.match(log, /gzip body could not be decompressed/);
    assert.doesNotMatch(log, /eyJ[A-Za-z0-9_-]{8,}\.eyJ/, "no token in the logs");
  });
});
