/**
 * `teams presence / status / contacts / profile / tenants` end to end: the real `teams` in child
 * processes against an emulator, Alice and Bob each with their own session.
 */
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { findSecret, type RunResult, runInPty, type Sandbox, sandbox } from "./helpers/cli.js";

const ALICE = "8:orgid:2b7e4f10-6c1d-4e8a-a3f5-9d0c1b2e3f41";

function ok(r: RunResult, what: string): RunResult {
  assert.equal(r.code, 0, `${what} exited ${r.code}: ${r.stderr}`);
  assert.equal(findSecret(r.stdout + r.stderr), undefined, `${what} printed a secret`);
  return r;
}
const json = <T>(r: RunResult): T => JSON.parse(r.stdout) as T;

interface PresenceRow {
  mri: string;
  displayName: string;
  availability: string;
  activity: string;
  statusMessage: { text: string; pinned: boolean; expiresAt: string | null } | null;
  forced: { availability: string; expiresAt: string | null } | null;
}

describe("teams presence / status / contacts / profile / tenants", { timeout: 180_000 }, () => {
  let sb: Sandbox;
  const alice = (args: string[]) => sb.runAs("alice@contoso.com", args);
  const bob = (args: string[]) => sb.runAs("bob@contoso.com", args);
  const aliceSeenByBob = async (): Promise<PresenceRow> =>
    json<PresenceRow[]>(ok(await bob(["presence", "alice@contoso.com"]), "presence"))[0]!;

  before(async () => {
    sb = await sandbox();
    // Alice has Teams open elsewhere: a device that stays online, so her chosen status shows.
    sb.emulator.context.presence.seed(ALICE, { device: "Desktop" });
  });
  after(() => sb.close());

  it("status set/message/reset as Alice, read by Bob", async () => {
    const set = json<{ availability: string; expiresAt: string }>(
      ok(await alice(["status", "set", "busy", "--for", "1h"]), "status set"),
    );
    assert.equal(set.availability, "Busy");
    let seen = await aliceSeenByBob();
    assert.equal(seen.displayName, "Alice Example");
    assert.equal(seen.availability, "Busy");
    assert.ok(
      seen.forced?.expiresAt && Math.abs(Date.parse(seen.forced.expiresAt) - Date.parse(set.expiresAt)) < 60_000,
    );

    ok(await alice(["status", "message", "Out today", "--for", "60m", "--pin"]), "status message");
    seen = await aliceSeenByBob();
    assert.equal(seen.statusMessage?.text, "Out today");
    assert.equal(seen.statusMessage?.pinned, true);

    ok(await alice(["status", "reset"]), "status reset");
    ok(await alice(["status", "message", "--clear"]), "status message --clear");
    seen = await aliceSeenByBob();
    assert.deepEqual([seen.availability, seen.statusMessage], ["Available", null]);
  });

  it("refuses an unknown status and a message with --clear (usage, exit 2)", async () => {
    assert.equal((await alice(["status", "set", "Lunch"])).code, 2);
    assert.equal((await alice(["status", "message", "x", "--clear"])).code, 2);
    assert.equal((await alice(["status", "set", "Busy", "--for", "soon"])).code, 2);
  });

  it("shows presence as a table with dots on a terminal", async () => {
    const r = ok(await runInPty(["presence", "bob@contoso.com", "me"], { env: sb.envFor("alice@contoso.com") }), "pty");
    assert.match(r.stdout, /Bob Example/);
    assert.match(r.stdout, /● Busy/);
    assert.match(r.stdout, /In a meeting/);
    assert.match(r.stdout, /Heads-down on Falcon/);
    assert.match(r.stdout, /Alice Example/);
  });

  it("lists contacts merged, named, with presence", async () => {
    const rows = json<Array<{ mri: string; displayName: string; presence: { availability: string } | null }>>(
      ok(await bob(["contacts"]), "contacts"),
    );
    const a = rows.find((r) => r.mri === ALICE);
    assert.equal(a?.displayName, "Alice Example");
    assert.equal(a?.presence?.availability, "Available");
    assert.equal(new Set(rows.map((r) => r.mri)).size, rows.length);
  });

  it("shows profiles and tenants", async () => {
    const me = json<{ name: string; jobTitle: string }>(ok(await alice(["profile"]), "profile"));
    assert.deepEqual([me.name, me.jobTitle], ["Alice Example", "Product Manager"]);
    const bobProfile = json<{ name: string; email: string }>(
      ok(await alice(["profile", "bob@contoso.com"]), "profile bob"),
    );
    assert.deepEqual([bobProfile.name, bobProfile.email], ["Bob Example", "bob@contoso.com"]);
    const file = join(sb.dir, "bob.png");
    const withPicture = json<{ picture: string }>(
      ok(await alice(["profile", "bob@contoso.com", "--picture", file]), "profile --picture"),
    );
    assert.equal(withPicture.picture, file);
    assert.deepEqual([...readFileSync(file).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], "a PNG");
    const again = await alice(["profile", "bob@contoso.com", "--picture", file]);
    assert.equal(again.code, 2, "never overwrites");
    assert.match(again.stderr, /already exists/);
    const tenants = json<Array<{ tenantName: string; current: boolean }>>(ok(await alice(["tenants"]), "tenants"));
    assert.deepEqual(
      tenants.map((t) => [t.tenantName, t.current]),
      [
        ["Contoso", true],
        ["Fabrikam", false],
      ],
    );
  });
});
