/**
 * Signing in every way, through the real `teams` in a child process against the emulator:
 * every mapped sign-in refusal explained in one sentence naming its code (exit 4, no token in the
 * output), device code approved over HTTP, the automated browser in headless Chromium, several
 * accounts, `teams auth status`, and a day passing on the emulator's clock.
 */
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { approveDeviceCode, webAppRefreshToken } from "@teams-api/emulator";
import { findSecret, NODE_ARGS, ROOT, type RunResult, type Sandbox, sandbox } from "./helpers/cli.js";

const ALICE = "alice@contoso.com";
const HOUR = 3600_000;

/** Exit 4, nothing on stdout, one sentence on stderr naming `code`, no token anywhere. */
function assertExplained(r: RunResult, code: string): string {
  assert.equal(r.code, 4, `${code}: exit ${r.code}, stderr: ${r.stderr}`);
  assert.equal(r.stdout, "", `${code}: printed data on failure`);
  const lines = r.stderr.split("\n").filter((l) => l.trim() !== "");
  assert.equal(lines.length, 1, `${code}: expected one line, got:\n${r.stderr}`);
  const line = lines[0]!;
  assert.match(line, /^teams: [A-Z].*[.!]$/, `${code}: not one sentence: ${line}`);
  assert.ok(line.includes(`(${code}`) || line.includes(`, ${code})`), `${code} not named: ${line}`);
  assert.equal(findSecret(r.stdout + r.stderr), undefined, `${code}: token in output`);
  return line;
}

