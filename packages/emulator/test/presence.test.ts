/** Unified presence against the emulator over loopback: sample replays, derivation, expiry, pubsub. */
import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  GETPRESENCE_MAX_BATCH,
  PINNED_NOTE_MARKER,
  PRESENCE_PATHS,
  parsePresencePush,
  type WirePresenceItem,
} from "@teams-api/protocol";
import { type Emulator, startEmulator } from "../src/emulator.js";
import { ENDPOINT_TTL_MS } from "../src/state/presence.js";
import { sample, shapeOf, signIn } from "./identity-helpers.js";

interface Exchange {
  name: string;
  request: { method: string; url: string; body?: unknown };
  response: { status: number; body?: unknown };
}
const READ = sample<{
  request: { url: string; body: unknown };
  response: { status: number; body: WirePresenceItem[] };
  push_via_trouter: { url_suffix: string; body_json_string_decoded: { presence: WirePresenceItem[] } };
}>("presence-getpresence.json");
const WRITES = sample<{ exchanges: Exchange[] }>("presence-writes.json").exchanges;
const ERRORS = sample<{ examples: Array<{ service: string; status: number; body: Record<string, unknown> }> }>(
  "errors.json",
).examples;

const PRESENCE_SCOPE = "https://presence.teams.microsoft.com/.default openid profile offline_access";
const ALICE = "8:orgid:2b7e4f10-6c1d-4e8a-a3f5-9d0c1b2e3f41";
const BOB = "8:orgid:9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
const EPID = "1f4d2c3b-7a6e-4d5c-9b8a-0e1f2d3c4b5a";

