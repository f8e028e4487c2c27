/**
 * The commands that change a conversation (reply, edit, delete, react, read, chat, members), each
 * round-tripped against the emulator through the real CLI: the change is made by one command and
 * observed by another (often as the other person), and what is shown to a person names people,
 * never ids.
 */
import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { findSecret, type RunResult, runInPty, type Sandbox, sandbox } from "./helpers/cli.js";

interface MessageRow {
  number: number;
  id: string;
  text: string;
  from: { mri: string; displayName: string };
  isDeleted: boolean;
  isSystem: boolean;
  editedAt: string | null;
  reactions: Array<{ key: string; count: number; users: Array<{ mri: string; displayName: string }> }>;
}
interface ChatInfo {
  id: string;
  title: string;
  topic: string;
  members: Array<{ mri: string; displayName: string; role: string }>;
}

const BOB = "bob@contoso.com";
const NO_IDS = /\b\d+:(orgid|live)|@thread\.v2|@unq\.gbl/;

function ok(r: RunResult, what: string): RunResult {
  assert.equal(r.code, 0, `${what} exited ${r.code}: ${r.stderr}`);
  assert.equal(findSecret(r.stdout + r.stderr), undefined, `${what}: token in output`);
  return r;
}
const json = <T>(r: RunResult): T => JSON.parse(r.stdout) as T;