describe("sign-in refusals explained (spawned CLI)", { timeout: 480_000 }, () => {
  let sb: Sandbox;
  before(async () => {
    sb = await sandbox();
  });
  after(() => sb.close());

  const fault = async (body: unknown): Promise<void> => {
    const res = await fetch(`${sb.emulator.origin}/_emulator/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 201, `fault ${JSON.stringify(body)}`);
  };
  const login = (user = ALICE, extra: string[] = []) =>
    sb.run(["login", "--username", user, "--password-stdin", ...extra], { input: `${sb.emulator.password}\n` });

  // The next step each explanation must name.
  const NEXT: Readonly<Record<number, RegExp>> = {
    50076: /multi-factor.*teams login --browser/,
    50079: /multi-factor.*teams login --browser/,
    53003: /Conditional Access.*administrator/,
    70043: /sign-in frequency.*teams login/,
    700082: /expired.*teams login/,
    700016: /does not know the Teams app.*--tenant/,
    9002327: /Origin.*report it/,
    9002326: /not a single-page app.*report it/,
    65001: /consent.*teams login --browser/,
    50034: /does not know this account.*user name/,
    50126: /user name or password.*try again/,
  };

  for (const [code, next] of Object.entries(NEXT)) {
    it(`AADSTS${code}`, async () => {
      await fault({ aadsts: Number(code), count: 1 });
      const line = assertExplained(await login(), `AADSTS${code}`);
      assert.match(line, next);
    });
  }

  it("invalid_grant in general: a revoked session", async () => {
    assert.equal((await login()).code, 0);
    for (const path of ["tokens/revoke", "tokens/expire"]) {
      const res = await fetch(`${sb.emulator.origin}/_emulator/${path}`, { method: "POST" });
      assert.equal(res.status, 200);
    }
    const line = assertExplained(await sb.run(["chats"]), "AADSTS9002313");
    assert.match(line, /invalid_grant|no longer valid/);
    assert.match(line, /teams login/);
  });

  it("UserLicenseNotPresentForbidden", async () => {
    const line = assertExplained(await login("uma@contoso.com"), "UserLicenseNotPresentForbidden");
    assert.match(line, /license.*administrator/);
  });

  it("GuestUserNotRedeemed (not on a terminal: nothing to choose from)", async () => {
    const line = assertExplained(await login(ALICE, ["--tenant", "fabrikam.com"]), "GuestUserNotRedeemed");
    assert.match(line, /invitation.*teams login --tenant/);
  });
});

/** `teams login --device-code` with its stderr read as it comes, so the test can act on the code. */
function deviceCodeLogin(env: NodeJS.ProcessEnv): {
  prompt: Promise<{ url: string; code: string }>;
  done: Promise<RunResult>;
} {
  const child = spawn(process.execPath, [...NODE_ARGS, "login", "--device-code"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let found: (v: { url: string; code: string }) => void;
  const prompt = new Promise<{ url: string; code: string }>((resolve) => {
    found = resolve;
  });
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
    const m = /open (\S+) on any device and enter the code ([A-Z0-9]+)/.exec(stderr);
    if (m) found({ url: m[1]!, code: m[2]! });
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const done = new Promise<RunResult>((resolve) => {
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
  return { prompt, done };
}

describe("signing in every way, and a day later (spawned CLI)", { timeout: 480_000 }, () => {
  let sb: Sandbox;
  before(async () => {
    sb = await sandbox();
  });
  after(() => sb.close());

  const clock = async (advanceMs: number): Promise<void> => {
    const res = await fetch(`${sb.emulator.origin}/_emulator/clock`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ advanceMs }),
    });
    assert.equal(res.status, 200);
  };

  it("--device-code: shows the address and code, the person approves over HTTP; 25 h later it still works", async () => {
    const { prompt, done } = deviceCodeLogin(sb.env);
    const { url, code } = await prompt;
    assert.equal(url, `${sb.emulator.loginUrl}/devicelogin`);
    const page = await approveDeviceCode(url, code, ALICE, sb.emulator.password);
    assert.match(page, /You have signed in/);
    const r = await done;
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { email: string }).email, ALICE);
    assert.equal(findSecret(r.stdout + r.stderr), undefined);

    await clock(25 * HOUR);
    const chats = await sb.run(["chats", "--count", "2"]);
    assert.equal(chats.code, 0, chats.stderr);
    assert.equal((JSON.parse(chats.stdout) as unknown[]).length, 2);
  });

  it("--browser with --username and --password-stdin: headless Chromium fills the emulator's page", async () => {
    const r = await sb.run(
      ["login", "--browser", "--account", "browser", "-u", "bob@contoso.com", "--password-stdin"],
      {
        input: `${sb.emulator.password}\n`,
        timeoutMs: 120_000,
      },
    );
    assert.equal(r.code, 0, r.stderr);
    const me = JSON.parse(r.stdout) as { email: string; account: string };
    assert.equal(me.email, "bob@contoso.com");
    assert.equal(me.account, "browser");
  });

  it("an expired web-app session: the reason, exit 4, and `teams login` signs the same account in again", async () => {
    const token = await webAppRefreshToken(sb.emulator.loginUrl, ALICE, sb.emulator.password);
    const added = await sb.run(["login", "--account", "work", "--refresh-token-stdin"], { input: `${token}\n` });
    assert.equal(added.code, 0, added.stderr);
    await clock(25 * HOUR);
    // `work` is the current account now: no --account needed.
    const line = assertExplained(await sb.run(["chats"]), "AADSTS700082");
    assert.match(line, /expired.*sign in again with `npx teams login`/);

    const listed = JSON.parse((await sb.run(["accounts"])).stdout) as Array<Record<string, unknown>>;
    const work = listed.find((a) => a.name === "work");
    assert.deepEqual([work?.current, work?.username, work?.expired], [true, ALICE, "AADSTS700082"]);

    // The account keeps who it was: the password sign-in needs no user name.
    const again = await sb.run(["login", "--password-stdin"], { input: `${sb.emulator.password}\n` });
    assert.equal(again.code, 0, again.stderr);
    assert.equal((JSON.parse(again.stdout) as { account: string }).account, "work");
    const after = JSON.parse((await sb.run(["accounts"])).stdout) as Array<Record<string, unknown>>;
    assert.equal(after.find((a) => a.name === "work")?.expired, null);
  });

  it("auth status, accounts use, --account, logout --all", async () => {
    const status = await sb.run(["auth", "status"]);
    assert.equal(status.code, 0, status.stderr);
    const s = JSON.parse(status.stdout) as {
      account: string;
      username: string;
      cloud: string;
      tenantId: string;
      tokens: Array<{ audience: string; expiresAt: string; masked: string }>;
    };
    assert.deepEqual([s.account, s.username, s.cloud], ["work", ALICE, "emulator"]);
    assert.ok(s.tokens.length >= 2 && s.tokens.every((t) => /…\(\d+ chars\)$/.test(t.masked)));
    assert.equal(findSecret(status.stdout + status.stderr), undefined);

    assert.equal((await sb.run(["accounts", "use", "browser"])).code, 0);
    const who = JSON.parse((await sb.run(["whoami"])).stdout) as { email: string };
    assert.equal(who.email, "bob@contoso.com");
    const other = JSON.parse((await sb.run(["whoami", "--account", "work"])).stdout) as { email: string };
    assert.equal(other.email, ALICE);
    assert.equal((await sb.run(["accounts", "use", "nobody"])).code, 2);

    assert.equal((await sb.run(["logout", "--all"])).code, 0);
    assert.deepEqual(JSON.parse((await sb.run(["accounts"])).stdout), []);
    assert.equal((await sb.run(["whoami", "--account", "work"])).code, 4);
  });
});
