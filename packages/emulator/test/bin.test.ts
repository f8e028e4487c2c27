import * as assert from "node:assert/strict";
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { PRODUCTION_HOSTNAMES } from "../src/hosts.js";

const ROOT = join(import.meta.dirname, "../../..");
const BIN = join(ROOT, "packages/emulator/src/bin.ts");

function run(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ["--conditions=source", "--import", "tsx", BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: "1" },
  });
}

/** Resolves with all stdout once `pattern` matches it (driven by output events, no timers). */
function waitForOutput(child: ChildProcessWithoutNullStreams, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    const onData = (chunk: Buffer) => {
      out += chunk.toString("utf8");
      if (pattern.test(out)) {
        child.stdout.off("data", onData);
        child.off("exit", onExit);
        resolve(out);
      }
    };
    const onExit = (code: number | null) => reject(new Error(`exited with ${code} before printing ${pattern}`));
    child.stdout.on("data", onData);
    child.once("exit", onExit);
  });
}

async function finish(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; stderr: string }> {
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString("utf8");
  });
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, stderr };
}

describe("teams-emulator bin", { timeout: 600_000 }, () => {
  it("starts on --port 0, prints the port, users and env block, serves, and stops on SIGTERM", async () => {
    const child = run(["--port", "0"]);
    const done = finish(child);
    try {
      const out = await waitForOutput(child, /Control plane: .*\n/);
      const m = /^teams-emulator listening on (http:\/\/127\.0\.0\.1:(\d+))$/m.exec(out);
      assert.ok(m, "first line names the URL");
      const origin = m[1]!;
      assert.notEqual(Number(m[2]), 0);
      assert.match(out, /password for all: teams-demo/);
      assert.match(out, /alice@contoso\.com\s+Alice Example\s+enterprise/);
      assert.match(out, /grace@outlook\.com\s+Grace Lin\s+consumer/);
      assert.match(out, /^ {2}export TEAMS_CLOUD=emulator$/m);
      assert.ok(out.includes(`export TEAMS_LOGIN_URL=${origin}/login\n`));
      assert.ok(out.includes(`export TEAMS_BASE_URL=${origin}\n`));

      const health = await fetch(`${origin}/_emulator/health`);
      assert.equal(health.status, 200);
      assert.equal(((await health.json()) as { status: string }).status, "ok");
    } finally {
      child.kill("SIGTERM");
    }
    const { code, stderr } = await done;
    assert.equal(code, 0, "clean exit on SIGTERM");
    assert.match(stderr, /SIGTERM, stopping/);
  });

  it("stops on SIGINT too", async () => {
    const child = run(["--port", "0", "--seed", "empty"]);
    const done = finish(child);
    await waitForOutput(child, /Control plane/);
    child.kill("SIGINT");
    assert.equal((await done).code, 0);
  });

  it("--print-hosts prints every production hostname, one per line, and exits 0", async () => {
    const child = run(["--print-hosts"]);
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString("utf8");
    });
    assert.equal((await finish(child)).code, 0);
    assert.deepEqual(stdout.trimEnd().split("\n"), [...PRODUCTION_HOSTNAMES]);
  });

  it("--production-hosts --tls --data-dir creates the CA there and prints the real configuration", async () => {
    const tmp = mkdtempSync(join(tmpdir(), "teams-emulator-bin-"));
    const dataDir = join(tmp, "ca");
    const child = run(["--port", "0", "--seed", "empty", "--production-hosts", "--tls", "--data-dir", dataDir]);
    const done = finish(child);
    try {
      const out = await waitForOutput(child, /Control plane: .*\n/);
      const origin = /^teams-emulator listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out)?.[1];
      assert.ok(origin);
      assert.ok(out.includes(`local CA ${join(dataDir, "ca.pem")} (created now)`), out);
      assert.match(out, /^ {2}export TEAMS_CLOUD=enterprise$/m);
      assert.ok(out.includes(`  export HTTPS_PROXY=${origin}\n`));
      assert.ok(out.includes(`  export NODE_EXTRA_CA_CERTS=${join(dataDir, "ca.pem")}\n`));
      assert.doesNotMatch(out, /TEAMS_BASE_URL|TEAMS_LOGIN_URL/);
      assert.equal(statSync(join(dataDir, "ca-key.pem")).mode & 0o777, 0o600);
    } finally {
      child.kill("SIGTERM");
      await done;
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  for (const args of [
    ["--port", "abc"],
    ["--port", "70000"],
    ["--host", "0.0.0.0"],
    ["--seed", "full"],
    ["--bogus"],
    ["extra"],
  ]) {
    it(`exits 2 with one line for usage error ${args.join(" ")}`, async () => {
      const child = run(args);
      let stdout = "";
      child.stdout.on("data", (d: Buffer) => {
        stdout += d.toString("utf8");
      });
      const { code, stderr } = await finish(child);
      assert.equal(code, 2);
      assert.equal(stdout, "");
      assert.equal(stderr.trimEnd().split("\n").length, 1, "one line");
      assert.match(stderr, /^teams-emulator: /);
    });
  }
});
