import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AUDIENCES } from "@teams-api/protocol";
import {
  ALICE,
  ALICE_BOB,
  type Answer,
  assertAllStrings,
  assertShape,
  BOB,
  ChatWorld,
  FALCON,
  FRANK,
  GENERAL,
  type Json,
  sample,
  TIMESTAMP_7,
} from "./chat-helpers.js";
import { bearerFor } from "./identity-helpers.js";

/** Replays the read side of the chat service: properties, conversations, messages, paging, auth and errors. */

let world: ChatWorld;
before(async () => {
  world = await ChatWorld.start();
});
after(() => world.close());

const pathOf = (sampleUrl: string): string => {
  const u = new URL(sampleUrl);
  return u.pathname + u.search;
};

describe("GET /v1/users/ME/properties", () => {
  it("is a flat object with userDetails as a JSON-encoded string", async () => {
    const r = await world.call("GET", "/v1/users/ME/properties");
    assert.equal(r.status, 200);
    assert.match(r.headers.get("content-type") ?? "", /^application\/json/);
    assertAllStrings(r.json, "properties");
    assert.equal(r.json.skypeName, "orgid:2b7e4f10-6c1d-4e8a-a3f5-9d0c1b2e3f41");
    assert.equal(r.json.primaryMemberName, "alice@contoso.com");
    assert.equal(typeof r.json.locale, "string");
    assert.equal(r.json.readReceiptsEnabled, "true");
    const details = JSON.parse(r.json.userDetails);
    assert.equal(details.name, "Alice Example");
    assert.equal(details.upn, "alice@contoso.com");
  });

  it("answers for the caller, and accepts PUT ?name= writes", async () => {
    const bob = await world.call("GET", "/v1/users/ME/properties", { as: BOB });
    assert.equal(JSON.parse(bob.json.userDetails).name, "Bob Example");
    const put = await world.call("PUT", "/v1/users/ME/properties?name=favoriteEmoji", {
      as: BOB,
      body: { favoriteEmoji: "1f525_fire" },
    });
    assert.equal(put.status, 200);
    const again = await world.call("GET", "/v1/users/ME/properties", { as: BOB });
    assert.equal(again.json.favoriteEmoji, "1f525_fire");
    const alice = await world.call("GET", "/v1/users/ME/properties");
    assert.equal(alice.json.favoriteEmoji, undefined);
  });
});

