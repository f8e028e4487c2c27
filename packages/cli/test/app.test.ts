/**
 * The interactive app in a real terminal (tmux) against the emulator: sign-in from no session,
 * every menu item and the way back from each, a chat (receive without a key press, send, reply,
 * react), Ctrl+C at each level keeping typed text, resizing, hostile escape sequences, and a cooked
 * shell afterwards. Waits are on screen content, never on sleeps.
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { TeamsClient } from "teams-api";
import { displayWidth } from "../src/interactive/width.js";
import { assertCookedShell, CLI, choose, clearFaults, fault, MAIN_MENU } from "./helpers/app.js";
import { ROOT, type Sandbox, sandbox } from "./helpers/cli.js";
import { signInByForm } from "./helpers/signin.js";
import { Tmux } from "./helpers/tmux.js";

const MENU_ITEMS = [
  "Chat with someone",
  "Conversations",
  "Read messages",
  "Send a message",
  "Check presence",
  "Set my status",
  "Search messages",
  "New chat",
  "Live events",
  "Upload a file",
  "Accounts",
  "Exit",
];

/** Every line of the visible pane fits its width (wide characters counted as two columns). */
function assertFits(t: Tmux, columns: number): void {
  const lines = t.visible().split("\n");
  for (const l of lines) assert.ok(displayWidth(l) <= columns, `a line is wider than ${columns}: ${JSON.stringify(l)}`);
}

/** Picks "Paste the address from a browser" in the sign-in choice. */
async function pasteWay(t: Tmux): Promise<void> {
  for (let i = 0; i < 5; i++) {
    const active =
      t
        .screen()
        .split("\n")
        .filter((l) => l.startsWith("❯"))
        .at(-1) ?? "";
    if (active.includes("Paste the address")) {
      t.keys("Enter");
      return;
    }
    t.keys("Down");
    await t.waitFor(
      (s) =>
        (s
          .split("\n")
          .filter((l) => l.startsWith("❯"))
          .at(-1) ?? "") !== active,
      5_000,
      "the cursor to move",
    );
  }
  throw new Error(`no paste way in:\n${t.screen()}`);
}

/** The short number the log shows at the left of the newest message matching `text`. */
function numberOf(screen: string, text: RegExp): string {
  const line = screen
    .split("\n")
    .filter((l) => text.test(l))
    .at(-1);
  const n = line ? /^\s*(\d+) \d\d:\d\d/.exec(line)?.[1] : undefined;
  assert.ok(n, `no numbered line matching ${text} in:\n${screen}`);
  return n;
}

