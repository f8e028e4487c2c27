/**
 * Display names and titles: batched, cached lookups; fallbacks to names seen in messages and to a
 * placeholder; never a raw MRI or thread id.
 */
import * as assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { Emulator } from "@teams-api/emulator";
import { NAME_RESOLVER_DEFAULTS } from "../src/index.js";
import { emulator } from "./auth-helpers.js";
import { addFault, CHAT, clearFaults, MRI, recordingFetch, signedIn } from "./chat-fixtures.js";

const NOBODY = "8:orgid:00000000-0000-4000-8000-000000000000";

describe("names", () => {
  let emu: Emulator;
  let clock = 0;
  const rec = recordingFetch();
  const profileCalls = () => rec.matching("POST", /fetchShortProfile$/);

  before(async () => {
    emu = await emulator();
  });
  beforeEach(async () => {
    await clearFaults(emu);
    rec.sent.length = 0;
  });
  after(async () => {
    await emu.close();
  });

  it("batches concurrent lookups into one fetchShortProfile and caches the answers", async () => {
    const bob = await signedIn(emu, "bob", { fetch: rec.fetch });
    rec.sent.length = 0;
    const [dana, evan, more] = await Promise.all([
      bob.names.displayName(MRI.dana),
      bob.names.displayName(MRI.evan),
      bob.names.displayNames([MRI.frank, MRI.carol, MRI.dana]),
    ]);
    assert.equal(dana, "Dana Whitfield");
    assert.equal(evan, "Evan Okafor");
    assert.deepEqual(
      [...more.entries()],
      [
        [MRI.frank, "Frank Moreau"],
        [MRI.carol, "Carol Guest"],
        [MRI.dana, "Dana Whitfield"],
      ],
    );
    const calls = profileCalls();
    assert.equal(calls.length, 1, "one call for all of them");
    assert.deepEqual(
      (JSON.parse(calls[0]!.body) as string[]).slice(1).sort(),
      [MRI.carol, MRI.dana, MRI.evan, MRI.frank].sort(),
    );
    assert.equal(await bob.names.displayName(MRI.frank), "Frank Moreau");
    assert.equal(bob.names.peek(MRI.evan), "Evan Okafor");
    assert.equal(profileCalls().length, 1, "cached");
    assert.equal(await bob.names.shortName(MRI.dana), "Dana");
  });

  it("names the unknown with a placeholder, never the MRI, and does not ask again at once", async () => {
    const bob = await signedIn(emu, "bob", { fetch: rec.fetch, now: () => Date.now() + clock });
    rec.sent.length = 0;
    assert.equal(await bob.names.displayName(NOBODY), "Unknown user");
    assert.equal(await bob.names.displayName(NOBODY), "Unknown user");
    assert.equal(profileCalls().length, 1);
    clock += NAME_RESOLVER_DEFAULTS.negativeTtlMs + 1;
    await bob.names.displayName(NOBODY);
    assert.equal(profileCalls().length, 2, "asked again once the negative answer is stale");
    clock = 0;
    assert.equal(await bob.names.displayName("48:notes"), "Notes");
    assert.equal(await bob.names.displayName("4:+15551234567"), "+15551234567");
    assert.equal(bob.names.peek("19:abc@thread.v2"), "Unknown user");
    assert.equal(profileCalls().length, 2, "no profile lookups for feeds, numbers or threads");
  });

  it("falls back to names seen in messages when the middle tier fails", async () => {
    const alice = await signedIn(emu, "alice", { fetch: rec.fetch, maxRetries: 0 });
    await addFault(emu, { status: 500, ratio: 1, path: "fetchShortProfile" });
    // Titles and sender names still come out, from imdisplayname hints.
    const messages = await alice.getMessages(CHAT.aliceBob, { count: 5 });
    assert.ok(messages.every((m) => m.from.displayName !== ""));
    assert.equal(await alice.names.displayName(MRI.bob), "Bob Example", "the imdisplayname hint");
    assert.equal(await alice.names.displayName(MRI.frank), "Unknown user", "no hint, no profile");
    const convs = await alice.getConversations();
    const title = convs.find((c) => c.id === CHAT.aliceBob)?.title;
    assert.equal(title, "Bob Example");
    for (const c of convs) assert.ok(!/\d:|19:|orgid|@thread/.test(c.title), `"${c.title}" has no raw id`);
    assert.ok(profileCalls().length >= 1, "it did try the middle tier");
    await clearFaults(emu);
    assert.equal(await alice.names.displayName(MRI.frank), "Frank Moreau", "a failure is not cached");
  });

  it("titles conversations: topic, the other person from a 1:1 id, members, feeds", async () => {
    const alice = await signedIn(emu, "alice", { fetch: rec.fetch });
    rec.sent.length = 0;
    assert.equal(
      await alice.names.conversationTitle({ id: CHAT.aliceDana, kind: "oneOnOne", topic: "" }),
      "Dana Whitfield",
    );
    assert.equal(rec.matching("GET", /\/threads\//).length, 0, "a 1:1 title needs no roster");
    assert.equal(await alice.names.conversationTitle({ id: "48:notes", kind: "virtual", topic: "" }), "Notes");
    assert.equal(
      await alice.names.conversationTitle({ id: CHAT.projectFalcon, kind: "group", topic: " " }),
      "Bob and Carol",
    );

    const big = await alice.chat.createChat([MRI.bob, MRI.carol, MRI.dana, MRI.evan, MRI.frank]);
    const listed = (await alice.getConversations()).find((c) => c.id === big.id);
    assert.equal(listed?.title, "Bob, Carol and 3 others");
    const bob = await signedIn(emu, "bob");
    assert.equal((await bob.chat.getConversationDetails(big.id)).title, "Alice, Carol and 3 others");
    const dana = await signedIn(emu, "dana");
    assert.equal(
      (await dana.getConversations()).find((c) => c.id === CHAT.untitledGroup)?.title,
      "Evan, Frank and Alice",
    );
  });
});
