import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Emulator, startEmulator } from "../src/emulator.js";
import {
  CONSUMER_SCOPE,
  CONSUMER_WEB,
  jwtPayload,
  NATIVE,
  refresh,
  SPACES_SCOPE,
  sample,
  shapeOf,
  signIn,
} from "./identity-helpers.js";

interface Exchange {
  response: { status: number; headers?: Record<string, string>; body: Record<string, unknown> };
  error_examples?: Array<{ status: number; body: Record<string, unknown> }>;
}

const ENTERPRISE = sample<Exchange>("auth-authz-enterprise.json");
const CONSUMER = sample<Exchange>("auth-authz-consumer.json");
const CLAIMS = sample<{ payload: Record<string, unknown> }>("auth-skypetoken-claims.json");

function authz(emu: Emulator, path: string, bearer: string | undefined, body?: string): Promise<Response> {
  return fetch(`${emu.baseUrl}${path}`, {
    method: "POST",
    headers: {
      ...(bearer !== undefined ? { Authorization: `Bearer ${bearer}` } : {}),
      Accept: "application/json; ver=1.0",
      "ms-teams-authz-type": "TokenRefresh",
      ...(body ? { "Content-Type": "application/json" } : {}),
    },
    ...(body !== undefined ? { body } : {}),
  });
}

const ENT_PATH = "/api/authsvc/v1.0/authz";
const CON_PATH = "/api/auth/v1.0/authz/consumer";

/** The shape of a sample with every regionGtms key kept (ours may add keys; it must not drop any). */
function assertGtms(actual: Record<string, unknown>, expected: Record<string, unknown>, origin: string): void {
  for (const key of Object.keys(expected)) assert.equal(typeof actual[key], "string", `regionGtms.${key}`);
  for (const [key, url] of Object.entries(actual)) {
    assert.ok(String(url).startsWith(origin), `regionGtms.${key} points at the emulator`);
  }
}

describe("authsvc: enterprise authz", () => {
  let emu: Emulator;
  let now = Date.UTC(2025, 0, 6, 9, 0, 0);
  let alice: string;
  before(async () => {
    emu = await startEmulator({ port: 0, now: () => now });
    alice = (await signIn(emu, "alice@contoso.com")).access_token;
  });
  after(() => emu.close());

  it("answers the sample's shape with a body of Content-Length 0 or {}", async () => {
    for (const body of [undefined, "{}"]) {
      const res = await authz(emu, ENT_PATH, alice, body);
      assert.equal(res.status, ENTERPRISE.response.status);
      assert.equal(res.headers.get("content-type"), ENTERPRISE.response.headers!["Content-Type"]);
      const got = (await res.json()) as Record<string, Record<string, unknown>>;
      const want = ENTERPRISE.response.body as Record<string, Record<string, unknown>>;
      assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort());
      assert.deepEqual(shapeOf(got.tokens), shapeOf(want.tokens));
      assert.deepEqual(shapeOf(got.regionSettings), shapeOf(want.regionSettings));
      assert.deepEqual(shapeOf(got.licenseDetails), shapeOf(want.licenseDetails));
      for (const k of ["region", "partition", "userRegion", "userPartition"]) assert.equal(typeof got[k], "string", k);
      assertGtms(got.regionGtms!, want.regionGtms!, emu.origin);
      assert.deepEqual(got.regionGtms, emu.context.regionGtms("enterprise"));
      assert.equal(got.tokens!.tokenType, "SkypeToken");
    }
  });

  it("mints a skypetoken with the sample's claims that the emulator accepts", async () => {
    const res = await authz(emu, ENT_PATH, alice);
    const body = (await res.json()) as { tokens: { skypeToken: string; expiresIn: number } };
    const claims = jwtPayload(body.tokens.skypeToken);
    assert.deepEqual(shapeOf(claims), shapeOf(CLAIMS.payload));
    assert.equal(claims.skypeid, "orgid:2b7e4f10-6c1d-4e8a-a3f5-9d0c1b2e3f41");
    assert.equal(claims.scp, 780);
    assert.equal((claims.exp as number) - (claims.iat as number), body.tokens.expiresIn);
    assert.equal(
      emu.context.tokens.verifySkypeToken(body.tokens.skypeToken).mri,
      "8:orgid:2b7e4f10-6c1d-4e8a-a3f5-9d0c1b2e3f41",
    );
  });

  it("refuses an unlicensed user with 403 UserLicenseNotPresentForbidden", async () => {
    const uma = (await signIn(emu, "uma@contoso.com")).access_token;
    const res = await authz(emu, ENT_PATH, uma);
    const ex = ENTERPRISE.error_examples![0]!;
    assert.equal(res.status, ex.status);
    assert.equal(res.headers.get("content-type"), "application/json; charset=utf-8");
    const body = (await res.json()) as Record<string, unknown>;
    assert.deepEqual(shapeOf(body), shapeOf(ex.body));
    assert.equal(body.errorCode, "UserLicenseNotPresentForbidden");
  });

  it("refuses a guest-tenant token before the invitation is redeemed (GuestUserNotRedeemed)", async () => {
    const t = await signIn(emu, "alice@contoso.com", { clientId: NATIVE });
    const r = await refresh(emu, t.refresh_token, SPACES_SCOPE, { clientId: NATIVE, tenant: "fabrikam.com" });
    assert.equal(r.status, 200);
    const guest = ((await r.json()) as { access_token: string }).access_token;
    const res = await authz(emu, ENT_PATH, guest);
    const ex = ENTERPRISE.error_examples![1]!;
    assert.equal(res.status, ex.status);
    const body = (await res.json()) as Record<string, unknown>;
    assert.deepEqual(shapeOf(body), shapeOf(ex.body));
    assert.equal(body.errorCode, "GuestUserNotRedeemed");
  });

  it("answers 401 in the legacy shape for a missing, garbage, wrong-audience, consumer or expired bearer", async () => {
    const ex = ENTERPRISE.error_examples![2]!;
    const presence = await refresh(
      emu,
      (await signIn(emu, "bob@contoso.com")).refresh_token,
      "https://presence.teams.microsoft.com/.default",
    );
    const wrongAudience = ((await presence.json()) as { access_token: string }).access_token;
    const grace = (await signIn(emu, "grace@outlook.com", { clientId: NATIVE, tenant: "consumers" })).access_token;
    const before = now;
    const fresh = (await signIn(emu, "bob@contoso.com")).access_token;
    const cases: Array<[string, string | undefined]> = [
      ["missing", undefined],
      ["garbage", "not-a-token"],
      ["wrong audience", wrongAudience],
      ["consumer account", grace],
    ];
    for (const [name, bearer] of cases) {
      const res = await authz(emu, ENT_PATH, bearer);
      assert.equal(res.status, ex.status, name);
      assert.equal(res.headers.get("content-type"), "application/json; charset=utf-8", name);
      const body = (await res.json()) as { status: { code: number; text: string } };
      assert.deepEqual(shapeOf(body), shapeOf(ex.body), name);
      assert.equal(body.status.code, 40120, name);
    }
    now += 3600_000;
    const expired = await authz(emu, ENT_PATH, fresh);
    now = before;
    assert.equal(expired.status, 401, "expired by the clock");
    assert.equal(((await expired.json()) as { status: { code: number } }).status.code, 40120);
  });
});

