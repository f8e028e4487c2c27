/** Driving the CLI and the interactive app in tmux: the command line, emulator faults, menu picks, a cooked shell. */
import * as assert from "node:assert/strict";
import { NODE_ARGS, type Sandbox } from "./cli.js";
import { PROMPT, type Tmux } from "./tmux.js";

export const CLI = ["node", ...NODE_ARGS].join(" ");
export const MAIN_MENU = "What would you like to do?";

export async function fault(sb: Sandbox, spec: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${sb.emulator.origin}/_emulator/faults`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(spec),
  });
  assert.equal(res.status, 201, await res.text());
}

export async function clearFaults(sb: Sandbox): Promise<void> {
  await fetch(`${sb.emulator.origin}/_emulator/faults`, { method: "DELETE" });
}

/** Picks a menu item by typing to filter, once the menu titled `title` shows. */
export async function choose(t: Tmux, title: string, label: string): Promise<void> {
  await t.waitFor((s) => s.includes(`? ${title}`) && s.includes("Type to filter"), 30_000, `the menu "${title}"`);
  t.type(label);
  await t.waitFor(`Filter: ${label}`, 10_000, `the filter "${label}"`);
  t.keys("Enter");
}

/** The terminal's line discipline after the app is gone: icanon and echo back, the shell answering. */
export async function assertCookedShell(t: Tmux): Promise<void> {
  await t.waitFor((s) => s.trimEnd().endsWith(PROMPT.trim()), 10_000, "the shell prompt after the app");
  t.run("stty -a | tr ' ;' '\\n\\n' | grep -E '^-?(icanon|echo)$' | tr '\\n' ' '; echo STTY-DONE");
  const output = (s: string): string =>
    s.split("\n").find((l) => l.includes("STTY-DONE") && !l.startsWith(PROMPT.trim())) ?? "";
  const line = output(await t.waitFor((s) => output(s) !== "", 10_000, "stty output"));
  assert.match(line, /(^| )icanon /, `terminal left without icanon: ${line}`);
  assert.match(line, /(^| )echo /, `terminal left without echo: ${line}`);
  t.run("echo still-$((40+2))");
  await t.waitFor("still-42", 5_000, "the shell to answer");
}
