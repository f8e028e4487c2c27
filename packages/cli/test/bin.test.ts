import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { VERSION } from "../src/version.js";
import { BIN, ROOT, runCli } from "./helpers/cli.js";

const pkg = JSON.parse(readFileSync(join(ROOT, "packages", "cli", "package.json"), "utf8")) as { version: string };

describe("teams --version", () => {
  const dir = mkdtempSync(join(tmpdir(), "teams-bin-test-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("the constant matches package.json", () => {
    assert.equal(VERSION, pkg.version);
  });

  for (const flag of ["--version", "-v"]) {
    it(`${flag} prints the version and exits 0`, async () => {
      const r = await runCli([flag]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `${pkg.version}\n`);
      assert.equal(r.stderr, "");
    });
  }

  it("loads nothing but bin and version: no commander, no client, no command tree", () => {
    const trace = join(dir, "imports.txt");
    const r = spawnSync(
      process.execPath,
      [
        "--conditions=source",
        "--import",
        "tsx",
        "--import",
        join(ROOT, "packages/cli/test/fixtures/trace-imports.mjs"),
        BIN,
        "--version",
      ],
      { cwd: ROOT, env: { ...process.env, TRACE_IMPORTS_FILE: trace }, encoding: "utf8" },
    );
    assert.equal(r.status, 0, r.stderr);
    const loaded = readFileSync(trace, "utf8")
      .split("\n")
      .filter((u) => u.startsWith("file:") && !u.includes("/node_modules/tsx/") && !u.includes("/test/fixtures/"));
    const ours = loaded.map((u) => u.replace(/^.*\/packages\//, "packages/"));
    assert.deepEqual([...new Set(ours)].sort(), ["packages/cli/src/bin.ts", "packages/cli/src/version.ts"]);
  });

  it("anything else goes through the command tree (help lists the commands)", async () => {
    const r = await runCli(["--help"]);
    assert.equal(r.code, 0, r.stderr);
    for (const cmd of ["login", "logout", "whoami", "chats", "messages", "send", "reply", "react", "chat", "members"]) {
      assert.match(r.stdout, new RegExp(`\\b${cmd}\\b`));
    }
  });

  it("a usage mistake exits 2 with one line on stderr", async () => {
    const r = await runCli(["chats", "--count", "lots"]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^teams: .*count/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  it("an unknown command exits 2", async () => {
    const r = await runCli(["frobnicate"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^teams: Unknown command "frobnicate"/);
    const near = await runCli(["chatz"]);
    assert.equal(near.code, 2);
    assert.match(near.stderr, /did you mean `npx teams chats`/, "hints name the command as it can be run");
  });
});
