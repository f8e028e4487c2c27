import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import {
  buildChatRegistration,
  buildEventMessage,
  buildFrame,
  buildHandshake,
  buildTrouterAck,
  decodeTrouterBody,
  encodeTrouterBodyGzip,
  type Frame,
  FrameError,
  parseAllocateResponse,
  parseEventMessage,
  parseFrame,
  parseHandshake,
  parseRegistration,
  parseTrouterEvent,
  parseTrouterEvents,
  parseTrouterRequest,
  pushTarget,
  trouterQuery,
} from "../src/index.js";
import { hostileString, numRuns } from "./arbitraries.js";

const SAMPLES = new URL("../../../../shared/protocol/samples/", import.meta.url);
// biome-ignore lint/suspicious/noExplicitAny: recorded sample JSON, shape asserted by the tests
const sample = (name: string): any => JSON.parse(readFileSync(new URL(name, SAMPLES), "utf8"));

const json = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
const endpoint = fc.stringMatching(/^[a-z/]{0,8}$/);
const frameId = fc
  .record({ id: fc.option(fc.nat({ max: 2 ** 40 }), { nil: undefined }), ack: fc.boolean() })
  .map((f) => {
    const out: { id?: number; ack?: boolean } = {};
    if (f.id !== undefined) out.id = f.id;
    if (f.ack) out.ack = true;
    return out;
  });
const frame: fc.Arbitrary<Frame> = fc.oneof(
  endpoint.map((e) => ({ type: "disconnect", endpoint: e }) as Frame),
  fc
    .record({ e: endpoint, q: fc.option(fc.string(), { nil: undefined }) })
    .map(({ e, q }) =>
      q === undefined
        ? ({ type: "connect", endpoint: e } as Frame)
        : ({ type: "connect", endpoint: e, query: q } as Frame),
    ),
  fc.constant({ type: "heartbeat" } as Frame),
  fc.constant({ type: "noop" } as Frame),
  fc
    .record({ e: endpoint, d: fc.string(), id: frameId })
    .map(({ e, d, id }) => ({ type: "message", endpoint: e, data: d, ...id }) as Frame),
  fc
    .record({ e: endpoint, d: json, id: frameId })
    .map(({ e, d, id }) => ({ type: "json", endpoint: e, data: d, ...id }) as Frame),
  fc
    .record({ e: endpoint, n: fc.string(), a: fc.array(json, { maxLength: 3 }), id: frameId })
    .map(({ e, n, a, id }) => ({ type: "event", endpoint: e, name: n, args: a, ...id }) as Frame),
  fc
    .record({ e: endpoint, n: fc.nat(), a: fc.option(fc.array(json, { maxLength: 3 }), { nil: undefined }) })
    .map(
      ({ e, n, a }) =>
        (a === undefined
          ? { type: "ack", endpoint: e, ackId: n }
          : { type: "ack", endpoint: e, ackId: n, args: a }) as Frame,
    ),
  fc
    .record({ e: endpoint, r: fc.stringMatching(/^[^+]*$/), a: fc.option(fc.string(), { nil: undefined }) })
    .map(
      ({ e, r, a }) =>
        (a === undefined
          ? { type: "error", endpoint: e, reason: r }
          : { type: "error", endpoint: e, reason: r, advice: a }) as Frame,
    ),
);

describe("socket.io 0.9 frames (§7.4)", { timeout: 120_000 }, () => {
  it("parse(build(x)) ≡ x for every frame type", () => {
    fc.assert(
      fc.property(frame, (f) => {
        assert.deepEqual(parseFrame(buildFrame(f)), f);
      }),
      { numRuns },
    );
  });

  it("reads every frame of the recorded session and writes them back byte for byte", () => {
    for (const { raw } of sample("trouter-session-frames.json").frames as Array<{ raw: string }>) {
      const f = parseFrame(raw);
      assert.equal(buildFrame(f), raw, raw.slice(0, 40));
    }
    assert.deepEqual(parseFrame('6:::3+["pong"]'), { type: "ack", endpoint: "", ackId: 3, args: ["pong"] });
    assert.deepEqual(parseFrame('5:3+::{"name":"ping"}'), {
      type: "event",
      endpoint: "",
      name: "ping",
      args: [],
      id: 3,
      ack: true,
    });
    assert.deepEqual(parseFrame("1::"), { type: "connect", endpoint: "" });
  });

  it("hostile input never throws anything but FrameError", () => {
    const prefixes = fc.constantFrom(
      "",
      "0:",
      "1::",
      "3:::",
      "5:::",
      "5:1+::",
      "6:::",
      "7:::",
      "9:::",
      "5:x::",
      "6:::1+",
    );
    fc.assert(
      fc.property(
        prefixes,
        fc.oneof(
          hostileString,
          fc.string(),
          json.map((j) => JSON.stringify(j)),
        ),
        (p, s) => {
          try {
            parseFrame(p + s);
          } catch (err) {
            assert.ok(err instanceof FrameError, String(err));
          }
        },
      ),
      { numRuns },
    );
    for (const bad of [
      "",
      "x",
      "3",
      "9::",
      "5:::{",
      "5:::[]",
      '5:::{"name":1}',
      '5:::{"name":"a","args":{}}',
      "6:::x",
      "6:::1+{}",
      "5:99999999999999999::{}",
    ]) {
      assert.throws(() => parseFrame(bad), FrameError, bad);
    }
  });

  it("handshake text round-trips and rejects junk", () => {
    const h = parseHandshake("8f3b2a1c9d7e6f50-8f3b2a1c9d7e6f50:180:180:websocket,xhr-polling");
    assert.deepEqual(h, {
      sid: "8f3b2a1c9d7e6f50-8f3b2a1c9d7e6f50",
      heartbeatSec: 180,
      closeSec: 180,
      transports: ["websocket", "xhr-polling"],
    });
    assert.equal(buildHandshake(h), "8f3b2a1c9d7e6f50-8f3b2a1c9d7e6f50:180:180:websocket,xhr-polling");
    for (const bad of ["", "<html>", "a:b:c:d", "sid:1:2:"]) assert.throws(() => parseHandshake(bad), FrameError);
  });
});

