/**
 * The must-hold: under throttling and ambiguous server errors every send arrives exactly once —
 * none lost, none duplicated — and the id a send returns is the id the message really has.
 */
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { SentMessage, TeamsClient } from "../src/index.js";
import { addFault, clearFaults, listFaults, MRI, pool, sendWorld } from "./chat-fixtures.js";

/** Every clientmessageid in the conversation's whole history, with how often it appears. */
async function historyCounts(reader: TeamsClient, conversationId: string): Promise<Map<string, string[]>> {
  const all = await reader.getMessages(conversationId, { count: Number.POSITIVE_INFINITY, resolveNames: false });
  const byCmid = new Map<string, string[]>();
  for (const m of all) {
    if (m.isSystem || !m.clientMessageId) continue;
    const ids = byCmid.get(m.clientMessageId) ?? [];
    ids.push(m.id);
    byCmid.set(m.clientMessageId, ids);
  }
  return byCmid;
}

function assertExactlyOnce(sent: readonly SentMessage[], history: Map<string, string[]>, expected: number): void {
  assert.equal(sent.length, expected);
  assert.equal(new Set(sent.map((s) => s.clientMessageId)).size, expected, "fresh clientmessageids");
  const lost = sent.filter((s) => !history.has(s.clientMessageId));
  const duplicated = [...history.values()].filter((ids) => ids.length > 1);
  assert.equal(lost.length, 0, `${lost.length} sends lost`);
  assert.equal(duplicated.length, 0, `${duplicated.length} sends duplicated`);
  assert.equal(history.size, expected, "nothing in the history that was not sent");
  for (const s of sent) {
    assert.deepEqual(history.get(s.clientMessageId), [s.id], "the returned id is the stored message's id");
  }
}

describe("sends: exactly once under faults", () => {
  // Six retries: a send fails only after seven throttles in a row (10⁻⁷ at a 10% rate).
  const w = sendWorld({ maxRetries: 6 });

  it("500 concurrent sends with 429 (Retry-After 1) and 503-after-storing on ~20% each arrive exactly once", async () => {
    const { id: chat } = await w.alice.chat.createChat([MRI.bob], { topic: "Load test" });
    const throttle = await addFault(w.emu, {
      status: 429,
      retryAfter: 1,
      ratio: 0.1,
      method: "POST",
      path: "/messages$",
    });
    const ambiguous = await addFault(w.emu, {
      status: 503,
      ratio: 0.1,
      method: "POST",
      path: "/messages$",
      phase: "after",
    });

    const started = performance.now();
    const sent = await pool(500, 25, (i) => w.alice.sendMessage(chat, `load #${i}`));
    const seconds = (performance.now() - started) / 1000;

    const faults = await listFaults(w.emu);
    const hits429 = faults.find((f) => f.id === throttle)?.hits ?? 0;
    const hits503 = faults.find((f) => f.id === ambiguous)?.hits ?? 0;
    await clearFaults(w.emu);
    const posts = w.rec.matching("POST", /\/messages$/).length;
    const checks = w.rec.matching("GET", /\/messages$/).length;
    // The numbers for the report (no secrets in them).
    console.log(
      `sends=500 posts=${posts} 429=${hits429} 503-after=${hits503} delivery-checks=${checks} duration=${seconds.toFixed(1)}s`,
    );
    assert.ok(hits429 >= 15 && hits503 >= 15, "both faults were really exercised");
    assert.equal(posts, 500 + hits429, "a 503 after storing is confirmed by its echo, never re-posted");

    assertExactlyOnce(sent, await historyCounts(w.bob, chat), 500);
    const mine = await w.bob.getMessages(chat, { count: 10 });
    for (const m of mine) {
      assert.match(m.text, /^load #\d+$/);
      assert.deepEqual(m.from, { mri: MRI.alice, displayName: "Alice Example" });
    }
  });

  it("connection resets after storing and errors before storing still give exactly once", async () => {
    const { id: chat } = await w.alice.chat.createChat([MRI.bob], { topic: "Resets" });
    const reset = await addFault(w.emu, {
      reset: true,
      ratio: 0.1,
      method: "POST",
      path: "/messages$",
      phase: "after",
    });
    const before503 = await addFault(w.emu, { status: 503, ratio: 0.1, method: "POST", path: "/messages$" });
    const sent = await pool(200, 20, (i) => w.alice.sendMessage(chat, `reset #${i}`));
    const faults = await listFaults(w.emu);
    await clearFaults(w.emu);
    const hitsReset = faults.find((f) => f.id === reset)?.hits ?? 0;
    const hits503 = faults.find((f) => f.id === before503)?.hits ?? 0;
    console.log(`sends=200 reset-after=${hitsReset} 503-before=${hits503}`);
    assert.ok(hitsReset >= 5 && hits503 >= 5, "both faults were really exercised");
    assertExactlyOnce(sent, await historyCounts(w.bob, chat), 200);
  });

  it("a send whose last attempt stored the message but answered 503 reports success, not an error", async () => {
    const { id: chat } = await w.alice.chat.createChat([MRI.bob], { topic: "Last attempt" });
    await addFault(w.emu, { status: 503, count: 1, method: "POST", path: "/messages$", phase: "after" });
    const sent = await w.alice.sendMessage(chat, "only once", { maxRetries: 0 });
    assertExactlyOnce([sent], await historyCounts(w.bob, chat), 1);
  });

  it("a send that never landed is retried with the same clientmessageid", async () => {
    const { id: chat } = await w.alice.chat.createChat([MRI.bob], { topic: "Retry" });
    await addFault(w.emu, { status: 503, count: 2, method: "POST", path: "/messages$" });
    const sent = await w.alice.sendMessage(chat, "third time lucky", { clientMessageId: "4242424242424242424" });
    const posts = w.rec.matching("POST", /\/messages$/).filter((s) => s.path.includes(chat));
    assert.equal(posts.length, 3);
    const cmids = posts.map((p) => (JSON.parse(p.body) as { clientmessageid: string }).clientmessageid);
    assert.deepEqual(cmids, ["4242424242424242424", "4242424242424242424", "4242424242424242424"]);
    assert.equal(sent.clientMessageId, "4242424242424242424");
    assertExactlyOnce([sent], await historyCounts(w.bob, chat), 1);
  });

  it("a failure that proves nothing landed is reported, and nothing is stored", async () => {
    const { id: chat } = await w.alice.chat.createChat([MRI.bob], { topic: "Give up" });
    await addFault(w.emu, { status: 503, count: 10, method: "POST", path: "/messages$" });
    await assert.rejects(w.alice.sendMessage(chat, "never", { maxRetries: 1 }), { name: "ServerError" });
    await clearFaults(w.emu);
    assert.equal((await historyCounts(w.bob, chat)).size, 0);
  });
});
