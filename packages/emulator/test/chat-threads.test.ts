import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  ALICE,
  ALICE_BOB,
  assertAllStrings,
  assertShape,
  BOB,
  CAROL,
  ChatWorld,
  DANA,
  EVAN,
  FALCON,
  FRANK,
  GENERAL,
  type Json,
  sample,
} from "./chat-helpers.js";

/** Threads and membership (§2.5, §2.13): create, get-or-create 1:1, roster, members, topic, ThreadActivity. */

let world: ChatWorld;
before(async () => {
  world = await ChatWorld.start();
});
after(() => world.close());

const createSample = sample("chat-create-thread.json");

async function createThread(members: Json[], properties: Json = { threadType: "chat", topic: "T" }, as = ALICE) {
  const r = await world.call("POST", "/v1/threads", { as, body: { members, properties } });
  assert.equal(r.status, 201, r.text);
  const m = /\/v1\/threads\/(19:[0-9a-f]{32}@thread\.v2)$/.exec(r.headers.get("location") ?? "");
  assert.ok(m, "Location names the new thread");
  return m[1]!;
}

/** ThreadActivity messages of one type, oldest first. */
async function activity(tid: string, type: string, as = ALICE): Promise<Json[]> {
  return (await world.allMessages(tid, as)).filter((m) => m.messagetype === `ThreadActivity/${type}`).reverse();
}

async function threadCount(): Promise<number> {
  return world.state.threads.size;
}

describe("POST /v1/threads", () => {
  it("replays samples/chat-create-thread.json: 201, Location, body {}", async () => {
    const events = world.events();
    const r = await world.call("POST", "/v1/threads", { body: createSample.request.body });
    assert.equal(r.status, 201);
    assert.deepEqual(r.json, {});
    const location = r.headers.get("location") ?? "";
    assert.match(
      location,
      new RegExp(`^${world.origin.replace(/\./g, "\\.")}/v1/threads/19:[0-9a-f]{32}@thread\\.v2$`),
    );
    const tid = location.slice(location.lastIndexOf("/") + 1);

    for (const who of [ALICE, BOB, CAROL]) {
      const list = await world.call("GET", "/v1/users/ME/conversations", { as: who });
      const c = list.json.conversations.find((x: Json) => x.id === tid);
      assert.ok(c, `${who} sees the new chat`);
      assert.equal(c.threadProperties.topic, "Project Falcon");
      assert.equal(c.threadProperties.membercount, "3");
      assert.equal(c.threadProperties.isCreator, who === ALICE ? "true" : "false");
      assert.equal(c.memberProperties.role, who === ALICE ? "Admin" : "User");
      assertAllStrings(c.threadProperties, "threadProperties");
    }
    const [add] = await activity(tid, "AddMember");
    assert.match(
      add.content,
      new RegExp(
        `^<addmember><eventtime>\\d+</eventtime><initiator>${ALICE}</initiator><target>${BOB}</target><target>${CAROL}</target></addmember>$`,
      ),
    );
    assert.equal(add.from, ALICE, "a bare MRI, as in chat-messages-list.json's thread_activity_example");
    const [topic] = await activity(tid, "TopicUpdate");
    assert.match(topic.content, /<value>Project Falcon<\/value><\/topicupdate>$/);
    const types = events.map((e) => e.event.resourceType);
    assert.ok(types.includes("ThreadUpdate"));
    assert.ok(types.includes("NewMessage"));
    const thread = await world.call("GET", `/v1/threads/${tid}`, { as: CAROL });
    assert.equal(thread.json.properties.chatFilesIndexId, "2");
    assert.equal(thread.json.properties.creator, ALICE);
  });

  it("400 unless the creator is a member with the Admin role; unknown members create nothing", async () => {
    const before = await threadCount();
    const cases: Array<[string, Json]> = [
      ["creator missing", { members: [{ id: BOB, role: "Admin" }], properties: { threadType: "chat" } }],
      [
        "creator not Admin",
        {
          members: [
            { id: ALICE, role: "User" },
            { id: BOB, role: "Admin" },
          ],
          properties: { threadType: "chat" },
        },
      ],
      ["no members", { members: [], properties: {} }],
      ["members not an array", { members: "x" }],
      ["bad role", { members: [{ id: ALICE, role: "Owner" }] }],
      [
        "channel threads are not client-created",
        { members: [{ id: ALICE, role: "Admin" }], properties: { threadType: "space" } },
      ],
    ];
    for (const [name, body] of cases) {
      const r = await world.call("POST", "/v1/threads", { body });
      assert.equal(r.status, 400, name);
      assert.equal(r.json.errorCode, 400, name);
    }
    const unknown = await world.call("POST", "/v1/threads", {
      body: {
        members: [
          { id: ALICE, role: "Admin" },
          { id: "8:orgid:00000000-0000-4000-8000-00000000dead", role: "User" },
        ],
        properties: { threadType: "chat" },
      },
    });
    assert.ok(unknown.status === 400 || unknown.status === 404);
    assert.equal(unknown.json.errorCode, unknown.status);
    const malformed = await world.call("POST", "/v1/threads", { rawBody: "{" });
    assert.equal(malformed.status, 400);
    assert.equal(await threadCount(), before, "nothing was created");
  });
});

