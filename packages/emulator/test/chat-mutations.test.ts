import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  ALICE,
  ALICE_BOB,
  assertShape,
  BOB,
  CAROL,
  ChatWorld,
  convPath,
  FALCON,
  FRANK,
  type Json,
  messagePath,
  sample,
} from "./chat-helpers.js";

/** Edit, delete, reactions and read state (§2.9, §2.11, §2.12), replaying samples/chat-mutations.json. */

let world: ChatWorld;
before(async () => {
  world = await ChatWorld.start();
});
after(() => world.close());

const emotions = (cid: string, id: string) => `${messagePath(cid, id)}/properties?name=emotions`;

async function conversationVersion(cid: string, as = ALICE): Promise<number> {
  const r = await world.call("GET", convPath(cid), { as });
  assert.equal(r.status, 200);
  return r.json.version;
}

describe("samples/chat-mutations.json", () => {
  it("replays every exchange in order", async (t) => {
    const world = await ChatWorld.start(); // its own world: the replay removes Carol from Project Falcon
    t.after(() => world.close());
    const s = sample("chat-mutations.json");
    const sent = await world.call("POST", `${convPath(FALCON)}/messages`, {
      body: sample("chat-send-message.json").request.body,
    });
    const newId = String(sent.json.OriginalArrivalTime);
    const falcon = await world.allMessages(FALCON);
    const addMember = falcon.find((m) => m.messagetype === "ThreadActivity/AddMember");
    const ab = await world.allMessages(ALICE_BOB, ALICE, 5);
    const bobsLast = ab.find((m) => m.from.endsWith(BOB) && m.content);
    const ids: Record<string, string> = {
      "1718201000321": newId,
      "1718100000000": addMember.id,
      "1718200500000": bobsLast.id,
    };
    const substitute = (text: string) => text.replace(/17182\d{8}|1718100000000/g, (m) => ids[m] ?? m);

    for (const ex of s.exchanges) {
      const url = new URL(ex.request.url);
      const path = substitute(url.pathname) + url.search;
      let body = ex.request.body;
      if (ex.name === "consumption_horizon") {
        body = { consumptionhorizon: `${bobsLast.id};${Date.now()};${bobsLast.clientmessageid}` };
      } else if (body) {
        body = JSON.parse(substitute(JSON.stringify(body)));
      }
      const r = await world.call(ex.request.method, path, body !== undefined ? { body } : {});
      assert.equal(r.status, ex.response.status, `${ex.name}: ${r.text}`);
      if (ex.response.body === null) {
        assert.equal(r.text, "", `${ex.name} answers an empty body`);
      } else {
        assertShape(r.json, ex.response.body, ex.name);
        assert.match(r.headers.get("content-type") ?? "", /^application\/json/);
      }
      if (ex.name === "edit") assert.match(r.json.edittime, /^\d{13}$/);
      if (ex.name === "consumption_horizons_read") {
        const mine = r.json.consumptionhorizons.find((h: Json) => h.id === ALICE);
        assert.equal(mine.consumptionhorizon.split(";")[0], bobsLast.id);
      }
    }
    const thread = await world.call("GET", `/v1/threads/${FALCON}`);
    assert.equal(thread.json.properties.topic, "Project Falcon - launch");
    assert.ok(!thread.json.members.some((m: Json) => m.id === CAROL), "Carol was removed");
  });
});

