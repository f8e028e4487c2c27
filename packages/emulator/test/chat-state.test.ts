import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isValidEmotionKey } from "@teams-api/protocol";
import { type ChatEvent, ChatState } from "../src/state/chat.js";
import { Directory } from "../src/state/directory.js";
import { seedDemoChats } from "../src/state/seed.js";
import { ALICE, ALICE_BOB, BOB, CAROL, FALCON, FRANK, type Json, TIMESTAMP_7 } from "./chat-helpers.js";

/** Unit tests of the chat state: events for the real-time layer, versions, permissions. */

const BASE = "https://chat.example";

function world(now = 1_800_000_000_000) {
  let clock = now;
  const directory = new Directory();
  const state = new ChatState({ directory, now: () => clock, base: BASE, variants: { emotionsEncoding: "array" } });
  seedDemoChats(state);
  const events: ChatEvent[] = [];
  state.onEvent((e) => events.push(e));
  const user = (mri: string) => directory.byMri(mri)!;
  return {
    state,
    events,
    user,
    tick: (ms = 1000) => {
      clock += ms;
    },
  };
}

const text = (content: string) => ({ content, messagetype: "RichText/Html", contenttype: "text", imdisplayname: "X" });

describe("chat state events (§2.16)", () => {
  it("NewMessage goes to every member, the sender's own echo included, in the EventMessage envelope", () => {
    const w = world();
    const { message } = w.state.post(w.user(ALICE), FALCON, { ...text("<p>hi</p>"), clientmessageid: "42" });
    assert.equal(w.events.length, 1);
    const { to, event } = w.events[0]!;
    assert.deepEqual([...to].sort(), [ALICE, BOB, CAROL].sort());
    assert.equal(event.type, "EventMessage");
    assert.equal(event.resourceType, "NewMessage");
    assert.equal(typeof event.id, "number");
    assert.ok(!Number.isNaN(Date.parse(event.time)));
    assert.equal(event.resourceLink, `${BASE}/v1/users/ME/conversations/${FALCON}/messages/${message.id}`);
    const r = event.resource as Record<string, unknown>;
    assert.equal(r.id, String(message.id));
    assert.equal(r.clientmessageid, "42");
    assert.equal(r.from, `${BASE}/v1/users/ME/contacts/${ALICE}`);
    assert.equal(r.conversationLink, `${BASE}/v1/users/ME/conversations/${FALCON}`);
    assert.equal(r.threadtopic, "Project Falcon");
    assert.match(String(r.originalarrivaltime), TIMESTAMP_7);
  });

  it("event ids increase; unsubscribing stops delivery; a throwing listener does not break a send", () => {
    const w = world();
    const off = w.state.onEvent(() => {
      throw new Error("listener bug");
    });
    w.state.post(w.user(ALICE), FALCON, text("<p>1</p>"));
    w.state.post(w.user(BOB), FALCON, text("<p>2</p>"));
    assert.ok(w.events[1]!.event.id > w.events[0]!.event.id);
    off();
    const seen: ChatEvent[] = [];
    const off2 = w.state.onEvent((e) => seen.push(e));
    off2();
    w.state.post(w.user(ALICE), FALCON, text("<p>3</p>"));
    assert.equal(seen.length, 0);
    assert.equal(w.events.length, 3);
  });

  it("typing is an event only", () => {
    const w = world();
    const before = w.state.threads.get(ALICE_BOB)!.messages.length;
    const { stored } = w.state.post(w.user(BOB), ALICE_BOB, {
      content: "",
      messagetype: "Control/Typing",
      contenttype: "Application/Message",
    });
    assert.equal(stored, false);
    assert.equal(w.state.threads.get(ALICE_BOB)!.messages.length, before);
    assert.equal((w.events[0]!.event.resource as { messagetype: string }).messagetype, "Control/Typing");
    assert.deepEqual([...w.events[0]!.to].sort(), [ALICE, BOB].sort());
  });

  it("edit, delete and reactions emit MessageUpdate and bump message and conversation versions", () => {
    const w = world();
    const { message } = w.state.post(w.user(ALICE), FALCON, text("<p>v1</p>"));
    const thread = w.state.threads.get(FALCON)!;
    let last = { m: message.version, t: thread.version };
    const bumped = (what: string) => {
      assert.ok(message.version > last.m, `${what} bumps the message version`);
      assert.ok(thread.version >= message.version, `${what} bumps the conversation version`);
      last = { m: message.version, t: thread.version };
    };
    w.tick();
    w.state.edit(ALICE, FALCON, String(message.id), { content: "<p>v2</p>" });
    bumped("edit");
    w.tick();
    w.state.react(BOB, FALCON, String(message.id), "like", Date.now());
    bumped("reaction");
    w.tick();
    w.state.react(BOB, FALCON, String(message.id), "like", undefined);
    bumped("reaction removal");
    w.tick();
    w.state.delete(ALICE, FALCON, String(message.id));
    bumped("delete");
    const updates = w.events.filter((e) => e.event.resourceType === "MessageUpdate");
    assert.equal(updates.length, 4);
    const edit = updates[0]!.event.resource as Record<string, Json>;
    assert.equal(edit.skypeeditedid, String(message.id));
    assert.equal(edit.properties.edittime, edit.version);
    const reaction = updates[1]!.event.resource as Record<string, Json>;
    assert.equal(reaction.properties.emotions[0].users[0].mri, BOB);
    const del = updates[3]!.event.resource as Record<string, Json>;
    assert.equal(del.content, "");
    assert.equal(del.properties.deletetime, del.version);
  });

  it("reading emits a ConversationUpdate to the reader only", () => {
    const w = world();
    const last = w.state.threads.get(FALCON)!.messages.at(-1)!;
    w.state.setReadState(BOB, FALCON, "consumptionhorizon", `${last.id};${last.id + 5};${last.clientmessageid}`);
    assert.equal(w.events.length, 1);
    assert.deepEqual(w.events[0]!.to, [BOB]);
    assert.equal(w.events[0]!.event.resourceType, "ConversationUpdate");
    const r = w.events[0]!.event.resource as Record<string, Json>;
    assert.equal(r.id, FALCON);
    assert.equal(r.properties.consumptionhorizon, `${last.id};${last.id + 5};${last.clientmessageid}`);
    assert.equal(w.events[0]!.event.resourceLink, `${BASE}/v1/users/ME/conversations/${FALCON}`);
  });

  it("membership and topic changes emit ThreadUpdate plus the ThreadActivity NewMessage", () => {
    const w = world();
    w.state.addMembers(ALICE, FALCON, [{ mri: FRANK, role: "User" }]);
    const types = w.events.map((e) => e.event.resourceType);
    assert.ok(types.includes("ThreadUpdate"));
    const activity = w.events.find(
      (e) =>
        e.event.resourceType === "NewMessage" && (e.event.resource as Json).messagetype === "ThreadActivity/AddMember",
    );
    assert.ok(activity);
    assert.ok(activity.to.includes(FRANK), "the new member hears about it");
    const thread = w.events.find((e) => e.event.resourceType === "ThreadUpdate")!.event;
    assert.equal(thread.resourceLink, `${BASE}/v1/threads/${FALCON}`);
    const members = (thread.resource as Json).members.map((m: Json) => m.id);
    assert.ok(members.includes(FRANK));
    w.events.length = 0;
    w.state.removeMember(FRANK, FALCON, FRANK);
    const removal = w.events.find((e) => e.event.resourceType === "NewMessage")!;
    assert.ok(removal.to.includes(FRANK), "the leaver hears their own DeleteMember");
    w.events.length = 0;
    w.state.setThreadProperty(BOB, FALCON, "topic", "Falcon <launch> & co");
    const topic = w.events.find((e) => e.event.resourceType === "NewMessage")!.event.resource as Json;
    assert.equal(topic.messagetype, "ThreadActivity/TopicUpdate");
    assert.match(topic.content, /<value>Falcon &lt;launch&gt; &amp; co<\/value>/);
  });
});

