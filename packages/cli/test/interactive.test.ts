/**
 * One-shot commands and the demo in a real terminal (tmux): the sign-in prompt, spinners and Ctrl+C,
 * tables — and the shell afterwards is in cooked mode (icanon, echo), not stuck in raw mode. The
 * interactive app itself is driven in app.test.ts.
 */
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { assertCookedShell, CLI, choose, clearFaults, fault, MAIN_MENU } from "./helpers/app.js";
import { ROOT, runCli, type Sandbox, sandbox } from "./helpers/cli.js";
import { signInByForm } from "./helpers/signin.js";
import { PROMPT, Tmux } from "./helpers/tmux.js";

describe("one-shot commands in a terminal", { timeout: 180_000 }, () => {
  let sb: Sandbox;
  let t: Tmux | undefined;
  before(async () => {
    sb = await sandbox();
  });
  after(async () => {
    t?.close();
    await sb.close();
  });

  it("login --no-browser: the paste-the-redirect prompt, answered from the real sign-in page", async () => {
    t = await Tmux.start({ ...sb.env }, ROOT);
    t.run(`${CLI} login --no-browser`);
    const screen = await t.waitFor("Paste the address here", 30_000);
    const url = /(http:\/\/127\.0\.0\.1:\d+\/login\/\S+)/.exec(screen)?.[1];
    assert.ok(url, "the sign-in address is shown");
    const landed = await signInByForm(url, "alice@contoso.com", sb.emulator.password);
    t.type(landed);
    t.keys("Enter");
    await t.waitFor("Signed in as Alice Example (alice@contoso.com)", 30_000);
    await t.waitFor((s) => s.trimEnd().endsWith(PROMPT.trim()), 10_000, "the shell prompt");
    const who = await sb.run(["whoami"]);
    assert.equal(who.code, 0, who.stderr);
  });

  it("a slow answer shows a spinner on stderr; Ctrl+C stops the command and the shell stays cooked", async () => {
    t ??= await Tmux.start({ ...sb.env }, ROOT);
    await fault(sb, { latencyMs: 30_000, count: 1, path: "conversations" });
    t.run("clear");
    const started = Date.now();
    t.run(`${CLI} chats; echo "exit=$?"`);
    await t.waitFor("Loading chats…", 30_000, "the spinner");
    t.keys("C-c");
    await t.waitFor("exit=130", 10_000, "the interrupted command's exit status");
    assert.ok(Date.now() - started < 25_000, "Ctrl+C did not stop the wait");
    await assertCookedShell(t);
    await clearFaults(sb);
  });

  it("chats renders a numbered table with names on a terminal", async () => {
    t ??= await Tmux.start({ ...sb.env }, ROOT);
    t.run("clear");
    t.run(`${CLI} chats --count 6`);
    const screen = await t.waitFor(/└[─┴]+┘/, 30_000, "the table's bottom border");
    assert.match(screen, /│ # │ Chat/);
    assert.match(screen, /│ 1 │/);
    assert.match(screen, /Bob Example/);
    assert.match(screen, /Project Falcon/);
    assert.doesNotMatch(screen, /@thread|@unq\.gbl|8:orgid/);
  });
});

describe("the demo in a terminal", { timeout: 120_000 }, () => {
  let t: Tmux | undefined;
  const dir = mkdtempSync(join(tmpdir(), "teams-demo-test-"));
  after(() => {
    t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("own emulator, signed in as Alice, banner above the main menu, chat, send, exit cleanly", async () => {
    t = await Tmux.start({ NO_COLOR: "1" }, ROOT);
    t.run("npm run demo -- --port 0");
    let screen = (await t.waitFor(MAIN_MENU, 60_000)).replace(/\s+/g, " ");
    assert.match(screen, /You are Alice Example \(alice@contoso\.com\)/);
    assert.match(screen, /bob@contoso\.com/, "the banner names other demo users");
    assert.match(screen, /npm run emulator/, "the banner says how to run the emulator alone");
    const origin = /emulator at (http:\/\/127\.0\.0\.1:\d+)/.exec(screen)?.[1];
    assert.ok(origin, "the banner gives the emulator's address");

    await choose(t, MAIN_MENU, "Conversations");
    await choose(t, "Open a chat", "Bob Example");
    await t.waitFor("Main Menu › Conversations › Bob Example");
    const text = `demo says hi ${Date.now()}`;
    t.type(text);
    t.keys("Enter");
    screen = await t.waitFor(new RegExp(`You\\s+${text}`), 20_000, "the sent message");

    // Bob, signing in to the demo's emulator from outside, reads it.
    const bobEnv = {
      TEAMS_CLOUD: "emulator",
      TEAMS_LOGIN_URL: `${origin}/login`,
      TEAMS_BASE_URL: origin,
      TEAMS_KEYRING: "0",
      TEAMS_TOKEN_FILE: join(dir, "bob.json"),
    };
    const loggedIn = await runCli(["login", "--username", "bob@contoso.com", "--password-stdin"], {
      env: bobEnv,
      input: "teams-demo\n",
    });
    assert.equal(loggedIn.code, 0, loggedIn.stderr);
    const bob = await runCli(["messages", "Alice Example", "-n", "3"], { env: bobEnv });
    assert.equal(bob.code, 0, bob.stderr);
    assert.ok((JSON.parse(bob.stdout) as Array<{ text: string }>).some((m) => m.text === text));

    t.type("/back");
    t.keys("Enter");
    await t.waitFor("? Open a chat");
    t.keys("Escape");
    await choose(t, MAIN_MENU, "Exit");
    await assertCookedShell(t);
  });
});
