/**
 * Sign-in failures that must hold: each is ONE clear sentence on stderr, exit code 4, no stack
 * trace, nothing on stdout, and no token anywhere in the output.
 */
import * as assert from "node:assert/strict";
import { Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { TeamsClient } from "teams-api";
import { App } from "../src/app.js";
import { run as login } from "../src/commands/auth/login.js";
import { reportError } from "../src/main.js";
import { findSecret, type RunResult, type Sandbox, sandbox } from "./helpers/cli.js";
import { signInByForm } from "./helpers/signin.js";

function assertAuthFailure(r: RunResult, what: string): string {
  assert.equal(r.code, 4, `${what}: exit ${r.code}, stderr: ${r.stderr}`);
  assert.equal(r.stdout, "", `${what}: printed data on failure`);
  const lines = r.stderr.split("\n").filter((l) => l.trim() !== "");
  assert.equal(lines.length, 1, `${what}: expected one line, got:\n${r.stderr}`);
  const line = lines[0]!;
  assert.match(line, /^teams: [A-Z].*[.!]$/, `${what}: not one sentence: ${line}`);
  assert.doesNotMatch(r.stderr, /^\s+at .*\(|Error:|\.ts:\d+/m, `${what}: stack trace or error dump`);
  assert.equal(findSecret(r.stdout + r.stderr), undefined, `${what}: token in output`);
  return line;
}

describe("sign-in failures (spawned CLI)", () => {
  let sb: Sandbox;
  before(async () => {
    sb = await sandbox();
  });
  after(async () => {
    await sb.close();
  });

  it("a wrong password", async () => {
    const r = await sb.run(["login", "--username", "alice@contoso.com", "--password-stdin"], {
      input: "not-the-password\n",
    });
    const line = assertAuthFailure(r, "wrong password");
    assert.match(line, /password/i);
  });

  it("an account the directory does not know", async () => {
    const r = await sb.run(["login", "--username", "nobody@contoso.com", "--password-stdin"], {
      input: `${sb.emulator.password}\n`,
    });
    assertAuthFailure(r, "unknown account");
  });

  it("no session at all", async () => {
    const r = await sb.run(["whoami"]);
    const line = assertAuthFailure(r, "not signed in");
    assert.match(line, /teams login/);
  });

  it("an expired refresh token: login, the service expires every token, then `teams chats`", async () => {
    await sb.login();
    const before = await sb.run(["chats", "-n", "2"]);
    assert.equal(before.code, 0, before.stderr);
    const res = await fetch(`${sb.emulator.origin}/_emulator/tokens/expire`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ refreshTokens: true }),
    });
    assert.ok(res.ok, `control plane answered ${res.status}`);
    const r = await sb.run(["chats"]);
    const line = assertAuthFailure(r, "expired session");
    assert.match(line, /expired|sign in again/i);
    assert.match(line, /teams login/);
  });

  it("rate limited past the retries: exit 5 with one sentence", async () => {
    await sb.login();
    const res = await fetch(`${sb.emulator.origin}/_emulator/faults`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ status: 429, retryAfter: 0, count: 20, path: "conversations" }),
    });
    assert.equal(res.status, 201);
    const r = await sb.run(["chats"]);
    await fetch(`${sb.emulator.origin}/_emulator/faults`, { method: "DELETE" });
    assert.equal(r.code, 5, r.stderr);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.equal(findSecret(r.stderr), undefined);
  });

  it("--password-stdin without --username is a usage error (exit 2)", async () => {
    // A fresh session file: no saved account whose user name could be used.
    const r = await sb.run(["login", "--password-stdin"], {
      input: "x\n",
      env: { TEAMS_TOKEN_FILE: `${sb.dir}/nobody/session.json` },
    });
    assert.equal(r.code, 2);
  });
});

describe("sign-in protocol breaches (real library + emulator, through the CLI's login and error path)", () => {
  let sb: Sandbox;
  before(async () => {
    sb = await sandbox();
  });
  after(async () => {
    await sb.close();
  });

  async function loginWith(testHooks: Record<string, unknown>): Promise<{ code: number; stderr: string }> {
    const client = new TeamsClient({
      cloud: "emulator",
      loginUrl: sb.emulator.loginUrl,
      baseUrl: sb.emulator.baseUrl,
      tokenStore: false,
      env: {},
      testHooks,
    });
    let stderr = "";
    const sink = {
      write: (s: string) => {
        stderr += s;
        return true;
      },
    } as unknown as NodeJS.WriteStream;
    const app = new App(
      { cloud: "emulator", json: true },
      {
        client,
        signedIn: false,
        stdin: Readable.from([]),
        readRedirectUrl: (url) => signInByForm(url, "alice@contoso.com", sb.emulator.password),
        stdout: sink,
        stderr: sink,
        env: { TEAMS_TOKEN_FILE: `${sb.dir}/unused/session.json` },
      },
    );
    try {
      // The browser sign-in with no browser: the paste-the-redirect fallback, answered by filling the form.
      await login(app, { browser: false });
    } catch (err) {
      return { code: reportError(err, sink), stderr };
    }
    return { code: 0, stderr };
  }

  it("the same path without a breach signs in (so the failures below are the breaches' doing)", async () => {
    const r = await loginWith({});
    assert.equal(r.code, 0, r.stderr);
  });

  it("a tampered PKCE verifier", async () => {
    const r = await loginWith({ codeVerifier: (v: string) => `${v.slice(0, -4)}AAAA` });
    const line = assertAuthFailure({ code: r.code, stdout: "", stderr: r.stderr }, "tampered PKCE");
    assert.match(line, /PKCE|sign-in/i);
  });

  it("a missing Origin header on the SPA token redemption", async () => {
    const r = await loginWith({ omitOrigin: true });
    assertAuthFailure({ code: r.code, stdout: "", stderr: r.stderr }, "missing Origin");
  });
});