describe("PUT /v1/users/ME/conversations (1:1 get-or-create)", () => {
  it("201 with the sorted id when new, 200 when it exists", async () => {
    const r = await world.call("PUT", "/v1/users/ME/conversations", {
      as: EVAN,
      body: { members: [{ mri: FRANK, role: "Admin" }] },
    });
    assert.equal(r.status, 201);
    const [a, b] = [EVAN.slice(8), FRANK.slice(8)].sort();
    assert.deepEqual(r.json, { id: `19:${a}_${b}@unq.gbl.spaces` });
    const again = await world.call("PUT", "/v1/users/ME/conversations", {
      as: FRANK,
      body: { members: [{ mri: EVAN, role: "Admin" }] },
    });
    assert.equal(again.status, 200);
    assert.deepEqual(again.json, r.json);
    const existing = await world.call("PUT", "/v1/users/ME/conversations", {
      body: { members: [{ mri: BOB, role: "Admin" }] },
    });
    assert.equal(existing.status, 200);
    assert.equal(existing.json.id, ALICE_BOB);
  });

  it("rejects an unknown user and a chat with yourself", async () => {
    const unknown = await world.call("PUT", "/v1/users/ME/conversations", {
      body: { members: [{ mri: "8:orgid:00000000-0000-4000-8000-00000000dead" }] },
    });
    assert.equal(unknown.status, 404);
    const self = await world.call("PUT", "/v1/users/ME/conversations", { body: { members: [{ mri: ALICE }] } });
    assert.equal(self.status, 400);
  });
});

describe("GET /v1/threads/{id}", () => {
  it("replays samples/chat-thread-get.json", async () => {
    const s = sample("chat-thread-get.json");
    const u = new URL(s.request.url);
    const r = await world.call("GET", u.pathname + u.search);
    assert.equal(r.status, 200);
    assertShape(r.json, s.response.body);
    assertAllStrings(r.json.properties, "properties");
    assert.equal(r.json.properties.topic, "Project Falcon");
    assert.equal(r.json.properties.creator, ALICE);
    assert.deepEqual(r.json.members.map((m: Json) => m.id).sort(), [ALICE, BOB, CAROL].sort());
    for (const m of r.json.members) {
      assert.deepEqual(Object.keys(m).sort(), Object.keys(s.response.body.members[0]).sort());
      assert.equal(m.userLink, `${world.origin}/v1/users/${m.id}`);
    }
    assert.equal(r.json.messages, `${world.origin}/v1/users/ME/conversations/${FALCON}/messages`);
    const encoded = await world.call("GET", `/v1/threads/${encodeURIComponent(FALCON)}?view=msnp24Equivalent`);
    assert.equal(encoded.status, 200);
  });

  it("a channel reports a roster of one: the caller", async () => {
    const r = await world.call("GET", `/v1/threads/${GENERAL}?view=msnp24Equivalent`, { as: DANA });
    assert.deepEqual(
      r.json.members.map((m: Json) => m.id),
      [DANA],
    );
    const roster = await world.call("GET", `/v1/threads/${GENERAL}/members`, { as: DANA });
    assert.ok(roster.json.totalMemberCount > 1, "the members endpoint has the whole roster");
  });

  it("404 unknown, 403 non-member", async () => {
    const unknown = await world.call("GET", "/v1/threads/19:ffffffffffffffffffffffffffffffff@thread.v2");
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.json, { errorCode: 404, message: "Conversation not found." });
    const r = await world.call("GET", `/v1/threads/${FALCON}`, { as: FRANK });
    assert.equal(r.status, 403);
  });

  it("GET members: display names, roles and totalMemberCount", async () => {
    const r = await world.call("GET", `/v1/threads/${FALCON}/members`);
    assert.equal(r.status, 200);
    assert.equal(r.json.totalMemberCount, 3);
    const alice = r.json.members.find((m: Json) => m.id === ALICE);
    assert.equal(alice.userDisplayName, "Alice Example");
    assert.equal(alice.role, "Admin");
  });
});