describe("chat state rules", () => {
  it("ids strictly increase per thread even when the clock stands still or goes back", () => {
    const w = world();
    const a = w.state.post(w.user(ALICE), FALCON, text("a")).message.id;
    const b = w.state.post(w.user(ALICE), FALCON, text("b")).message.id;
    w.tick(-10_000);
    const c = w.state.post(w.user(ALICE), FALCON, text("c")).message.id;
    assert.ok(a < b && b < c);
  });

  it("emotion keys: classic six, emoji ids, custom org emoji; others rejected", () => {
    for (const k of ["like", "heart", "laugh", "surprised", "sad", "angry", "1f525_fire", "1f40e_horse", "follow"]) {
      assert.ok(isValidEmotionKey(k), k);
    }
    assert.ok(isValidEmotionKey("partyparrot;0-weu-d4-6a1f0c9e2b7d48e5a3c1f0e9d8c7b6a5"));
    for (const k of ["", "Like", "LIKE", "smile face", "<b>", "1F525_FIRE", "fire;", ";0-weu-d4-abc"]) {
      assert.ok(!isValidEmotionKey(k), JSON.stringify(k));
    }
  });

  it("1:1 ids are validated before a chat is created implicitly", () => {
    const w = world();
    const [a, b] = [ALICE.slice(8), FRANK.slice(8)].sort();
    assert.throws(() => w.state.post(w.user(ALICE), `19:${b}_${a}@unq.gbl.spaces`, text("x")), { status: 404 });
    assert.throws(() => w.state.post(w.user(BOB), `19:${a}_${b}@unq.gbl.spaces`, text("x")), { status: 403 });
    assert.equal(w.state.threads.has(`19:${a}_${b}@unq.gbl.spaces`), false);
    const typing = { content: "", messagetype: "Control/Typing", contenttype: "Application/Message" };
    assert.throws(() => w.state.post(w.user(FRANK), `19:${a}_${b}@unq.gbl.spaces`, typing), { status: 404 });
    assert.equal(w.state.threads.has(`19:${a}_${b}@unq.gbl.spaces`), false, "typing creates no chat");
    w.state.post(w.user(FRANK), `19:${a}_${b}@unq.gbl.spaces`, text("x"));
    assert.equal(w.state.threads.get(`19:${a}_${b}@unq.gbl.spaces`)!.members.size, 2);
  });
});
