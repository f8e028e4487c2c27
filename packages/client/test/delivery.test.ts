/**
 * Issue 12: a send has three outcomes — delivered, not delivered, or unknown — and nothing is sent
 * twice while an earlier POST may still land. Under 20 % processed-then-failed POSTs and 70 %
 * failing check reads: 0 duplicated, 0 lost among those reported delivered, none reported failed
 * that landed, and every unknown one reported as DeliveryUnknownError with its clientmessageid; a
 * later send with that clientmessageid checks before posting, so the user's retry cannot duplicate.
 */
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DeliveryUnknownError, type SentMessage, type TeamsClient } from "../src/index.js";
import { addFault, clearFaults, listFaults, MRI, pool, sendWorld } from "./chat-fixtures.js";

type Outcome =
  | { kind: "delivered"; text: string; sent: SentMessage }
  | { kind: "unknown"; text: string; clientMessageId: string }
  | { kind: "failed"; text: string; error: Error };

/** How often each clientmessageid and each text appears in the conversation's whole history. */
async function historyCounts(reader: TeamsClient, conversationId: string): Promise<Map<string, number>> {
  const all = await reader.getMessages(conversationId, { count: Number.POSITIVE_INFINITY, resolveNames: false });
  const counts = new Map<string, number>();
  for (const m of all) {
    if (m.isSystem) continue;
    for (const key of [m.clientMessageId && `id:${m.clientMessageId}`, `text:${m.text}`]) {
      if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

/** One send with a fresh clientmessageid (the library's own), its outcome classified. */
async function send(
  client: TeamsClient,
  chat: string,
  text: string,
  extra: { timeout?: number } = {},
): Promise<Outcome> {
  try {
    return { kind: "delivered", text, sent: await client.sendMessage(chat, text, extra) };
  } catch (err) {
    if (err instanceof DeliveryUnknownError) {
      assert.match(err.clientMessageId ?? "", /^\d+$/, "the unknown outcome names its clientmessageid");
      assert.match(err.message, /may have been sent — check before sending again/);
      return { kind: "unknown", text, clientMessageId: err.clientMessageId! };
    }
    return { kind: "failed", text, error: err as Error };
  }
}

describe("sends: delivered, not delivered, or unknown", { timeout: 300_000 }, () => {
  // No backoff waits (zero jitter): the test measures outcomes, not time.
  const w = sendWorld({ testHooks: { random: () => 0 } });

  it("500 sends, 20 % processed-then-failed POSTs, 70 % failing check reads: 0 duplicated, 0 lost, unknowns reported", async () => {
    const { id: chat } = await w.alice.chat.createChat([MRI.bob], { topic: "Three outcomes" });
    const ambiguous = await addFault(w.emu, {
      status: 503,
      ratio: 0.2,
      method: "POST",
      path: "/messages$",
      phase: "after",
    });
    const reads = await addFault(w.emu, { status: 503, ratio: 0.7, method: "GET", path: "/messages$" });
    const outcomes = await pool(500, 20, (i) => send(w.alice, chat, `three #${i}`));
    const faults = await listFaults(w.emu);
    await clearFaults(w.emu);
    const hitsAmbiguous = faults.find((f) => f.id === ambiguous)?.hits ?? 0;
    const hitsReads = faults.find((f) => f.id === reads)?.hits ?? 0;

    const history = await historyCounts(w.bob, chat);
    const delivered = outcomes.filter((o) => o.kind === "delivered");
    const unknown = outcomes.filter((o) => o.kind === "unknown");
    const failed = outcomes.filter((o) => o.kind === "failed");
    console.log(
      `sends=500 delivered=${delivered.length} unknown=${unknown.length} failed=${failed.length} 503-after=${hitsAmbiguous} failed-reads=${hitsReads} posts=${w.rec.matching("POST", /\/messages$/).length}`,
    );
    assert.ok(hitsAmbiguous >= 50 && hitsReads >= 50, "both faults were really exercised");
    assert.ok(unknown.length > 0, "some outcomes were really unknown");
    const duplicated = [...history.entries()].filter(([, n]) => n > 1);
    assert.equal(duplicated.length, 0, `${duplicated.length} sends duplicated`);
    const lost = delivered.filter((o) => history.get(`id:${o.sent.clientMessageId}`) !== 1);
    assert.equal(lost.length, 0, `${lost.length} sends reported delivered are not in the history`);
    const landedButFailed = failed.filter((o) => history.has(`text:${o.text}`));
    assert.equal(landedButFailed.length, 0, "a send reported as failed had landed: it should have been unknown");

    // The user's retry of each unknown one, with its clientmessageid: delivered, still exactly once.
    for (const o of unknown) {
      const again = await w.alice.sendMessage(chat, "retry", { clientMessageId: o.clientMessageId });
      assert.equal(again.clientMessageId, o.clientMessageId);
    }
    const after = await historyCounts(w.bob, chat);
    for (const o of unknown) {
      assert.equal(after.get(`id:${o.clientMessageId}`), 1, "a retried unknown send is there once");
    }
    assert.equal([...after.entries()].filter(([k, n]) => k.startsWith("id:") && n > 1).length, 0);
  });

  it("a slow server: a POST that timed out is unknown, never posted again, and the retry finds it", async () => {
    const { id: chat } = await w.alice.chat.createChat([MRI.bob], { topic: "Slow" });
    await addFault(w.emu, { latencyMs: 5000, count: 1, method: "POST", path: "/messages$" });
    const landed = new Promise<void>((resolve) => {
      const off = w.emu.context.events.on("chat", (e) => {
        if (JSON.stringify(e.event).includes("slow but sure")) {
          off();
          resolve();
        }
      });
    });
    const outcome = await send(w.alice, chat, "slow but sure", { timeout: 300 });
    assert.equal(outcome.kind, "unknown");
    const { clientMessageId } = outcome as { clientMessageId: string };
    await landed; // the server finishes its work after the client gave up
    assert.equal(w.rec.matching("POST", /\/messages$/).filter((s) => s.path.includes(chat)).length, 1, "posted once");
    const again = await w.alice.sendMessage(chat, "slow", { clientMessageId });
    assert.equal(
      w.rec.matching("POST", /\/messages$/).filter((s) => s.path.includes(chat)).length,
      1,
      "the retry found it",
    );
    assert.equal((await historyCounts(w.bob, chat)).get(`id:${again.clientMessageId}`), 1);
  });

  it("a connection lost after the POST: delivered when the check finds it, unknown when no check can run", async () => {
    const { id: chat } = await w.alice.chat.createChat([MRI.bob], { topic: "Lost" });
    await addFault(w.emu, { reset: true, count: 1, method: "POST", path: "/messages$", phase: "after" });
    const found = await send(w.alice, chat, "found by the check");
    assert.equal(found.kind, "delivered");
    await addFault(w.emu, { reset: true, count: 1, method: "POST", path: "/messages$", phase: "after" });
    await addFault(w.emu, { status: 503, ratio: 1, method: "GET", path: "/messages$" });
    const unknown = await send(w.alice, chat, "nobody can tell");
    assert.equal(unknown.kind, "unknown");
    await clearFaults(w.emu);
    const history = await historyCounts(w.bob, chat);
    assert.equal(history.get("text:found by the check"), 1);
    assert.equal(
      history.get("text:nobody can tell"),
      1,
      "it had landed: reporting it as failed would invite a duplicate",
    );
  });

  it("a 503 before processing with a check that says absent is sent again; with a check that fails, it is unknown", async () => {
    const { id: chat } = await w.alice.chat.createChat([MRI.bob], { topic: "Absent" });
    await addFault(w.emu, { status: 503, count: 1, method: "POST", path: "/messages$" });
    const retried = await send(w.alice, chat, "sent again");
    assert.equal(retried.kind, "delivered");
    await addFault(w.emu, { status: 503, count: 1, method: "POST", path: "/messages$" });
    await addFault(w.emu, { status: 503, ratio: 1, method: "GET", path: "/messages$" });
    const unknown = await send(w.alice, chat, "cannot tell");
    assert.equal(unknown.kind, "unknown");
    await clearFaults(w.emu);
    const history = await historyCounts(w.bob, chat);
    assert.equal(history.get("text:sent again"), 1);
    assert.equal(history.has("text:cannot tell"), false);
  });
});
