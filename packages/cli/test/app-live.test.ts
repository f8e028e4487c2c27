/**
 * The interactive app's live parts in a real terminal (tmux) against the emulator: the chat list
 * reordered by push without a key press, the Live events screen, and spinners that say when a call
 * waits on the service's Retry-After. Waits are on screen content, never on sleeps.
 */
import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { displayWidth } from "../src/interactive/width.js";
import { assertCookedShell, CLI, choose, clearFaults, fault, MAIN_MENU } from "./helpers/app.js";
import { ROOT, type Sandbox, sandbox } from "./helpers/cli.js";
import { Tmux } from "./helpers/tmux.js";

/** The title of the first chat in the shown list (the row after "Type to filter"). */
function firstChat(screen: string): string {
  const lines = screen.split("\n");
  const at = lines.findLastIndex((l) => l.includes("Type to filter"));
  return (lines[at + 1] ?? "").replace(/^[❯ ]\s*[●]?\s*/, "").split(/\s{2,}/)[0] ?? "";
}

describe("the interactive app, live", { timeout: 180_000 }, () => {
  let sb: Sandbox;
  let t: Tmux;
  before(async () => {
    sb = await sandbox();
    await sb.login("alice@contoso.com");
    t = await Tmux.start({ ...sb.env }, ROOT);
    t.run(CLI);
    await t.waitFor(MAIN_MENU, 30_000, "the main menu");
  });
  after(async () => {
    t?.close();
    await sb.close();
  });

  it("the chat list: pushed activity moves a chat to the top, unread and marked, without a key press", async () => {
    await choose(t, MAIN_MENU, "Conversations");
    const before = await t.waitFor(/● live — new activity moves a chat to the top/, 20_000, "the list on push");
    assert.notEqual(firstChat(before), "Bob Example", "Bob's chat starts below the top");
    // Bob writes to Alice: their chat comes first, marked unread, with his words as the preview.
    const ping = `list ping ${Date.now()}`;
    assert.equal((await sb.runAs("bob@contoso.com", ["send", "Alice Example", ping])).code, 0);
    const screen = await t.waitFor(
      (s) => firstChat(s) === "Bob Example" && s.includes(ping),
      15_000,
      "Bob's chat at the top",
    );
    assert.match(screen, new RegExp(`^[❯ ] ● Bob Example\\s.*Bob: ${ping}`, "m"), "marked unread with a preview");
    t.keys("Escape");
    await t.waitFor(MAIN_MENU);
  });

  it("Live events: another user's message appears with names, no ids, until Ctrl+C goes back", async () => {
    await choose(t, MAIN_MENU, "Live events");
    await t.waitFor(/Main Menu › Live events[\s\S]*● live — events appear as they happen/, 20_000, "the listener");
    const ping = `event ping ${Date.now()}`;
    assert.equal((await sb.runAs("bob@contoso.com", ["send", "Project Falcon", `${ping} \x1b]0;PWNED\x07x`])).code, 0);
    const screen = await t.waitFor(
      new RegExp(`\\d\\d:\\d\\d\\s+Bob Example in Project Falcon: ${ping}`),
      15_000,
      "Bob's message as a line",
    );
    assert.doesNotMatch(screen, /8:orgid|@thread|19:/, "names, never raw ids");
    // A long line wraps: at 60 columns nothing is wider than the pane.
    const long = `long ${"word ".repeat(30)}end`;
    assert.equal((await sb.runAs("bob@contoso.com", ["send", "Alice Example", long])).code, 0);
    t.resize(60, 20);
    // Redrawn, not just cut by tmux: at 120 columns the line took two rows, at 60 it takes at least three.
    await t.waitFor(
      () =>
        t
          .visible()
          .split("\n")
          .filter((l) => l.includes("word")).length >= 3 && /\bend\s*$/m.test(t.visible()),
      10_000,
      "the line rewrapped at 60×20",
    );
    for (const l of t.visible().split("\n")) assert.ok(displayWidth(l) <= 60, `wider than 60: ${JSON.stringify(l)}`);
    t.resize(120, 40);
    t.keys("C-c");
    await t.waitFor((s) => s.includes(MAIN_MENU) && /^Main Menu\s*$/m.test(s), 10_000, "the main menu again");
    // And back again with Esc.
    await choose(t, MAIN_MENU, "Live events");
    await t.waitFor(/● live — events appear/, 20_000);
    t.keys("Escape");
    await t.waitFor(MAIN_MENU);
  });

  it("a spinner says when it waits on Retry-After, counting down", async () => {
    await fault(sb, { status: 429, retryAfter: 3, count: 1, path: "/conversations$" });
    try {
      await choose(t, MAIN_MENU, "Conversations");
      await t.waitFor(/Loading chats… rate limited — retrying in 3 s/, 10_000, "the wait, named");
      await t.waitFor(/Loading chats… rate limited — retrying in [12] s/, 10_000, "the countdown");
      await t.waitFor(/● live — new activity/, 20_000, "the list after the wait");
    } finally {
      await clearFaults(sb);
    }
    t.keys("Escape");
    await t.waitFor(MAIN_MENU);
  });

  it("Exit leaves, and the shell is cooked again", async () => {
    await choose(t, MAIN_MENU, "Exit");
    await assertCookedShell(t);
  });
});
