/**
 * The interactive app in a real terminal (tmux): arrow keys and Enter pick a chat, its messages
 * show, typed text is sent and arrives, /back returns to the menu, Ctrl+C leaves — and the shell
 * afterwards is in cooked mode (icanon, echo), not stuck in raw mode.
 */
import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { NODE_ARGS, ROOT, runCli, type Sandbox, sandbox } from "./helpers/cli.js";
import { signInByForm } from "./helpers/signin.js";
import { PROMPT, Tmux } from "./helpers/tmux.js";

const CLI = ["node", ...NODE_ARGS].join(" ");

/** The line of the menu the cursor (❯) is on, in the newest rendering. */
function activeLine(screen: string): string {
  const lines = screen.split("\n").filter((l) => l.includes("❯"));
  return lines.at(-1) ?? "";
}

async function pick(t: Tmux, label: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    const current = activeLine(await t.waitFor((s) => activeLine(s) !== "", 20_000, "a menu"));
    if (current.includes(label)) {
      t.keys("Enter");
      return;
    }
    t.keys("Down");
    await t.waitFor((s) => activeLine(s) !== current, 5_000, "the cursor to move");
  }
  throw new Error(`"${label}" is not in the menu:\n${t.screen()}`);
}

async function fault(sb: Sandbox, spec: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${sb.emulator.origin}/_emulator/faults`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(spec),
  });
  assert.equal(res.status, 201, await res.text());
}

const count = (s: string, needle: string): number => s.split(needle).length - 1;

/** The terminal's line discipline after the app is gone. */
async function assertCookedShell(t: Tmux): Promise<void> {
  await t.waitFor((s) => s.trimEnd().endsWith(PROMPT.trim()), 10_000, "the shell prompt after the app");
  t.run("stty -a | tr ' ;' '\\n\\n' | grep -E '^-?(icanon|echo)$' | tr '\\n' ' '; echo STTY-DONE");
  const output = (s: string): string =>
    s.split("\n").find((l) => l.includes("STTY-DONE") && !l.startsWith(PROMPT.trim())) ?? "";
  const line = output(await t.waitFor((s) => output(s) !== "", 10_000, "stty output"));
  assert.match(line, /(^| )icanon /, `terminal left without icanon: ${line}`);
  assert.match(line, /(^| )echo /, `terminal left without echo: ${line}`);
  // And the shell takes input normally.
  t.run("echo still-$((40+2))");
  await t.waitFor("still-42", 5_000, "the shell to answer");
}

describe("one-shot commands in a terminal", () => {
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
    await fetch(`${sb.emulator.origin}/_emulator/faults`, { method: "DELETE" });
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

describe("interactive app in a terminal", () => {
  let sb: Sandbox;
  let t: Tmux | undefined;
  before(async () => {
    sb = await sandbox();
    await sb.login();
  });
  after(async () => {
    t?.close();
    await sb.close();
  });

  it("pick a chat with the arrows, read, send, /back, Ctrl+C out to a cooked shell", async () => {
    t = await Tmux.start({ ...sb.env }, ROOT);
    t.run(CLI);
    await t.waitFor("Pick a chat", 30_000);
    await t.waitFor("Main Menu");
    await pick(t, "Bob Example");
    let screen = await t.waitFor("Main Menu > Chat > Bob Example");
    screen = await t.waitFor("Type a message and press Enter to send");
    assert.doesNotMatch(screen, /@unq\.gbl|@thread\.v2|8:orgid/);

    const text = `hello from the terminal ${Date.now()}`;
    t.type(text);
    t.keys("Enter");
    // It shows up in the log as mine…
    await t.waitFor(new RegExp(`You\\s+${text}`), 20_000, "the sent message in the chat log");
    // …and Bob receives it.
    const bob = await sb.runAs("bob@contoso.com", ["messages", "Alice Example", "-n", "3"]);
    assert.equal(bob.code, 0, bob.stderr);
    assert.ok(
      (JSON.parse(bob.stdout) as Array<{ text: string }>).some((m) => m.text === text),
      "Bob did not get the message",
    );

    // /refresh shows what Bob sends back.
    const answer = `answer ${Date.now()}`;
    assert.equal((await sb.runAs("bob@contoso.com", ["send", "Alice Example", answer])).code, 0);
    t.type("/refresh");
    t.keys("Enter");
    await t.waitFor(new RegExp(`Bob Example\\s+${answer}`), 20_000, "Bob's answer after /refresh");

    const menus = count(t.screen(), "Pick a chat");
    t.type("/back");
    t.keys("Enter");
    await t.waitFor((s) => count(s, "Pick a chat") > menus, 20_000, "the menu again after /back");

    // Ctrl+C inside a chat goes back to the menu, too.
    await pick(t, "Project Falcon");
    await t.waitFor("Main Menu > Chat > Project Falcon");
    await t.waitFor((s) => count(s, "Type a message") >= 2, 20_000, "the second chat's prompt");
    const menus2 = count(t.screen(), "Pick a chat");
    t.keys("C-c");
    await t.waitFor((s) => count(s, "Pick a chat") > menus2, 20_000, "the menu after Ctrl+C in a chat");

    // Ctrl+C at the menu leaves the app.
    t.keys("C-c");
    await assertCookedShell(t);
  });

  it("Ctrl+C during a slow load in a chat cancels the load, not the app", async () => {
    t?.close();
    t = await Tmux.start({ ...sb.env }, ROOT);
    t.run(CLI);
    await t.waitFor("Pick a chat", 30_000);
    await fault(sb, { latencyMs: 30_000, count: 1, path: "messages" });
    await pick(t, "Dana Whitfield");
    await t.waitFor("Loading messages…", 20_000, "the spinner");
    t.keys("C-c");
    await t.waitFor("Cancelled.", 10_000);
    await t.waitFor("Type a message and press Enter to send", 10_000, "the chat prompt after cancelling");
    await fetch(`${sb.emulator.origin}/_emulator/faults`, { method: "DELETE" });
    t.type("/refresh");
    t.keys("Enter");
    await t.waitFor(/\d\d:\d\d\s+(You|Dana Whitfield)\s+\S/, 20_000, "the messages after /refresh");
    t.type("/quit");
    t.keys("Enter");
    await assertCookedShell(t);
  });

  it("the demo: own emulator, signed in as Alice, banner, chat, send, quit cleanly", async () => {
    t?.close();
    t = await Tmux.start({ NO_COLOR: "1" }, ROOT);
    t.run("npm run demo -- --port 0");
    let screen = (await t.waitFor("Pick a chat", 60_000)).replace(/\s+/g, " ");
    assert.match(screen, /You are Alice Example \(alice@contoso\.com\)/);
    assert.match(screen, /bob@contoso\.com/, "the banner names other demo users");
    assert.match(screen, /npm run emulator/, "the banner says how to run the emulator alone");
    const origin = /emulator at (http:\/\/127\.0\.0\.1:\d+)/.exec(screen)?.[1];
    assert.ok(origin, "the banner gives the emulator's address");

    await pick(t, "Bob Example");
    await t.waitFor("Main Menu > Chat > Bob Example");
    await t.waitFor("Type a message and press Enter to send");
    const text = `demo says hi ${Date.now()}`;
    t.type(text);
    t.keys("Enter");
    screen = await t.waitFor(new RegExp(`You\\s+${text}`), 20_000, "the sent message");

    // Bob, signing in to the demo's emulator from outside, reads it.
    const env = {
      TEAMS_CLOUD: "emulator",
      TEAMS_LOGIN_URL: `${origin}/login`,
      TEAMS_BASE_URL: origin,
      TEAMS_KEYRING: "0",
    };
    const bobEnv = { ...env, TEAMS_TOKEN_FILE: `${sb.dir}/demo-bob/session.json` };
    const loggedIn = await runCli(["login", "--username", "bob@contoso.com", "--password-stdin"], {
      env: bobEnv,
      input: "teams-demo\n",
    });
    assert.equal(loggedIn.code, 0, loggedIn.stderr);
    const bob = await runCli(["messages", "Alice Example", "-n", "3"], { env: bobEnv });
    assert.equal(bob.code, 0, bob.stderr);
    assert.ok((JSON.parse(bob.stdout) as Array<{ text: string }>).some((m) => m.text === text));

    t.type("/quit");
    t.keys("Enter");
    await assertCookedShell(t);
  });
});
