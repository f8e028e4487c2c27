/**
 * Output formats: piped output stays JSON; `--format table` gives the human table even when piped,
 * and on a terminal runs it through $PAGER (else `less -FRX`), sanitized so `less -R` shows server
 * text as text.
 */
import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { runInPty, type Sandbox, sandbox } from "./helpers/cli.js";

const HOSTILE_TOPIC = "Evil \x1b[2J\x1b]0;PWNED\x07\x1b]52;c;aGk=\x07 topic";

describe("--format", { timeout: 120_000 }, () => {
  let sb: Sandbox;
  before(async () => {
    sb = await sandbox();
    await sb.login("alice@contoso.com");
    const made = await sb.run(["chat", "new", "dana@contoso.com", "evan@contoso.com", "--topic", HOSTILE_TOPIC]);
    assert.equal(made.code, 0, made.stderr);
  });
  after(async () => {
    await sb.close();
  });

  it("piped: JSON by default and with --format json", async () => {
    for (const args of [["chats"], ["chats", "--format", "json"]]) {
      const r = await sb.run(args);
      assert.equal(r.code, 0, r.stderr);
      const chats = JSON.parse(r.stdout) as Array<{ title: string }>;
      assert.ok(chats.some((c) => c.title === "Project Falcon"));
    }
  });

  it("piped with --format table: the human table, plain, server text sanitized", async () => {
    const r = await sb.run(["chats", "--format", "table"]);
    assert.equal(r.code, 0, r.stderr);
    assert.throws(() => JSON.parse(r.stdout));
    assert.match(r.stdout, /│ # │ Chat\s+│ Kind\s+│ Last activity/);
    assert.match(r.stdout, /Project Falcon/);
    assert.match(r.stdout, /Evil .*topic/);
    assert.doesNotMatch(r.stdout, /\x1b/, "no escape sequence at all when piped");
  });

  it("on a terminal with --format table: through $PAGER", async () => {
    const r = await runInPty(["chats", "--format", "table"], {
      env: { ...sb.env, PAGER: "sed 's/^/PAGED:/'" },
      discardStderr: true,
    });
    assert.equal(r.code, 0, r.stdout);
    const lines = r.stdout.split(/\r?\n/).filter((l) => l.trim());
    assert.ok(lines.length > 3, r.stdout);
    for (const l of lines) assert.match(l, /^PAGED:/, `every line went through the pager: ${JSON.stringify(l)}`);
    assert.match(r.stdout, /PAGED:.*Project Falcon/);
  });

  it("on a terminal, the default pager is less: only colour codes reach it", async () => {
    const r = await runInPty(["chats", "--format", "table", "-n", "5"], {
      env: { ...sb.env, PAGER: "cat -v" },
      discardStderr: true,
    });
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /Evil .*topic/);
    // `cat -v` shows every ESC as ^[: colour codes (^[[…m) only, never a clear, a title or the clipboard.
    for (const m of r.stdout.matchAll(/\^\[(\S{0,12})/g)) assert.match(m[1]!, /^\[[0-9;]*m/, `not a colour: ${m[0]}`);
    const less = await runInPty(["chats", "--format", "table", "-n", "5"], {
      env: { ...sb.env, PAGER: undefined, LESS: undefined },
      discardStderr: true,
    });
    assert.equal(less.code, 0);
    assert.match(less.stdout, /Project Falcon|Evil/, "less printed the short table and quit (LESS=FRX)");
  });
});