describe("GET /v1/users/ME/conversations", () => {
  it("replays samples/chat-conversations-list.json", async () => {
    const s = sample("chat-conversations-list.json");
    const r = await world.call("GET", pathOf(s.request.url));
    assert.equal(r.status, s.response.status);
    assert.match(r.headers.get("content-type") ?? "", /^application\/json/);
    const byId = new Map<string, Json>(r.json.conversations.map((c: Json) => [c.id, c]));
    for (const expected of s.response.body.conversations) {
      const actual = byId.get(expected.id);
      assert.ok(actual, `conversation ${expected.id} listed`);
      assertShape(actual, expected, `conv(${expected.id})`, {
        "$.lastMessage.sequenceId": ["number"],
        "$.lastMessage": ["object"],
      });
      assertAllStrings(actual.properties, "properties");
      assertAllStrings(actual.threadProperties, "threadProperties");
      if (actual.memberProperties) assertAllStrings(actual.memberProperties, "memberProperties");
      assert.equal(actual.messages, `${world.origin}/v1/users/ME/conversations/${expected.id}/messages`);
      if (expected.targetLink) assert.equal(actual.targetLink, `${world.origin}/v1/threads/${expected.id}`);
      for (const k of Object.keys(expected.threadProperties)) assert.ok(k in actual.threadProperties, k);
    }
    const meta = r.json._metadata;
    assert.equal(typeof meta.totalCount, "number");
    assert.equal(meta.totalCount, r.json.conversations.length);
    assert.ok(meta.forwardLink.startsWith(`${world.origin}/v1/users/ME/conversations?`));
    assert.ok(meta.syncState.startsWith(`${world.origin}/v1/users/ME/conversations?`));
    assert.equal(meta.backwardLink ?? null, null);
  });

  it("describes each kind of conversation like the service", async () => {
    const r = await world.call("GET", "/v1/users/ME/conversations?view=msnp24Equivalent&pageSize=100&startTime=0");
    const get = (id: string) => r.json.conversations.find((c: Json) => c.id === id);
    const oneOnOne = get(ALICE_BOB);
    assert.equal(oneOnOne.threadProperties.productThreadType, "OneOnOne");
    assert.equal(oneOnOne.threadProperties.uniquerosterthread, "true");
    assert.equal(typeof oneOnOne.version, "number");
    assert.match(oneOnOne.properties.lastimreceivedtime, TIMESTAMP_7);
    assert.match(oneOnOne.properties.consumptionhorizon, /^\d+;\d+;\S+$/);
    assert.equal(oneOnOne.properties.isemptyconversation, "False");
    assert.equal(oneOnOne.lastMessage.conversationid, ALICE_BOB);
    assert.match(oneOnOne.lastMessage.originalarrivaltime, TIMESTAMP_7);

    const group = get(FALCON);
    assert.equal(group.threadProperties.topic, "Project Falcon");
    assert.equal(group.threadProperties.membercount, "3");
    assert.equal(group.threadProperties.isCreator, "true");
    assert.equal(group.memberProperties.role, "Admin");

    const channel = get(GENERAL);
    assert.equal(channel.threadProperties.threadType, "space");
    assert.equal(channel.threadProperties.productThreadType, "TeamsStandardChannel");
    assert.equal(channel.threadProperties.spaceThreadTopic, "Falcon Team");
    assert.equal(channel.threadProperties.groupId, "0d9f8e7d-6c5b-4a39-8281-706f5e4d3c2b");
    assert.equal(channel.memberProperties.role, "User");

    const notes = get("48:notes");
    assert.equal(notes.threadProperties.threadType, "streamofnotes");
    assert.equal(notes.targetLink, undefined);

    const untitled = r.json.conversations.find(
      (c: Json) =>
        c.threadProperties.threadType === "chat" &&
        c.threadProperties.productThreadType === "Chat" &&
        c.threadProperties.topic === "",
    );
    assert.ok(untitled, "an untitled group chat is listed");
  });

  it("orders by last activity, newest first", async () => {
    const r = await world.call("GET", "/v1/users/ME/conversations?pageSize=100");
    const times = r.json.conversations.map((c: Json) => Date.parse(c.properties.lastimreceivedtime));
    for (let i = 1; i < times.length; i++) assert.ok(times[i - 1] >= times[i], `order at ${i}`);
    assert.ok(r.json.conversations.length >= 7, "Alice has at least 7 conversations");
  });

  it("lists only the caller's conversations", async () => {
    const frank = await world.call("GET", "/v1/users/ME/conversations", { as: FRANK });
    const ids = frank.json.conversations.map((c: Json) => c.id);
    assert.ok(!ids.includes(ALICE_BOB));
    assert.ok(!ids.includes(FALCON));
    assert.ok(ids.includes("48:notes"));
    assert.ok(ids.includes("19:8c1f3e5a7b9d4f2e6a0c8b4d2f6e1a3c@thread.v2"));
  });

  it("pages through backwardLink, each conversation exactly once", async () => {
    const full = await world.call("GET", "/v1/users/ME/conversations?pageSize=500");
    const expected = full.json.conversations.map((c: Json) => c.id);
    const seen: string[] = [];
    let url: string | null = `${world.origin}/v1/users/ME/conversations?pageSize=2&view=msnp24Equivalent`;
    let pages = 0;
    while (url) {
      const r: Answer = await world.call("GET", url);
      assert.equal(r.status, 200);
      assert.ok(r.json.conversations.length <= 2);
      seen.push(...r.json.conversations.map((c: Json) => c.id));
      url = r.json._metadata.backwardLink ?? null;
      if (url) assert.ok(url.startsWith(`${world.origin}/v1/users/ME/conversations?`));
      pages++;
    }
    assert.deepEqual(seen, expected);
    assert.equal(pages, Math.ceil(expected.length / 2));
  });

  it("syncState and startTime return only what changed since", async () => {
    const first = await world.call("GET", "/v1/users/ME/conversations?pageSize=100", { as: BOB });
    const sync = first.json._metadata.syncState;
    const forward = first.json._metadata.forwardLink;
    const idle = await world.call("GET", sync, { as: BOB });
    assert.equal(idle.status, 200);
    assert.equal(idle.json.conversations.length, 0);
    await world.send(FALCON, "<p>sync me</p>", ALICE);
    for (const link of [sync, forward]) {
      const r = await world.call("GET", link, { as: BOB });
      assert.equal(r.status, 200);
      assert.deepEqual(
        r.json.conversations.map((c: Json) => c.id),
        [FALCON],
      );
    }
  });

  it("filters by targetType", async () => {
    const threads = await world.call("GET", "/v1/users/ME/conversations?targetType=Thread");
    assert.ok(threads.json.conversations.length > 0);
    const pstn = await world.call("GET", "/v1/users/ME/conversations?targetType=PSTN");
    assert.equal(pstn.json.conversations.length, 0);
  });

  it("validates query parameters and refuses unknown ones (strict, GUIDE §4)", async () => {
    for (const q of ["pageSize=abc", "pageSize=0", "startTime=yesterday", "syncState=zz"]) {
      const r = await world.call("GET", `/v1/users/ME/conversations?${q}`);
      assert.equal(r.status, 400, q);
      assert.equal(r.json.errorCode, 400);
      assert.equal(typeof r.json.message, "string");
    }
    const unknown = await world.call("GET", "/v1/users/ME/conversations?somethingNew=1&view=mychats");
    assert.equal(unknown.status, 400);
    assert.equal(unknown.json.errorCode, 400);
    assert.match(unknown.json.message, /'somethingNew' is not supported .*not emulated/);
    const ok = await world.call("GET", "/v1/users/ME/conversations?view=mychats&targetType=Thread");
    assert.equal(ok.status, 200);
  });

  it("GET one conversation, with a percent-encoded id", async () => {
    const r = await world.call("GET", `/v1/users/ME/conversations/${encodeURIComponent(FALCON)}`);
    assert.equal(r.status, 200);
    assert.equal(r.json.id, FALCON);
    assert.equal(r.json.type, "Conversation");
    assertAllStrings(r.json.threadProperties, "threadProperties");
    assert.equal(r.json.lastMessage.conversationid, FALCON);
    const notes = await world.call("GET", "/v1/users/ME/conversations/48:notes");
    assert.equal(notes.status, 200);
    assert.equal(notes.json.id, "48:notes");
  });
});

