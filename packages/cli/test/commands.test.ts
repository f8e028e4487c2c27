/**
 * The issue-2 commands end to end: the real `teams` in a child process against an emulator on a
 * free port, signed in through the emulator's real sign-in page with --password-stdin.
 */
import * as assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { findSecret, type RunResult, runInPty, type Sandbox, sandbox } from "./helpers/cli.js";

interface ChatRow {
  number: number;
  id: string;
  title: string;
  kind: string;
  isUnread: boolean;
}
interface MessageRow {
  number: number;
  id: string;
  text: string;
  from: { mri: string; displayName: string };
  isSystem: boolean;
}

function ok(r: RunResult, what: string): RunResult {
  assert.equal(r.code, 0, `${what} exited ${r.code}: ${r.stderr}`);
  const leak = findSecret(r.stdout + r.stderr);
  assert.equal(leak, undefined, `${what}: ${leak}`);
  return r;
}

function json<T>(r: RunResult): T {
  return JSON.parse(r.stdout) as T;
}

describe("teams login / whoami / chats / messages / send", () => {
  let sb: Sandbox;
  let chats: ChatRow[];

  before(async () => {
    sb = await sandbox();
  });
  after(async () => {
    await sb.close();
  });

  it("login --password-stdin signs in through the sign-in page and stores the session 0600", async () => {
    const r = ok(
      await sb.run(["login", "--username", "alice@contoso.com", "--password-stdin"], {
        input: `${sb.emulator.password}\n`,
      }),
      "login",
    );
    const me = json<{ displayName: string; email: string; mri: string }>(r);
    assert.equal(me.displayName, "Alice Example");
    assert.equal(me.email, "alice@contoso.com");
    assert.equal(statSync(join(sb.dir, "session.json")).mode & 0o777, 0o600);
  });

  it("whoami prints JSON when piped, and with --json", async () => {
    const piped = json<{ displayName: string; kind: string }>(ok(await sb.run(["whoami"]), "whoami"));
    assert.equal(piped.displayName, "Alice Example");
    assert.equal(piped.kind, "enterprise");
    const flagged = json<{ displayName: string }>(ok(await sb.run(["whoami", "--json"]), "whoami --json"));
    assert.equal(flagged.displayName, "Alice Example");
  });

  it("chats lists numbered chats with titles made of names, never ids", async () => {
    chats = json<ChatRow[]>(ok(await sb.run(["chats", "--count", "10"]), "chats"));
    assert.ok(chats.length >= 4, `only ${chats.length} chats`);
    assert.deepEqual(
      chats.map((c) => c.number),
      chats.map((_c, i) => i + 1),
    );
    for (const c of chats) {
      assert.ok(c.title.trim() !== "", `chat ${c.number} has no title`);
      assert.doesNotMatch(c.title, /\d+:|@thread|@unq/, `chat ${c.number} is titled with an id: ${c.title}`);
    }
    const titles = chats.map((c) => c.title);
    assert.ok(titles.includes("Bob Example"), titles.join(", "));
    assert.ok(titles.includes("Project Falcon"), titles.join(", "));
  });

  it("a chat can be named by its number, a title fragment, or its id — all the same messages", async () => {
    const bob = chats.find((c) => c.title === "Bob Example")!;
    const byNumber = json<MessageRow[]>(ok(await sb.run(["messages", String(bob.number), "-n", "5"]), "by number"));
    const byFragment = json<MessageRow[]>(ok(await sb.run(["messages", "bob EX", "-n", "5"]), "by fragment"));
    const byId = json<MessageRow[]>(ok(await sb.run(["messages", bob.id, "-n", "5"]), "by id"));
    assert.equal(byNumber.length, 5);
    assert.deepEqual(
      byFragment.map((m) => m.id),
      byNumber.map((m) => m.id),
    );
    assert.deepEqual(
      byId.map((m) => m.id),
      byNumber.map((m) => m.id),
    );
    // Oldest first, numbered 1..n.
    const ids = byNumber.map((m) => BigInt(m.id));
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    );
    assert.deepEqual(
      byNumber.map((m) => m.number),
      [1, 2, 3, 4, 5],
    );
    for (const m of byNumber) assert.doesNotMatch(m.from.displayName, /^8:/);
  });

  it("an ambiguous fragment is a usage error (exit 2) listing the candidates by title", async () => {
    const falcon = chats.filter((c) => c.title.toLowerCase().includes("falcon"));
    assert.ok(falcon.length >= 2, "the demo data has two chats with Falcon in the title");
    const r = await sb.run(["messages", "falcon"]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, "");
    for (const c of falcon) assert.ok(r.stderr.includes(c.title), `${c.title} not listed in: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /19:/);
  });

  it("an unknown fragment or a number past the list is a usage error", async () => {
    const unknown = await sb.run(["messages", "no such chat anywhere"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^teams: No chat's title contains/);
    const past = await sb.run(["messages", "99"]);
    assert.equal(past.code, 2);
    assert.match(past.stderr, /not in the last list/);
  });

  it("send delivers text (from an argument and from stdin) that the other person reads", async () => {
    const sent = json<{ id: string; conversationId: string }>(
      ok(await sb.run(["send", "Bob Example", "hello <b>Bob</b> & co"]), "send"),
    );
    const angle = json<{ id: string }>(ok(await sb.run(["send", "Bob Example", "<i>not html</i>"]), "send <…>"));
    const html = json<{ id: string }>(
      ok(await sb.run(["send", "Bob Example", "<p>really <b>bold</b></p>", "--html"]), "send --html"),
    );
    const fromStdin = json<{ id: string }>(
      ok(await sb.run(["send", "bob example", "-"], { input: "line one\nline two\n" }), "send -"),
    );
    const bobSees = json<MessageRow[]>(
      ok(await sb.runAs("bob@contoso.com", ["messages", "Alice Example", "-n", "5"]), "bob reads"),
    );
    const byId = new Map(bobSees.map((m) => [m.id, m]));
    assert.equal(byId.get(sent.id)?.text, "hello <b>Bob</b> & co");
    assert.equal(byId.get(sent.id)?.from.displayName, "Alice Example");
    assert.equal(byId.get(fromStdin.id)?.text, "line one\nline two");
    assert.equal(byId.get(angle.id)?.text, "<i>not html</i>");
    assert.equal(byId.get(html.id)?.text, "really bold");
  });

  it("an empty message is a usage error and sends nothing", async () => {
    const r = await sb.run(["send", "Bob Example", "   "]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /empty/);
  });

  it("escape sequences in a message never reach the terminal", async () => {
    const hostile =
      "pay \x1b[31mnow\x1b[0m \x1b]0;owned title\x07 \x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\ \x1b]52;c;ZXZpbA==\x07end";
    ok(await sb.runAs("bob@contoso.com", ["send", "Alice Example", hostile]), "bob sends");
    // JSON escapes control characters…
    const piped = ok(await sb.run(["messages", "Bob Example", "-n", "3"]), "messages piped");
    assert.doesNotMatch(piped.stdout, /\x1b/);
    // …and the terminal rendering strips them, keeping the words.
    // (NO_COLOR, so the app itself writes no escape sequence to stdout either.)
    const tty = ok(
      await runInPty(["messages", "Bob Example", "-n", "3"], { env: sb.env, discardStderr: true }),
      "messages on a terminal",
    );
    assert.match(tty.stdout, /pay now/, "the message is shown");
    assert.doesNotMatch(tty.stdout, /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/, "a control byte reached the terminal");
    assert.match(tty.stdout, /click/);
    // The title and clipboard payloads go with their sequences.
    assert.doesNotMatch(tty.stdout, /owned title|ZXZpbA/);
  });

  it("escape sequences in names and topics never reach the terminal either", async () => {
    const topic = "Evil\x1b]0;owned title\x07 \x1b[2J\x1b[31mplan\u202e";
    ok(
      await sb.runAs("bob@contoso.com", ["chat", "new", "alice@contoso.com", "dana@contoso.com", "--topic", topic]),
      "bob creates a chat with a hostile topic",
    );
    const views = [
      ["chats", "-n", "20"],
      ["chat", "info", "Evil"],
      ["messages", "Evil", "-n", "5"],
    ];
    for (const args of views) {
      const tty = ok(await runInPty(args, { env: sb.env, discardStderr: true }), args.join(" "));
      assert.match(tty.stdout, /Evil/, `${args.join(" ")} shows the chat`);
      assert.doesNotMatch(
        tty.stdout,
        /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e]/,
        `${args.join(" ")}: a control byte reached the terminal`,
      );
      assert.doesNotMatch(tty.stdout, /owned title/);
    }
  });

  it("on a terminal, chats is a table with numbers and names", async () => {
    const r = ok(await runInPty(["chats", "-n", "5"], { env: sb.env }), "chats on a terminal");
    assert.match(r.stdout, /┌/);
    assert.match(r.stdout, /│ #/);
    assert.match(r.stdout, /Bob Example/);
    assert.doesNotMatch(r.stdout, /@thread|@unq\.gbl/);
    assert.doesNotMatch(r.stdout, /^\s*[[{]/m, "printed JSON on a terminal");
  });

  it("login --refresh-token-stdin signs in with a refresh token (never echoing it)", async () => {
    const saved = JSON.parse(readFileSync(join(sb.dir, "session.json"), "utf8")) as { refreshToken: string };
    const otherFile = join(sb.dir, "by-refresh", "session.json");
    const r = ok(
      await sb.run(["login", "--refresh-token-stdin"], {
        input: `${saved.refreshToken}\n`,
        env: { TEAMS_TOKEN_FILE: otherFile },
      }),
      "login --refresh-token-stdin",
    );
    assert.equal(json<{ displayName: string }>(r).displayName, "Alice Example");
    const who = ok(await sb.run(["whoami"], { env: { TEAMS_TOKEN_FILE: otherFile } }), "whoami");
    assert.equal(json<{ email: string }>(who).email, "alice@contoso.com");
    const bad = await sb.run(["login", "--refresh-token-stdin"], {
      input: "0.EMU-not-a-real-token-at-all\n",
      env: { TEAMS_TOKEN_FILE: join(sb.dir, "bad", "session.json") },
    });
    assert.equal(bad.code, 4, bad.stderr);
    assert.equal(bad.stderr.trim().split("\n").length, 1, bad.stderr);
    assert.doesNotMatch(bad.stderr, /0\.EMU/);
  });

  it("logout forgets the session; then commands exit 4 with one sentence", async () => {
    ok(await sb.run(["logout"]), "logout");
    const r = await sb.run(["chats"]);
    assert.equal(r.code, 4);
    assert.equal(r.stdout, "");
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.match(r.stderr, /teams login/);
  });
});