describe("allocate, query, registrar shapes (§7.2, §7.3, §7.8)", { timeout: 60_000 }, () => {
  it("reads the recorded allocate answer and rebuilds its handshake query", () => {
    const s = sample("trouter-allocate.json");
    const a = parseAllocateResponse(s.response.body);
    assert.ok(a);
    assert.equal(a.connectparams.sr, "1f4d2c3b-7a6e-4d5c-9b8a-0e1f2d3c4b5a");
    const q = trouterQuery({
      connectparams: a.connectparams,
      epid: a.connectparams.sr,
      connectionNumber: "1718200000123_1",
      ccid: a.ccid,
    });
    const recorded = new URL(s.handshake.request.url).searchParams;
    assert.deepEqual([...q.entries()], [...recorded.entries()]);
    for (const bad of [null, [], {}, { socketio: "x", surl: "y", ttl: 1, connectparams: {} }])
      assert.equal(parseAllocateResponse(bad), undefined);
  });

  it("builds the TeamsCDLWebWorker registration of the sample and validates registrar bodies", () => {
    const s = sample("registrar-registrations.json");
    const built = buildChatRegistration({
      epid: s.bodies[0].registrationId,
      surl: s.bodies[0].transports.TROUTER[0].path,
      platformUIVersion: "1415/26010401241",
    });
    assert.deepEqual(built, s.bodies[0]);
    for (const b of s.bodies) assert.deepEqual(parseRegistration(b), b);
    assert.equal(typeof parseRegistration({}), "string");
    assert.equal(typeof parseRegistration({ ...s.bodies[0], transports: { TROUTER: [] } }), "string");
    assert.equal(
      buildChatRegistration({ epid: "e", surl: "https://x/", consumer: true }).clientDescription.productContext,
      "TFL",
    );
  });

  it("requests and ACKs: the ACK echoes id, MS-CV and trouter-request", () => {
    const frames = sample("trouter-session-frames.json").frames as Array<{ raw: string; dir: string }>;
    const push = frames.find((f) => f.dir === "S->C" && f.raw.startsWith("3:::"))!;
    const f = parseFrame(push.raw);
    assert.equal(f.type, "message");
    const req = parseTrouterRequest((f as { data: string }).data)!;
    assert.equal(req.id, -1847263512);
    const ack = buildTrouterAck(req, 200, 1);
    const recorded = JSON.parse(frames[frames.indexOf(push) + 1]!.raw.slice(4));
    assert.deepEqual(ack, recorded);
    assert.equal(parseTrouterRequest("{"), undefined);
    assert.equal(parseTrouterRequest('{"id":"1","url":"/"}'), undefined);
  });

  it("gzip bodies: the recorded one decodes, a bomb stops at the limit, junk is refused", () => {
    const frames = sample("trouter-session-frames.json").frames as Array<{ raw: string }>;
    const gz = frames.find((f) => f.raw.includes("Content-Encoding"))!;
    const req = parseTrouterRequest(gz.raw.slice(4))!;
    const ev = parseTrouterEvent(req.url, req.body, req.headers);
    assert.equal(ev.type, "message");
    const text = '{"a":1}';
    assert.equal(
      decodeTrouterBody(encodeTrouterBodyGzip(text), { "x-microsoft-skype-content-encoding": "gzip" }),
      text,
    );
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024)).toString("base64");
    assert.throws(() => decodeTrouterBody(bomb, { "X-Microsoft-Skype-Content-Encoding": "gzip" }, 1024 * 1024));
    assert.throws(() => decodeTrouterBody("!!!", { "X-Microsoft-Skype-Content-Encoding": "gzip" }));
    assert.throws(() => decodeTrouterBody("x", { "X-Microsoft-Skype-Content-Encoding": "br" }));
  });
});

