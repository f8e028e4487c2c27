/**
 * The emulator's clock (`/_emulator/clock`): moving it forward expires access tokens, skypetokens
 * and refresh tokens exactly as their lifetimes say, without a test waiting for real time.
 */
import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Emulator, startEmulator } from "../src/emulator.js";
import { expectAadError, NATIVE, refresh, SPACES_SCOPE, signIn, WEB } from "./identity-helpers.js";

const HOUR = 3600_000;

function clock(emu: Emulator, body?: unknown): Promise<Response> {
  return fetch(`${emu.origin}/_emulator/clock`, {
    method: body === undefined ? "GET" : "POST",
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

describe("emulator clock", { timeout: 30_000 }, () => {
  let emu: Emulator;
  const base = Date.UTC(2026, 0, 5, 9, 0, 0);
  before(async () => {
    emu = await startEmulator({ port: 0, now: () => base });
  });
  after(() => emu.close());

  it("reports the time and moves only forward", async () => {
    const start = (await (await clock(emu)).json()) as { now: number; offsetMs: number; time: string };
    assert.deepEqual(start, { now: base, offsetMs: 0, time: new Date(base).toISOString() });
    const moved = await clock(emu, { advanceMs: 90_000 });
    assert.equal(moved.status, 200);
    assert.deepEqual(await moved.json(), {
      now: base + 90_000,
      offsetMs: 90_000,
      time: new Date(base + 90_000).toISOString(),
    });
    const health = (await (await fetch(`${emu.origin}/_emulator/health`)).json()) as { time: string };
    assert.equal(health.time, new Date(base + 90_000).toISOString());
    for (const bad of [{ advanceMs: -1 }, { advanceMs: 1.5 }, { advanceMs: "5" }, { advanceMs: 1, extra: 1 }, {}]) {
      const res = await clock(emu, bad);
      assert.equal(res.status, 400, JSON.stringify(bad));
      assert.equal(typeof ((await res.json()) as { message: unknown }).message, "string");
    }
    assert.equal((await clock(emu, "not json")).status, 400);
    await emu.reset();
    assert.equal(((await (await clock(emu)).json()) as { offsetMs: number }).offsetMs, 0);
  });

  it("expires access tokens after their lifetime and refresh tokens after theirs", async () => {
    await emu.reset();
    const native = await signIn(emu, "alice@contoso.com", { clientId: NATIVE });
    const spa = await signIn(emu, "alice@contoso.com", { clientId: WEB });
    assert.equal((await authz(emu, native.access_token)).status, 200);

    // 59 minutes: the access token (3599 s) still works.
    await clock(emu, { advanceMs: 59 * 60_000 });
    assert.equal((await authz(emu, native.access_token)).status, 200);
    // 61 minutes: it does not; a refresh gives a working one.
    await clock(emu, { advanceMs: 2 * 60_000 });
    assert.equal((await authz(emu, native.access_token)).status, 401);
    const renewed = await refresh(emu, native.refresh_token, SPACES_SCOPE, { clientId: NATIVE, origin: null });
    assert.equal(renewed.status, 200);
    const fresh = (await renewed.json()) as { access_token: string };
    assert.equal((await authz(emu, fresh.access_token)).status, 200);

    // 25 hours after sign-in: the SPA refresh token's fixed 24 h chain is over, the native one lives on.
    await clock(emu, { advanceMs: 24 * HOUR });
    await expectAadError(await refresh(emu, spa.refresh_token, SPACES_SCOPE), 400, "invalid_grant", 700082);
    const nativeLater = await refresh(emu, native.refresh_token, SPACES_SCOPE, { clientId: NATIVE, origin: null });
    assert.equal(nativeLater.status, 200);

    // 91 days: the native refresh token has expired too.
    await clock(emu, { advanceMs: 91 * 24 * HOUR });
    await expectAadError(
      await refresh(emu, native.refresh_token, SPACES_SCOPE, { clientId: NATIVE, origin: null }),
      400,
      "invalid_grant",
      700082,
    );
  });
});