describe("edit (§2.9)", () => {
  it("200 {edittime}, sets properties.edittime, bumps message and conversation versions", async () => {
    const { id } = await world.send(ALICE_BOB, "<p>first draft</p>");
    const before = await conversationVersion(ALICE_BOB);
    const r = await world.call("PUT", messagePath(ALICE_BOB, id), {
      body: {
        content: "<p>second draft</p>",
        messagetype: "RichText/Html",
        contenttype: "text",
        imdisplayname: "Alice Example",
        skypeeditedid: id,
      },
    });
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.json), ["edittime"]);
    assert.equal(typeof r.json.edittime, "string");
    const m = await world.message(ALICE_BOB, id, BOB);
    assert.equal(m.content, "<p>second draft</p>");
    assert.equal(m.properties.edittime, r.json.edittime);
    assert.equal(m.version, r.json.edittime);
    assert.ok(Number(m.version) > Number(id));
    assert.equal(m.id, id, "the id never changes");
    assert.ok((await conversationVersion(ALICE_BOB)) > before);
    const again = await world.call("PUT", messagePath(ALICE_BOB, id), { body: { content: "<p>third</p>" } });
    assert.equal(again.status, 200);
    assert.ok(Number(again.json.edittime) > Number(r.json.edittime));
  });

  it("only the author edits; unknown ids 404; a clientmessageid is ColdStoreNotSupported", async () => {
    const { id } = await world.send(ALICE_BOB, "<p>mine</p>", ALICE, { clientmessageid: "8080808080808080808" });
    const body = { content: "<p>hijack</p>", messagetype: "RichText/Html" };
    const other = await world.call("PUT", messagePath(ALICE_BOB, id), { as: BOB, body });
    assert.equal(other.status, 403);
    assert.equal(other.json.errorCode, 403);
    const unknown = await world.call("PUT", messagePath(ALICE_BOB, "1000000000000"), { body });
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.json, { errorCode: 404, message: "Message not found." });
    const cold = await world.call("PUT", messagePath(ALICE_BOB, "8080808080808080808"), { body });
    assert.equal(cold.status, 400);
    const expected = sample("errors.json").examples.find((e: Json) => e.body.message?.startsWith("ColdStore")).body;
    assert.deepEqual(cold.json, expected);
    const coldDelete = await world.call("DELETE", messagePath(ALICE_BOB, "8080808080808080808"));
    assert.deepEqual(coldDelete.json, expected);
    const noConv = await world.call("PUT", messagePath("19:ffffffffffffffffffffffffffffffff@thread.v2", id), { body });
    assert.equal(noConv.status, 404);
    assert.deepEqual(noConv.json, { errorCode: 404, message: "Conversation not found." });
    const stranger = await world.call("PUT", messagePath(ALICE_BOB, id), { as: FRANK, body });
    assert.equal(stranger.status, 403);
  });

  it("400 for bad bodies and a skypeeditedid that is not the message", async () => {
    const { id } = await world.send(ALICE_BOB, "<p>x</p>");
    const cases: Array<[string, { body?: unknown; rawBody?: string }]> = [
      ["not JSON", { rawBody: "nope" }],
      ["no content", { body: { messagetype: "RichText/Html" } }],
      ["content not a string", { body: { content: ["x"] } }],
      ["typing is not an edit", { body: { content: "", messagetype: "Control/Typing" } }],
      ["skypeeditedid mismatch", { body: { content: "<p>y</p>", skypeeditedid: "123" } }],
    ];
    for (const [name, opts] of cases) {
      const r = await world.call("PUT", messagePath(ALICE_BOB, id), opts);
      assert.equal(r.status, 400, name);
      assert.equal(r.json.errorCode, 400, name);
    }
    assert.equal((await world.message(ALICE_BOB, id)).content, "<p>x</p>", "nothing changed");
  });

  it("editing a deleted message is a clear 4xx", async () => {
    const { id } = await world.send(ALICE_BOB, "<p>short-lived</p>");
    assert.equal((await world.call("DELETE", messagePath(ALICE_BOB, id))).status, 200);
    const r = await world.call("PUT", messagePath(ALICE_BOB, id), { body: { content: "<p>back</p>" } });
    assert.ok(r.status >= 400 && r.status < 500);
    assert.match(r.json.message, /deleted/i);
  });
});

describe("delete (§2.9)", () => {
  it("200 empty; tombstone with empty content and deletetime; version bump; idempotent", async () => {
    const { id } = await world.send(FALCON, "<p>to delete</p>", BOB, {
      properties: { mentions: "[]" },
      amsreferences: ["0-weu-d1-00000000000000000000000000000000"],
    });
    const before = await conversationVersion(FALCON, BOB);
    const r = await world.call("DELETE", `${messagePath(FALCON, id)}?behavior=softDelete`, { as: BOB });
    assert.equal(r.status, 200);
    assert.equal(r.text, "");
    const m = await world.message(FALCON, id, CAROL);
    assert.equal(m.content, "");
    assert.deepEqual(Object.keys(m.properties), ["deletetime"]);
    assert.equal(m.properties.deletetime, m.version);
    assert.deepEqual(m.amsreferences, []);
    assert.ok((await conversationVersion(FALCON, BOB)) > before);
    const twice = await world.call("DELETE", messagePath(FALCON, id), { as: BOB });
    assert.equal(twice.status, 200);
    assert.equal((await world.message(FALCON, id)).version, m.version, "a second delete changes nothing");
  });

  it("only the author deletes; bad behavior is a 400", async () => {
    const { id } = await world.send(FALCON, "<p>keep</p>", BOB);
    const r = await world.call("DELETE", messagePath(FALCON, id), { as: ALICE });
    assert.equal(r.status, 403);
    const bad = await world.call("DELETE", `${messagePath(FALCON, id)}?behavior=nuke`, { as: BOB });
    assert.equal(bad.status, 400);
    assert.equal((await world.message(FALCON, id)).content, "<p>keep</p>");
  });
});