describe("conversation commands: reply, edit, delete, react, read, chats and members", () => {
  let sb: Sandbox;
  const messagesOf = async (chat: string, n = 5, as?: string): Promise<MessageRow[]> =>
    json<MessageRow[]>(
      ok(
        as
          ? await sb.runAs(as, ["messages", chat, "-n", String(n)])
          : await sb.run(["messages", chat, "-n", String(n)]),
        `messages ${chat}`,
      ),
    );

  before(async () => {
    sb = await sandbox();
    await sb.login();
  });
  after(async () => {
    await sb.close();
  });

  it("reply quotes the message named by its short number; Bob sees the reply", async () => {
    const sent = json<{ id: string }>(
      ok(await sb.runAs(BOB, ["send", "Alice Example", "Can you review the deck?"]), "bob sends"),
    );
    const listed = await messagesOf("Bob Example", 5);
    const target = listed.find((m) => m.id === sent.id);
    assert.ok(target, "Bob's message is in Alice's listing");
    const reply = json<{ id: string }>(
      ok(await sb.run(["reply", "Bob Example", String(target.number), "Yes, after lunch"]), "reply"),
    );
    const bobSees = await messagesOf("Alice Example", 3, BOB);
    const got = bobSees.find((m) => m.id === reply.id);
    assert.ok(got, "the reply arrived");
    assert.match(got.text, /Yes, after lunch/);
    assert.match(got.text, /Can you review the deck\?/, "the reply quotes the original");
  });

  it("edit changes the text by short number; delete leaves a tombstone", async () => {
    const sent = json<{ id: string }>(ok(await sb.run(["send", "Bob Example", "meeting at 3"]), "send"));
    const listed = await messagesOf("Bob Example", 5);
    const n = listed.find((m) => m.id === sent.id)!.number;
    ok(await sb.run(["edit", "Bob Example", String(n), "meeting at 4"]), "edit");
    let bobSees = (await messagesOf("Alice Example", 5, BOB)).find((m) => m.id === sent.id)!;
    assert.equal(bobSees.text, "meeting at 4");
    assert.ok(bobSees.editedAt, "marked as edited");

    ok(await sb.run(["delete", "Bob Example", sent.id]), "delete by id");
    bobSees = (await messagesOf("Alice Example", 5, BOB)).find((m) => m.id === sent.id)!;
    assert.equal(bobSees.isDeleted, true);
  });

  it("react adds and --remove takes back a reaction; listings show who reacted by name", async () => {
    const sent = json<{ id: string }>(ok(await sb.runAs(BOB, ["send", "Alice Example", "shipped!"]), "bob sends"));
    await messagesOf("Bob Example", 5);
    const n = (await messagesOf("Bob Example", 5)).find((m) => m.id === sent.id)!.number;
    ok(await sb.run(["react", "Bob Example", String(n), "👍"]), "react");
    const liked = (await messagesOf("Alice Example", 5, BOB)).find((m) => m.id === sent.id)!;
    assert.deepEqual(
      liked.reactions.map((r) => [r.key, r.count, r.users.map((u) => u.displayName)]),
      [["like", 1, ["Alice Example"]]],
    );
    const tty = ok(await runInPty(["messages", "Bob Example", "-n", "5"], { env: sb.env }), "messages on a terminal");
    assert.match(tty.stdout, /👍 1 \(You\)/);

    ok(await sb.run(["react", "Bob Example", sent.id, "like", "--remove"]), "unreact");
    const unliked = (await messagesOf("Alice Example", 5, BOB)).find((m) => m.id === sent.id)!;
    assert.deepEqual(unliked.reactions, []);
  });

  it("react with an emoji outside the classic six (🔥) sends its Teams emoji id, and the emulator takes it", async () => {
    const sent = json<{ id: string }>(ok(await sb.runAs(BOB, ["send", "Alice Example", "demo is live"]), "bob sends"));
    const n = (await messagesOf("Bob Example", 5)).find((m) => m.id === sent.id)!.number;
    const reacted = json<{ reaction: string }>(ok(await sb.run(["react", "Bob Example", String(n), "🔥"]), "react 🔥"));
    assert.equal(reacted.reaction, "1f525_fire");
    const fired = (await messagesOf("Alice Example", 5, BOB)).find((m) => m.id === sent.id)!;
    assert.deepEqual(
      fired.reactions.map((r) => [r.key, r.count, r.users.map((u) => u.displayName)]),
      [["1f525_fire", 1, ["Alice Example"]]],
    );
    const bad = await sb.run(["react", "Bob Example", String(n), "lol"]);
    assert.equal(bad.code, 2, "not a reaction: a usage error before any request");
  });

  it("read marks the chat read; --unread marks it unread again", async () => {
    ok(await sb.runAs(BOB, ["send", "Alice Example", "ping"]), "bob sends");
    const unreadBob = async (): Promise<boolean> => {
      const chats = json<Array<{ title: string; isUnread: boolean }>>(ok(await sb.run(["chats", "-n", "20"]), "chats"));
      return chats.find((c) => c.title === "Bob Example")!.isUnread;
    };
    assert.equal(await unreadBob(), true);
    const r = ok(await sb.run(["read", "Bob Example"]), "read");
    assert.ok(json<{ readUpTo: string }>(r).readUpTo);
    assert.equal(await unreadBob(), false);
    const last = (await messagesOf("Bob Example", 1))[0]!;
    ok(await sb.run(["read", "Bob Example", "--unread", String(last.number)]), "read --unread");
    assert.equal(await unreadBob(), true);
  });

  let created: string;

  it("chat new creates a group chat with people named by email and by name", async () => {
    const r = ok(
      await sb.run([
        "chat",
        "new",
        "bob@contoso.com",
        "Dana Whitfield",
        "--topic",
        "Offsite",
        "--message",
        "Where shall we go?",
      ]),
      "chat new",
    );
    const out = json<{ id: string; members: Array<{ displayName: string }> }>(r);
    created = out.id;
    assert.deepEqual(out.members.map((m) => m.displayName).sort(), ["Bob Example", "Dana Whitfield"]);
    const bobSees = await messagesOf("Offsite", 5, BOB);
    assert.ok(bobSees.some((m) => m.text === "Where shall we go?"));
  });

  it("chat info lists members with roles and names", async () => {
    const info = json<ChatInfo>(ok(await sb.run(["chat", "info", created]), "chat info"));
    assert.equal(info.title, "Offsite");
    const roles = Object.fromEntries(info.members.map((m) => [m.displayName, m.role]));
    assert.deepEqual(roles, { "Alice Example": "Admin", "Bob Example": "User", "Dana Whitfield": "User" });
    const tty = ok(await runInPty(["chat", "info", "Offsite"], { env: sb.env }), "chat info on a terminal");
    assert.match(tty.stdout, /Alice Example \(you\)/);
    assert.match(tty.stdout, /Bob Example\s+│ member/);
    assert.doesNotMatch(tty.stdout, NO_IDS);
  });

  it("members add and remove change the roster; the chat log says so in names", async () => {
    const added = ok(await sb.run(["members", "add", "Offsite", "evan@contoso.com"]), "members add");
    assert.equal(json<{ added: Array<{ displayName: string }> }>(added).added[0]?.displayName, "Evan Okafor");
    let info = json<ChatInfo>(ok(await sb.run(["chat", "info", "Offsite"]), "chat info"));
    assert.ok(info.members.some((m) => m.displayName === "Evan Okafor"));

    ok(await sb.run(["members", "remove", "Offsite", "Dana"]), "members remove by name");
    info = json<ChatInfo>(ok(await sb.run(["chat", "info", "Offsite"]), "chat info"));
    assert.ok(!info.members.some((m) => m.displayName === "Dana Whitfield"));

    const log = ok(await runInPty(["messages", "Offsite", "-n", "10"], { env: sb.env }), "messages on a terminal");
    assert.match(log.stdout, /added Evan Okafor/);
    assert.match(log.stdout, /removed Dana Whitfield/);
    assert.doesNotMatch(log.stdout, NO_IDS);
  });

  it("topic renames the chat for everyone", async () => {
    const r = ok(await sb.run(["topic", "Offsite", "Offsite 2025"]), "topic");
    assert.equal(r.code, 0);
    const bobInfo = json<ChatInfo>(ok(await sb.runAs(BOB, ["chat", "info", created]), "bob chat info"));
    assert.equal(bobInfo.title, "Offsite 2025");
  });

  it("an unknown person is a usage error naming them", async () => {
    const r = await sb.run(["members", "add", "Offsite 2025", "nobody@contoso.com"]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /nobody@contoso\.com/);
  });

  it("a message number from no listing is a usage error", async () => {
    const r = await sb.run(["react", "Project Falcon", "3", "like"]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /teams messages/);
  });
});
