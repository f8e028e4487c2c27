/** Presence between two demo users through the library, against the emulator over loopback. */
import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Emulator } from "@teams-api/emulator";
import { AUDIENCES, GETPRESENCE_MAX_BATCH } from "@teams-api/protocol";
import { AuthenticationError, InvalidArgumentError, type Presence, type TeamsClient } from "../src/index.js";
import { control, emulator } from "./auth-helpers.js";
import { MRI, recordingFetch, signedIn } from "./chat-fixtures.js";

/** Resolves with the first presence the predicate accepts; rejects after `ms` (a deadline, not a sleep). */
function waitFor(
  subscribe: (listener: (p: Presence) => void) => void,
  accept: (p: Presence) => boolean,
  ms: number,
): Promise<Presence> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no matching presence change within ${ms} ms`)), ms);
    subscribe((p) => {
      if (!accept(p)) return;
      clearTimeout(timer);
      resolve(p);
    });
  });
}

describe("presence", { timeout: 60_000 }, () => {
  let emu: Emulator;
  let alice: TeamsClient;
  let bob: TeamsClient;
  const rec = recordingFetch();

  before(async () => {
    emu = await emulator();
    alice = await signedIn(emu, "alice");
    bob = await signedIn(emu, "bob", { fetch: rec.fetch });
  });
  after(async () => {
    await alice.presence.stop().catch(() => {});
    await emu.close();
  });

  const aliceAsBobSees = async (): Promise<Presence> => (await bob.presence.getPresence([MRI.alice]))[0]!;

  it("is Offline without a running client, Available while one runs, Offline once it stops", async () => {
    assert.equal((await aliceAsBobSees()).availability, "Offline");
    const epid = await alice.presence.start();
    assert.equal(await alice.presence.start(), epid, "start is idempotent");
    const seen = await aliceAsBobSees();
    assert.deepEqual([seen.availability, seen.activity, seen.deviceType], ["Available", "Available", "Desktop"]);
    assert.equal(seen.sourceNetwork, "SameEnterprise");
    await alice.presence.setActive(false);
    assert.equal((await aliceAsBobSees()).availability, "Away");
    await alice.presence.setActive(true);
    await alice.presence.stop();
    assert.equal((await aliceAsBobSees()).availability, "Offline");
  });

  it("sets a status with an expiry and resets it; sends the presence audience", async () => {
    await alice.presence.start();
    const t0 = Date.now();
    await alice.presence.setStatus("Busy", { expiresIn: 60 * 60_000 });
    const busy = await aliceAsBobSees();
    assert.equal(busy.availability, "Busy");
    assert.equal(busy.forced?.availability, "Busy");
    assert.ok(busy.forced?.expiresAt && Math.abs(busy.forced.expiresAt - (t0 + 3600_000)) < 60_000);
    await alice.presence.setStatus("Offline");
    assert.deepEqual(
      [(await aliceAsBobSees()).availability, (await aliceAsBobSees()).activity],
      ["Offline", "OffWork"],
    );
    await alice.presence.resetStatus();
    assert.equal((await aliceAsBobSees()).availability, "Available");
    await assert.rejects(alice.presence.setStatus("Lunch" as "Busy"), InvalidArgumentError);
    await assert.rejects(alice.presence.setStatus("Busy", { expiresIn: -1 }), InvalidArgumentError);
  });

  it("sets a pinned status message that expires, and clears it", async () => {
    await alice.presence.setStatusMessage("Out <today> & tomorrow", { expiresIn: 60 * 60_000, pinned: true });
    const note = (await aliceAsBobSees()).statusMessage;
    assert.equal(note?.text, "Out <today> & tomorrow");
    assert.equal(note?.pinned, true);
    assert.ok(note?.expiresAt && note.expiresAt > Date.now());
    await alice.presence.setStatusMessage("Forever");
    assert.deepEqual((await aliceAsBobSees()).statusMessage, { text: "Forever", pinned: false, expiresAt: undefined });
    await alice.presence.clearStatusMessage();
    assert.equal((await aliceAsBobSees()).statusMessage, undefined);
    await assert.rejects(alice.presence.setStatusMessage("  "), InvalidArgumentError);
  });

  it(`reads 2,000 users in batches of ${GETPRESENCE_MAX_BATCH}, in order, and sends etags back`, async () => {
    const many = Array.from(
      { length: 2000 },
      (_, i) => `8:orgid:00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    );
    many[1234] = MRI.bob;
    rec.sent.length = 0;
    const got = await bob.presence.getPresence([...many, MRI.bob.toUpperCase()]);
    assert.equal(got.length, 2000, "duplicates (any case) asked once");
    assert.deepEqual(
      got.map((p) => p.mri),
      many,
    );
    assert.equal(got[0]?.availability, "PresenceUnknown");
    assert.equal(got[1234]?.availability, "Busy");
    const calls = rec.matching("POST", /\/v1\/presence\/getpresence\/$/);
    assert.deepEqual(
      calls.map((c) => (JSON.parse(c.body) as unknown[]).length),
      [650, 650, 650, 50],
    );
    assert.ok(calls.every((c) => c.authScheme === "Bearer"));
    rec.sent.length = 0;
    const again = await bob.presence.getPresence([MRI.bob]);
    const [body] = rec.matching("POST", /getpresence/).map((c) => JSON.parse(c.body) as Array<{ etag?: string }>);
    assert.equal(body?.[0]?.etag, got[1234]?.etag, "the etag last seen goes back");
    assert.deepEqual(again[0], got[1234], "an etagMatch answer keeps the cached presence");
  });

  it("a write with another audience's token gets 401 sub-status 40102", async () => {
    const base = (await alice.context.endpoints()).unifiedPresence!;
    const err = await alice.context.transport
      .request({
        method: "PUT",
        url: `${base}/v1/me/forceavailability/`,
        body: { availability: "Busy" },
        auth: { kind: "bearer", audience: AUDIENCES.spaces },
        maxRetries: 0,
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(err instanceof AuthenticationError, String(err));
    assert.equal((err.body as { errorSubCode?: number }).errorSubCode, 40102);
  });

  it("an endpoint not renewed for 3 minutes expires (emulator clock)", async () => {
    await alice.presence.start();
    assert.equal((await aliceAsBobSees()).availability, "Available");
    const res = await control(emu, "/clock", { advanceMs: 3 * 60_000 });
    assert.equal(res.status, 200);
    assert.equal((await aliceAsBobSees()).availability, "Offline");
    await alice.presence.stop();
  });

  it("while realtime runs: online, subscriptions pushed over Trouter, a sign-out heard within 1 s; stopRealtime goes Offline", async () => {
    const carolClient = await signedIn(emu, "dana");
    const aliceLive = await signedIn(emu, "alice");
    const bobLive = await signedIn(emu, "bob");
    await aliceLive.startRealtime();
    await bobLive.startRealtime();
    try {
      let listener: (p: Presence) => void = () => {};
      const online = waitFor(
        (l) => (listener = l),
        (p) => p.availability === "Available",
        5000,
      );
      online.catch(() => {});
      const sub = await bobLive.presence.subscribe([MRI.alice], (p) => listener(p));
      assert.equal(sub.mode, "push");
      // Online once the listener is connected (it registers the presence endpoint).
      if ((await bobLive.presence.getPresence([MRI.alice]))[0]?.availability !== "Available") await online;
      const offline = waitFor(
        (l) => (listener = l),
        (p) => p.availability === "Offline",
        1000,
      );
      offline.catch(() => {});
      await aliceLive.logout();
      assert.equal((await carolClient.presence.getPresence([MRI.alice]))[0]?.availability, "Offline");
      assert.equal((await offline).mri, MRI.alice);
      await sub.close();
    } finally {
      await aliceLive.stopRealtime();
      await bobLive.stopRealtime();
    }
  });

  it("sign-out: Offline on the very next query, and a subscriber hears it within 1 s", async () => {
    const aliceAgain = await signedIn(emu, "alice");
    await aliceAgain.presence.start();
    let listener: (p: Presence) => void = () => {};
    const sub = await bob.presence.subscribe([MRI.alice], (p) => listener(p), { pollIntervalMs: 100 });
    try {
      assert.deepEqual(sub.mris, [MRI.alice]);
      const heard = waitFor(
        (l) => (listener = l),
        (p) => p.availability === "Offline",
        1000,
      );
      await aliceAgain.logout();
      assert.equal((await aliceAsBobSees()).availability, "Offline", "the very next query");
      assert.equal((await heard).mri, MRI.alice);
    } finally {
      await sub.close();
    }
  });
});
