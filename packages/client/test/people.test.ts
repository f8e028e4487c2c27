/** Profiles, people search, names across clouds and over time, and contacts — two demo users through the library. */
import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Emulator } from "@teams-api/emulator";
import { InvalidArgumentError, type TeamsClient } from "../src/index.js";

import { emulator } from "./auth-helpers.js";
import { CHAT, MRI, recordingFetch, signedIn } from "./chat-fixtures.js";

/** Width and height from a PNG's IHDR. */
const pngSize = (b: Uint8Array): [number, number] => {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return [v.getUint32(16), v.getUint32(20)];
};

describe("people and contacts", { timeout: 60_000 }, () => {
  let emu: Emulator;
  let alice: TeamsClient;
  let grace: TeamsClient;
  const rec = recordingFetch();

  before(async () => {
    emu = await emulator();
    alice = await signedIn(emu, "alice");
    grace = await signedIn(emu, "grace", { fetch: rec.fetch });
  });
  after(() => emu.close());

  it("looks a person up by MRI or address, and the user's own full profile", async () => {
    const byMri = await alice.middleTier.getUser(MRI.bob);
    const byMail = await alice.middleTier.getUser("bob@contoso.com");
    assert.equal(byMri?.displayName, "Bob Example");
    assert.equal(byMail?.mri, MRI.bob);
    assert.equal(await alice.middleTier.getUser("nobody@contoso.com"), undefined);
    const me = await alice.middleTier.getUserProfile();
    assert.equal(me.mri, MRI.alice);
    assert.equal(me.jobTitle, "Product Manager");
    assert.equal((me.raw as { isShortProfile?: boolean }).isShortProfile, false, "the full profile");
  });

  it("searches people of the user's directory by name or address", async () => {
    const found = await alice.middleTier.searchPeople("da");
    assert.deepEqual(
      found.map((p) => p.displayName),
      ["Dana Whitfield"],
    );
    assert.deepEqual(
      (await alice.middleTier.searchPeople("example")).map((p) => p.mri).sort(),
      [MRI.alice, MRI.bob].sort(),
    );
    assert.deepEqual(await alice.middleTier.searchPeople("zzz"), []);
    assert.ok(
      !(await grace.middleTier.searchPeople("bob")).length,
      "a consumer does not search an enterprise directory",
    );
    await assert.rejects(alice.middleTier.searchPeople("  "), InvalidArgumentError);
  });

  it("names an enterprise person in a consumer's chat (fetchFederated), and a consumer for enterprise (fetchTflConsumers)", async () => {
    rec.sent.length = 0;
    const chats = await grace.getConversations();
    const withAlice = chats.find((c) => c.id === CHAT.graceAlice);
    assert.equal(withAlice?.title, "Alice Example", "not Unknown user");
    assert.ok(rec.matching("POST", /\/beta\/users\/fetchFederated$/).length > 0);
    assert.equal(await grace.names.displayName(MRI.alice), "Alice Example");
    assert.equal(
      await grace.names.displayName(MRI.frank),
      "Unknown user",
      "someone Grace never talked to stays unknown",
    );
    assert.equal(await alice.names.displayName(MRI.grace), "Grace Lin");
  });

  it("keeps a former member's name: a removal reads who was removed", async () => {
    const created = await alice.chat.createChat([MRI.grace, MRI.bob], { topic: "Picnic" });
    await alice.chat.removeMember(created.id, MRI.bob);
    const fresh = await signedIn(emu, "grace");
    const messages = await fresh.getMessages(created.id);
    const removal = messages.find((m) => /removed/.test(m.text));
    assert.equal(removal?.text, "Alice Example removed Bob Example");
  });

  it("lists the buddy list, conversation contacts, and both merged by MRI with presence", async () => {
    const buddies = await alice.contacts.fetchContacts();
    assert.deepEqual(
      buddies.map((c) => [c.displayName, c.group]),
      [
        ["Bob Example", "Favorites"],
        ["Dana Whitfield", "Favorites"],
        ["Carol Guest", "Other contacts"],
        ["Grace Lin", "Other contacts"],
      ],
    );
    const fromChats = await alice.contacts.getContactsFromConversations();
    assert.ok(fromChats.some((c) => c.mri === MRI.evan && c.displayName === "Evan Okafor"));
    assert.ok(!fromChats.some((c) => c.mri === MRI.alice), "not the user herself");
    const all = await alice.contacts.getAllContacts({ withPresence: true });
    const keys = all.map((c) => c.mri.toLowerCase());
    assert.equal(new Set(keys).size, keys.length, "no duplicates");
    const bob = all.find((c) => c.mri === MRI.bob);
    assert.deepEqual(bob?.sources, ["buddylist", "conversation"]);
    assert.equal(bob?.presence?.availability, "Busy");
    assert.ok(
      all.every((c) => c.displayName && !c.displayName.startsWith("8:")),
      "names, never raw ids",
    );
    const graceContacts = await grace.contacts.getAllContacts();
    assert.ok(graceContacts.some((c) => c.mri === MRI.alice && c.displayName === "Alice Example"));
  });

  it("downloads profile pictures (profilepicturev2), of the size asked, for enterprise and consumer users", async () => {
    const bob = await alice.middleTier.getProfilePicture(MRI.bob);
    assert.equal(bob?.contentType, "image/png");
    assert.deepEqual([...bob!.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.deepEqual(pngSize(bob!.bytes), [64, 64], "HR64x64 by default");
    const big = await alice.middleTier.getProfilePicture(MRI.bob, { size: "HR96x96", displayName: "Bob Example" });
    assert.deepEqual(pngSize(big!.bytes), [96, 96]);
    const own = await alice.middleTier.getProfilePicture(MRI.alice);
    assert.notDeepEqual(Buffer.from(own!.bytes), Buffer.from(bob!.bytes), "each person their own picture");
    assert.equal(await alice.middleTier.getProfilePicture("8:orgid:00000000-0000-4000-8000-000000000000"), undefined);
    await assert.rejects(alice.middleTier.getProfilePicture("bob@contoso.com"), InvalidArgumentError);
    await assert.rejects(alice.middleTier.getProfilePicture(MRI.bob, { size: "../x" }), InvalidArgumentError);
    rec.sent.length = 0;
    const fromGrace = await grace.middleTier.getProfilePicture(MRI.alice);
    assert.equal(fromGrace?.contentType, "image/png", "a consumer sees the enterprise person she talks to");
    const sent = rec.matching("GET", /\/beta\/users\/[^/]+\/profilepicturev2/);
    assert.equal(sent.length, 1, "Grace's one picture request");
    assert.equal(sent[0]!.search.get("size"), "HR64x64");
    assert.equal(sent[0]!.authScheme, "Bearer");
  });
});
