/**
 * Issue 12 at the terminal: a sign-in that cannot be saved fails (exit 1, one sentence naming the
 * file), and `--json` output escapes what a terminal would act on or hide while staying valid JSON.
 */
import * as assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type RunResult, runInPty, type Sandbox, sandbox } from "./helpers/cli.js";

function ok(r: RunResult, what: string): RunResult {
  assert.equal(r.code, 0, `${what}: exit ${r.code}, stderr: ${r.stderr}`);
  return r;
}

describe("hardening at the terminal", { timeout: 120_000 }, () => {
  let sb: Sandbox;
  before(async () => {
    sb = await sandbox();
  });
  after(async () => {
    await sb.close();
  });

  it("teams login exits 1 with one sentence naming the file when the session cannot be saved", async () => {
    const blocker = join(sb.dir, "a-file");
    writeFileSync(blocker, "x");
    const tokenFile = join(blocker, "session.json");
    const r = await sb.run(["login", "--username", "alice@contoso.com", "--password-stdin"], {
      input: `${sb.emulator.password}\n`,
      env: { TEAMS_TOKEN_FILE: tokenFile },
    });
    assert.equal(r.code, 1, `exit ${r.code}: ${r.stderr}`);
    const lines = r.stderr.split("\n").filter((l) => l.trim() !== "");
    assert.equal(lines.length, 1, r.stderr);
    assert.ok(lines[0]!.includes(tokenFile), lines[0]);
    assert.match(lines[0]!, /^teams: [A-Z].*\.$/);
    assert.doesNotMatch(r.stdout, /Signed in/);
  });

  it("--json escapes C1 controls, DEL, bidi and zero-width characters, and stays valid JSON", async () => {
    await sb.login();
    const hostile = "a\u0085b\u009bc\u007fd \u202eevil\u202c pay\u200bpal \u2066iso\u2069 \u200fmark";
    ok(await sb.runAs("bob@contoso.com", ["send", "Alice Example", hostile]), "bob sends");
    const r = ok(await sb.run(["messages", "Bob Example", "-n", "3", "--json"]), "messages --json");
    assert.doesNotMatch(r.stdout, /[\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/, "raw in JSON output");
    const rows = JSON.parse(r.stdout) as Array<{ content: string }>;
    assert.ok(
      rows.some((m) => m.content.includes("\u202eevil") && m.content.includes("pay\u200bpal")),
      "the escaped characters parse back to the same text",
    );
  });

  it("while a call waits on Retry-After, the spinner says so and for how long", async () => {
    await sb.login();
    sb.emulator.faults.add({ status: 429, retryAfter: 2, count: 1, method: "GET", path: "/conversations$" });
    const r = await runInPty(["chats", "-n", "3"], { env: sb.env });
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /rate limited — retrying in 2 s/);
  });
});