describe("reactions (§2.12)", () => {
  it("add with number and string values, idempotent both ways, entries keep empty users", async () => {
    const { id } = await world.send(ALICE_BOB, "<p>react to me</p>");
    const add = (as: string, key: string, value: unknown) =>
      world.call("PUT", emotions(ALICE_BOB, id), { as, body: { emotions: { key, value } } });
    assert.equal((await add(BOB, "like", Date.now())).status, 200);
    assert.equal((await add(ALICE, "like", String(Date.now()))).status, 200);
    let m = await world.message(ALICE_BOB, id);
    const v1 = m.version;
    assert.deepEqual(
      m.properties.emotions.map((e: Json) => [e.key, e.users.map((u: Json) => u.mri)]),
      [["like", [BOB, ALICE]]],
    );
    const bobsEntry = m.properties.emotions[0].users[0];
    assert.equal(typeof bobsEntry.time, "number");
    assert.equal(typeof bobsEntry.value, "number");
    assert.equal(typeof m.properties.emotions[0].users[1].value, "string");

    assert.equal((await add(BOB, "like", Date.now())).status, 200);
    m = await world.message(ALICE_BOB, id);
    assert.equal(m.properties.emotions[0].users.length, 2, "adding again is a no-op");
    assert.equal(m.version, v1);

    const del = await world.call("DELETE", emotions(ALICE_BOB, id), { as: BOB, body: { emotions: { key: "like" } } });
    assert.equal(del.status, 200);
    assert.equal(del.text, "");
    const delAgain = await world.call("DELETE", emotions(ALICE_BOB, id), {
      as: BOB,
      body: { emotions: { key: "like" } },
    });
    assert.equal(delAgain.status, 200);
    assert.equal((await add(ALICE, "like", 0)).status, 200, "TL removes with value 0");
    m = await world.message(ALICE_BOB, id);
    assert.deepEqual(m.properties.emotions, [{ key: "like", users: [] }]);
    assert.ok(Number(m.version) > Number(v1));

    for (const key of ["heart", "1f525_fire", "partyparrot;0-weu-d4-6a1f0c9e2b7d48e5a3c1f0e9d8c7b6a5"]) {
      assert.equal((await add(BOB, key, 1)).status, 200, key);
    }
    m = await world.message(ALICE_BOB, id);
    assert.deepEqual(
      m.properties.emotions.map((e: Json) => e.key),
      ["like", "heart", "1f525_fire", "partyparrot;0-weu-d4-6a1f0c9e2b7d48e5a3c1f0e9d8c7b6a5"],
    );
  });

  it("anyone in the chat may react; keys and bodies are validated; deleted messages refuse", async () => {
    const { id } = await world.send(ALICE_BOB, "<p>validate</p>");
    const bad: Array<[string, unknown]> = [
      ["unknown key", { emotions: { key: "LIKE", value: 1 } }],
      ["no key", { emotions: { value: 1 } }],
      ["no emotions", { key: "like" }],
      ["bad value", { emotions: { key: "like", value: { x: 1 } } }],
      ["missing value on PUT", { emotions: { key: "like" } }],
    ];
    for (const [name, body] of bad) {
      const r = await world.call("PUT", emotions(ALICE_BOB, id), { as: BOB, body });
      assert.equal(r.status, 400, name);
      assert.equal(r.json.errorCode, 400);
    }
    const otherName = await world.call("PUT", `${messagePath(ALICE_BOB, id)}/properties?name=isread`, {
      body: { isread: "true" },
    });
    assert.equal(otherName.status, 400);
    const stranger = await world.call("PUT", emotions(ALICE_BOB, id), {
      as: FRANK,
      body: { emotions: { key: "like", value: 1 } },
    });
    assert.equal(stranger.status, 403);
    await world.call("DELETE", messagePath(ALICE_BOB, id));
    const r = await world.call("PUT", emotions(ALICE_BOB, id), {
      as: BOB,
      body: { emotions: { key: "like", value: 1 } },
    });
    assert.ok(r.status >= 400 && r.status < 500);
    assert.match(r.json.message, /deleted/i);
  });

  it("emit MessageUpdate to every member", async () => {
    const { id } = await world.send(FALCON, "<p>events</p>");
    const events = world.events();
    await world.call("PUT", emotions(FALCON, id), { as: CAROL, body: { emotions: { key: "heart", value: 5 } } });
    assert.equal(events.length, 1);
    assert.equal(events[0]!.event.resourceType, "MessageUpdate");
    assert.deepEqual([...events[0]!.to].sort(), [ALICE, BOB, CAROL].sort());
    const resource = events[0]!.event.resource as Json;
    assert.equal(resource.properties.emotions[0].users[0].mri, CAROL);
  });

  it("encode properties.emotions as a JSON string under the string variant", async () => {
    const w = await ChatWorld.start({ variants: { emotionsEncoding: "string" } });
    try {
      const { id } = await w.send(ALICE_BOB, "<p>string me</p>");
      await w.call("PUT", emotions(ALICE_BOB, id), { as: BOB, body: { emotions: { key: "like", value: "1" } } });
      const m = await w.message(ALICE_BOB, id);
      assert.equal(typeof m.properties.emotions, "string");
      assert.equal(JSON.parse(m.properties.emotions)[0].users[0].mri, BOB);
    } finally {
      await w.close();
    }
  });
});

