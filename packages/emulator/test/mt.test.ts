import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Emulator, startEmulator } from "../src/emulator.js";
import { CONSUMER_SCOPE, CONSUMER_WEB, refresh, sample, shapeOf, signIn } from "./identity-helpers.js";

interface Exchange {
  name: string;
  request: { method: string; url: string; headers: Record<string, string>; body?: unknown };
  response: { status: number; body: unknown };
}
const MT = sample<{ exchanges: Exchange[] }>("mt-profiles.json");
const TENANTS = MT.exchanges.find((e) => e.name === "tenants")!;
const SHORT = MT.exchanges.find((e) => e.name === "fetchShortProfile")!;

/** The sample URL's path and query moved onto the emulator's origin. */
function onEmulator(emu: Emulator, url: string): string {
  const u = new URL(url);
  return `${emu.origin}${u.pathname}${u.search}`;
}

function call(
  emu: Emulator,
  method: string,
  url: string,
  bearer: string | undefined,
  body?: unknown,
  extra: Record<string, string> = {},
) {
  return fetch(url.startsWith("http") ? url : `${emu.origin}${url}`, {
    method,
    headers: {
      ...(bearer !== undefined ? { Authorization: `Bearer ${bearer}` } : {}),
      ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
      ...extra,
    },
    ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
  });
}