describe("authsvc: consumer authz", () => {
  let emu: Emulator;
  let grace: string;
  before(async () => {
    emu = await startEmulator({ port: 0 });
    grace = (
      await signIn(emu, "grace@outlook.com", { clientId: CONSUMER_WEB, tenant: "consumers", scope: CONSUMER_SCOPE })
    ).access_token;
  });
  after(() => emu.close());

  it("answers the MXG skypeToken-object shape by default (the sample)", async () => {
    const res = await authz(emu, CON_PATH, grace);
    assert.equal(res.status, CONSUMER.response.status);
    assert.equal(res.headers.get("content-type"), "application/json; charset=utf-8");
    const got = (await res.json()) as Record<string, Record<string, unknown>>;
    const want = CONSUMER.response.body as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort());
    assert.deepEqual(shapeOf(got.skypeToken), shapeOf(want.skypeToken));
    assert.deepEqual(shapeOf(got.regionSettings), shapeOf(want.regionSettings));
    assert.deepEqual(shapeOf(got.consumerLicenseDetails), shapeOf(want.consumerLicenseDetails));
    assertGtms(got.regionGtms!, want.regionGtms!, emu.origin);
    assert.deepEqual(got.regionGtms, emu.context.regionGtms("consumer"));
    assert.equal(got.skypeToken!.skypeid, "live:.cid.1a2b3c4d5e6f7081");
    assert.equal(got.skypeToken!.signinname, "grace@outlook.com");
    assert.equal(got.skypeToken!.isBusinessTenant, false);
    const claims = jwtPayload(String(got.skypeToken!.skypetoken));
    assert.equal(claims.scp, 956);
    assert.equal(
      emu.context.tokens.verifySkypeToken(String(got.skypeToken!.skypetoken)).mri,
      "8:live:.cid.1a2b3c4d5e6f7081",
    );
  });

  it("answers the other two reported variants when switched", async () => {
    emu.context.variants.consumerAuthzShape = "tokens";
    try {
      const t = (await (await authz(emu, CON_PATH, grace)).json()) as Record<string, Record<string, unknown>>;
      assert.deepEqual(shapeOf(t.tokens), shapeOf(ENTERPRISE.response.body.tokens));
      assert.equal(t.skypeToken, undefined);
      assert.equal(typeof t.regionGtms!.chatService, "string");

      emu.context.variants.consumerAuthzShape = "flat";
      const f = (await (await authz(emu, CON_PATH, grace)).json()) as Record<string, unknown>;
      assert.equal(typeof f.skypeToken, "string");
      assert.equal(typeof f.skypeTokenExpiresIn, "number");
      assert.equal(typeof (f.regionGtms as Record<string, unknown>).middleTier, "string");
      assert.equal(emu.context.tokens.verifySkypeToken(String(f.skypeToken)).user.login, "grace@outlook.com");
    } finally {
      emu.context.variants.consumerAuthzShape = "skypeTokenObject";
    }
  });

  it("refuses an enterprise token at the consumer endpoint and vice versa", async () => {
    const alice = (await signIn(emu, "alice@contoso.com")).access_token;
    const res = await authz(emu, CON_PATH, alice);
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { status: { code: number } }).status.code, 40120);
    const back = await authz(emu, ENT_PATH, grace);
    assert.equal(back.status, 401);
    assert.equal(((await back.json()) as { status: { code: number } }).status.code, 40120);
  });
});
