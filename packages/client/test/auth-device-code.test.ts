/**
 * Device-code sign-in against the emulator: the person approves (or declines) on the verification
 * page over HTTP while the client polls. The client's waits move the emulator's clock instead of
 * passing real time, so polling at `interval`, slow_down and expiry run at once. Then a day passes
 * on the emulator's clock: the device-code session keeps working on its own, while a single-page-app
 * session (24 h refresh tokens) asks for a new sign-in with the reason.
 */
import * as assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { approveDeviceCode, type Emulator, webAppRefreshToken } from "@teams-api/emulator";
import type { DeviceCodePrompt } from "../src/auth/device-code.js";
import { AuthenticationError, TeamsClient } from "../src/index.js";
import { ALICE, clientFor, control, emulator, PASSWORD } from "./auth-helpers.js";

const HOUR = 3600_000;

/** A sleep that moves the emulator's clock by `ms` (or by `advance(ms)`), recording each wait. */
function clockSleep(emu: Emulator, waits: number[], advance: (ms: number, n: number) => number = (ms) => ms) {
  return async (ms: number) => {
    waits.push(ms);
    await control(emu, "/clock", { advanceMs: advance(ms, waits.length) });
  };
}

describe("device-code sign-in", { timeout: 60_000 }, () => {
  let emu: Emulator;
  before(async () => {
    emu = await emulator();
  });
  after(() => emu.close());

  it("shows the code, polls at the interval while pending, and signs in once approved over HTTP", async () => {
    await emu.reset();
    const waits: number[] = [];
    let prompt: DeviceCodePrompt | undefined;
    const sleep = clockSleep(emu, waits);
    const client = clientFor(emu, {
      testHooks: {
        sleep: async (ms) => {
          await sleep(ms);
          // The person finishes on the second wait: the first poll is still pending.
          if (waits.length === 2) await approveDeviceCode(prompt!.verificationUri, prompt!.userCode, ALICE, PASSWORD);
        },
      },
    });
    const me = await client.authenticateWithDeviceCode({
      onCode: (p) => {
        prompt = p;
      },
    });
    assert.equal(me.displayName, "Alice Example");
    assert.match(prompt!.userCode, /^[A-Z0-9]{6,}$/);
    assert.equal(prompt!.verificationUri, `${emu.loginUrl}/devicelogin`);
    assert.deepEqual(waits, [5000, 5000]);
    assert.equal((await client.getConversations({ count: 1 })).length, 1);
  });

  it("adds 5 s to the interval on every slow_down", async () => {
    await emu.reset();
    const waits: number[] = [];
    let prompt: DeviceCodePrompt | undefined;
    // The first two waits fall short on the emulator's clock (a busy machine): the service says slow_down.
    const sleep = clockSleep(emu, waits, (ms, n) => (n === 2 || n === 3 ? 1000 : ms));
    const client = clientFor(emu, {
      testHooks: {
        sleep: async (ms) => {
          await sleep(ms);
          if (waits.length === 4) await approveDeviceCode(prompt!.verificationUri, prompt!.userCode, ALICE, PASSWORD);
        },
      },
    });
    await client.authenticateWithDeviceCode({
      onCode: (p) => {
        prompt = p;
      },
    });
    assert.deepEqual(waits, [5000, 5000, 10000, 15000]);
  });

  it("a declined sign-in ends with one sentence naming authorization_declined", async () => {
    await emu.reset();
    let prompt: DeviceCodePrompt | undefined;
    const waits: number[] = [];
    const sleep = clockSleep(emu, waits);
    const client = clientFor(emu, {
      testHooks: {
        sleep: async (ms) => {
          await sleep(ms);
          if (waits.length === 1) {
            const page = await approveDeviceCode(prompt!.verificationUri, prompt!.userCode, ALICE, "", {
              decline: true,
            });
            assert.match(page, /declined/);
          }
        },
      },
    });
    await assert.rejects(
      client.authenticateWithDeviceCode({
        onCode: (p) => {
          prompt = p;
        },
      }),
      (err: unknown) => {
        assert.ok(err instanceof AuthenticationError);
        assert.match(err.message, /declined.*\(authorization_declined\).*teams login --device-code/);
        return true;
      },
    );
    assert.equal(client.isSignedIn(), false);
  });

  it("a code nobody enters expires after 15 minutes: expired_token", async () => {
    await emu.reset();
    const waits: number[] = [];
    const client = clientFor(emu, { testHooks: { sleep: clockSleep(emu, waits, () => 60_000) } });
    await assert.rejects(client.authenticateWithDeviceCode({ onCode: () => {} }), (err: unknown) => {
      assert.ok(err instanceof AuthenticationError);
      assert.match(err.message, /expired.*AADSTS70019/);
      return true;
    });
    assert.ok(waits.length >= 15 && waits.length <= 16, `polled ${waits.length} times`);
  });
});

describe("a day on the emulator's clock", { timeout: 60_000 }, () => {
  let emu: Emulator;
  let dir: string;
  before(async () => {
    emu = await emulator();
    dir = await mkdtemp(join(tmpdir(), "teams-signin-"));
  });
  after(async () => {
    await emu.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("a device-code session keeps working 25 hours later without the user", async () => {
    let prompt: DeviceCodePrompt | undefined;
    const client = clientFor(emu, {
      testHooks: {
        sleep: async (ms) => {
          await control(emu, "/clock", { advanceMs: ms });
          await approveDeviceCode(prompt!.verificationUri, prompt!.userCode, ALICE, PASSWORD);
        },
      },
    });
    await client.authenticateWithDeviceCode({
      onCode: (p) => {
        prompt = p;
      },
    });
    const before = await client.getConversations({ count: 3 });
    await control(emu, "/clock", { advanceMs: 25 * HOUR });
    const later = await client.getConversations({ count: 3 });
    assert.deepEqual(
      later.map((c) => c.id),
      before.map((c) => c.id),
    );
  });

  it("a single-page-app session asks for a new sign-in with the reason, and keeps who it was", async () => {
    // A refresh token lifted from the web client (SPA: a fixed 24 h lifetime).
    const refresh_token = await webAppRefreshToken(emu.loginUrl, ALICE, PASSWORD);

    const file = join(dir, "session.json");
    const make = () =>
      new TeamsClient({
        cloud: "emulator",
        account: "work",
        tokenFile: file,
        env: { ...emu.env(), TEAMS_KEYRING: "0" },
      });
    const client = make();
    await client.authenticateWithRefreshToken(refresh_token);
    assert.equal(client.accounts?.current(), "work");
    await control(emu, "/clock", { advanceMs: 25 * HOUR });
    await assert.rejects(client.getConversations({ count: 1 }), (err: unknown) => {
      assert.ok(err instanceof AuthenticationError);
      assert.match(err.message, /expired \(.*AADSTS700082\); sign in again with `teams login`/);
      return true;
    });
    // A new process still knows the account and who it was, and that the service refused it.
    const next = make();
    assert.equal(next.account, "work");
    assert.equal((await next.savedAccount())?.username, ALICE);
    const entry = next.accounts?.get("work");
    assert.equal(entry?.username, ALICE);
    assert.equal(entry?.expired, "AADSTS700082");
    // Signing in again under the same name clears the mark.
    await next.signInWithPassword(ALICE, PASSWORD);
    assert.equal(next.accounts?.get("work")?.expired, undefined);
  });
});
