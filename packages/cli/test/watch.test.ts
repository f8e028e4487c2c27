import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createWriteStream, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { TeamsClient } from "teams-api";
import { findSecret, NODE_ARGS, ROOT, type Sandbox, sandbox } from "./helpers/cli.js";

/** `teams watch --json` piped into a file while Alice sends, edits, reacts and types. */

const BOB = "bob@contoso.com";
const ALICE_BOB = "19:2b7e4f10-6c1d-4e8a-a3f5-9d0c1b2e3f41_9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d@unq.gbl.spaces";
const ALICE_MRI = "8:orgid:2b7e4f10-6c1d-4e8a-a3f5-9d0c1b2e3f41";

// biome-ignore lint/suspicious/noExplicitAny: NDJSON lines, shape asserted below
type Line = Record<string, any>;

let box: Sandbox;
let alice: TeamsClient;
before(async () => {
  box = await sandbox();
  alice = new TeamsClient({ cloud: "emulator", tokenStore: false, env: { ...box.emulator.env(), TEAMS_KEYRING: "0" } });
  await alice.signInWithPassword("alice@contoso.com", box.emulator.password);
  const r = await box.runAs(BOB, ["whoami"]);
  assert.equal(r.code, 0, r.stderr);
});
after(() => box.close());

describe("teams watch", { timeout: 120_000 }, () => {
  it("--json piped: every event once, valid NDJSON, names not ids; Ctrl+C exits 0", async () => {
    const file = join(box.dir, "watch.ndjson");
    const sink = createWriteStream(file);
    const child = spawn(process.execPath, [...NODE_ARGS, "watch", "--json"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NO_COLOR: "1", ...box.envFor(BOB) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let text = "";
    let stderr = "";
    const waiters: Array<() => void> = [];
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      text += d;
      sink.write(d);
      for (const w of waiters.splice(0)) w();
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    const until = async (pred: () => boolean, what: string): Promise<void> => {
      const deadline = setTimeout(() => {
        child.kill("SIGKILL");
      }, 60_000);
      try {
        while (!pred()) {
          if (child.exitCode !== null) throw new Error(`watch exited while waiting for ${what}: ${stderr}`);
          await new Promise<void>((r) => waiters.push(r));
        }
      } finally {
        clearTimeout(deadline);
      }
    };
    const lines = () =>
      text
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Line);
    await until(() => lines().some((e) => e.type === "state" && e.state === "connected"), "connected");

    const sent = await alice.sendMessage(ALICE_BOB, "watch me");
    await until(() => lines().some((e) => e.type === "message" && e.text === "watch me"), "the message");
    await alice.chat.editMessage(ALICE_BOB, sent.id, "watch me (edited)");
    await until(() => lines().some((e) => e.type === "edit"), "the edit");
    await alice.chat.addReaction(ALICE_BOB, sent.id, "like");
    await until(() => lines().some((e) => e.type === "reaction"), "the reaction");
    await alice.chat.sendTypingIndicator(ALICE_BOB);
    await until(() => lines().some((e) => e.type === "typing"), "typing");

    child.kill("SIGINT");
    assert.equal(await exited, 0, stderr);
    await new Promise<void>((r) => sink.end(r));
    const events = readFileSync(file, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Line);
    const of = (type: string) => events.filter((e) => e.type === type);
    assert.equal(of("message").length, 1);
    assert.equal(of("edit").length, 1);
    assert.equal(of("reaction").length, 1);
    assert.equal(of("typing").length, 1);
    const m = of("message")[0]!;
    assert.deepEqual(m.from, { mri: ALICE_MRI, displayName: "Alice Example" });
    assert.equal(m.conversation, "Alice Example");
    assert.equal(of("reaction")[0]!.reactedBy.displayName, "Alice Example");
    assert.equal(of("typing")[0]!.from.displayName, "Alice Example");
    assert.equal(findSecret(text + stderr), undefined);
    // stopping deleted the registration
    const status = (await (await fetch(`${box.emulator.origin}/_emulator/trouter`)).json()) as {
      registrations: unknown[];
    };
    assert.equal(status.registrations.length, 0);
  });
});