describe("membership (§2.13)", () => {
  it("adding a member posts ThreadActivity/AddMember from the initiator and shows the chat to them", async () => {
    const tid = await createThread([
      { id: ALICE, role: "Admin" },
      { id: BOB, role: "User" },
    ]);
    const versionBefore = (await world.call("GET", `/v1/users/ME/conversations/${tid}`)).json.version;
    const events = world.events();
    const r = await world.call("PUT", `/v1/threads/${tid}/members/${encodeURIComponent(FRANK)}`, {
      as: BOB,
      body: { role: "User" },
    });
    assert.equal(r.status, 200);
    const adds = await activity(tid, "AddMember");
    const last = adds[adds.length - 1];
    assert.match(last.content, new RegExp(`<initiator>${BOB}</initiator><target>${FRANK}</target></addmember>$`));
    assert.match(last.content, new RegExp(`^<addmember><eventtime>${last.id}</eventtime>`));
    assert.ok(last.from.endsWith(BOB));
    const frank = await world.call("GET", `/v1/users/ME/conversations/${tid}`, { as: FRANK });
    assert.equal(frank.status, 200);
    assert.ok(frank.json.version > versionBefore, "the conversation version moved");
    assert.ok(events.some((e) => e.event.resourceType === "ThreadUpdate" && e.to.includes(FRANK)));

    const again = await world.call("PUT", `/v1/threads/${tid}/members/${FRANK}`, { as: BOB, body: { role: "User" } });
    assert.equal(again.status, 200);
    const roster = await world.call("GET", `/v1/threads/${tid}/members`);
    assert.equal(roster.json.members.filter((m: Json) => m.id === FRANK).length, 1, "no duplicate");
    assert.equal((await activity(tid, "AddMember")).length, adds.length, "no second AddMember");
  });

  it("unknown users, non-members, 1:1 chats and channels are refused and nothing changes", async () => {
    const tid = await createThread([
      { id: ALICE, role: "Admin" },
      { id: BOB, role: "User" },
    ]);
    const roster = async () => (await world.call("GET", `/v1/threads/${tid}/members`)).json.totalMemberCount;
    const unknown = await world.call("PUT", `/v1/threads/${tid}/members/8:orgid:00000000-0000-4000-8000-00000000dead`, {
      body: { role: "User" },
    });
    assert.ok(unknown.status === 404 || unknown.status === 400);
    assert.match(unknown.json.message, /not found/i);
    const batch = await world.call("PUT", `/v1/threads/${tid}/members`, {
      body: {
        members: [
          { id: DANA, role: "User" },
          { id: "8:orgid:00000000-0000-4000-8000-00000000dead", role: "User" },
        ],
      },
    });
    assert.ok(batch.status >= 400 && batch.status < 500);
    assert.equal(await roster(), 2, "a bad batch adds no one");
    const outsider = await world.call("PUT", `/v1/threads/${tid}/members/${DANA}`, { as: EVAN, body: {} });
    assert.equal(outsider.status, 403);
    const badRole = await world.call("PUT", `/v1/threads/${tid}/members/${DANA}`, { body: { role: "God" } });
    assert.equal(badRole.status, 400);
    assert.equal(await roster(), 2);
    const oneOnOne = await world.call("PUT", `/v1/threads/${ALICE_BOB}/members/${DANA}`, { body: { role: "User" } });
    assert.equal(oneOnOne.status, 400);
    const channel = await world.call("PUT", `/v1/threads/${GENERAL}/members/${FRANK}`, { body: { role: "User" } });
    assert.equal(channel.status, 403);
  });

  it("batch add with shareHistoryTime", async () => {
    const tid = await createThread([{ id: ALICE, role: "Admin" }]);
    const r = await world.call("PUT", `/v1/threads/${tid}/members`, {
      body: {
        members: [
          { id: DANA, role: "User", shareHistoryTime: -1 },
          { id: EVAN, role: "Admin", shareHistoryTime: Date.now() },
        ],
      },
    });
    assert.equal(r.status, 200);
    const roster = await world.call("GET", `/v1/threads/${tid}/members`);
    assert.deepEqual(
      roster.json.members.map((m: Json) => [m.id, m.role]).sort(),
      [
        [ALICE, "Admin"],
        [DANA, "User"],
        [EVAN, "Admin"],
      ].sort(),
    );
    const adds = await activity(tid, "AddMember");
    assert.equal(adds.length, 1, "a thread created with only its creator has no AddMember");
    const [add] = adds;
    assert.match(add.content, new RegExp(`<target>${DANA}</target><target>${EVAN}</target>`));
  });

  it("removing posts DeleteMember; removing yourself is leaving; leavers lose access", async () => {
    const tid = await createThread([
      { id: ALICE, role: "Admin" },
      { id: BOB, role: "User" },
      { id: DANA, role: "User" },
    ]);
    const r = await world.call("DELETE", `/v1/threads/${tid}/members/${encodeURIComponent(DANA)}`);
    assert.equal(r.status, 200);
    const [del] = await activity(tid, "DeleteMember");
    assert.match(
      del.content,
      new RegExp(
        `^<deletemember><eventtime>\\d+</eventtime><initiator>${ALICE}</initiator><target>${DANA}</target></deletemember>$`,
      ),
    );
    assert.equal((await world.call("GET", `/v1/threads/${tid}`, { as: DANA })).status, 403);
    const leave = await world.call("DELETE", `/v1/threads/${tid}/members/${BOB}`, { as: BOB });
    assert.equal(leave.status, 200);
    const dels = await activity(tid, "DeleteMember");
    assert.match(dels[1].content, new RegExp(`<initiator>${BOB}</initiator><target>${BOB}</target>`));
    const bobList = await world.call("GET", "/v1/users/ME/conversations", { as: BOB });
    assert.ok(!bobList.json.conversations.some((c: Json) => c.id === tid));
    const notMember = await world.call("DELETE", `/v1/threads/${tid}/members/${FRANK}`);
    assert.equal(notMember.status, 404);
    const outsider = await world.call("DELETE", `/v1/threads/${tid}/members/${ALICE}`, { as: FRANK });
    assert.equal(outsider.status, 403);
  });
});

