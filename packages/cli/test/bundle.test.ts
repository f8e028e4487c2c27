/**
 * The installed `teams` (bin/teams.cjs loading the esbuild bundle of the command tree) behaves as
 * the sources do. The bundle is built afresh into a scratch directory inside node_modules, so the
 * dependencies it leaves to run time (emoji data, keyring) resolve as they would when installed.
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ROOT, type RunResult, runNode, type Sandbox, sandbox } from "./helpers/cli.js";

const BOB = "bob@contoso.com";

describe("the bundled teams bin", { timeout: 120_000 }, () => {
  let sb: Sandbox;
  let dir: string;
  let shim: string;
  const teams = (args: readonly string[], env = sb.env, input = ""): Promise<RunResult> =>
    runNode([shim, ...args], { env, input });

  before(async () => {
    mkdirSync(join(ROOT, "node_modules", ".cache"), { recursive: true });
    dir = mkdtempSync(join(ROOT, "node_modules", ".cache", "teams-bundle-test-"));
    mkdirSync(join(dir, "bin"));
    shim = join(dir, "bin", "teams.cjs");
    copyFileSync(join(ROOT, "packages", "cli", "bin", "teams.cjs"), shim);
    copyFileSync(join(ROOT, "packages", "cli", "package.json"), join(dir, "package.json"));
    execFileSync(process.execPath, [join(ROOT, "scripts", "bundle-cli.mjs"), join(dir, "dist", "bundle")], {
      cwd: ROOT,
    });
    sb = await sandbox();
  });
  after(async () => {
    await sb?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("--version answers from package.json; --help lists the commands", async () => {
    const v = await teams(["--version"]);
    assert.deepEqual([v.code, v.stdout, v.stderr], [0, "0.1.0\n", ""]);
    const help = await teams(["--help"]);
    assert.equal(help.code, 0, help.stderr);
    assert.equal(help.stderr, "");
    for (const cmd of ["login", "chats", "messages", "send", "react", "watch"])
      assert.match(help.stdout, new RegExp(`\\b${cmd}\\b`));
  });

  it("usage mistakes keep their exit code 2 and one-line message (error names survive bundling)", async () => {
    const r = await teams(["chats", "--count", "lots"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^teams: .*count/);
    const unknown = await teams(["frobnicate"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^teams: Unknown command "frobnicate"/);
  });

  it("signs in, lists, sends, reads and reacts with 🔥 (emoji data loaded at run time) against the emulator", async () => {
    const login = await teams(
      ["login", "--username", "alice@contoso.com", "--password-stdin"],
      sb.env,
      `${sb.emulator.password}\n`,
    );
    assert.equal(login.code, 0, login.stderr);
    const chats = await teams(["chats", "--json"]);
    assert.equal(chats.code, 0, chats.stderr);
    const listed = JSON.parse(chats.stdout) as Array<{ title: string }>;
    assert.ok(
      listed.some((c) => c.title === "Bob Example"),
      chats.stdout.slice(0, 300),
    );

    const sent = await teams(["send", "Bob Example", "from the bundle"]);
    assert.equal(sent.code, 0, sent.stderr);
    const { id } = JSON.parse(sent.stdout) as { id: string };
    const reacted = await teams(["react", "Bob Example", id, "🔥"]);
    assert.equal(reacted.code, 0, reacted.stderr);
    assert.equal((JSON.parse(reacted.stdout) as { reaction: string }).reaction, "1f525_fire");

    const bobs = await sb.runAs(BOB, ["messages", "Alice Example", "-n", "3", "--json"]);
    assert.equal(bobs.code, 0, bobs.stderr);
    const seen = (
      JSON.parse(bobs.stdout) as Array<{ id: string; text: string; reactions: Array<{ key: string }> }>
    ).find((m) => m.id === id);
    assert.equal(seen?.text, "from the bundle");
    assert.deepEqual(
      seen?.reactions.map((r) => r.key),
      ["1f525_fire"],
    );
  });

  it("prints the same JSON as the sources for the same listing", async () => {
    const bundled = await teams(["messages", "Bob Example", "-n", "5", "--json"]);
    const source = await sb.run(["messages", "Bob Example", "-n", "5", "--json"]);
    assert.equal(bundled.code, 0, bundled.stderr);
    assert.equal(bundled.stdout, source.stdout);
  });

  it("without a built bundle the bin says what to do and exits 1", async () => {
    const bare = mkdtempSync(join(dir, "unbuilt-"));
    mkdirSync(join(bare, "bin"));
    copyFileSync(shim, join(bare, "bin", "teams.cjs"));
    copyFileSync(join(dir, "package.json"), join(bare, "package.json"));
    const r = await runNode([join(bare, "bin", "teams.cjs"), "chats"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^teams: cannot load the command tree \(ERR_MODULE_NOT_FOUND\); run `npm run build`\n$/);
  });
});
