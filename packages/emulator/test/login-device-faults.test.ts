/**
 * The sign-in service on demand: device-code polls that come too fast (slow_down, +5 s each time),
 * a person who declines on the verification page, and `{"aadsts": <code>}` faults that answer the
 * token endpoint with that AAD error in the real shape and status.
 */
import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Emulator, startEmulator } from "../src/emulator.js";
import { AADSTS_FAULTS } from "../src/services/login/aadsts.js";
import { expectAadError, NATIVE, parseForm, refresh, SPACES_SCOPE, signIn, tokenCall } from "./identity-helpers.js";

const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

async function control(emu: Emulator, path: string, body: unknown): Promise<Response> {
  return fetch(`${emu.origin}/_emulator/${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

describe("login: device code slow_down and decline", { timeout: 30_000 }, () => {
  let emu: Emulator;
  let now = Date.UTC(2026, 0, 5, 9, 0, 0);
  before(async () => {
    emu = await startEmulator({ port: 0, now: () => now });
  });
  after(() => emu.close());

  const start = async () => {
    const res = await fetch(`${emu.loginUrl}/organizations/oauth2/v2.0/devicecode`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ client_id: NATIVE, scope: SPACES_SCOPE }),
    });
    assert.equal(res.status, 200);
    return (await res.json()) as { device_code: string; user_code: string; verification_uri: string };
  };
  const poll = (deviceCode: string) =>
    tokenCall(
      emu,
      { client_id: NATIVE, grant_type: DEVICE_GRANT, device_code: deviceCode },
      { tenant: "organizations" },
    );

  /** Enters the code on the verification page; returns the sign-in page that follows. */
  const enterCode = async (verificationUri: string, code: string): Promise<string> => {
    const codeForm = parseForm(await (await fetch(verificationUri)).text());
    // The form posts relative to the page, as a browser resolves it.
    const res = await fetch(new URL(codeForm.action, verificationUri), {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ otc: code }),
    });
    assert.equal(res.status, 200);
    return res.text();
  };

  it("answers slow_down to a poll sooner than the interval, and adds 5 s to the interval each time", async () => {
    const dc = await start();
    await expectAadError(await poll(dc.device_code), 400, "authorization_pending", 70016);
    now += 4_000;
    const slow = await expectAadError(await poll(dc.device_code), 400, "slow_down", 70016);
    assert.match(String(slow.error_description), /10 seconds/);
    now += 9_000; // the interval is now 10 s
    await expectAadError(await poll(dc.device_code), 400, "slow_down", 70016);
    now += 15_000; // … and now 15 s
    await expectAadError(await poll(dc.device_code), 400, "authorization_pending", 70016);
  });

  it("a person who presses Cancel declines: polls answer authorization_declined", async () => {
    const dc = await start();
    const page = await enterCode(dc.verification_uri, dc.user_code);
    const form = parseForm(page);
    assert.match(page, /name="decline"/);
    const declined = await fetch(new URL(form.action, dc.verification_uri), {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ otc: form.fields.get("otc") ?? "", decline: "1" }),
    });
    assert.equal(declined.status, 200);
    assert.match(await declined.text(), /declined/);
    now += 5_000;
    await expectAadError(await poll(dc.device_code), 400, "authorization_declined", 70000);
    // The code cannot be approved afterwards.
    assert.match(await enterCode(dc.verification_uri, dc.user_code), /That code didn.*t work/);
  });

  it("a device code the service never issued is bad_verification_code", async () => {
    await expectAadError(await poll("DAQABnot-a-real-code"), 400, "bad_verification_code", 70018);
  });
});

describe("login: AADSTS faults on demand", { timeout: 30_000 }, () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ port: 0 });
  });
  after(() => emu.close());

  it("answers the token endpoint with each emulated code in the AAD shape and status, once", async () => {
    const t = await signIn(emu, "alice@contoso.com", { clientId: NATIVE });
    for (const [code, entry] of Object.entries(AADSTS_FAULTS)) {
      const created = await control(emu, "faults", { aadsts: Number(code), count: 1 });
      assert.equal(created.status, 201, code);
      const res = await refresh(emu, t.refresh_token, SPACES_SCOPE, { clientId: NATIVE, origin: null });
      const body = await expectAadError(res, entry.status, entry.error, Number(code));
      if (entry.suberror) assert.equal(body.suberror, entry.suberror);
      // The fault is used up: the next refresh works.
      assert.equal(
        (await refresh(emu, t.refresh_token, SPACES_SCOPE, { clientId: NATIVE, origin: null })).status,
        200,
        code,
      );
    }
  });

  it("leaves other services alone unless a path says otherwise, and refuses unknown codes", async () => {
    await control(emu, "faults", { aadsts: 53003, count: 1 });
    const keys = await fetch(`${emu.loginUrl}/common/discovery/v2.0/keys`);
    assert.equal(keys.status, 200);
    await fetch(`${emu.origin}/_emulator/faults`, { method: "DELETE" });
    const onDevice = await control(emu, "faults", {
      aadsts: 53003,
      count: 1,
      path: "^/login/[^/]+/oauth2/v2\\.0/devicecode$",
    });
    assert.equal(onDevice.status, 201);
    const dc = await fetch(`${emu.loginUrl}/organizations/oauth2/v2.0/devicecode`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ client_id: NATIVE, scope: SPACES_SCOPE }),
    });
    await expectAadError(dc, 400, "invalid_grant", 53003);
    for (const bad of [
      { aadsts: 12345, count: 1 },
      { aadsts: "53003", count: 1 },
      { aadsts: 53003, status: 400, count: 1 },
    ]) {
      assert.equal((await control(emu, "faults", bad)).status, 400, JSON.stringify(bad));
    }
  });
});
