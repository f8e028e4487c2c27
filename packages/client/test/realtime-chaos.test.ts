import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CHAT, LOGIN } from "./chat-fixtures.js";
import { control, type PushPair, pushPair, Recorder, TEST_TIMINGS } from "./realtime-helpers.js";

/**
 * The chaos test (issue 11): Alice sends 2,000 messages to Bob while the emulator kills Bob's socket
 * about every 200 messages and withholds 5 % of his pushes. Bob's listener must emit every message
 * exactly once, in order.
 */

const TOTAL = Number(process.env.CHAOS_MESSAGES ?? 2000);

let w: PushPair;
before(async () => {
  w = await pushPair();
});
after(() => w.close());

describe("realtime chaos", { timeout: 600_000 }, () => {
  it(`${TOTAL} messages, a socket kill every ~200, 5 % withheld: each emitted once, in order`, async () => {
    const r = new Recorder();
    await w.bob.startRealtime({ onEvent: r.onEvent, timings: TEST_TIMINGS, conversations: [CHAT.aliceBob] });
    await control(w.emu, "/faults", { action: "withhold", user: LOGIN.bob, ratio: 0.05 });
    const expected: string[] = [];
    for (let i = 1; i <= TOTAL; i++) {
      const text = `chaos ${i}`;
      expected.push(text);
      await w.alice.sendMessage(CHAT.aliceBob, text);
      if (i % 200 === 0 || i === TOTAL) await control(w.emu, "/drop", { user: LOGIN.bob });
    }
    const got = () => r.of("message").map((e) => e.message.text);
    await r.until(() => got().length >= TOTAL, `all ${TOTAL} messages`, 300_000);
    await control(w.emu, "/faults", undefined, "DELETE");
    // one more message through a clean socket: everything before it has been emitted
    await w.alice.sendMessage(CHAT.aliceBob, "done");
    await r.until(() => got().includes("done"), "done");
    assert.deepEqual(got(), [...expected, "done"]);
    const status = (await control(w.emu, "", undefined, "GET")) as { faults: Array<{ hits: number }> };
    assert.ok(r.of("resumed").length >= TOTAL / 200, "replayed after every kill");
    assert.ok(
      r.of("message").some((e) => e.replayed),
      "some messages came from the replay",
    );
    assert.equal(status.faults.length, 0);
  });
});
