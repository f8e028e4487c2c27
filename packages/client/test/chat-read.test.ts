/**
 * Reading: conversations, messages and details against the emulator's demo world, over
 * real loopback HTTP.
 */
import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Emulator } from "@teams-api/emulator";
import { InvalidArgumentError, NotFoundError, PermissionDeniedError, type TeamsClient } from "../src/index.js";
import { emulator } from "./auth-helpers.js";
import { CHAT, MRI, recordingFetch, signedIn } from "./chat-fixtures.js";

describe("chat: reading the demo world", () => {
  let emu: Emulator;
  let alice: TeamsClient;
  const rec = recordingFetch();

  before(async () => {
    emu = await emulator();
    alice = await signedIn(emu, "alice", { fetch: rec.fetch });
  });
  after(async () => {
    await emu.close();
  });

  it("lists Alice's conversations with titles from topics, the other person, members or the feed", async () => {
    const list = await alice.getConversations();
    const titles = Object.fromEntries(list.map((c) => [c.id, c.title]));
    assert.deepEqual(titles, {
      [CHAT.aliceBob]: "Bob Example",
      [CHAT.projectFalcon]: "Project Falcon",
      [CHAT.falconGeneral]: "Falcon Team / General",
      [CHAT.untitledGroup]: "Dana, Evan and Frank",
      [CHAT.aliceDana]: "Dana Whitfield",
      [CHAT.aliceEvan]: "Evan Okafor",
      [CHAT.graceAlice]: "Grace Lin",
      [CHAT.notes]: "Notes",
    });
    const byId = new Map(list.map((c) => [c.id, c]));
    assert.equal(byId.get(CHAT.aliceBob)?.kind, "oneOnOne");
    assert.equal(byId.get(CHAT.graceAlice)?.kind, "oneOnOne", "a consumer 1:1 is a 1:1 whatever its id");
    assert.equal(byId.get(CHAT.falconGeneral)?.kind, "channel");
    assert.equal(byId.get(CHAT.untitledGroup)?.kind, "group");
    assert.equal(byId.get(CHAT.notes)?.kind, "virtual");
    assert.equal(byId.get(CHAT.untitledGroup)?.memberCount, 4);
    assert.equal(byId.get(CHAT.aliceBob)?.isUnread, true, "Bob wrote after Alice's horizon");
    assert.equal(byId.get(CHAT.aliceDana)?.isUnread, false, "read to the end");
    assert.equal(byId.get(CHAT.aliceBob)?.lastMessage?.text, "@Alice please check the doc");
    for (const c of list) {
      assert.ok(!/\d:|19:|@thread|orgid/.test(c.title), `title "${c.title}" shows no raw id`);
    }
    const times = list.map((c) => c.lastActivityAt?.getTime() ?? 0);
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
      "newest activity first",
    );
    assert.ok(
      rec.matching("GET", /\/v1\/users\/ME\/conversations$/).every((s) => s.search.get("view") === "msnp24Equivalent"),
    );
  });

  it("follows conversation pages until count, and stops at count", async () => {
    rec.sent.length = 0;
    const all = await alice.chat.getConversations({ pageSize: 3, count: 100, resolveTitles: false });
    assert.equal(all.length, 8);
    assert.equal(new Set(all.map((c) => c.id)).size, 8, "no duplicates across pages");
    assert.equal(rec.matching("GET", /\/v1\/users\/ME\/conversations$/).length, 3, "3 + 3 + 2");
    rec.sent.length = 0;
    const two = await alice.chat.getConversations({ pageSize: 3, count: 2, resolveTitles: false });
    assert.deepEqual(
      two.map((c) => c.id),
      all.slice(0, 2).map((c) => c.id),
    );
    assert.equal(rec.matching("GET", /\/v1\/users\/ME\/conversations$/).length, 1);
  });

  it("reads the newest messages of the busiest chat as the seed left them", async () => {
    const [doc, gone, yes, hi] = await alice.getMessages(CHAT.aliceBob, { count: 4 });
    assert.equal(doc?.text, "@Alice please check the doc");
    assert.deepEqual(doc?.mentions, [{ mri: MRI.alice, displayName: "Alice" }]);
    assert.ok(doc?.editedAt instanceof Date);
    assert.equal(gone?.isDeleted, true);
    assert.equal(gone?.content, "");
    assert.deepEqual(yes?.reactions, [
      { key: "like", count: 1, users: [{ mri: MRI.bob, displayName: "Bob Example" }] },
    ]);
    assert.equal(yes?.text, "Yes! See you then 🙂");
    assert.deepEqual(yes?.from, { mri: MRI.alice, displayName: "Alice Example" });
    assert.equal(hi?.text, "Hi Alice, are we still on for 3pm?");
  });

  it("follows backwardLink over many pages to the start of history", async () => {
    rec.sent.length = 0;
    const all = await alice.getMessages(CHAT.aliceBob, { count: Number.POSITIVE_INFINITY, pageSize: 100 });
    const pages = rec.matching("GET", /\/messages$/).length;
    assert.ok(all.length >= 340, `the seed has at least 340 messages (got ${all.length})`);
    assert.equal(pages, Math.ceil(all.length / 100), "one request per page, none after the last");
    const ids = all.map((m) => Number(m.id));
    for (let i = 1; i < ids.length; i++) assert.ok(ids[i - 1]! > ids[i]!, "newest first, no duplicates");
    assert.ok(
      all.every((m) => m.from.displayName !== ""),
      "every sender named",
    );
    assert.ok(all.every((m) => m.conversationId === CHAT.aliceBob));

    rec.sent.length = 0;
    const some = await alice.getMessages(CHAT.aliceBob, { count: 150, pageSize: 60 });
    assert.equal(some.length, 150);
    assert.deepEqual(
      some.map((m) => m.id),
      all.slice(0, 150).map((m) => m.id),
    );
    assert.equal(rec.matching("GET", /\/messages$/).length, 3);
  });

  it("renders system messages with names, never MRIs", async () => {
    const all = await alice.getMessages(CHAT.untitledGroup, { count: 500 });
    const lines = all.filter((m) => m.isSystem).map((m) => m.text);
    assert.deepEqual(lines, [
      "Dana Whitfield added Alice Example",
      "Dana Whitfield added Evan Okafor and Frank Moreau",
    ]);
    const added = all.find((m) => m.messageType === "ThreadActivity/AddMember");
    assert.equal(added?.activity?.kind, "addMember");
  });

  it("gives details of a group chat: members, roles, creator", async () => {
    const d = await alice.chat.getConversationDetails(CHAT.projectFalcon);
    assert.equal(d.title, "Project Falcon");
    assert.deepEqual(
      d.members.map((m) => [m.mri, m.role, m.displayName]),
      [
        [MRI.alice, "Admin", "Alice Example"],
        [MRI.bob, "User", "Bob Example"],
        [MRI.carol, "User", "Carol Guest"],
      ],
    );
    assert.equal(d.creator, MRI.alice);
    assert.ok(d.createdAt instanceof Date);
    assert.ok(d.rawThread);
  });

  it("gives details of a 1:1 chat and of the notes feed", async () => {
    const one = await alice.chat.getConversationDetails(CHAT.aliceBob);
    assert.equal(one.title, "Bob Example");
    assert.deepEqual(one.members.map((m) => m.mri).sort(), [MRI.alice, MRI.bob].sort());
    const notes = await alice.chat.getConversationDetails(CHAT.notes);
    assert.equal(notes.title, "Notes");
    assert.deepEqual(notes.members, []);
  });

  it("reports unknown and forbidden conversations with typed errors", async () => {
    await assert.rejects(alice.getMessages("19:0123456789abcdef0123456789abcdef@thread.v2"), NotFoundError);
    await assert.rejects(
      alice.chat.getConversationDetails("19:0123456789abcdef0123456789abcdef@thread.v2"),
      NotFoundError,
    );
    const bob = await signedIn(emu, "bob");
    await assert.rejects(bob.getMessages(CHAT.untitledGroup), PermissionDeniedError, "Bob is not in that chat");
  });

  it("refuses malformed input before any request", async () => {
    rec.sent.length = 0;
    await assert.rejects(alice.getMessages("not a conversation"), InvalidArgumentError);
    await assert.rejects(alice.getMessages(""), InvalidArgumentError);
    await assert.rejects(alice.getMessages("19:x/../../etc"), InvalidArgumentError);
    await assert.rejects(alice.getMessages(CHAT.aliceBob, { count: 0 }), InvalidArgumentError);
    await assert.rejects(alice.getConversations({ count: -1 }), InvalidArgumentError);
    await assert.rejects(alice.chat.getMessage(CHAT.aliceBob, "12ab"), InvalidArgumentError);
    assert.equal(rec.sent.length, 0);
  });
});