describe("read state (§2.11)", () => {
  it("PUT consumptionhorizon → 200; the caller's conversation reflects it, nobody else's", async () => {
    const page = await world.call("GET", `${convPath(FALCON)}/messages?pageSize=1`, { as: CAROL });
    const last = page.json.messages[0];
    const horizon = `${last.id};${Date.now()};${last.clientmessageid}`;
    const bobBefore = (await world.call("GET", convPath(FALCON), { as: BOB })).json.properties.consumptionhorizon;
    const r = await world.call("PUT", `${convPath(FALCON)}/properties?name=consumptionhorizon`, {
      as: CAROL,
      body: { consumptionhorizon: horizon },
    });
    assert.equal(r.status, 200);
    assert.equal(r.text, "");
    assert.equal(
      (await world.call("GET", convPath(FALCON), { as: CAROL })).json.properties.consumptionhorizon,
      horizon,
    );
    assert.equal(
      (await world.call("GET", convPath(FALCON), { as: BOB })).json.properties.consumptionhorizon,
      bobBefore,
    );
    const all = await world.call("GET", `/v1/threads/${FALCON}/consumptionhorizons`, { as: BOB });
    assert.equal(all.json.consumptionhorizons.find((h: Json) => h.id === CAROL).consumptionhorizon, horizon);
  });

  it("validates the msgId;ms;cmid format", async () => {
    for (const bad of ["", "abc", "1;2", "1;2;3;4", "x;2;3", "1;2; "]) {
      const r = await world.call("PUT", `${convPath(FALCON)}/properties?name=consumptionhorizon`, {
        body: { consumptionhorizon: bad },
      });
      assert.equal(r.status, 400, JSON.stringify(bad));
    }
    const noName = await world.call("PUT", `${convPath(FALCON)}/properties`, { body: { consumptionhorizon: "1;2;3" } });
    assert.equal(noName.status, 400);
    const wrongKey = await world.call("PUT", `${convPath(FALCON)}/properties?name=consumptionhorizon`, {
      body: { horizon: "1;2;3" },
    });
    assert.equal(wrongKey.status, 400);
    const ytc = await world.call("PUT", `${convPath(FALCON)}/properties?name=consumptionhorizon`, {
      body: { consumptionhorizon: "1718201200000;1718201200000;1718201200000" },
    });
    assert.equal(ytc.status, 200, "YTC's now;now;now form fits the grammar");
  });

  it("consumptionHorizonBookmark marks unread", async () => {
    const value = `${Date.now()};${Date.now()};1718200500000`;
    const r = await world.call("PUT", `${convPath(ALICE_BOB)}/properties?name=consumptionHorizonBookmark`, {
      body: { consumptionHorizonBookmark: value },
    });
    assert.equal(r.status, 200);
    const c = await world.call("GET", convPath(ALICE_BOB));
    assert.equal(c.json.properties.consumptionHorizonBookmark, value);
  });

  it("GET consumptionhorizons: sample shape, '0' for members who never read", async () => {
    const s = sample("chat-mutations.json").exchanges.find((e: Json) => e.name === "consumption_horizons_read");
    const [a, b] = [ALICE.slice(8), FRANK.slice(8)].sort();
    const fresh = `19:${a}_${b}@unq.gbl.spaces`;
    await world.send(fresh, "<p>hello Frank</p>");
    const r = await world.call("GET", `/v1/threads/${fresh}/consumptionhorizons`, { as: FRANK });
    assert.equal(r.status, 200);
    assertShape(r.json, s.response.body);
    assert.equal(r.json.id, fresh);
    assert.equal(r.json.consumptionhorizons.find((h: Json) => h.id === FRANK).consumptionhorizon, "0");
    const stranger = await world.call("GET", `/v1/threads/${fresh}/consumptionhorizons`, { as: BOB });
    assert.equal(stranger.status, 403);
  });

  it("a later conversations sync sees the caller's horizon change", async () => {
    const first = await world.call("GET", "/v1/users/ME/conversations", { as: BOB });
    const c = first.json.conversations.find((x: Json) => x.id === ALICE_BOB);
    const horizon = `${c.lastMessage.id};${Date.now()};${c.lastMessage.clientmessageid}`;
    await world.call("PUT", `${convPath(ALICE_BOB)}/properties?name=consumptionhorizon`, {
      as: BOB,
      body: { consumptionhorizon: horizon },
    });
    const sync = await world.call("GET", first.json._metadata.syncState, { as: BOB });
    const changed = sync.json.conversations.find((x: Json) => x.id === ALICE_BOB);
    assert.ok(changed, "the conversation is in the delta");
    assert.equal(changed.properties.consumptionhorizon, horizon);
  });
});

