/** The middle tier's people endpoints: federated and consumer profiles, search, buddy list, pictures. */
import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { MT_PATHS, MT_QUERIES } from "@teams-api/protocol";
import { type Emulator, startEmulator } from "../src/emulator.js";
import { CONSUMER_SCOPE, CONSUMER_WEB, sample, shapeOf, signIn } from "./identity-helpers.js";

const ALICE = "8:orgid:2b7e4f10-6c1d-4e8a-a3f5-9d0c1b2e3f41";
const FRANK = "8:orgid:f6c3a7d4-9e5b-4a2b-8d8c-4b3f2e1a0d9c";
const GRACE = "8:live:.cid.1a2b3c4d5e6f7081";
const SHORT = sample<{ exchanges: Array<{ name: string; response: { body: { value: unknown[] } } }> }>(
  "mt-profiles.json",
).exchanges.find((e) => e.name === "fetchShortProfile")!;

describe("middle tier people", { timeout: 30_000 }, () => {
  let emu: Emulator;
  let alice: string;
  let grace: string;
  const ent = (path: string) => `${emu.origin}/api/mt/part/emea-02${path}`;
  const con = (path: string) => `${emu.origin}/api/mt${path}`;
  const call = async (url: string, token: string, init: RequestInit = {}) => {
    const res = await fetch(url, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
    return { status: res.status, type: res.headers.get("content-type"), bytes: Buffer.from(await res.arrayBuffer()) };
  };
  const json = (r: { bytes: Buffer }) =>
    JSON.parse(r.bytes.toString("utf8")) as { value: Array<Record<string, unknown>> };
  const post = (url: string, token: string, body: unknown) =>
    call(url, token, { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } });

  before(async () => {
    emu = await startEmulator({ port: 0 });
    alice = (await signIn(emu, "alice@contoso.com")).access_token;
    grace = (
      await signIn(emu, "grace@outlook.com", { clientId: CONSUMER_WEB, scope: CONSUMER_SCOPE, tenant: "consumers" })
    ).access_token;
  });
  after(() => emu.close());

  it("the consumer middle tier names the enterprise people a consumer talks to, and only them", async () => {
    const res = await post(con(MT_PATHS.fetchFederated.build({})), grace, [ALICE, FRANK]);
    assert.equal(res.status, 200);
    const { value } = json(res);
    assert.deepEqual(
      value.map((p) => [p.mri, p.displayName, p.type]),
      [[ALICE, "Alice Example", "Federated"]],
    );
    const { type: _t, ...shape } = shapeOf(value[0]) as Record<string, unknown>;
    const { type: _u, ...want } = shapeOf(SHORT.response.body.value[0]) as Record<string, unknown>;
    assert.deepEqual(
      Object.keys(shape).filter((k) => !(k in want)),
      [],
      "no fields beyond the sample's",
    );
  });

  it("the enterprise middle tier names consumers (fetchTflConsumers); a consumer may not call it", async () => {
    const res = await post(ent(MT_PATHS.fetchTflConsumers.build({})), alice, [GRACE]);
    assert.deepEqual(
      json(res).value.map((p) => [p.displayName, p.type]),
      [["Grace Lin", "TFLUser"]],
    );
    assert.equal((await post(con(MT_PATHS.fetchTflConsumers.build({})), grace, [GRACE])).status, 403);
    assert.equal((await post(ent(MT_PATHS.fetchFederated.build({})), alice, "x")).status, 400);
  });

  it("searchV2 matches name and address prefixes in the caller's directory", async () => {
    const q = new URLSearchParams(MT_QUERIES.searchV2).toString();
    const res = await call(`${ent(MT_PATHS.searchV2.build({}))}?${q}`, alice, { method: "POST", body: "fra" });
    assert.deepEqual(
      json(res).value.map((p) => p.displayName),
      ["Frank Moreau"],
    );
    const empty = await call(ent(MT_PATHS.searchV2.build({})), alice, { method: "POST", body: " " });
    assert.equal(empty.status, 400);
  });

  it("the buddy list comes in groups of profiles", async () => {
    const res = await call(ent(MT_PATHS.buddyList.build({})), alice);
    const groups = JSON.parse(res.bytes.toString("utf8")) as {
      value: Array<{ id: string; displayName: string; buddies: Array<{ mri: string; displayName: string }> }>;
    };
    assert.deepEqual(
      groups.value.map((g) => [g.displayName, g.buddies.length]),
      [
        ["Favorites", 2],
        ["Other contacts", 2],
      ],
    );
  });

  it("serves profile pictures as PNG, with Bearer or the authtoken cookie", async () => {
    const url = `${ent(MT_PATHS.profilePicture.build({ mri: ALICE }))}?displayname=Alice&size=HR64x64`;
    const res = await call(url, alice);
    assert.equal(res.status, 200);
    assert.equal(res.type, "image/png");
    assert.deepEqual([...res.bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    const cookie = `authtoken=${encodeURIComponent(`Bearer=${alice}&Origin=https://teams.microsoft.com`)}`;
    const viaCookie = await fetch(url, { headers: { cookie } });
    assert.equal(viaCookie.status, 200);
    await viaCookie.arrayBuffer();
    const none = await fetch(url);
    assert.equal(none.status, 401);
    await none.arrayBuffer();
  });
});