describe("thread properties (§2.13)", () => {
  it("topic: TopicUpdate message, ThreadUpdate event, visible in thread and conversation", async () => {
    const tid = await createThread([
      { id: ALICE, role: "Admin" },
      { id: BOB, role: "User" },
    ]);
    const events = world.events();
    const r = await world.call("PUT", `/v1/threads/${tid}/properties?name=topic`, {
      as: BOB,
      body: { topic: "Launch <prep> & more" },
    });
    assert.equal(r.status, 200);
    assert.equal(r.text, "");
    const updates = await activity(tid, "TopicUpdate");
    const last = updates[updates.length - 1];
    assert.match(
      last.content,
      new RegExp(
        `^<topicupdate><eventtime>\\d+</eventtime><initiator>${BOB}</initiator><value>Launch &lt;prep&gt; &amp; more</value></topicupdate>$`,
      ),
    );
    assert.equal((await world.call("GET", `/v1/threads/${tid}`)).json.properties.topic, "Launch <prep> & more");
    const c = await world.call("GET", `/v1/users/ME/conversations/${tid}`);
    assert.equal(c.json.threadProperties.topic, "Launch <prep> & more");
    const threadUpdate = events.find((e) => e.event.resourceType === "ThreadUpdate");
    assert.ok(threadUpdate);
    assert.equal((threadUpdate.event.resource as Json).properties.topic, "Launch <prep> & more");
    assert.deepEqual([...threadUpdate.to].sort(), [ALICE, BOB].sort());
  });

  it("joiningenabled and historydisclosed accept booleans and strings", async () => {
    const tid = await createThread([{ id: ALICE, role: "Admin" }]);
    for (const [name, value, expected] of [
      ["joiningenabled", false, "false"],
      ["historydisclosed", "true", "true"],
    ] as const) {
      const r = await world.call("PUT", `/v1/threads/${tid}/properties?name=${name}`, { body: { [name]: value } });
      assert.equal(r.status, 200, name);
      assert.equal((await world.call("GET", `/v1/threads/${tid}`)).json.properties[name], expected);
    }
    assert.equal((await activity(tid, "JoiningEnabledUpdate")).length, 1);
    assert.equal((await activity(tid, "HistoryDisclosedUpdate")).length, 1);
  });

  it("rejects unknown names, missing values, 1:1 topics, channels and outsiders", async () => {
    const cases: Array<[string, string, Json, number, string?]> = [
      [FALCON, "colour", { colour: "red" }, 400],
      [FALCON, "topic", { title: "x" }, 400],
      [FALCON, "topic", { topic: 5 }, 400],
      [FALCON, "joiningenabled", { joiningenabled: "maybe" }, 400],
      [ALICE_BOB, "topic", { topic: "us" }, 400],
      [GENERAL, "topic", { topic: "Renamed" }, 403],
      [FALCON, "topic", { topic: "hijack" }, 403, FRANK],
    ];
    for (const [tid, name, body, status, as] of cases) {
      const r = await world.call("PUT", `/v1/threads/${tid}/properties?name=${name}`, { body, ...(as ? { as } : {}) });
      assert.equal(r.status, status, `${tid} ${name}`);
    }
    const noName = await world.call("PUT", `/v1/threads/${FALCON}/properties`, { body: { topic: "x" } });
    assert.equal(noName.status, 400);
    assert.equal((await world.call("GET", `/v1/threads/${FALCON}`)).json.properties.topic, "Project Falcon");
  });
});