describe("the interactive app in a terminal", { timeout: 300_000 }, () => {
  let sb: Sandbox;
  let t: Tmux;
  before(async () => {
    sb = await sandbox();
  });
  after(async () => {
    t?.close();
    await sb.close();
  });

  it("with no session, signs in right there, then shows the header and the main menu", async () => {
    t = await Tmux.start({ ...sb.env }, ROOT);
    t.run(CLI);
    // The same choice `teams login` offers; the test takes the paste-the-address way.
    await t.waitFor("How do you want to sign in?", 30_000);
    await pasteWay(t);
    const screen = await t.waitFor("Paste the address here", 30_000);
    assert.match(screen, /npx teams login/, "the hint names the command as it can be run");
    const url = /(http:\/\/127\.0\.0\.1:\d+\/login\/\S+)/.exec(screen)?.[1];
    assert.ok(url, "the sign-in address is shown whole");
    t.type(await signInByForm(url, "alice@contoso.com", sb.emulator.password));
    t.keys("Enter");
    const menu = await t.waitFor(MAIN_MENU, 30_000);
    assert.match(menu, /Microsoft Teams\s+Alice Example/);
    assert.match(menu, /^Main Menu\s*$/m);
    for (const item of MENU_ITEMS) assert.match(menu, new RegExp(`^[❯ ] ${item}`, "m"));
  });

  it("every menu item opens under its breadcrumb and goes back (Esc, ← Back, Ctrl+C)", async () => {
    const visits: Array<[string, string, string]> = [
      ["Chat with someone", "Main Menu › Chat", "? Who?"],
      ["Conversations", "Main Menu › Conversations", "? Open a chat"],
      ["Read messages", "Main Menu › Read messages", "? Whose messages?"],
      ["Send a message", "Main Menu › Send a message", "? Send to which chat?"],
      ["Check presence", "Main Menu › Presence", "? Presence of the people you chat with"],
      ["Set my status", "Main Menu › Set my status", "Appear offline"],
      ["Search messages", "Main Menu › Search messages", "? Search messages for:"],
      ["New chat", "Main Menu › New chat", "? Who? Names"],
      ["Live events", "Main Menu › Live events", "Live events from all your chats"],
      ["Upload a file", "Main Menu › Upload a file", "? Upload to which chat?"],
      ["Accounts", "Main Menu › Accounts", "Sign out of this account"],
    ];
    for (const [i, [item, crumb, question]] of visits.entries()) {
      await choose(t, MAIN_MENU, item);
      await t.waitFor((s) => s.includes(crumb) && s.includes(question), 20_000, `${item}'s screen`);
      // Leave by Esc, by the ← Back item, and by Ctrl+C in turn.
      if (question.startsWith("? Who? Names") || question.startsWith("? Search")) t.keys(i % 2 ? "Escape" : "C-c");
      else if (i % 3 === 0) t.keys("Escape");
      else if (i % 3 === 1) {
        t.keys("End");
        await t.waitFor(/❯ ← Back/, 5_000, "the cursor on ← Back");
        t.keys("Enter");
      } else t.keys("C-c");
      await t.waitFor((s) => s.includes(MAIN_MENU) && /^Main Menu\s*$/m.test(s), 20_000, "the main menu again");
    }
  });

  it("Ctrl+C in a question goes back and keeps the typed text for next time", async () => {
    await choose(t, MAIN_MENU, "New chat");
    await t.waitFor("? Who? Names");
    t.type("dana, ev");
    await t.waitFor("> dana, ev");
    t.keys("C-c");
    await t.waitFor(MAIN_MENU);
    await choose(t, MAIN_MENU, "New chat");
    await t.waitFor("> dana, ev", 10_000, "the kept text");
    t.keys("C-c");
    await t.waitFor(MAIN_MENU);
  });

  it("a chat: history, receiving without a key press, send, reply, react, hostile text", async () => {
    await choose(t, MAIN_MENU, "Conversations");
    await choose(t, "Open a chat", "Bob Example");
    let screen = await t.waitFor(/Main Menu › Conversations › Bob Example[\s\S]*\n> /, 20_000, "the chat view");
    await t.waitFor(/\d+ \d\d:\d\d {2}(You|Bob Example) /, 20_000, "the history");
    assert.doesNotMatch(screen, /8:orgid|@unq\.gbl|@thread/);

    // Live push is connected (the status line says so), and Bob's message appears within 1 s with no key pressed.
    await t.waitFor(/● live/, 20_000, "push connected");
    const ping = `ping ${Date.now()}`;
    assert.equal((await sb.runAs("bob@contoso.com", ["send", "Alice Example", ping])).code, 0);
    const sent = Date.now();
    screen = await t.waitFor(new RegExp(`Bob Example\\s+${ping}`), 15_000, "Bob's message, live");
    assert.ok(Date.now() - sent < 1000, `Bob's message took ${Date.now() - sent} ms to appear`);

    // Send.
    const text = `hello from the app ${Date.now()}`;
    t.type(text);
    t.keys("Enter");
    await t.waitFor(new RegExp(`\\d+ \\d\\d:\\d\\d {2}You\\s+${text}`), 20_000, "the sent message in the log");
    const bob = await sb.runAs("bob@contoso.com", ["messages", "Alice Example", "-n", "3"]);
    assert.ok(
      (JSON.parse(bob.stdout) as Array<{ text: string }>).some((m) => m.text === text),
      "Bob got it",
    );

    // Reply to Bob's message by its number.
    screen = t.visible();
    const n = numberOf(screen, new RegExp(ping));
    t.type(`/reply ${n} pong`);
    t.keys("Enter");
    await t.waitFor(new RegExp(`│ Bob Example: ${ping}[\\s\\S]*pong`), 20_000, "the reply with its quote");

    // /presence lists who is here.
    t.type("/presence");
    t.keys("Enter");
    await t.waitFor(/Presence:\s*\n\s+[●○?] Bob Example/, 20_000, "the chat's presence panel");
    t.keys("Escape");

    // React with 🔥.
    t.type(`/react ${n} 🔥`);
    t.keys("Enter");
    await t.waitFor(/🔥 1 \(You\)/, 20_000, "the reaction under Bob's message");

    // Escape sequences in a message show as harmless text: nothing cleared, no title, no link.
    const title = (): string =>
      execFileSync("tmux", ["-L", t.socket, "display-message", "-p", "-t", t.session, "#{pane_title}"], {
        encoding: "utf8",
      });
    const hostile =
      "evil \x1b[2J cleared \x1b]8;;http://x.test\x07link\x1b]8;;\x07 \x1b]52;c;aGk=\x07 \x1b]0;PWNED\x07 \x1b[5;5H moved";
    // tmux would take an application's OSC 52 into a paste buffer: nothing may arrive there.
    execFileSync("tmux", ["-L", t.socket, "set-option", "-g", "set-clipboard", "on"]);
    assert.equal((await sb.runAs("bob@contoso.com", ["send", "Alice Example", hostile])).code, 0);
    screen = await t.waitFor(/Bob Example\s+evil\s+cleared\s+\S*link\s+moved/, 15_000, "the hostile message as text");
    assert.match(screen, /Main Menu › Conversations › Bob Example/, "the screen was not cleared");
    assert.match(screen, /pong/);
    assert.doesNotMatch(title(), /PWNED/);
    const buffers = execFileSync("tmux", ["-L", t.socket, "list-buffers", "-F", "#{buffer_sample}"], {
      encoding: "utf8",
    });
    assert.doesNotMatch(buffers, /hi/, "no clipboard write");
    assert.doesNotMatch(t.screenWithEscapes(), /\x1b\]8;|x\.test\x07/, "no hyperlink");

    // /file with Tab completion sends a file; the log shows it as a file.
    writeFileSync(join(sb.dir, "notes-for-bob.txt"), "the notes\n");
    t.type(`/file ${sb.dir}/notes-for`);
    t.keys("Tab");
    await t.waitFor(`> /file ${sb.dir}/notes-for-bob.txt`, 10_000, "the completed path");
    t.keys("Enter");
    await t.waitFor(/You\s+📎 notes-for-bob\.txt \(10 B\)/, 30_000, "the file in the log");
  });

  it("Ctrl+C cancels a load and keeps the typed line; again clears it (↑ brings it back); on empty goes back", async () => {
    await fault(sb, { latencyMs: 30_000, count: 1, path: "/threads/" });
    t.type("/members");
    t.keys("Enter");
    await t.waitFor("Loading members…", 10_000, "the spinner saying what it waits for");
    t.type("half typed");
    await t.waitFor("> half typed");
    t.keys("C-c");
    await t.waitFor((s) => s.includes("Cancelled.") && s.includes("> half typed"), 10_000, "cancelled, text kept");
    await clearFaults(sb);
    t.keys("C-c");
    await t.waitFor((s) => s.includes("Line cleared") && !s.includes("> half typed"), 10_000, "the line cleared");
    t.keys("Up");
    await t.waitFor("> half typed", 10_000, "the line back with ↑");
    t.keys("C-u");
    await t.waitFor((s) => !s.includes("> half typed"));
    t.keys("C-c");
    await t.waitFor("? Open a chat", 10_000, "back in the chat list");
  });

  it("fits the terminal exactly at 60×20 and 200×50, following resizes", async () => {
    await choose(t, "Open a chat", "Project Falcon");
    await t.waitFor(/Main Menu › Conversations › Project Falcon[\s\S]*\n> /, 20_000, "the chat view");
    for (const [columns, rows] of [
      [60, 20],
      [200, 50],
      [61, 24],
    ] as const) {
      t.resize(columns, rows);
      await t.waitFor(
        () => {
          const lines = t.visible().split("\n");
          return lines.some((l) => l === "─".repeat(columns) || l.startsWith("─".repeat(columns)));
        },
        10_000,
        `the view redrawn at ${columns}×${rows}`,
      );
      assert.deepEqual(t.size(), { columns, rows });
      assertFits(t, columns);
      assert.match(t.visible(), /Main Menu › Conversations › Project Falcon/);
    }
    t.type("/back");
    t.keys("Enter");
    await t.waitFor("? Open a chat");
    assertFits(t, 61);
    t.resize(120, 40);
    t.keys("Escape");
    await t.waitFor(MAIN_MENU);
  });

  it("Set my status: Busy, seen by another user; Check presence shows dots", async () => {
    await choose(t, MAIN_MENU, "Set my status");
    await choose(t, "Set my status", "Busy");
    await t.waitFor((s) => s.includes(MAIN_MENU) && /Alice Example ● Busy/.test(s), 20_000, "Busy in the title bar");
    const bob = new TeamsClient({ env: sb.envFor("bob@contoso.com") });
    if (!(await bob.loadSession())) await bob.signInWithPassword("bob@contoso.com", sb.emulator.password);
    const alice = (await bob.middleTier.getUserByEmail("alice@contoso.com"))!;
    const [seen] = await bob.presence.getPresence([alice.mri]);
    assert.equal(seen?.availability, "Busy", "Bob sees Alice as Busy");
    await bob.presence.setStatus("DoNotDisturb");
    await choose(t, MAIN_MENU, "Check presence");
    await t.waitFor(/[●○?] Bob Example\s+Do not disturb/, 20_000, "Bob's presence with a dot");
    t.keys("Escape");
    await t.waitFor(MAIN_MENU);
  });

  it("Search messages: results with names; Enter opens the chat", async () => {
    await choose(t, MAIN_MENU, "Search messages");
    await t.waitFor("? Search messages for:");
    t.type("kubectl");
    t.keys("Enter");
    await t.waitFor(/\d+ results? — Enter opens the chat/, 30_000, "the results");
    const screen = await t.waitFor(/❯ [^\n]*: [^\n]*kubectl/, 10_000, "a result naming its sender");
    assert.doesNotMatch(screen, /8:orgid|@thread/);
    t.keys("Enter");
    await t.waitFor(/Main Menu › Search › [^\n]+\n[\s\S]*\n> /, 20_000, "the chat of the result");
    // Once loaded (a Ctrl+C during the load would cancel the load instead), Ctrl+C goes back.
    await t.waitFor((s) => /\d+ \d\d:\d\d {2}\S/.test(s) && !s.includes("Loading messages"), 20_000, "its history");
    t.keys("C-c");
    await t.waitFor(/results? — Enter opens the chat/);
    t.keys("Escape");
    await t.waitFor("? Search messages for:");
    t.keys("Escape");
    await t.waitFor(MAIN_MENU);
  });

  it("Accounts: sign in to another account right there, then switch back", async () => {
    await choose(t, MAIN_MENU, "Accounts");
    await choose(t, "Accounts", "Sign in to another account");
    await t.waitFor("? A short name for the new account");
    t.type("bob");
    t.keys("Enter");
    await t.waitFor((s) => s.split("How do you want to sign in?").length > 2, 30_000, "the sign-in choice again");
    await pasteWay(t);
    const screen = await t.waitFor((s) => s.split("Paste the address here").length > 2, 30_000, "a second sign-in");
    const url = [...screen.matchAll(/(http:\/\/127\.0\.0\.1:\d+\/login\/\S+)/g)].at(-1)?.[1];
    assert.ok(url, "the sign-in address is shown");
    t.type(await signInByForm(url, "bob@contoso.com", sb.emulator.password));
    t.keys("Enter");
    await t.waitFor((s) => s.includes(MAIN_MENU) && /Microsoft Teams\s+Bob Example/.test(s), 30_000, "Bob's app");
    await choose(t, MAIN_MENU, "Accounts");
    await choose(t, "Accounts", "Switch to Alice Example");
    await t.waitFor((s) => s.includes(MAIN_MENU) && /Microsoft Teams\s+Alice Example/.test(s), 30_000, "Alice again");
  });

  it("Ctrl+C at the main menu leaves, and the shell is cooked again", async () => {
    t.keys("C-c");
    await assertCookedShell(t);
  });
});