describe("GET …/conversations/{id}/messages", () => {
  it("replays samples/chat-messages-list.json", async () => {
    const s = sample("chat-messages-list.json");
    const r = await world.call("GET", pathOf(s.request.url), { headers: { BehaviorOverride: "redirectAs404" } });
    assert.equal(r.status, 200);
    assert.match(r.headers.get("content-type") ?? "", /^application\/json/);
    const expected = s.response.body.messages;
    assert.equal(r.json.messages.length, expected.length);
    r.json.messages.forEach((m: Json, i: number) => {
      assertShape(m, expected[i], `messages[${i}]`);
      assert.deepEqual(
        Object.keys(m.properties).sort(),
        Object.keys(expected[i].properties).sort(),
        `properties[${i}]`,
      );
      assert.equal(typeof m.id, "string");
      assert.equal(typeof m.version, "string");
      assert.match(m.composetime, TIMESTAMP_7);
      assert.match(m.originalarrivaltime, TIMESTAMP_7);
      assert.ok(m.from.startsWith(`${world.origin}/v1/users/ME/contacts/8:`));
      assert.equal(m.conversationLink, `${world.origin}/v1/users/ME/conversations/${ALICE_BOB}`);
    });
    const [edited, deleted, reacted, plain] = r.json.messages;
    assert.ok(Number(edited.version) > Number(edited.id));
    assert.equal(edited.properties.edittime, edited.version);
    assert.equal(JSON.parse(edited.properties.mentions)[0].mri, ALICE);
    assert.equal(deleted.content, "");
    assert.equal(deleted.properties.deletetime, deleted.version);
    assert.deepEqual(reacted.properties.emotions[0].users[0].mri, BOB);
    assert.equal(plain.content, "<p>Hi Alice, are we still on for 3pm?</p>");
    for (let i = 1; i < r.json.messages.length; i++) {
      assert.ok(Number(r.json.messages[i - 1].id) > Number(r.json.messages[i].id), "newest first");
    }
    const meta = r.json._metadata;
    assert.ok(meta.backwardLink.startsWith(`${world.origin}/v1/users/ME/conversations/${ALICE_BOB}/messages?`));
    assert.match(meta.backwardLink, /[?&]syncState=[0-9a-f]+/);
    assert.ok(meta.syncState.startsWith(`${world.origin}/v1/users/ME/conversations/${ALICE_BOB}/messages?`));
    assert.equal(meta.lastCompleteSegmentStartTime, Number(plain.id));
    assert.equal(meta.lastCompleteSegmentEndTime, Number(edited.id));
  });

  it("pages ≥300 messages through backwardLink: every message exactly once, in order", async () => {
    const all: Json[] = [];
    let url: string | undefined =
      `${world.origin}/v1/users/ME/conversations/${ALICE_BOB}/messages?pageSize=37&view=msnp24Equivalent`;
    let lastPage: Json;
    while (url) {
      const r: Answer = await world.call("GET", url);
      assert.equal(r.status, 200);
      assert.ok(r.json.messages.length <= 37);
      all.push(...r.json.messages);
      lastPage = r.json;
      url = r.json._metadata.backwardLink ?? undefined;
    }
    assert.ok(!lastPage._metadata.backwardLink, "no backwardLink on the last page");
    assert.ok(all.length >= 300, `only ${all.length} messages`);
    const ids = all.map((m) => Number(m.id));
    assert.equal(new Set(ids).size, ids.length, "no duplicates");
    for (let i = 1; i < ids.length; i++) assert.ok(ids[i - 1]! > ids[i]!, "strictly newest first");
    const seq = all.map((m) => m.sequenceId);
    assert.deepEqual(
      seq,
      [...seq].sort((a, b) => b - a),
    );
    assert.equal(Math.min(...seq), 1, "reached the first message");
  });

  it("pages with startTime=1&endTime=<oldest-1> (TL) to the same result", async () => {
    const viaLinks = await world.allMessages(ALICE_BOB, ALICE, 50);
    const all: Json[] = [];
    let endTime: number | undefined;
    for (let guard = 0; guard < 100; guard++) {
      const q = `pageSize=50&startTime=1${endTime !== undefined ? `&endTime=${endTime}` : ""}`;
      const r = await world.call("GET", `/v1/users/ME/conversations/${ALICE_BOB}/messages?${q}`);
      assert.equal(r.status, 200);
      if (r.json.messages.length === 0) break;
      all.push(...r.json.messages);
      endTime = Number(r.json.messages[r.json.messages.length - 1].id) - 1;
    }
    assert.deepEqual(
      all.map((m) => m.id),
      viaLinks.map((m) => m.id),
    );
  });

  it("defaults to 20 and caps pageSize at 200", async () => {
    const d = await world.call("GET", `/v1/users/ME/conversations/${ALICE_BOB}/messages`);
    assert.equal(d.json.messages.length, 20);
    const big = await world.call("GET", `/v1/users/ME/conversations/${ALICE_BOB}/messages?pageSize=1000`);
    assert.equal(big.json.messages.length, 200);
    assert.ok(big.json._metadata.backwardLink);
  });

  it("syncState returns only messages changed since, and rejects a bad cursor", async () => {
    const first = await world.call("GET", `/v1/users/ME/conversations/${FALCON}/messages?pageSize=5`, { as: BOB });
    const sync = first.json._metadata.syncState;
    const idle = await world.call("GET", sync, { as: BOB });
    assert.equal(idle.status, 200);
    assert.equal(idle.json.messages.length, 0);
    const { id } = await world.send(FALCON, "<p>new since sync</p>", ALICE);
    const after = await world.call("GET", sync, { as: BOB });
    assert.deepEqual(
      after.json.messages.map((m: Json) => m.id),
      [id],
    );
    const bad = await world.call("GET", `/v1/users/ME/conversations/${FALCON}/messages?syncState=deadbeef`);
    assert.equal(bad.status, 400);
    assert.deepEqual(Object.keys(bad.json).sort(), ["errorCode", "message"]);
    const foreign = new URL(sync).searchParams.get("syncState")!;
    const elsewhere = await world.call("GET", `/v1/users/ME/conversations/${ALICE_BOB}/messages?syncState=${foreign}`);
    assert.equal(elsewhere.status, 400, "a cursor is bound to its conversation");
  });

  it("startTime and endTime filter", async () => {
    const page = await world.call("GET", `/v1/users/ME/conversations/${ALICE_BOB}/messages?pageSize=10`);
    const ids = page.json.messages.map((m: Json) => Number(m.id));
    const mid = ids[5]!;
    const upTo = await world.call("GET", `/v1/users/ME/conversations/${ALICE_BOB}/messages?pageSize=3&endTime=${mid}`);
    assert.equal(Number(upTo.json.messages[0].id), mid);
    const since = await world.call(
      "GET",
      `/v1/users/ME/conversations/${ALICE_BOB}/messages?pageSize=200&startTime=${ids[2]}`,
    );
    assert.ok(since.json.messages.every((m: Json) => Number(m.version) >= ids[2]!));
    assert.ok(since.json.messages.length >= 3);
    for (const q of ["pageSize=x", "startTime=-1", "endTime=soon"]) {
      const r = await world.call("GET", `/v1/users/ME/conversations/${ALICE_BOB}/messages?${q}`);
      assert.equal(r.status, 400, q);
    }
  });

  it("routes percent-encoded ids", async () => {
    const enc = encodeURIComponent(FALCON);
    assert.match(enc, /^19%3A.*%40thread\.v2$/);
    const r = await world.call("GET", `/v1/users/ME/conversations/${enc}/messages?pageSize=2`);
    assert.equal(r.status, 200);
    assert.equal(r.json.messages[0].conversationid, FALCON);
  });

  it("channel messages interleave roots and replies; a reply chain lists one thread", async () => {
    const all = await world.allMessages(GENERAL);
    const replies = all.filter((m) => m.rootMessageId);
    assert.ok(replies.length > 10);
    const reply = replies[0];
    assert.ok(reply.conversationLink.endsWith(`${GENERAL};messageid=${reply.rootMessageId}`));
    assert.equal(reply.conversationid, GENERAL);
    const chainId = encodeURIComponent(`${GENERAL};messageid=${reply.rootMessageId}`);
    assert.match(chainId, /%3Bmessageid%3D/);
    const chain = await world.call("GET", `/v1/users/ME/conversations/${chainId}/messages?pageSize=200`);
    assert.equal(chain.status, 200);
    const expected = all.filter((m) => m.id === reply.rootMessageId || m.rootMessageId === reply.rootMessageId);
    assert.deepEqual(
      chain.json.messages.map((m: Json) => m.id),
      expected.map((m) => m.id),
    );
    const unknownRoot = await world.call(
      "GET",
      `/v1/users/ME/conversations/${encodeURIComponent(`${GENERAL};messageid=1`)}/messages`,
    );
    assert.equal(unknownRoot.status, 404);
  });
});