describe("middle tier", () => {
  let emu: Emulator;
  let alice: string;
  let aliceRefresh: string;
  let skypeToken: string;
  before(async () => {
    emu = await startEmulator({ port: 0 });
    const t = await signIn(emu, "alice@contoso.com");
    alice = t.access_token;
    aliceRefresh = t.refresh_token;
    skypeToken = emu.context.tokens.mintSkypeToken(emu.users.find((u) => u.login === "alice@contoso.com")!).token;
  });
  after(() => emu.close());

  it("lists the user's tenants, guest tenants included, in the sample's shape", async () => {
    for (const url of [onEmulator(emu, TENANTS.request.url), "/api/mt/part/emea-02/beta/users/tenants"]) {
      const res = await call(emu, "GET", url, alice);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "application/json; charset=utf-8");
      const got = (await res.json()) as Array<Record<string, unknown>>;
      const want = TENANTS.response.body as Array<Record<string, unknown>>;
      assert.equal(got.length, want.length);
      for (const [i, entry] of got.entries()) assert.deepEqual(shapeOf(entry), shapeOf(want[i]));
      assert.deepEqual(
        got.map((t) => [t.tenantName, t.userType, t.isInvitationRedeemed]),
        [
          ["Contoso", "Member", true],
          ["Fabrikam", "Guest", false],
        ],
      );
    }
  });

  it('replays fetchShortProfile: the leading "" is ignored, fields as in the sample', async () => {
    const res = await call(emu, "POST", onEmulator(emu, SHORT.request.url), alice, SHORT.request.body, {
      "x-skypetoken": skypeToken,
    });
    assert.equal(res.status, SHORT.response.status);
    assert.equal(res.headers.get("content-type"), "application/json; charset=utf-8");
    const got = (await res.json()) as { type: string; value: Array<Record<string, unknown>> };
    const want = SHORT.response.body as { type: string; value: Array<Record<string, unknown>> };
    assert.equal(got.type, want.type);
    // Order is not guaranteed: compare by MRI.
    assert.equal(got.value.length, want.value.length);
    for (const w of want.value) {
      const g = got.value.find((p) => p.mri === w.mri);
      assert.ok(g, `profile of ${String(w.mri)}`);
      assert.deepEqual(shapeOf(g), shapeOf(w));
      assert.equal(g.displayName, w.displayName);
      assert.equal(g.userType, w.userType);
    }
  });

  it('tolerates a missing leading "", leaves unknown and other-kind MRIs out, and needs no x-skypetoken', async () => {
    const res = await call(emu, "POST", "/api/mt/emea/beta/users/fetchShortProfile?isMailAddress=false", alice, [
      "8:orgid:9A8B7C6D-5E4F-4A3B-8C2D-1E0F9A8B7C6D",
      "8:orgid:00000000-0000-4000-8000-000000000000",
      "8:live:.cid.1a2b3c4d5e6f7081",
      "8:orgid:9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
    ]);
    assert.equal(res.status, 200);
    const got = (await res.json()) as { value: Array<{ mri: string }> };
    assert.deepEqual(
      got.value.map((p) => p.mri),
      ["8:orgid:9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"],
    );
    const bad = await call(emu, "POST", "/api/mt/emea/beta/users/fetchShortProfile", alice, { mris: [] });
    assert.equal(bad.status, 400);
    assert.equal(typeof ((await bad.json()) as { errorCode: unknown }).errorCode, "string");
  });

  it("looks users up by email, UPN or MRI with the full-profile fields", async () => {
    const q =
      "?throwIfNotFound=false&isMailAddress=true&enableGuest=true&includeIBBarredUsers=true&skypeTeamsInfo=true";
    for (const id of [
      "bob@contoso.com",
      "BOB@CONTOSO.COM",
      "8:orgid:9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
      encodeURIComponent("8:orgid:9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"),
    ]) {
      const res = await call(emu, "GET", `/api/mt/part/emea-02/beta/users/${id}/${q}`, alice);
      assert.equal(res.status, 200, id);
      const body = (await res.json()) as { type: string; value: Record<string, unknown> };
      assert.equal(body.type, "Microsoft.SkypeSpaces.MiddleTier.Models.AadMember");
      assert.equal(body.value.mri, "8:orgid:9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d");
      for (const k of [
        "mail",
        "sipAddress",
        "mobile",
        "telephoneNumber",
        "physicalDeliveryOfficeName",
        "isSipDisabled",
        "featureSettings",
        "tenantId",
        "skypeTeamsInfo",
      ]) {
        assert.ok(k in body.value, `full profile has ${k}`);
      }
      assert.equal(body.value.isShortProfile, false);
      assert.deepEqual(body.value.skypeTeamsInfo, { isSkypeTeamsUser: true });
    }
  });

  it("answers 404 for an unknown user, or 200 without a value when throwIfNotFound=false", async () => {
    const missing = await call(emu, "GET", "/api/mt/emea/beta/users/nobody@contoso.com/?isMailAddress=true", alice);
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get("content-type"), "application/json; charset=utf-8");
    const err = (await missing.json()) as Record<string, unknown>;
    assert.equal(err.errorCode, "UserNotFound");
    assert.equal(typeof err.message, "string");
    const quiet = await call(emu, "GET", "/api/mt/emea/beta/users/nobody@contoso.com/?throwIfNotFound=false", alice);
    assert.equal(quiet.status, 200);
    assert.deepEqual(await quiet.json(), { type: "Microsoft.SkypeSpaces.MiddleTier.Models.AadMember" });
  });

  it("answers 401 in the MT shape for a missing bearer or a wrong audience", async () => {
    const presence = await refresh(emu, aliceRefresh, "https://presence.teams.microsoft.com/.default");
    const wrong = ((await presence.json()) as { access_token: string }).access_token;
    for (const [name, bearer] of [
      ["missing", undefined],
      ["wrong audience", wrong],
      ["skypetoken as bearer", skypeToken],
    ] as const) {
      const res = await call(emu, "GET", "/api/mt/emea/beta/users/tenants", bearer, undefined, {
        "x-skypetoken": skypeToken,
      });
      assert.equal(res.status, 401, name);
      const body = (await res.json()) as Record<string, unknown>;
      assert.equal(typeof body.errorCode, "string", name);
      assert.equal(typeof body.message, "string", name);
    }
    // An enterprise token on the consumer base is the wrong audience too.
    assert.equal((await call(emu, "GET", "/api/mt/beta/users/tenants", alice)).status, 401);
  });

  it("serves consumers on /api/mt/beta with a consumer MT or spaces token", async () => {
    const g = await signIn(emu, "grace@outlook.com", {
      clientId: CONSUMER_WEB,
      tenant: "consumers",
      scope: CONSUMER_SCOPE,
    });
    const mtRes = await refresh(
      emu,
      g.refresh_token,
      "https://mtsvc.fl.teams.microsoft.com/teams.mt.readwrite offline_access",
      {
        clientId: CONSUMER_WEB,
        tenant: "consumers",
      },
    );
    const mtToken = ((await mtRes.json()) as { access_token: string }).access_token;
    for (const bearer of [mtToken, g.access_token]) {
      const res = await call(
        emu,
        "POST",
        `${emu.context.regionGtms("consumer").middleTier}/beta/users/fetchShortProfile`,
        bearer,
        ["", "8:live:.cid.1a2b3c4d5e6f7081", "8:orgid:2b7e4f10-6c1d-4e8a-a3f5-9d0c1b2e3f41"],
      );
      assert.equal(res.status, 200);
      const body = (await res.json()) as { value: Array<Record<string, unknown>> };
      assert.deepEqual(
        body.value.map((p) => [p.mri, p.type]),
        [["8:live:.cid.1a2b3c4d5e6f7081", "TFLUser"]],
      );
    }
    assert.equal((await call(emu, "GET", "/api/mt/emea/beta/users/tenants", mtToken)).status, 401);
  });
});
