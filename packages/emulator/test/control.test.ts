import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Emulator, startEmulator } from "../src/emulator.js";
import { expectAadError, getCode, refresh, SPACES_SCOPE, signIn, tokenCall, WEB } from "./identity-helpers.js";

function control(emu: Emulator, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${emu.origin}/_emulator/${path}`, {
    method,
    ...(body !== undefined
      ? {
          headers: { "Content-Type": "application/json" },
          body: typeof body === "string" ? body : JSON.stringify(body),
        }
      : {}),
  });
}

const authz = (emu: Emulator, bearer: string) =>
  fetch(`${emu.origin}/api/authsvc/v1.0/authz`, { method: "POST", headers: { Authorization: `Bearer ${bearer}` } });

const keysPath = "/login/common/discovery/v2.0/keys";
const keys = (emu: Emulator) => fetch(`${emu.origin}${keysPath}`);

describe("control plane", () => {
  let emu: Emulator;
  const randoms: number[] = [];
  before(async () => {
    emu = await startEmulator({ port: 0, random: () => randoms.shift() ?? 0.99 });
  });
  after(() => emu.close());

  it("reports health and the demo users", async () => {
    const res = await control(emu, "GET", "health");
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/json; charset=utf-8");
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(body.status, "ok");
    assert.equal(body.baseUrl, emu.baseUrl);
    assert.equal(body.loginUrl, emu.loginUrl);
    const users = (await (await control(emu, "GET", "users")).json()) as {
      password: string;
      users: Array<{ login: string; kind: string }>;
    };
    assert.equal(users.password, emu.password);
    assert.ok(users.users.some((u) => u.login === "alice@contoso.com" && u.kind === "enterprise"));
    assert.ok(users.users.some((u) => u.login === "grace@outlook.com" && u.kind === "consumer"));
  });

  it("injects a fault for the next N matching requests, with Retry-After, in the service's shape", async () => {
    const created = await control(emu, "POST", "faults", { status: 429, retryAfter: 7, count: 2, path: "^/login/" });
    assert.equal(created.status, 201);
    const fault = (await created.json()) as { id: number; count: number };
    assert.equal(typeof fault.id, "number");
    assert.equal(fault.count, 2);
    const listed = (await (await control(emu, "GET", "faults")).json()) as { faults: Array<{ id: number }> };
    assert.deepEqual(
      listed.faults.map((f) => f.id),
      [fault.id],
    );
    // Unmatched paths are untouched.
    assert.equal((await control(emu, "GET", "health")).status, 200);
    for (let i = 0; i < 2; i++) {
      const res = await keys(emu);
      assert.equal(res.status, 429);
      assert.equal(res.headers.get("retry-after"), "7");
      assert.equal(res.headers.get("content-type"), "application/json; charset=utf-8");
      const body = (await res.json()) as Record<string, unknown>;
      assert.equal(typeof body.error, "string", "the AAD shape under /login");
      assert.match(String(body.error_description), /^AADSTS\d+: /);
    }
    assert.equal((await keys(emu)).status, 200, "the fault is used up");
    assert.deepEqual(((await (await control(emu, "GET", "faults")).json()) as { faults: unknown[] }).faults, []);
  });

  it("applies a ratio fault to that share of requests", async () => {
    randoms.push(0.1, 0.9, 0.2, 0.8);
    const res = await control(emu, "POST", "faults", { status: 503, ratio: 0.5, path: "^/login/common/discovery" });
    const { id } = (await res.json()) as { id: number };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await keys(emu)).status);
    assert.deepEqual(statuses, [503, 200, 503, 200]);
    assert.equal((await control(emu, "DELETE", `faults/${id}`)).status, 204);
    assert.equal((await control(emu, "DELETE", `faults/${id}`)).status, 404);
  });

  it('phase "after" processes the request and then answers the fault', async () => {
    const c = await getCode(emu, "alice@contoso.com");
    await control(emu, "POST", "faults", {
      status: 500,
      count: 1,
      method: "post",
      path: "/oauth2/v2\\.0/token$",
      phase: "after",
    });
    const params = {
      client_id: WEB,
      grant_type: "authorization_code",
      code: c.code,
      redirect_uri: c.redirectUri,
      code_verifier: c.verifier,
    };
    assert.equal((await tokenCall(emu, params)).status, 500);
    // The exchange did land: the code is spent.
    await expectAadError(await tokenCall(emu, params), 400, "invalid_grant", 54005);
  });

  it("drops the connection for a reset fault and delays for a latency fault", async () => {
    await control(emu, "POST", "faults", { reset: true, count: 1, path: "^/login/common/discovery" });
    await assert.rejects(keys(emu));
    await control(emu, "POST", "faults", { latencyMs: 60, count: 1, path: "^/login/common/discovery" });
    const t0 = performance.now();
    assert.equal((await keys(emu)).status, 200);
    assert.ok(performance.now() - t0 >= 50, "the answer was delayed");
  });

  it("validates fault specs", async () => {
    for (const body of [
      "not json",
      "[]",
      {},
      { status: 429 },
      { count: 1 },
      { status: 200, count: 1 },
      { status: 429, count: 0 },
      { status: 429, ratio: 1.5 },
      { status: 429, count: 1, path: "(" },
      { status: 429, count: 1, phase: "during" },
      { status: 429, count: 1, bogus: true },
      { status: 429, count: 1, retryAfter: "soon" },
    ]) {
      const res = await control(emu, "POST", "faults", body);
      assert.equal(res.status, 400, JSON.stringify(body));
      const err = (await res.json()) as Record<string, unknown>;
      assert.equal(err.errorCode, 400);
      assert.equal(typeof err.message, "string");
    }
    assert.deepEqual(((await (await control(emu, "GET", "faults")).json()) as { faults: unknown[] }).faults, []);
    await control(emu, "POST", "faults", { status: 503, count: 5 });
    assert.deepEqual(await (await control(emu, "DELETE", "faults")).json(), { cleared: 1 });
  });

  it("switches variants at runtime and validates them", async () => {
    const initial = (await (await control(emu, "GET", "variants")).json()) as Record<string, unknown>;
    assert.equal(initial.consumerAuthzShape, "skypeTokenObject");
    const put = await control(emu, "PUT", "variants", { consumerAuthzShape: "flat" });
    assert.equal(put.status, 200);
    assert.equal(((await put.json()) as Record<string, unknown>).consumerAuthzShape, "flat");
    assert.equal(emu.context.variants.consumerAuthzShape, "flat");
    for (const body of [
      { consumerAuthzShape: "nope" },
      { unknownVariant: true },
      { sendEchoesClientMessageId: "yes" },
      "[]",
    ]) {
      assert.equal((await control(emu, "PUT", "variants", body)).status, 400, JSON.stringify(body));
    }
    assert.equal(emu.context.variants.consumerAuthzShape, "flat", "a rejected PUT changes nothing");
    await control(emu, "PUT", "variants", { consumerAuthzShape: "skypeTokenObject" });
  });

  it("tokens/expire expires issued tokens so clients must refresh, and optionally refresh tokens", async () => {
    const t = await signIn(emu, "alice@contoso.com");
    const first = (await (await authz(emu, t.access_token)).json()) as { tokens: { skypeToken: string } };
    const skype = first.tokens.skypeToken;
    assert.equal(emu.context.tokens.verifySkypeToken(skype).mri, "8:orgid:2b7e4f10-6c1d-4e8a-a3f5-9d0c1b2e3f41");

    assert.equal((await control(emu, "POST", "tokens/expire")).status, 200);
    assert.equal((await authz(emu, t.access_token)).status, 401, "the access token is expired");
    assert.throws(() => emu.context.tokens.verifySkypeToken(skype), "the skypetoken is expired");
    const r = await refresh(emu, t.refresh_token, SPACES_SCOPE);
    assert.equal(r.status, 200, "the refresh token still works");
    const renewed = (await r.json()) as { access_token: string; refresh_token: string };
    assert.equal((await authz(emu, renewed.access_token)).status, 200);

    assert.equal((await control(emu, "POST", "tokens/expire", { refreshTokens: true })).status, 200);
    await expectAadError(await refresh(emu, renewed.refresh_token, SPACES_SCOPE), 400, "invalid_grant", 700082);
    assert.equal((await control(emu, "POST", "tokens/expire", { refreshTokens: "yes" })).status, 400);
  });

  it("tokens/revoke revokes a user's refresh tokens", async () => {
    const alice = await signIn(emu, "alice@contoso.com");
    const bob = await signIn(emu, "bob@contoso.com");
    const res = await control(emu, "POST", "tokens/revoke", { user: "alice@contoso.com" });
    assert.equal(res.status, 200);
    assert.ok(((await res.json()) as { revoked: number }).revoked >= 1);
    await expectAadError(await refresh(emu, alice.refresh_token, SPACES_SCOPE), 400, "invalid_grant", 9002313);
    assert.equal((await refresh(emu, bob.refresh_token, SPACES_SCOPE)).status, 200, "others keep theirs");
    assert.equal((await control(emu, "POST", "tokens/revoke", { user: "nobody@contoso.com" })).status, 404);
    assert.equal((await control(emu, "POST", "tokens/revoke", { user: 7 })).status, 400);
  });

  it("reset answers, then restores seeded state, start variants and no faults", async () => {
    const t = await signIn(emu, "bob@contoso.com");
    await control(emu, "PUT", "variants", { consumerAuthzShape: "tokens" });
    await control(emu, "POST", "faults", { status: 503, ratio: 1, path: "^/api/mt/" });
    const res = await control(emu, "POST", "reset");
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as Record<string, unknown>).status, "ok");
    assert.deepEqual(((await (await control(emu, "GET", "faults")).json()) as { faults: unknown[] }).faults, []);
    assert.equal(emu.context.variants.consumerAuthzShape, "skypeTokenObject");
    assert.equal((await authz(emu, t.access_token)).status, 401, "tokens from before the reset are gone");
    await expectAadError(await refresh(emu, t.refresh_token, SPACES_SCOPE), 400, "invalid_grant", 9002313);
  });
});
