import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  ALICE,
  ALICE_BOB,
  assertShape,
  BOB,
  CAROL,
  ChatWorld,
  FALCON,
  FRANK,
  GENERAL,
  GRACE,
  idFromLocation,
  type Json,
  messagesPath,
  sample,
  TIMESTAMP_7,
} from "./chat-helpers.js";

/** Replays samples/chat-send-message.json and the send semantics of §2.8–2.10. */

let world: ChatWorld;
before(async () => {
  world = await ChatWorld.start();
});
after(() => world.close());

const s = sample("chat-send-message.json");

describe("POST …/messages", () => {
  it("replays the sample: 201, Location, {OriginalArrivalTime}, and stores every §2.7 field", async () => {
    const r = await world.call("POST", new URL(s.request.url).pathname, { body: s.request.body });
    assert.equal(r.status, 201);
    assert.match(r.headers.get("content-type") ?? "", /^application\/json/);
    assert.deepEqual(Object.keys(r.json), ["OriginalArrivalTime"]);
    assert.equal(typeof r.json.OriginalArrivalTime, "number");
    const location = r.headers.get("location");
    assert.equal(
      location,
      `${world.origin}/v1/users/ME/conversations/${FALCON}/messages/${r.json.OriginalArrivalTime}`,
    );
    const id = idFromLocation(location);

    const page = await world.call("GET", `${messagesPath(FALCON)}?pageSize=1`, { as: BOB });
    const m = page.json.messages[0];
    const listSample = sample("chat-messages-list.json").response.body.messages[3];
    assertShape(m, listSample);
    assert.equal(m.id, id);
    assert.equal(m.version, id);
    assert.equal(typeof m.sequenceId, "number");
    assert.equal(m.clientmessageid, s.request.body.clientmessageid);
    assert.equal(m.conversationid, FALCON);
    assert.equal(m.conversationLink, `${world.origin}/v1/users/ME/conversations/${FALCON}`);
    assert.equal(m.type, "Message");
    assert.equal(m.messagetype, "RichText/Html");
    assert.equal(m.contenttype, "text");
    assert.equal(m.content, s.request.body.content);
    assert.deepEqual(m.amsreferences, []);
    assert.equal(m.from, `${world.origin}/v1/users/ME/contacts/${ALICE}`);
    assert.equal(m.imdisplayname, "Alice Example");
    assert.match(m.composetime, TIMESTAMP_7);
    assert.match(m.originalarrivaltime, TIMESTAMP_7);
    assert.equal(Date.parse(m.originalarrivaltime), Number(id));
    assert.deepEqual(m.properties, { importance: "", subject: "" });
  });

  it("echoes the clientmessageid in the body when the variant says so", async () => {
    const w = await ChatWorld.start({ variants: { sendEchoesClientMessageId: true } });
    try {
      const r = await w.call("POST", messagesPath(FALCON), { body: s.request.body });
      assert.equal(r.status, 201);
      assert.deepEqual(r.json, { OriginalArrivalTime: r.json.OriginalArrivalTime, id: s.request.body.clientmessageid });
    } finally {
      await w.close();
    }
  });

  it("generates a clientmessageid when the client sends none (§9.5), and does not dedupe retries", async () => {
    const bare = await world.call("POST", messagesPath(ALICE_BOB), {
      body: { content: "<p>no cmid</p>", messagetype: "RichText/Html" },
    });
    assert.equal(bare.status, 201);
    const stored = await world.message(ALICE_BOB, String(bare.json.OriginalArrivalTime));
    assert.match(stored.clientmessageid, /^\d{19}$/);
    assert.equal(stored.imdisplayname, "");
    assert.equal(stored.contenttype, "text");

    const body = { content: "<p>retry</p>", messagetype: "RichText/Html", clientmessageid: "5550000000000000001" };
    const first = await world.call("POST", messagesPath(ALICE_BOB), { body });
    const second = await world.call("POST", messagesPath(ALICE_BOB), { body });
    assert.equal(first.status, 201);
    assert.equal(second.status, 201);
    assert.notEqual(first.json.OriginalArrivalTime, second.json.OriginalArrivalTime);
    const all = await world.allMessages(ALICE_BOB);
    assert.equal(all.filter((m) => m.clientmessageid === "5550000000000000001").length, 2);
  });

  it("gives strictly increasing ids when messages arrive in the same millisecond", async () => {
    const fixed = Date.now();
    const w = await ChatWorld.start({ now: () => fixed });
    try {
      const ids: number[] = [];
      for (let i = 0; i < 3; i++) ids.push(Number((await w.send(FALCON, `<p>${i}</p>`)).id));
      assert.equal(ids[0], fixed);
      assert.deepEqual(ids, [fixed, fixed + 1, fixed + 2]);
    } finally {
      await w.close();
    }
  });

  it("channel post and ;messageid= reply (variant channel_reply)", async () => {
    const root = await world.send(GENERAL, "<p>New root post</p>", ALICE, { properties: { subject: "Hello" } });
    const v = s.variants.channel_reply;
    const path = new URL(v.url.replace("1718050000000", root.id)).pathname;
    const r = await world.call("POST", path, { body: v.body });
    assert.equal(r.status, 201);
    const replyId = String(r.json.OriginalArrivalTime);
    assert.equal(
      r.headers.get("location"),
      `${world.origin}/v1/users/ME/conversations/${GENERAL};messageid=${root.id}/messages/${replyId}`,
    );

    const encoded = await world.call("POST", messagesPath(`${GENERAL};messageid=${root.id}`), { body: v.body });
    assert.equal(encoded.status, 201, "percent-encoded ;messageid= routes");

    const chain = await world.call("GET", `${messagesPath(`${GENERAL};messageid=${root.id}`)}?pageSize=10`, {
      as: BOB,
    });
    assert.deepEqual(
      chain.json.messages.map((m: Json) => m.id),
      [String(encoded.json.OriginalArrivalTime), replyId, root.id],
    );
    const reply = chain.json.messages[1];
    assert.equal(reply.rootMessageId, root.id);
    assert.equal(reply.conversationid, GENERAL);
    assert.equal(reply.conversationLink, `${world.origin}/v1/users/ME/conversations/${GENERAL};messageid=${root.id}`);
    assert.equal(chain.json.messages[2].properties.subject, "Hello");
    assert.equal(chain.json.messages[2].rootMessageId, undefined);

    const whole = await world.call("GET", `${messagesPath(GENERAL)}?pageSize=3`);
    assert.ok(
      whole.json.messages.some((m: Json) => m.id === replyId),
      "replies interleave in the channel",
    );

    const badRoot = await world.call("POST", messagesPath(`${GENERAL};messageid=${replyId}`), { body: v.body });
    assert.equal(badRoot.status, 404, "a reply is not a root");
    const notChannel = await world.call("POST", messagesPath(`${FALCON};messageid=${root.id}`), { body: v.body });
    assert.equal(notChannel.status, 404);
  });

  it("mention, quote and inline image variants keep content, properties and amsreferences", async () => {
    for (const name of ["mention", "quote_reply", "inline_image"]) {
      const body = s.variants[name];
      const r = await world.call("POST", messagesPath(ALICE_BOB), { body });
      assert.equal(r.status, 201, name);
      const m = await world.message(ALICE_BOB, String(r.json.OriginalArrivalTime), BOB);
      assert.equal(m.content, body.content, name);
      assert.equal(m.clientmessageid, body.clientmessageid, name);
      assert.deepEqual(m.amsreferences, body.amsreferences ?? [], name);
      assert.deepEqual(m.properties, body.properties ?? {}, name);
    }
    const mention = await world.allMessages(ALICE_BOB, BOB, 5);
    const withMention = mention.find((m) => m.clientmessageid === s.variants.mention.clientmessageid);
    assert.equal(typeof withMention.properties.mentions, "string");
    assert.equal(JSON.parse(withMention.properties.mentions)[0].mri, BOB);
  });

  it("typing is 201 and delivered as an event, never stored", async () => {
    const events = world.events();
    const before = await world.allMessages(ALICE_BOB);
    for (const messagetype of ["Control/Typing", "Control/ClearTyping"]) {
      const r = await world.call("POST", messagesPath(ALICE_BOB), {
        body: { ...s.variants.typing, messagetype },
      });
      assert.equal(r.status, 201, messagetype);
      assert.equal(typeof r.json.OriginalArrivalTime, "number");
    }
    const after = await world.allMessages(ALICE_BOB);
    assert.equal(after.length, before.length);
    assert.ok(!after.some((m) => m.messagetype.startsWith("Control/")));
    const typing = events.filter((e) => e.event.resourceType === "NewMessage");
    assert.equal(typing.length, 2);
    const resource = typing[0]!.event.resource as Json;
    assert.equal(resource.messagetype, "Control/Typing");
    assert.equal(resource.contenttype, "Application/Message");
    assert.deepEqual([...typing[0]!.to].sort(), [ALICE, BOB].sort());
  });

  it("posting to a sorted 1:1 id that includes the sender creates the chat", async () => {
    const [a, b] = [ALICE.slice(8), FRANK.slice(8)].sort();
    const id = `19:${a}_${b}@unq.gbl.spaces`;
    const before = await world.call("GET", `/v1/users/ME/conversations/${id}`, { as: FRANK });
    assert.equal(before.status, 404);
    const r = await world.call("POST", messagesPath(id), {
      body: { content: "<p>Hi Frank</p>", messagetype: "RichText/Html" },
    });
    assert.equal(r.status, 201);
    const frank = await world.call("GET", "/v1/users/ME/conversations", { as: FRANK });
    const conv = frank.json.conversations.find((c: Json) => c.id === id);
    assert.ok(conv, "Frank sees the new chat");
    assert.equal(conv.threadProperties.productThreadType, "OneOnOne");
    assert.equal(conv.threadProperties.membercount, "2");
    assert.equal(conv.lastMessage.content, "<p>Hi Frank</p>");

    const unsorted = `19:${b}_${a}@unq.gbl.spaces`;
    const r2 = await world.call("POST", messagesPath(unsorted), { body: { content: "x", messagetype: "Text" } });
    assert.equal(r2.status, 404);
    const [c, d] = [BOB.slice(8), FRANK.slice(8)].sort();
    const r3 = await world.call("POST", messagesPath(`19:${c}_${d}@unq.gbl.spaces`), {
      body: { content: "x", messagetype: "Text" },
    });
    assert.equal(r3.status, 403, "the sender is not one of the pair");
    const r4 = await world.call("POST", messagesPath(`19:${a}_ffffffff-0000-4000-8000-000000000000@unq.gbl.spaces`), {
      body: { content: "x", messagetype: "Text" },
    });
    assert.equal(r4.status, 404, "unknown other user");
  });

  it("48:notes takes messages like Json chat", async () => {
    const { id } = await world.send("48:notes", "<p>note to self</p>", GRACE);
    const notes = await world.call("GET", "/v1/users/ME/conversations/48:notes/messages?pageSize=1", { as: GRACE });
    assert.equal(notes.json.messages[0].id, id);
    assert.equal(notes.json.messages[0].conversationid, "48:notes");
    const alices = await world.call("GET", "/v1/users/ME/conversations/48:notes/messages?pageSize=50", { as: ALICE });
    assert.ok(!alices.json.messages.some((m: Json) => m.id === id), "notes are per user");
  });

  it("400 for malformed or incomplete bodies", async () => {
    const cases: Array<[string, { body?: unknown; rawBody?: string }]> = [
      ["not JSON", { rawBody: "{oops" }],
      ["empty", { rawBody: "" }],
      ["array", { body: [] }],
      ["no content", { body: { messagetype: "RichText/Html" } }],
      ["content not a string", { body: { content: 5, messagetype: "RichText/Html" } }],
      ["no messagetype", { body: { content: "hi" } }],
      ["forged system message", { body: { content: "<addmember/>", messagetype: "ThreadActivity/AddMember" } }],
      ["properties not an object", { body: { content: "hi", messagetype: "Text", properties: 3 } }],
      ["amsreferences not strings", { body: { content: "hi", messagetype: "Text", amsreferences: [1] } }],
    ];
    for (const [name, opts] of cases) {
      const r = await world.call("POST", messagesPath(FALCON), opts);
      assert.equal(r.status, 400, name);
      assert.equal(r.json.errorCode, 400, name);
      assert.equal(typeof r.json.message, "string", name);
    }
    const guest = await world.call("POST", messagesPath(FALCON), {
      as: CAROL,
      body: { content: "guest hello", messagetype: "Text" },
    });
    assert.equal(guest.status, 201, "a guest member may post");
  });
});