describe("auth and errors", () => {
  const path = `/v1/users/ME/conversations/${encodeURIComponent(FALCON)}/messages?pageSize=1`;

  it("accepts Authentication: skypetoken=, X-Skypetoken, and a skypetoken sent with a Bearer", async () => {
    const token = world.token(ALICE);
    const forms: Record<string, string>[] = [
      { Authentication: `skypetoken=${token}` },
      { "X-Skypetoken": token },
      { Authorization: "Bearer not-a-chat-token", "X-Skypetoken": token },
      { Authorization: "Bearer not-a-chat-token", Authentication: `skypetoken=${token}` },
    ];
    for (const [i, headers] of forms.entries()) {
      const r = await world.callWithHeaders("GET", path, headers);
      assert.equal(r.status, 200, `header form ${i}`);
    }
  });

  it("401 with the service's body when the token is missing, invalid or expired", async () => {
    const expectedBody = { errorCode: 401, message: "Authentication failed." };
    const forms: Record<string, string>[] = [
      {},
      { Authentication: "skypetoken=garbage" },
      { "X-Skypetoken": "a.b.c" },
      { Authorization: "Bearer something" },
    ];
    for (const [i, headers] of forms.entries()) {
      const r = await world.callWithHeaders("GET", path, headers);
      assert.equal(r.status, 401, `form ${i}`);
      assert.match(r.headers.get("content-type") ?? "", /^application\/json/);
      assert.deepEqual(r.json, expectedBody);
    }
    const fresh = await ChatWorld.start();
    try {
      const before = await fresh.call("GET", path);
      assert.equal(before.status, 200);
      fresh.emu.context.tokens.expireAll();
      const expired = await fresh.call("GET", path);
      assert.equal(expired.status, 401);
      assert.deepEqual(expired.json, expectedBody);
    } finally {
      await fresh.close();
    }
  });

  it("404 for an unknown conversation, 403 for a non-member", async () => {
    const s = sample("errors.json");
    const notFound = s.examples.find((e: Json) => e.service === "chat" && e.status === 404).body;
    for (const id of ["19:00000000000000000000000000000000@thread.v2", "48:nonsense", `${ALICE_BOB}x`]) {
      const r = await world.call("GET", `/v1/users/ME/conversations/${encodeURIComponent(id)}/messages`);
      assert.equal(r.status, 404, id);
      assert.deepEqual(r.json, notFound);
      const one = await world.call("GET", `/v1/users/ME/conversations/${encodeURIComponent(id)}`);
      assert.equal(one.status, 404, id);
    }
    const r = await world.call("GET", `/v1/users/ME/conversations/${ALICE_BOB}/messages`, { as: FRANK });
    assert.equal(r.status, 403);
    assert.equal(r.json.errorCode, 403);
    assert.equal(typeof r.json.message, "string");
    const send = await world.call("POST", `/v1/users/ME/conversations/${ALICE_BOB}/messages`, {
      as: FRANK,
      body: { content: "hi", messagetype: "Text" },
    });
    assert.equal(send.status, 403);
  });

  it("unknown endpoints get the core's strict 404", async () => {
    const r = await world.call("GET", "/v1/users/ME/somethingElse");
    assert.equal(r.status, 404);
    assert.equal(r.json.errorCode, 404);
    assert.match(r.json.message, /not emulated/);
  });

  it("through the AFD path an IC3 bearer alone is accepted; at the root it is not", async () => {
    const bearer = (audience: string) => bearerFor(world.emu, "alice@contoso.com", audience);
    const afd = `/api/chatsvc/emea/v1/users/ME/conversations/${FALCON}/messages?pageSize=1`;
    const ok = await world.callWithHeaders("GET", afd, { Authorization: `Bearer ${bearer(AUDIENCES.ic3)}` });
    assert.equal(ok.status, 200);
    const wrongAudience = await world.callWithHeaders("GET", afd, {
      Authorization: `Bearer ${bearer(AUDIENCES.spaces)}`,
    });
    assert.equal(wrongAudience.status, 401);
    assert.deepEqual(wrongAudience.json, { errorCode: 401, message: "Authentication failed." });
    const root = await world.callWithHeaders("GET", path, { Authorization: `Bearer ${bearer(AUDIENCES.ic3)}` });
    assert.equal(root.status, 401);
  });

  it("serves the AFD proxy path with links on that base", async () => {
    const r = await world.call("GET", `/api/chatsvc/emea/v1/users/ME/conversations/${FALCON}/messages?pageSize=1`);
    assert.equal(r.status, 200);
    assert.ok(r.json.messages[0].from.startsWith(`${world.origin}/api/chatsvc/emea/v1/users/ME/contacts/`));
    assert.ok(r.json._metadata.syncState.startsWith(`${world.origin}/api/chatsvc/emea/v1/`));
  });

  it("answers a probe of the wrong region with an error, never the user's data (§9.5)", async () => {
    const answers: Record<string, number> = {};
    for (const region of ["amer", "emea", "apac"]) {
      const r = await world.call("GET", `/api/chatsvc/${region}/v1/users/ME/conversations?pageSize=1`);
      answers[region] = r.status;
      if (r.status !== 200) {
        assert.equal(r.json.errorCode, 404);
        assert.equal(r.json.conversations, undefined);
      }
    }
    assert.deepEqual(answers, { amer: 404, emea: 200, apac: 404 }, "Alice is homed in emea");
  });
});