describe("versions and sync (every change is visible to a later sync)", () => {
  it("messages?startTime and the syncState link return edits, deletes and reactions", async () => {
    const a = await world.send(FALCON, "<p>a</p>");
    const b = await world.send(FALCON, "<p>b</p>");
    const c = await world.send(FALCON, "<p>c</p>");
    const first = await world.call("GET", `${convPath(FALCON)}/messages?pageSize=5`, { as: BOB });
    const sync = first.json._metadata.syncState;
    const convs = await world.call("GET", "/v1/users/ME/conversations", { as: BOB });
    const since = Date.now();
    await world.call("PUT", messagePath(FALCON, a.id), { body: { content: "<p>a2</p>" } });
    await world.call("DELETE", messagePath(FALCON, b.id));
    await world.call("PUT", emotions(FALCON, c.id), { as: BOB, body: { emotions: { key: "like", value: 1 } } });
    const delta = await world.call("GET", sync, { as: BOB });
    assert.deepEqual(
      delta.json.messages.map((m: Json) => m.id),
      [c.id, b.id, a.id],
    );
    const byStart = await world.call("GET", `${convPath(FALCON)}/messages?startTime=${since}&pageSize=50`, { as: BOB });
    assert.deepEqual(
      byStart.json.messages.map((m: Json) => m.id),
      [c.id, b.id, a.id],
    );
    const convDelta = await world.call("GET", convs.json._metadata.syncState, { as: BOB });
    assert.ok(convDelta.json.conversations.some((x: Json) => x.id === FALCON));
  });

  it("48:notes edits and deletes like any chat", async () => {
    const { id } = await world.send("48:notes", "<p>note</p>", BOB);
    const e = await world.call("PUT", messagePath("48:notes", id), { as: BOB, body: { content: "<p>note v2</p>" } });
    assert.equal(e.status, 200);
    assert.equal((await world.message("48:notes", id, BOB)).content, "<p>note v2</p>");
    assert.equal((await world.call("DELETE", messagePath("48:notes", id), { as: BOB })).status, 200);
    assert.equal((await world.message("48:notes", id, BOB)).content, "");
    const aliceCannot = await world.call("PUT", messagePath("48:notes", id), { as: ALICE, body: { content: "x" } });
    assert.equal(aliceCannot.status, 404, "Alice's 48:notes has no such message");
  });
});
