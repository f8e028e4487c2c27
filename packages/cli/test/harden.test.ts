/**
 * Issue 12 at the terminal: a sign-in that cannot be saved fails (exit 1, one sentence naming the
 * file), and `--json` output escapes what a terminal would act on or hide while staying valid JSON.
 */
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { EXIT } from "../src/errors.js";
import { MAYBE_SENT } from "../src/shared/send.js";
import { NODE_ARGS, ROOT, type RunResult, runInPty, type Sandbox, sandbox } from "./helpers/cli.js";

function ok(r: RunResult, what: string): RunResult {
  assert.equal(r.code, 0, `${what}: exit ${r.code}, stderr: ${r.stderr}`);
  return r;
}

describe("hardening at the terminal", { timeout: 600_000 }, () => {
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

  it("a send whose delivery cannot be confirmed says so and exits with the may-have-been-sent code", async () => {
    await sb.login();
    const posts = sb.emulator.faults.add({ reset: true, count: 1, method: "POST", path: "/messages$", phase: "after" });
    const reads = sb.emulator.faults.add({ status: 503, ratio: 1, method: "GET", path: "/messages$" });
    try {
      const r = await sb.run(["send", "Bob Example", "did it land?"]);
      assert.equal(r.code, EXIT.maybeSent, r.stderr);
      const lines = r.stderr.split("\n").filter((l) => l.trim() !== "");
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0]!, /may have been sent — check before sending again/);
    } finally {
      sb.emulator.faults.remove(posts.id);
      sb.emulator.faults.remove(reads.id);
    }
  });

  it("Ctrl+C during teams send says the message may have been sent", async () => {
    await sb.login();
    const slow = sb.emulator.faults.add({ latencyMs: 20_000, count: 1, method: "POST", path: "/messages$" });
    const child = spawn(process.execPath, [...NODE_ARGS, "send", "Bob Example", "interrupted"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: "1", ...sb.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    // Wait until the POST is at the server (the fault holds it), then press Ctrl+C.
    while (slow.hits === 0) await new Promise((r) => setTimeout(r, 20));
    child.kill("SIGINT");
    const code = await exited;
    assert.equal(code, EXIT.maybeSent, stderr);
    assert.ok(stderr.includes(MAYBE_SENT), stderr);
  });

  it("a message over the size limit is refused before sending, suggesting a file", async () => {
    await sb.login();
    const r = await sb.run(["send", "Bob Example", "-"], { input: "x".repeat(30 * 1024) });
    assert.equal(r.code, EXIT.usage, r.stderr);
    assert.match(r.stderr, /at most 28 KB.*send it as a file instead/);
  });
});