describe("EventMessage envelopes and parseTrouterEvent (§2.16)", { timeout: 60_000 }, () => {
  // biome-ignore lint/suspicious/noExplicitAny: recorded sample JSON
  const events = sample("events-eventmessages.json").events as any[];
  const surl = "/v4/f/Xy7Qm2b9RkWc1L0pTn4VdA/";
  const push = (e: unknown, suffix = "messaging") => parseTrouterEvent(surl + suffix, JSON.stringify(e));

  it("builds and parses the envelope", () => {
    const e = buildEventMessage({
      id: 7,
      resourceType: "NewMessage",
      time: 0,
      resourceLink: "https://x/v1/users/ME/conversations/19:a@thread.v2/messages/1",
      resource: { id: "1" },
    });
    assert.deepEqual(parseEventMessage(e), e);
    assert.equal(e.time, "1970-01-01T00:00:00.000Z");
    assert.equal(parseEventMessage({ resourceType: "X" }), undefined);
  });

  it("types every sample event", () => {
    const evs = events.map((e) => push(e));
    const [msg, typing, reaction, conv, thread, presence] = [evs[0]!, evs[1]!, evs[2]!, evs[3]!, evs[4]!, evs[5]!];
    assert.equal(msg.type, "message");
    if (msg.type === "message") {
      assert.equal(msg.conversationId, events[0].resource.conversationid);
      assert.equal(msg.from, "8:orgid:9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d");
      assert.equal(msg.fromName, "Bob Example");
      assert.equal(msg.clientMessageId, "5519371864123750012");
    }
    assert.equal(typing.type, "typing");
    assert.equal(reaction.type, "reaction");
    if (reaction.type === "reaction") assert.equal(reaction.emotions[0]!.key, "like");
    assert.equal(conv.type, "read");
    if (conv.type === "read")
      assert.deepEqual(conv.horizon, {
        messageId: "1718200160456",
        time: 1718200170000,
        clientMessageId: "8842017365510923871",
      });
    assert.equal(thread.type, "thread");
    if (thread.type === "thread") assert.equal(thread.topic, "Project Falcon - launch");
    assert.equal(presence.type, "presence");
    // the bare surl carries chat events too (TeamsCDLWebWorker registration)
    assert.equal(push(events[0], "").type, "message");
  });

  it("edits, deletes, presence and calls", () => {
    const base = events[0].resource;
    const edit = {
      ...events[2],
      resource: { ...base, version: "5", skypeeditedid: base.id, properties: { edittime: "5" } },
    };
    assert.equal(push(edit).type, "edit");
    const del = { ...events[2], resource: { ...base, properties: { deletetime: "9" } } };
    assert.equal(push(del).type, "delete");
    const pres = parseTrouterEvent(
      `${surl}TeamsUnifiedPresenceService`,
      JSON.stringify({
        presence: [{ mri: "8:orgid:x", etag: "A1", presence: { availability: "Busy", activity: "InACall" } }],
      }),
    );
    assert.equal(pres.type, "presence");
    if (pres.type === "presence")
      assert.deepEqual([pres.presences[0]!.mri, pres.presences[0]!.availability], ["8:orgid:x", "Busy"]);
    const cp = encodeTrouterBodyGzip(
      JSON.stringify({
        callNotification: { from: { id: "8:orgid:c", displayName: "Cy" } },
        debugContent: { callId: "k" },
      }),
    );
    const call = parseTrouterEvent(`${surl}NGCallManagerWin`, JSON.stringify({ cp }));
    assert.deepEqual(call.type === "call" && [call.callId, call.from, call.fromName], ["k", "8:orgid:c", "Cy"]);
    assert.equal(pushTarget("/v4/f/abc/unifiedPresenceService"), "presence");
  });

  it("never throws on hostile bodies, paths and headers", () => {
    fc.assert(
      fc.property(
        fc.oneof(hostileString, fc.constantFrom("/v4/f/a/", "/v4/f/a/messaging", "/v4/f/a/NGCallManagerWin", "/x")),
        fc.oneof(
          hostileString,
          json.map((j) => JSON.stringify(j)),
          fc.constantFrom(...events.map((e) => JSON.stringify({ ...e, resource: { ...e.resource, messagetype: 5 } }))),
        ),
        fc.boolean(),
        (url, body, gz) => {
          const evs = parseTrouterEvents(url, body, gz ? { "X-Microsoft-Skype-Content-Encoding": "gzip" } : {});
          assert.ok(evs.length >= 1);
        },
      ),
      { numRuns },
    );
    assert.equal(parseTrouterEvent("/v4/f/a/messaging", "{").type, "unknown");
    assert.equal(parseTrouterEvent("/somewhere/else", JSON.stringify(events[0])).type, "unknown");
  });
});
