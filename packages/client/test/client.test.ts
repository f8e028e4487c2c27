/**
 * TeamsClient as a whole: options and defaults, the ServiceContext services receive, and the canary:
 * a planted secret must never surface in an error's message, its JSON, its inspection, or any log
 * line — whichever path fails (refresh-token sign-in, env token, a stored session, a password).
 */
import * as assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { inspect } from "node:util";
import type { Emulator } from "@teams-api/emulator";
import { CLIENT_IDS } from "@teams-api/protocol";
import { AuthenticationError, DEFAULT_OPTIONS, NotSignedInError, TeamsClient, TeamsError } from "../src/index.js";
import { ALICE, assertNoSecrets, captureLogger, clientFor, emulator, PASSWORD } from "./auth-helpers.js";

const JWT_SHAPE = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/;
const RT_SHAPE = /\b0\.EMU[A-Za-z0-9_-]{8,}/;

/** Every way an error might be shown. */
function renderings(err: unknown): string {
  const e = err as Error & { body?: unknown; request?: unknown };
  return [
    e.message,
    String(e),
    e.stack ?? "",
    JSON.stringify(e),
    inspect(e, { depth: 8 }),
    JSON.stringify(e.body ?? null),
  ].join("\n");
}

describe("TeamsClient", () => {
  let emu: Emulator;
  let dir: string;
  before(async () => {
    emu = await emulator();
    dir = await mkdtemp(join(tmpdir(), "teams-client-"));
  });
  after(async () => {
    await emu.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("exports its defaults", () => {
    assert.equal(DEFAULT_OPTIONS.timeout, 30_000);
    assert.equal(DEFAULT_OPTIONS.maxRetries, 3);
    assert.equal(DEFAULT_OPTIONS.refreshAheadMs, 300_000);
    assert.equal(new TeamsClient({ env: {}, tokenStore: false }).cloud, "enterprise");
    assert.equal(new TeamsClient({ env: { TEAMS_CLOUD: "consumer" }, tokenStore: false }).cloud, "consumer");
  });

  it("refuses service calls before sign-in with NotSignedInError", async () => {
    const client = clientFor(emu);
    assert.equal(client.isSignedIn(), false);
    await assert.rejects(client.whoami(), NotSignedInError);
    await assert.rejects(client.context.endpoints(), NotSignedInError);
    await assert.rejects(client.context.identity(), NotSignedInError);
  });

  it("gives services a context: transport, endpoints from regionGtms, identity, MT audience, clock", async () => {
    const client = clientFor(emu, { now: () => 42 });
    await client.signInWithPassword(ALICE, PASSWORD);
    const gtms = await client.context.endpoints();
    assert.equal(gtms.chatService, emu.origin);
    assert.equal(gtms.middleTier, `${emu.origin}/api/mt/part/emea-02`);
    const me = await client.context.identity();
    assert.equal(me.mri, "8:orgid:2b7e4f10-6c1d-4e8a-a3f5-9d0c1b2e3f41");
    assert.equal(await client.context.middleTierAudience(), "https://api.spaces.skype.com");
    assert.equal(client.context.now(), 42);
  });

  it("logs only redacted lines: no JWT, refresh token or code ever reaches the logger", async () => {
    const { logger, lines } = captureLogger();
    const client = clientFor(emu, { logger });
    await client.signInWithPassword(ALICE, PASSWORD);
    await client.whoami();
    await client.context.transport.request({
      method: "GET",
      url: `${(await client.context.endpoints()).chatService}/v1/users/ME/properties`,
      auth: { kind: "skypetoken" },
    });
    assert.ok(lines.length > 5, "the logger was used");
    const all = lines.join("\n");
    assert.ok(!JWT_SHAPE.test(all), "a JWT reached the logger");
    assert.ok(!RT_SHAPE.test(all), "a refresh token reached the logger");
    assert.ok(!/[?&]code=(?!\[redacted\])/.test(all), "an authorization code reached the logger");
    assert.ok(!all.includes(PASSWORD), "the password reached the logger");
  });

  describe("canary", () => {
    const canary = `CANARY${"-"}TOKEN-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;

    it("a planted refresh token never appears in errors or logs (refresh-token sign-in)", async () => {
      const { logger, lines } = captureLogger();
      const client = clientFor(emu, { logger });
      await assert.rejects(client.authenticateWithRefreshToken(canary), (err: unknown) => {
        assert.ok(err instanceof AuthenticationError);
        assert.match(
          err.message,
          /^Your saved session is no longer valid \(.*AADSTS\d+\); sign in again with `teams login`\.$/,
        );
        assertNoSecrets(renderings(err), [canary], "error");
        return true;
      });
      assertNoSecrets(lines.join("\n"), [canary], "log");
    });

    it("… nor through TEAMS_REFRESH_TOKEN", async () => {
      const { logger, lines } = captureLogger();
      const client = clientFor(emu, { logger, env: { TEAMS_REFRESH_TOKEN: canary } });
      await assert.rejects(client.loadSession(), (err: unknown) => {
        assert.ok(err instanceof TeamsError);
        assertNoSecrets(renderings(err), [canary], "error");
        return true;
      });
      assertNoSecrets(lines.join("\n"), [canary], "log");
    });

    it("… nor from a stored session whose tokens are all canaries", async () => {
      const file = join(dir, "canary.json");
      await writeFile(
        file,
        JSON.stringify({
          version: 1,
          cloud: "emulator",
          loginUrl: emu.loginUrl,
          baseUrl: emu.baseUrl,
          kind: "enterprise",
          tenantId: "5c3e9a1d-8f2b-4d7a-9e61-0b4f2c8d7a10",
          clientId: CLIENT_IDS.teamsNative,
          refreshToken: canary,
          account: { name: "Alice Example" },
          accessTokens: { "https://api.spaces.skype.com": { token: `${canary}-at`, expiresAt: Date.now() + 3600_000 } },
          skype: {
            token: `${canary}-skype`,
            expiresAt: Date.now() + 3600_000,
            regionGtms: { chatService: emu.origin, middleTier: `${emu.origin}/api/mt/part/emea-02` },
          },
        }),
        { mode: 0o600 },
      );
      const { logger, lines } = captureLogger();
      const client = clientFor(emu, { tokenFile: file, logger });
      assert.equal(await client.loadSession(), true);
      // The chat service rejects the canary skypetoken (401) → authz rejects the canary bearer (401)
      // → the refresh grant rejects the canary refresh token: one sentence, no canary anywhere.
      await assert.rejects(
        client.context.transport.request({
          method: "GET",
          url: `${emu.origin}/v1/users/ME/properties`,
          auth: { kind: "skypetoken" },
        }),
        (err: unknown) => {
          assert.ok(err instanceof AuthenticationError);
          assert.match(
            err.message,
            /^Your saved session is no longer valid \(.*AADSTS\d+\); sign in again with `teams login`\.$/,
          );
          assertNoSecrets(renderings(err), [canary], "error");
          return true;
        },
      );
      assertNoSecrets(lines.join("\n"), [canary], "log");
    });

    it("… nor as a password", async () => {
      const { logger, lines } = captureLogger();
      const client = clientFor(emu, { logger });
      await assert.rejects(client.signInWithPassword(ALICE, canary), (err: unknown) => {
        assert.ok(err instanceof AuthenticationError);
        assertNoSecrets(renderings(err), [canary], "error");
        return true;
      });
      assertNoSecrets(lines.join("\n"), [canary], "log");
    });
  });
});
