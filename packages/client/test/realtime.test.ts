import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CHAT, LOGIN, MRI } from "./chat-fixtures.js";
import { control, type PushPair, pushPair, Recorder, TEST_TIMINGS } from "./realtime-helpers.js";

/** Live push: the real client against the emulator's Trouter and registrar. */

let w: PushPair;
before(async () => {
  w = await pushPair();
});
after(() => w.close());

const texts = (r: Recorder, conv = CHAT.aliceBob): string[] =>
  r
    .of("message")
    .filter((e) => e.conversationId === conv)
    .map((e) => e.message.text);

describe("realtime", { timeout: 120_000 }, () => {
  it("delivers messages, edits, reactions, typing and reads; drops its own echoes", async () => {
    const r = new Recorder();
    await w.bob.startRealtime({ onEvent: r.onEvent, timings: TEST_TIMINGS });
    const status = (await control(w.emu, "", undefined, "GET")) as {
      registrations: Array<{ owner: string; templateKey: string }>;
    };
    assert.ok(status.registrations.some((x) => x.owner === MRI.bob && x.templateKey === "TeamsCDLWebWorker_2.1"));
    const sent = await w.alice.sendMessage(CHAT.aliceBob, "hello from alice");
    await r.until(() => texts(r).includes("hello from alice"), "the message");
    const m = r.of("message").find((e) => e.message.text === "hello from alice")!;
    assert.equal(m.message.from.mri, MRI.alice);
    assert.equal(m.message.from.displayName, "Alice Example");
    assert.equal(m.replayed, false);
    await w.alice.chat.editMessage(CHAT.aliceBob, sent.id, "hello, edited");
    await r.until(() => r.of("edit").some((e) => e.message.text === "hello, edited"), "the edit");
    await w.alice.chat.addReaction(CHAT.aliceBob, sent.id, "like");
    await r.until(
      () => r.of("reaction").some((e) => e.message.reactions.some((x) => x.key === "like")),
      "the reaction",
    );
    await w.alice.chat.sendTypingIndicator(CHAT.aliceBob);
    await r.until(() => r.of("typing").some((e) => e.from.mri === MRI.alice), "typing");
    await w.bob.sendMessage(CHAT.aliceBob, "own words");
    await w.alice.sendMessage(CHAT.aliceBob, "after own");
    await r.until(() => texts(r).includes("after own"), "the next message");
    assert.ok(!texts(r).includes("own words"), "own echo dropped");
    await w.bob.chat.setConsumptionHorizon(CHAT.aliceBob);
    await r.until(() => r.of("read").length > 0, "read horizon");
    await w.alice.chat.deleteMessage(CHAT.aliceBob, sent.id);
    await r.until(() => r.of("delete").some((e) => e.message.id === sent.id), "the delete");
    assert.equal(new Set(r.of("message").map((e) => e.message.id)).size, r.of("message").length, "no duplicates");
    await w.bob.stopRealtime();
    const after = (await control(w.emu, "", undefined, "GET")) as { registrations: Array<{ owner: string }> };
    assert.ok(!after.registrations.some((x) => x.owner === MRI.bob), "stop deletes the registration");
  });

  it("after a dropped socket, replays what was missed (in order, once) and says how many", async () => {
    const r = new Recorder();
    await w.bob.startRealtime({ onEvent: r.onEvent, timings: TEST_TIMINGS, conversations: [CHAT.aliceBob] });
    await w.alice.sendMessage(CHAT.aliceBob, "before");
    await r.until(() => texts(r).includes("before"), "before");
    // withhold every push to Bob, then drop him: nothing reaches him until he replays
    await control(w.emu, "/faults", { action: "withhold", user: LOGIN.bob, ratio: 1 });
    for (const t of ["gap 1", "gap 2", "gap 3"]) await w.alice.sendMessage(CHAT.aliceBob, t);
    await control(w.emu, "/faults", undefined, "DELETE");
    await control(w.emu, "/drop", { user: LOGIN.bob });
    await r.until(() => r.of("resumed").some((e) => e.replayed >= 3), "resumed");
    await w.alice.sendMessage(CHAT.aliceBob, "after");
    await r.until(() => texts(r).includes("after"), "after");
    assert.deepEqual(texts(r), ["before", "gap 1", "gap 2", "gap 3", "after"]);
    assert.deepEqual(
      r
        .of("message")
        .filter((e) => e.replayed && e.message.text.startsWith("gap"))
        .map((e) => e.message.text),
      ["gap 1", "gap 2", "gap 3"],
    );
    assert.ok(r.of("state").some((e) => e.state === "reconnecting"));
    await w.bob.stopRealtime();
  });

  it("a withheld push is noticed by its sequence gap and filled before the next message", async () => {
    const r = new Recorder();
    await w.bob.startRealtime({ onEvent: r.onEvent, timings: TEST_TIMINGS, conversations: [CHAT.aliceBob] });
    await w.alice.sendMessage(CHAT.aliceBob, "one");
    await r.until(() => texts(r).includes("one"), "one");
    await control(w.emu, "/faults", { action: "withhold", user: LOGIN.bob, count: 1 });
    await w.alice.sendMessage(CHAT.aliceBob, "two (withheld)");
    await w.alice.sendMessage(CHAT.aliceBob, "three");
    await r.until(() => texts(r).includes("three"), "three");
    assert.deepEqual(texts(r), ["one", "two (withheld)", "three"]);
    assert.ok(r.of("resumed").some((e) => e.reason === "gap"));
    await w.bob.stopRealtime();
  });

  it("client.events() iterates until stopRealtime", async () => {
    const seen: string[] = [];
    const loop = (async () => {
      for await (const e of w.bob.events({ timings: TEST_TIMINGS })) {
        if (e.type === "message") seen.push(e.message.text);
        if (e.type === "state" && e.state === "connected") void w.alice.sendMessage(CHAT.aliceBob, "iterated");
        if (seen.includes("iterated")) void w.bob.stopRealtime();
      }
    })();
    await loop;
    assert.ok(seen.includes("iterated"));
  });
});