describe("presence", { timeout: 60_000 }, () => {
  let emu: Emulator;
  let clock = Date.UTC(2026, 10, 30, 9, 0, 0);
  const tokens: Record<string, string> = {};

  /** A request to the emulator's presence base (`regionGtms.unifiedPresence`). */
  const ups = async (method: string, path: string, token: string | undefined, body?: unknown) => {
    const base = emu.context.regionGtms("enterprise").unifiedPresence;
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };
  const read = async (mris: string[], as = tokens.bob) => {
    const res = await ups(
      "POST",
      PRESENCE_PATHS.getPresence.build({}),
      as,
      mris.map((mri) => ({ mri })),
    );
    assert.equal(res.status, 200);
    return res.body as WirePresenceItem[];
  };
  const availabilityOf = async (mri: string) => (await read([mri]))[0]?.presence?.availability;

  before(async () => {
    emu = await startEmulator({ port: 0, now: () => clock, lifetimes: { accessTokenSec: 86400 } });
    for (const who of ["alice", "bob"]) {
      tokens[who] = (await signIn(emu, `${who}@contoso.com`, { scope: PRESENCE_SCOPE })).access_token;
      tokens[`${who}Spaces`] = (await signIn(emu, `${who}@contoso.com`)).access_token;
    }
  });
  after(() => emu.close());

  it("replays the batch read sample: same people, same values, same shape", async () => {
    const url = new URL(READ.request.url);
    assert.equal(`/v1${PRESENCE_PATHS.getPresence.build({}).slice(3)}`, url.pathname);
    const got = await read(
      (READ.request.body as Array<{ mri: string }>).map((i) => i.mri),
      tokens.alice,
    );
    assert.equal(got.length, READ.response.body.length);
    for (const [i, want] of READ.response.body.entries()) {
      const item = got[i]!;
      assert.deepEqual(shapeOf(item), shapeOf(want), `shape of ${want.mri}`);
      assert.equal(item.mri, want.mri);
      assert.equal(item.status, 20000);
      assert.match(item.etag ?? "", /^A\d{10}$/);
      for (const k of ["sourceNetwork", "availability", "activity", "deviceType"] as const) {
        assert.equal(item.presence?.[k], want.presence?.[k], `${want.mri} ${k}`);
      }
      assert.equal(item.presence?.note?.message, want.presence?.note?.message);
      assert.equal(
        item.presence?.calendarData?.outOfOfficeNote?.message,
        want.presence?.calendarData?.outOfOfficeNote?.message,
      );
    }
  });

  it("answers an unchanged user with etagMatch and no presence; a changed one in full", async () => {
    const [first] = await read([BOB]);
    const res = await ups("POST", PRESENCE_PATHS.getPresence.build({}), tokens.alice, [
      { mri: BOB, etag: first!.etag },
      { mri: ALICE, etag: "A0000000000" },
      { mri: "8:orgid:00000000-0000-4000-8000-000000000000" },
    ]);
    const [bob, alice, nobody] = res.body as WirePresenceItem[];
    assert.deepEqual(bob, { mri: BOB, etag: first!.etag, etagMatch: true, status: 20000, source: "ups" });
    assert.equal(alice?.etagMatch, false);
    assert.equal(alice?.presence?.sourceNetwork, "Self");
    assert.equal(nobody?.status, 40400);
    assert.equal(nobody?.presence, undefined);
  });

  it(`refuses more than ${GETPRESENCE_MAX_BATCH} users in one call, and bodies that are not item arrays`, async () => {
    const many = Array.from({ length: GETPRESENCE_MAX_BATCH + 1 }, () => ({ mri: BOB }));
    assert.equal((await ups("POST", PRESENCE_PATHS.getPresence.build({}), tokens.bob, many)).status, 400);
    const exact = await ups("POST", PRESENCE_PATHS.getPresence.build({}), tokens.bob, many.slice(1));
    assert.equal(exact.status, 200);
    assert.equal((await ups("POST", PRESENCE_PATHS.getPresence.build({}), tokens.bob, { mri: BOB })).status, 400);
    assert.equal((await ups("POST", PRESENCE_PATHS.getPresence.build({}), tokens.bob, [{ id: BOB }])).status, 400);
  });

  it("replays every write of the sample with the presence audience", async () => {
    for (const ex of WRITES) {
      const path = new URL(ex.request.url).pathname;
      const res = await ups(ex.request.method, path, tokens.alice, ex.request.body);
      assert.equal(res.status, ex.response.status, ex.name);
    }
    // The sample's endpoint is now Alice's: delete it as the web client does on sign-out.
    assert.equal((await ups("DELETE", PRESENCE_PATHS.endpoint.build({ epid: EPID }), tokens.alice)).status, 200);
    assert.equal(await availabilityOf(ALICE), "Offline");
  });

  it("answers a write with another audience's token 401 with sub-status 40102, in the errors sample's shape", async () => {
    const want = ERRORS.find((e) => e.service === "presence")!;
    const res = await ups("PUT", PRESENCE_PATHS.forceAvailability.build({}), tokens.aliceSpaces, {
      availability: "Busy",
    });
    assert.equal(res.status, want.status);
    assert.deepEqual(shapeOf(res.body), shapeOf(want.body));
    assert.equal((res.body as { errorSubCode: number }).errorSubCode, 40102);
    // No token at all is a plain 401; a read with the spaces token is fine (TL).
    const none = await ups("PUT", PRESENCE_PATHS.forceAvailability.build({}), undefined, {});
    assert.equal(none.status, 401);
    assert.equal((none.body as { errorSubCode?: number }).errorSubCode, undefined);
    assert.ok(await read([ALICE], tokens.aliceSpaces));
  });

  it("derives availability from endpoints, forced status and activity, on the emulator's clock", async () => {
    const put = (path: string, body: unknown) => ups("PUT", path, tokens.alice, body);
    const endpoint = { id: "ep-a", availability: "Available", activity: "Available", activityReporting: "Transport" };
    assert.equal(await availabilityOf(ALICE), "Offline", "no endpoint: Offline");
    assert.equal((await put(PRESENCE_PATHS.endpoints.build({}), endpoint)).status, 201);
    assert.equal((await put(PRESENCE_PATHS.endpoints.build({}), endpoint)).status, 200, "a renewal is not a create");
    assert.equal(await availabilityOf(ALICE), "Available");
    const busy = await put(PRESENCE_PATHS.forceAvailability.build({}), {
      availability: "DoNotDisturb",
      activity: "DoNotDisturb",
      desiredExpirationTime: new Date(clock + 2 * 60_000).toISOString(),
    });
    assert.equal(busy.status, 200);
    const [dnd] = await read([ALICE]);
    assert.equal(dnd?.presence?.availability, "DoNotDisturb");
    assert.equal(dnd?.presence?.forcedAvailability?.availability, "DoNotDisturb");
    clock += 2 * 60_000 - 1000;
    assert.equal(
      (await ups("POST", PRESENCE_PATHS.reportActivity.build({}), tokens.alice, { endpointId: "ep-a", isActive: true }))
        .status,
      200,
    );
    clock += 1000;
    assert.equal(await availabilityOf(ALICE), "Available", "the forced status expired");
    await ups("POST", PRESENCE_PATHS.reportActivity.build({}), tokens.alice, { endpointId: "ep-a", isActive: false });
    assert.equal(await availabilityOf(ALICE), "Away", "every endpoint inactive");
    await put(PRESENCE_PATHS.forceAvailability.build({}), { availability: "Offline" });
    const [off] = await read([ALICE]);
    assert.deepEqual([off?.presence?.availability, off?.presence?.activity], ["Offline", "OffWork"]);
    await put(PRESENCE_PATHS.forceAvailability.build({}), {});
    clock += ENDPOINT_TTL_MS - 1;
    assert.equal(await availabilityOf(ALICE), "Away", "not expired yet");
    clock += 1;
    assert.equal(await availabilityOf(ALICE), "Offline", "an endpoint not renewed for 3 minutes expires");
    const stale = await ups("POST", PRESENCE_PATHS.reportActivity.build({}), tokens.alice, {
      endpointId: "ep-a",
      isActive: true,
    });
    assert.equal(stale.status, 404);
    assert.equal((await put(PRESENCE_PATHS.endpoints.build({}), { ...endpoint, availability: "Busy" })).status, 400);
    assert.equal((await put(PRESENCE_PATHS.forceAvailability.build({}), { availability: "Lunch" })).status, 400);
  });

  it("publishes a note with its expiry and pinned marker", async () => {
    const message = `Out today${PINNED_NOTE_MARKER}`;
    const expiry = new Date(clock + 10 * 60_000).toISOString();
    assert.equal(
      (await ups("PUT", PRESENCE_PATHS.publishNote.build({}), tokens.alice, { message, expiry })).status,
      200,
    );
    assert.equal((await read([ALICE]))[0]?.presence?.note?.message, message);
    clock += 10 * 60_000;
    assert.equal((await read([ALICE]))[0]?.presence?.note, undefined, "the note expired");
  });

  it("raises one store event per change and pushes it to pubsub subscribers as they see it", async () => {
    const seen: string[] = [];
    const pushes: Array<{ trouterUri: string; body: string; headers: Readonly<Record<string, string>> }> = [];
    const off = [
      emu.context.events.on("presence", (e) => seen.push(e.mri)),
      emu.context.events.on("presencePush", (e) => pushes.push(e)),
    ];
    try {
      const sub = WRITES.find((e) => e.name === "subscribe")!;
      const trouterUri = (sub.request.body as { trouterUri: string }).trouterUri;
      const res = await ups("POST", PRESENCE_PATHS.subscriptions.build({ epid: "bob-ep" }), tokens.bob, {
        ...(sub.request.body as object),
        subscriptionsToAdd: [{ mri: ALICE, source: "ups" }],
      });
      assert.equal(res.status, 200);
      await ups("PUT", PRESENCE_PATHS.endpoints.build({}), tokens.alice, { id: "ep-b", availability: "Available" });
      await ups("PUT", PRESENCE_PATHS.endpoints.build({}), tokens.alice, { id: "ep-b", availability: "Available" });
      assert.deepEqual(seen, [ALICE], "a renewal that changes nothing raises nothing");
      assert.equal(pushes.length, 1);
      assert.equal(pushes[0]!.trouterUri, trouterUri);
      assert.ok(trouterUri.endsWith(READ.push_via_trouter.url_suffix));
      assert.equal(pushes[0]!.headers["x-ms-client-user-agent"], "Microsoft.Skype.Presence.App/1.0");
      const items = parsePresencePush(pushes[0]!.body);
      assert.equal(items?.[0]?.presence?.availability, "Available");
      assert.equal(items?.[0]?.presence?.sourceNetwork, "SameEnterprise", "as the subscriber sees it");
      // Expiry on the clock is found by the sweep and pushed as well.
      clock += ENDPOINT_TTL_MS;
      emu.context.presence.sweep();
      assert.equal(parsePresencePush(pushes[1]?.body)?.[0]?.presence?.availability, "Offline");
      // Unsubscribed: no more pushes.
      await ups("POST", PRESENCE_PATHS.subscriptions.build({ epid: "bob-ep" }), tokens.bob, {
        trouterUri,
        shouldPurgePreviousSubscriptions: true,
        subscriptionsToAdd: [],
        subscriptionsToRemove: [],
      });
      await ups("PUT", PRESENCE_PATHS.endpoints.build({}), tokens.alice, { id: "ep-c", availability: "Available" });
      assert.equal(pushes.length, 2);
      assert.equal(seen.length, 3);
    } finally {
      for (const f of off) f();
    }
  });
});
