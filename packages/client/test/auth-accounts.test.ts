/**
 * Several accounts in the token store, the status view (tokens masked), and guests: signing in to an
 * organization whose invitation the account never redeemed lists its organizations and re-acquires
 * the tokens for one it belongs to (PROTOCOL.md §1.5).
 */
import * as assert from "node:assert/strict";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Emulator } from "@teams-api/emulator";
import { GUEST_NOT_REDEEMED } from "../src/auth/messages.js";
import { AuthenticationError, TeamsClient, type TenantInfo } from "../src/index.js";
import { ALICE, assertNoSecrets, clientFor, emulator, PASSWORD } from "./auth-helpers.js";

const CONTOSO = "5c3e9a1d-8f2b-4d7a-9e61-0b4f2c8d7a10";
const FABRIKAM = "e1d2c3b4-a596-4788-9a0b-1c2d3e4f5a6b";

describe("accounts, status and guests", { timeout: 60_000 }, () => {
  let emu: Emulator;
  let dir: string;
  before(async () => {
    emu = await emulator();
    dir = await mkdtemp(join(tmpdir(), "teams-accounts-"));
  });
  after(async () => {
    await emu.close();
    await rm(dir, { recursive: true, force: true });
  });

  const make = (account?: string) =>
    new TeamsClient({
      cloud: "emulator",
      tokenFile: join(dir, "teams-api", "session.json"),
      ...(account ? { account } : {}),
      env: { ...emu.env(), TEAMS_KEYRING: "0" },
    });

  const loaded = async (c: TeamsClient) => {
    assert.equal(await c.loadSession(), true);
    return c.whoami();
  };

  it("keeps each account's session apart, switches the current one, and signs out one or all", async () => {
    await make().signInWithPassword(ALICE, PASSWORD);
    await make("bob").signInWithPassword("bob@contoso.com", PASSWORD);
    // The latest sign-in is the current account; a client without a name uses it.
    assert.equal(make().account, "bob");
    assert.equal((await loaded(make())).email, "bob@contoso.com");
    const registry = make().accounts!;
    assert.deepEqual(
      registry.list().map((a) => [a.name, a.username]),
      [
        ["bob", "bob@contoso.com"],
        ["default", ALICE],
      ],
    );
    await registry.use("default");
    assert.equal((await loaded(make())).email, ALICE);
    await assert.rejects(registry.use("nobody"), /no account named/);
    await assert.rejects(async () => make("../escape"), /account name/);

    // Files: 0600 in a 0700 directory; the index holds no token.
    const index = await readFile(join(dir, "teams-api", "accounts.json"), "utf8");
    const bobFile = join(dir, "teams-api", "accounts", "bob.json");
    assert.equal((await stat(bobFile)).mode & 0o777, 0o600);
    assert.equal((await stat(join(dir, "teams-api", "accounts"))).mode & 0o777, 0o700);
    assert.equal((await stat(join(dir, "teams-api", "accounts.json"))).mode & 0o777, 0o600);
    const session = JSON.parse(await readFile(bobFile, "utf8")) as { refreshToken: string };
    assertNoSecrets(index, [session.refreshToken], "accounts index");

    await make("bob").logout();
    assert.deepEqual(
      make()
        .accounts!.list()
        .map((a) => a.name),
      ["default"],
    );
    await make("bob").signInWithPassword("bob@contoso.com", PASSWORD);
    await make().logout({ all: true });
    assert.deepEqual(make().accounts!.list(), []);
    assert.equal(await make().loadSession(), false);
    assert.equal(await make("bob").loadSession(), false);
  });

  it("auth status: who, tenant, cloud, each token's expiry — masked", async () => {
    const client = make("status");
    await client.signInWithPassword(ALICE, PASSWORD);
    await client.getConversations({ count: 1 });
    const status = await make("status").authStatus();
    assert.equal(status.signedIn, true);
    assert.equal(status.account, "status");
    assert.equal(status.username, ALICE);
    assert.equal(status.tenantId, CONTOSO);
    assert.equal(status.cloud, "emulator");
    assert.ok(status.tokens.some((t) => t.audience === "skypetoken"));
    assert.ok(status.tokens.every((t) => t.expiresAt > Date.now() && /^.{4}…\(\d+ chars\)$/.test(t.masked)));
    const saved = JSON.parse(await readFile(join(dir, "teams-api", "accounts", "status.json"), "utf8")) as {
      refreshToken: string;
      skype: { token: string };
    };
    assertNoSecrets(JSON.stringify(status), [saved.refreshToken, saved.skype.token], "status");
  });

  it("a guest refused by authz (GuestUserNotRedeemed) is signed in to an organization it belongs to", async () => {
    let offered: TenantInfo[] = [];
    const client = clientFor(emu);
    const me = await client.signInWithPassword(ALICE, PASSWORD, {
      tenant: "fabrikam.com",
      chooseTenant: (tenants) => {
        offered = tenants;
        return tenants[0]?.tenantId;
      },
    });
    assert.deepEqual(
      offered.map((t) => t.tenantId),
      [CONTOSO],
    );
    assert.equal(me.tenantId, CONTOSO);
    assert.equal((await client.getConversations({ count: 1 })).length, 1);
  });

  it("… and when none is chosen, one sentence names GuestUserNotRedeemed and `--tenant`", async () => {
    const client = clientFor(emu);
    await assert.rejects(
      client.signInWithPassword(ALICE, PASSWORD, { tenant: FABRIKAM, chooseTenant: () => undefined }),
      (err: unknown) => {
        assert.ok(err instanceof AuthenticationError);
        assert.equal(err.message, GUEST_NOT_REDEEMED);
        return true;
      },
    );
    assert.equal(client.isSignedIn(), false);
  });
});
