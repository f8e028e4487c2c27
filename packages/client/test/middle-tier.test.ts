/** The middle tier against the emulator: short profiles, user lookup, tenants. */
import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Emulator } from "@teams-api/emulator";
import { InvalidArgumentError, type TeamsClient } from "../src/index.js";
import { SHORT_PROFILE_BATCH_SIZE } from "../src/services/middle-tier.js";
import { emulator } from "./auth-helpers.js";
import { MRI, recordingFetch, signedIn } from "./chat-fixtures.js";

describe("middle tier", () => {
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

  it("fetches short profiles in the order asked, with the leading empty element, once per MRI", async () => {
    rec.sent.length = 0;
    const unknown = "8:orgid:00000000-0000-4000-8000-000000000000";
    const profiles = await alice.middleTier.fetchShortProfiles([MRI.carol, unknown, MRI.bob, MRI.carol]);
    assert.deepEqual(
      profiles.map((p) => [p.mri, p.displayName]),
      [
        [MRI.carol, "Carol Guest"],
        [MRI.bob, "Bob Example"],
      ],
    );
    assert.equal(profiles[1]?.givenName, "Bob");
    assert.equal(profiles[1]?.email, "bob@contoso.com");
    assert.equal(profiles[0]?.userType, "Guest");
    const [req] = rec.matching("POST", /\/beta\/users\/fetchShortProfile$/);
    assert.ok(req);
    assert.deepEqual(JSON.parse(req.body), ["", MRI.carol, unknown, MRI.bob]);
    assert.equal(req.search.get("isMailAddress"), "false");
    assert.equal(req.authScheme, "Bearer");
    assert.ok(req.headerNames.includes("x-skypetoken"), "bearer plus skypetoken");
    assert.ok(req.path.startsWith("/api/mt/part/emea-02/beta/"), "the base is regionGtms.middleTier");
    assert.deepEqual(await alice.middleTier.fetchShortProfiles([]), []);
  });

  it("splits long lists into batches", async () => {
    rec.sent.length = 0;
    const many = Array.from(
      { length: SHORT_PROFILE_BATCH_SIZE + 20 },
      (_, i) => `8:orgid:00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    );
    const profiles = await alice.middleTier.fetchShortProfiles([...many, MRI.dana]);
    assert.deepEqual(
      profiles.map((p) => p.displayName),
      ["Dana Whitfield"],
    );
    const calls = rec.matching("POST", /fetchShortProfile$/);
    assert.equal(calls.length, 2);
    assert.equal((JSON.parse(calls[0]!.body) as string[]).length, SHORT_PROFILE_BATCH_SIZE + 1);
    assert.equal((JSON.parse(calls[1]!.body) as string[])[0], "");
  });

  it("looks users up by email, and says undefined for nobody", async () => {
    const bob = await alice.middleTier.getUserByEmail("Bob@Contoso.com");
    assert.equal(bob?.mri, MRI.bob);
    assert.equal(bob?.displayName, "Bob Example");
    assert.equal(bob?.jobTitle, "Engineer");
    assert.equal(await alice.middleTier.getUserByEmail("nobody@contoso.com"), undefined);
    const req = rec.matching("GET", /\/beta\/users\/nobody@contoso\.com\/$/).at(-1);
    assert.equal(req?.search.get("throwIfNotFound"), "false");
    assert.equal(req?.search.get("isMailAddress"), "true");
    rec.sent.length = 0;
    await assert.rejects(alice.middleTier.getUserByEmail("not an email"), InvalidArgumentError);
    await assert.rejects(alice.middleTier.getUserByEmail("a@b/../tenants"), InvalidArgumentError);
    assert.equal(rec.sent.length, 0);
  });

  it("lists tenants, for members, guests and consumer accounts", async () => {
    const mine = await alice.middleTier.getTenants();
    assert.ok(mine.some((t) => t.tenantName === "Contoso" && t.userType === "Member"));
    const carol = await signedIn(emu, "carol");
    const hers = await carol.middleTier.getTenants();
    assert.ok(hers.length >= 1);
    assert.ok(hers.every((t) => typeof t.tenantId === "string" && t.raw));

    rec.sent.length = 0;
    const grace = await signedIn(emu, "grace", { fetch: rec.fetch });
    assert.deepEqual(
      (await grace.middleTier.fetchShortProfiles([MRI.grace])).map((p) => p.displayName),
      ["Grace Lin"],
    );
    const req = rec.matching("POST", /fetchShortProfile$/)[0];
    assert.ok(req?.path.startsWith("/api/mt/beta/"), "the consumer middle tier from regionGtms");
  });
});
