/**
 * `teams upload`, `teams messages` showing files, `teams download` and `teams search`: the real
 * `teams` in child processes against an emulator, Alice and Bob each with their own session.
 */
import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { DEMO_CHAT_IDS } from "@teams-api/emulator";
import { findSecret, type RunResult, runInPty, type Sandbox, sandbox } from "./helpers/cli.js";

const FALCON = DEMO_CHAT_IDS.projectFalcon;
const ALICE = "alice@contoso.com";
const BOB = "bob@contoso.com";

function ok(r: RunResult, what: string): RunResult {
  assert.equal(r.code, 0, `${what} exited ${r.code}: ${r.stderr}`);
  assert.equal(findSecret(r.stdout + r.stderr), undefined, what);
  return r;
}

describe("teams upload / download / search", { timeout: 600_000 }, () => {
  let sb: Sandbox;
  let report: Buffer;

  before(async () => {
    sb = await sandbox();
    report = randomBytes(1_500_000);
    writeFileSync(join(sb.dir, "report.pdf"), report);
  });
  after(() => sb.close());

  it("upload sends the file with a progress bar on a terminal; Bob's messages show 📎 name (size)", async () => {
    ok(await sb.runAs(ALICE, ["whoami"]), "alice signs in");
    ok(await sb.runAs(BOB, ["whoami"]), "bob signs in");
    const pty = ok(
      await runInPty(["upload", FALCON, join(sb.dir, "report.pdf"), "--caption", "zebra numbers"], {
        env: sb.envFor(ALICE),
      }),
      "upload (pty)",
    );
    assert.match(pty.stdout, /Uploading report\.pdf \[[█░]+\] +\d+%/);
    assert.match(pty.stdout, /Sent report\.pdf \(1\.4 MB\)/);

    const shown = ok(await runInPty(["messages", FALCON, "-n", "3"], { env: sb.envFor(BOB) }), "messages (pty)");
    // The pty is narrow: the label may wrap before its size, never inside it.
    assert.match(shown.stdout, /📎 report\.pdf\s+\(1\.4\sMB\)/);
    assert.match(shown.stdout, /zebra numbers/);
  });

  it("download saves it by message number, never overwriting; JSON names the path", async () => {
    const listed = ok(await sb.runAs(BOB, ["messages", FALCON, "-n", "5"]), "messages --json");
    const rows = JSON.parse(listed.stdout) as Array<{ number: number; attachments: Array<{ fileName: string }> }>;
    const row = rows.find((r) => r.attachments.some((a) => a.fileName === "report.pdf"))!;
    const out = join(sb.dir, "bob-downloads");
    mkdirSync(out);
    const first = JSON.parse(ok(await sb.runAs(BOB, ["download", String(row.number), out]), "download").stdout);
    assert.equal(first.path, join(out, "report.pdf"));
    assert.deepEqual(readFileSync(first.path), report);
    const second = JSON.parse(ok(await sb.runAs(BOB, ["download", first.objectId, out]), "download again").stdout);
    assert.equal(second.path, join(out, "report (1).pdf"));
  });

  it("upload refuses a missing file, a folder and an empty file with exit 2 and a sentence", async () => {
    writeFileSync(join(sb.dir, "empty.txt"), "");
    for (const [file, said] of [
      [join(sb.dir, "nope.pdf"), /There is no file at/],
      [sb.dir, /is a folder/],
      [join(sb.dir, "empty.txt"), /is empty/],
    ] as const) {
      const r = await sb.runAs(ALICE, ["upload", FALCON, file]);
      assert.equal(r.code, 2, `${file}: ${r.stderr}`);
      assert.match(r.stderr, said);
    }
  });

  it("search finds the caption's chat message by word and phrase; an empty query is a usage error", async () => {
    await sb.runAs(BOB, ["send", FALCON, "the zebra crossing plan"]);
    const r = JSON.parse(ok(await sb.runAs(ALICE, ["search", '"zebra crossing"']), "search").stdout);
    assert.equal(r.length, 1);
    assert.equal(r[0].conversationId, FALCON);
    assert.equal(r[0].chat, "Project Falcon");
    assert.equal(r[0].from.displayName, "Bob Example");
    assert.deepEqual(
      r[0].highlights.filter((p: { hit: boolean }) => p.hit).map((p: { text: string }) => p.text),
      ["zebra crossing"],
    );
    const fromBob = JSON.parse(ok(await sb.runAs(ALICE, ["search", "zebra", "--from", "Bob"]), "search --from").stdout);
    assert.equal(fromBob.length, 1);
    const empty = await sb.runAs(ALICE, ["search", '""']);
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /Type a word/);
  });
});
