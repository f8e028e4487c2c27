/**
 * Search between two demo users through the library against the emulator: Bob writes, Alice finds
 * it through Substrate (substrate audience, x-anchormailbox) with highlights pointing back at the
 * message; filters; quotes, Unicode, empty queries; people suggestions; a consumer account through
 * the msgsearch form.
 */
import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Emulator } from "@teams-api/emulator";
import { InvalidArgumentError, type TeamsClient } from "../src/index.js";
import { emulator } from "./auth-helpers.js";
import { CHAT, MRI, recordingFetch, signedIn } from "./chat-fixtures.js";

describe("search through the library", { timeout: 120_000 }, () => {
  let emu: Emulator;
  let alice: TeamsClient;
  let bob: TeamsClient;
  let dana: TeamsClient;
  let grace: TeamsClient;
  const rec = recordingFetch();
  let sentId = "";

  before(async () => {
    emu = await emulator();
    alice = await signedIn(emu, "alice", { fetch: rec.fetch });
    bob = await signedIn(emu, "bob");
    dana = await signedIn(emu, "dana");
    grace = await signedIn(emu, "grace");
    sentId = (await bob.sendMessage(CHAT.projectFalcon, "The zebracorn budget is approved")).id;
    await bob.sendMessage(CHAT.aliceBob, 'Naïve café "quoted words" here 🦓');
  });
  after(() => emu.close());

  it("Bob's message is found by Alice, highlighted, pointing back at it", async () => {
    const results = await alice.search.searchMessages("zebracorn");
    assert.equal(results.length, 1);
    const [r] = results;
    assert.equal(r?.conversationId, CHAT.projectFalcon);
    assert.equal(r?.messageId, sentId);
    assert.equal(r?.from.displayName, "Bob Example");
    assert.equal(r?.fromAddress, "bob@contoso.com");
    assert.deepEqual(
      r?.highlights.filter((p) => p.hit).map((p) => p.text),
      ["zebracorn"],
    );
    assert.equal(r?.text, "The zebracorn budget is approved");
    const message = await alice.chat.getMessage(r!.conversationId, r!.messageId!);
    assert.match(message.text, /zebracorn/);
    const call = rec.matching("POST", /\/searchservice\/api\/v2\/query$/).at(-1)!;
    assert.equal(call.authScheme, "Bearer");
    assert.ok(call.headerNames.includes("x-anchormailbox"));
  });

  it("never finds other people's chats", async () => {
    assert.deepEqual(await dana.search.searchMessages("zebracorn"), []);
  });

  it("filters: from, in, before/after, limit", async () => {
    assert.equal((await alice.search.searchMessages("zebracorn", { from: "Bob Example" })).length, 1);
    assert.equal((await alice.search.searchMessages("zebracorn", { from: MRI.bob })).length, 1);
    assert.equal((await alice.search.searchMessages("zebracorn", { from: "Dana" })).length, 0);
    assert.equal((await alice.search.searchMessages("zebracorn", { in: CHAT.aliceBob })).length, 0);
    assert.equal((await alice.search.searchMessages("zebracorn", { in: CHAT.projectFalcon })).length, 1);
    assert.equal((await alice.search.searchMessages("zebracorn", { before: new Date(2000, 0, 1) })).length, 0);
    assert.equal((await alice.search.searchMessages("zebracorn", { after: new Date(2000, 0, 1) })).length, 1);
    const some = await alice.search.searchMessages("budget", { limit: 3 });
    assert.equal(some.length, 3);
  });

  it("quotes and Unicode find results; an empty query is a clear error", async () => {
    const quoted = await alice.search.searchMessages('"quoted words"');
    assert.equal(quoted.length, 1);
    assert.equal((await alice.search.searchMessages('"words quoted"')).length, 0);
    assert.equal((await alice.search.searchMessages("NAÏVE CAFÉ")).length, 1);
    assert.equal((await alice.search.searchMessages("🦓")).length, 1);
    for (const q of ["", "   ", '""', "AND OR"]) {
      await assert.rejects(alice.search.searchMessages(q), (e: unknown) => {
        assert.ok(e instanceof InvalidArgumentError);
        assert.match(e.message, /Type a word/);
        return true;
      });
    }
  });

  it("people suggestions name people of the tenant", async () => {
    const people = await alice.search.suggestPeople("bo");
    assert.deepEqual(
      people.map((p) => [p.mri, p.displayName]),
      [[MRI.bob, "Bob Example"]],
    );
    await assert.rejects(alice.search.suggestPeople(" "), InvalidArgumentError);
  });

  it("a consumer account searches through msgsearch with its skypetoken", async () => {
    await grace.sendMessage(CHAT.graceAlice, "consumer walrus note");
    const found = await grace.search.searchMessages("walrus");
    assert.equal(found.length, 1);
    assert.equal(found[0]?.conversationId, CHAT.graceAlice);
    assert.ok(found[0]?.highlights.some((p) => p.hit && p.text === "walrus"));
    assert.equal((await grace.search.searchMessages("walrus", { in: CHAT.graceAlice })).length, 1);
    await assert.rejects(grace.search.suggestPeople("al"), InvalidArgumentError);
  });
});
