/**
 * Changing a conversation, round trip: each operation done by one signed-in user and seen by another, over real
 * loopback HTTP against the emulator; bad input fails with a typed error before or at the service.
 */
import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Emulator } from "@teams-api/emulator";
import { oneOnOneThreadId, parseReplyQuote, replyChainId } from "@teams-api/protocol";
import {
  BadRequestError,
  InvalidArgumentError,
  type Message,
  NotFoundError,
  PermissionDeniedError,
  type TeamsClient,
} from "../src/index.js";
import { emulator } from "./auth-helpers.js";
import { CHAT, MRI, recordingFetch, signedIn } from "./chat-fixtures.js";

async function newest(client: TeamsClient, conversationId: string, count = 1): Promise<Message[]> {
  return client.getMessages(conversationId, { count });
}

async function find(client: TeamsClient, conversationId: string, id: string): Promise<Message> {
  const m = (await client.getMessages(conversationId, { count: 100 })).find((x) => x.id === id);
  assert.ok(m, `message ${id} is visible`);
  return m;
}

describe("chat: issue B round trips between Alice and Bob", () => {
  let emu: Emulator;
  let alice: TeamsClient;
  let bob: TeamsClient;
  let clock = 0;
  const rec = recordingFetch();

  before(async () => {
    emu = await emulator();
    alice = await signedIn(emu, "alice", { fetch: rec.fetch, now: () => Date.now() + clock });
    bob = await signedIn(emu, "bob");
  });
  after(async () => {
    await emu.close();
  });

  it("a send by Alice reaches Bob with every message field mapped", async () => {
    const sent = await alice.sendMessage(CHAT.aliceBob, "Hello **there** @Bob Example", {
      mentions: [{ mri: MRI.bob, displayName: "Bob Example" }],
      importance: "high",
    });
    assert.match(sent.id, /^\d+$/);
    assert.match(sent.clientMessageId, /^\d{19}$/);
    assert.equal(sent.conversationId, CHAT.aliceBob);
    const body = JSON.parse(rec.matching("POST", /\/messages$/).at(-1)!.body) as Record<string, unknown>;
    assert.equal(body["imdisplayname"], "Alice Example", "§9.4 #13: the sender's name travels with the message");
    assert.equal(body["contenttype"], "text");
    assert.equal(body["messagetype"], "RichText/Html");
    assert.equal(body["clientmessageid"], sent.clientMessageId);

    const [m] = await newest(bob, CHAT.aliceBob);
    assert.ok(m);
    assert.equal(m.id, sent.id);
    assert.equal(m.conversationId, CHAT.aliceBob);
    assert.equal(m.clientMessageId, sent.clientMessageId);
    assert.equal(typeof m.version, "number");
    assert.equal(m.messageType, "RichText/Html");
    assert.deepEqual(m.from, { mri: MRI.alice, displayName: "Alice Example" });
    assert.match(m.content, /<(strong|b)>there<\/(strong|b)>/);
    assert.match(m.content, /itemtype="http:\/\/schema\.skype\.com\/Mention"/);
    assert.equal(m.text, "Hello there @Bob Example");
    assert.deepEqual(m.mentions, [{ mri: MRI.bob, displayName: "Bob Example" }]);
    assert.ok(m.composedAt instanceof Date);
    assert.equal(m.arrivedAt.getTime(), sent.arrivalTime.getTime());
    assert.equal(m.editedAt, undefined);
    assert.equal(m.isDeleted, false);
    assert.equal(m.isSystem, false);
    assert.deepEqual(m.reactions, []);
    assert.equal(m.rootMessageId, undefined);
    assert.equal((m.raw.properties as Record<string, string>)["importance"], "high");
  });

  it("sends plain Text escaped, and HTML as given", async () => {
    await alice.sendMessage(CHAT.aliceBob, "a < b & c", { messageType: "Text" });
    const [text] = await newest(bob, CHAT.aliceBob);
    assert.equal(text?.messageType, "Text");
    assert.equal(text?.content, "a &lt; b &amp; c");
    assert.equal(text?.text, "a < b & c");
    await alice.sendMessage(CHAT.aliceBob, "<p>Draft is in the <b>Files</b> tab.</p>");
    const [html] = await newest(bob, CHAT.aliceBob);
    assert.equal(html?.content, "<p>Draft is in the <b>Files</b> tab.</p>");
  });

  it("quote-replies in a chat with the Reply blockquote, and replies into a channel post's chain", async () => {
    const question = (await bob.getMessages(CHAT.aliceBob, { count: 50 })).find(
      (m) => m.text === "Hi Alice, are we still on for 3pm?",
    );
    assert.ok(question);
    await alice.chat.sendReply(CHAT.aliceBob, question.id, "Yes, 3pm works.");
    const [reply] = await newest(bob, CHAT.aliceBob);
    const quote = parseReplyQuote(reply!.content);
    assert.deepEqual(quote, {
      messageId: question.id,
      authorMri: MRI.bob,
      authorName: "Bob Example",
      preview: "Hi Alice, are we still on for 3pm?",
    });
    assert.match(reply!.text, /Yes, 3pm works\.$/);

    const root = (await bob.getMessages(CHAT.falconGeneral, { count: 200 })).find(
      (m) => !m.rootMessageId && !m.isSystem,
    );
    assert.ok(root);
    rec.sent.length = 0;
    const sent = await alice.chat.sendReply(CHAT.falconGeneral, root.id, "Agreed.");
    assert.equal(rec.matching("POST", /\/messages$/)[0]?.path.includes(`;messageid=${root.id}/messages`), true);
    const chain = await bob.getMessages(replyChainId(CHAT.falconGeneral, root.id), { count: 200 });
    const mine = chain.find((m) => m.id === sent.id);
    assert.equal(mine?.rootMessageId, root.id);
    assert.equal(mine?.text, "Agreed.");
    assert.equal(mine?.conversationId, CHAT.falconGeneral);
    const again = await alice.chat.sendReply(CHAT.falconGeneral, sent.id, "Replying to my reply.");
    assert.equal(
      (await find(bob, CHAT.falconGeneral, again.id)).rootMessageId,
      root.id,
      "a reply to a reply joins the root's chain",
    );
    await assert.rejects(alice.chat.sendReply(CHAT.aliceBob, "1", "to nothing"), NotFoundError);
    await assert.rejects(alice.chat.sendReply(CHAT.falconGeneral, "1", "to nothing"), NotFoundError);
  });

  it("edits: Bob sees the new text and the edit time; nobody edits someone else's message", async () => {
    const sent = await alice.sendMessage(CHAT.aliceBob, "first draft");
    const before = await find(bob, CHAT.aliceBob, sent.id);
    await alice.chat.editMessage(CHAT.aliceBob, sent.id, "second draft");
    const put = rec.matching("PUT", new RegExp(`/messages/${sent.id}$`)).at(-1);
    assert.equal((JSON.parse(put!.body) as { skypeeditedid: string }).skypeeditedid, sent.id);
    const edited = await find(bob, CHAT.aliceBob, sent.id);
    assert.equal(edited.text, "second draft");
    assert.ok(edited.editedAt instanceof Date);
    assert.ok(edited.version > before.version);
    await assert.rejects(bob.chat.editMessage(CHAT.aliceBob, sent.id, "hijack"), PermissionDeniedError);
    await assert.rejects(alice.chat.editMessage(CHAT.aliceBob, "1", "nothing"), NotFoundError);
    assert.equal((await find(bob, CHAT.aliceBob, sent.id)).text, "second draft", "unchanged by the refusals");
  });

  it("deletes: Bob sees a tombstone; nobody deletes someone else's message", async () => {
    const sent = await alice.sendMessage(CHAT.aliceBob, "delete me");
    const bobs = await bob.sendMessage(CHAT.aliceBob, "Bob's own");
    await assert.rejects(alice.chat.deleteMessage(CHAT.aliceBob, bobs.id), PermissionDeniedError);
    await alice.chat.deleteMessage(CHAT.aliceBob, sent.id);
    const gone = await find(bob, CHAT.aliceBob, sent.id);
    assert.equal(gone.isDeleted, true);
    assert.ok(gone.deletedAt instanceof Date);
    assert.equal(gone.content, "");
    assert.equal(gone.text, "");
    assert.equal((await find(alice, CHAT.aliceBob, bobs.id)).isDeleted, false);
    await assert.rejects(alice.chat.deleteMessage(CHAT.aliceBob, "1"), NotFoundError);
    await assert.rejects(
      alice.chat.addReaction(CHAT.aliceBob, sent.id, "like"),
      (err: Error) => err instanceof BadRequestError && /deleted/i.test(err.message),
      "reacting to a deleted message says why",
    );
  });

  it("reactions: counts and who, idempotent both ways", async () => {
    const sent = await bob.sendMessage(CHAT.aliceBob, "react to me");
    await alice.chat.addReaction(CHAT.aliceBob, sent.id, "like");
    await alice.chat.addReaction(CHAT.aliceBob, sent.id, "like");
    assert.deepEqual((await find(bob, CHAT.aliceBob, sent.id)).reactions, [
      { key: "like", count: 1, users: [{ mri: MRI.alice, displayName: "Alice Example" }] },
    ]);
    await bob.chat.addReaction(CHAT.aliceBob, sent.id, "like");
    await alice.chat.addReaction(CHAT.aliceBob, sent.id, "1f525_fire");
    assert.deepEqual((await find(bob, CHAT.aliceBob, sent.id)).reactions, [
      {
        key: "like",
        count: 2,
        users: [
          { mri: MRI.alice, displayName: "Alice Example" },
          { mri: MRI.bob, displayName: "Bob Example" },
        ],
      },
      { key: "1f525_fire", count: 1, users: [{ mri: MRI.alice, displayName: "Alice Example" }] },
    ]);
    await alice.chat.removeReaction(CHAT.aliceBob, sent.id, "like");
    await alice.chat.removeReaction(CHAT.aliceBob, sent.id, "like");
    await alice.chat.removeReaction(CHAT.aliceBob, sent.id, "1f525_fire");
    assert.deepEqual((await find(bob, CHAT.aliceBob, sent.id)).reactions, [
      { key: "like", count: 1, users: [{ mri: MRI.bob, displayName: "Bob Example" }] },
    ]);
    rec.sent.length = 0;
    for (const key of ["", "not a key", "like;", "follow", "x".repeat(65)]) {
      await assert.rejects(alice.chat.addReaction(CHAT.aliceBob, sent.id, key), InvalidArgumentError, key);
    }
    await assert.rejects(alice.chat.addReaction(CHAT.aliceBob, "abc", "like"), InvalidArgumentError);
    assert.equal(rec.sent.length, 0, "bad input never reaches the service");
    await assert.rejects(alice.chat.addReaction(CHAT.aliceBob, "1", "like"), NotFoundError);
  });

  it("reads reactions and send ids in the other wire variants (emotions as a string, echoed id)", async () => {
    const res = await fetch(`${emu.origin}/_emulator/variants`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ emotionsEncoding: "string", sendEchoesClientMessageId: true }),
    });
    await res.arrayBuffer();
    assert.equal(res.status, 200);
    try {
      const sent = await bob.sendMessage(CHAT.aliceBob, "variants");
      assert.notEqual(sent.id, sent.clientMessageId, "the body's echoed id is not the message id");
      await alice.chat.addReaction(CHAT.aliceBob, sent.id, "heart");
      const m = await find(bob, CHAT.aliceBob, sent.id);
      assert.equal(typeof (m.raw.properties as Record<string, unknown>)["emotions"], "string");
      assert.deepEqual(m.reactions, [
        { key: "heart", count: 1, users: [{ mri: MRI.alice, displayName: "Alice Example" }] },
      ]);
      await bob.chat.editMessage(CHAT.aliceBob, sent.id, "variants, edited");
    } finally {
      const back = await fetch(`${emu.origin}/_emulator/variants`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ emotionsEncoding: "array", sendEchoesClientMessageId: false }),
      });
      await back.arrayBuffer();
    }
  });

  it("typing: at most once per 15 s per conversation", async () => {
    rec.sent.length = 0;
    assert.equal(await alice.chat.sendTypingIndicator(CHAT.aliceBob), true);
    assert.equal(await alice.chat.sendTypingIndicator(CHAT.aliceBob), false);
    assert.equal(await alice.chat.sendTypingIndicator(CHAT.projectFalcon), true, "per conversation");
    clock += 14_000;
    assert.equal(await alice.chat.sendTypingIndicator(CHAT.aliceBob), false);
    clock += 1_001;
    assert.equal(await alice.chat.sendTypingIndicator(CHAT.aliceBob), true);
    const posts = rec.matching("POST", /\/messages$/);
    assert.equal(posts.length, 3);
    for (const p of posts) {
      assert.deepEqual(JSON.parse(p.body), {
        content: "",
        messagetype: "Control/Typing",
        contenttype: "Application/Message",
      });
    }
    const [last] = await newest(bob, CHAT.aliceBob);
    assert.notEqual(last?.messageType, "Control/Typing", "typing is not stored as a message");
  });

  it("read state: horizons, unread, mark unread", async () => {
    await alice.sendMessage(CHAT.aliceBob, "are you there?");
    const unread = (await bob.chat.getConversations({ resolveTitles: false })).find((c) => c.id === CHAT.aliceBob);
    assert.equal(unread?.isUnread, true);

    const [top] = await newest(bob, CHAT.aliceBob);
    const marked = await bob.chat.setConsumptionHorizon(CHAT.aliceBob);
    assert.equal(marked, top?.id, "defaults to the newest message");
    const horizons = await alice.chat.getConsumptionHorizons(CHAT.aliceBob);
    const bobs = horizons.find((h) => h.mri === MRI.bob);
    assert.equal(bobs?.messageId, top?.id);
    assert.ok(bobs?.readAt && Math.abs(bobs.readAt.getTime() - Date.now()) < 60_000);
    assert.ok(horizons.some((h) => h.mri === MRI.alice));
    assert.equal(bobs?.displayName, "Bob Example", "read receipts name the reader");
    const read = (await bob.chat.getConversations({ resolveTitles: false })).find((c) => c.id === CHAT.aliceBob);
    assert.equal(read?.isUnread, false);

    await bob.chat.markUnread(CHAT.aliceBob, top!.id);
    const again = (await bob.chat.getConversations({ resolveTitles: false })).find((c) => c.id === CHAT.aliceBob);
    assert.equal(again?.isUnread, true, "marked unread");
    await bob.chat.setConsumptionHorizon(CHAT.aliceBob, top!.id);
    const cleared = (await bob.chat.getConversations({ resolveTitles: false })).find((c) => c.id === CHAT.aliceBob);
    assert.equal(cleared?.isUnread, false, "reading again clears the mark");
  });

  it("creates a 1:1 chat with its first message, and gets-or-creates one without", async () => {
    const created = await alice.chat.createChat([MRI.frank], { message: "Hi Frank!" });
    assert.equal(created.id, oneOnOneThreadId(MRI.alice, MRI.frank));
    assert.equal(created.kind, "oneOnOne");
    assert.ok(created.message);
    const frank = await signedIn(emu, "frank");
    const conv = (await frank.getConversations()).find((c) => c.id === created.id);
    assert.equal(conv?.title, "Alice Example");
    assert.equal(conv?.lastMessage?.text, "Hi Frank!");
    assert.equal(conv?.isUnread, true);

    const first = await alice.chat.createChat([MRI.carol, MRI.alice]);
    const second = await alice.chat.createChat([MRI.carol]);
    assert.equal(first.id, second.id, "the same chat both times");
    assert.equal(first.message, undefined);
    const carol = await signedIn(emu, "carol");
    assert.equal((await carol.chat.getConversationDetails(first.id)).title, "Alice Example");
  });

  it("creates a group chat, adds and removes members, sets the topic — all seen by Bob", async () => {
    const group = await alice.chat.createChat([MRI.bob, MRI.dana], { message: "Welcome!" });
    assert.equal(group.kind, "group");
    const title = (await bob.getConversations()).find((c) => c.id === group.id)?.title;
    assert.equal(title, "Alice and Dana", "untitled: named from the other members");
    let lines = (await bob.getMessages(group.id)).map((m) => m.text);
    assert.deepEqual(lines, ["Welcome!", "Alice Example added Bob Example and Dana Whitfield"]);

    await alice.chat.addMember(group.id, MRI.evan);
    await alice.chat.setTopic(group.id, "Launch crew");
    await alice.chat.removeMember(group.id, MRI.dana);
    lines = (await bob.getMessages(group.id, { count: 3 })).map((m) => m.text);
    assert.deepEqual(lines, [
      "Alice Example removed Dana Whitfield",
      "Alice Example changed the topic to “Launch crew”",
      "Alice Example added Evan Okafor",
    ]);
    const details = await bob.chat.getConversationDetails(group.id);
    assert.equal(details.title, "Launch crew");
    assert.deepEqual(
      details.members.map((m) => [m.mri, m.role]),
      [
        [MRI.alice, "Admin"],
        [MRI.bob, "User"],
        [MRI.evan, "User"],
      ],
    );

    const nobody = "8:orgid:00000000-0000-4000-8000-000000000000";
    await assert.rejects(
      alice.chat.addMember(group.id, nobody),
      (err: Error) => err instanceof NotFoundError && /not found/i.test(err.message),
    );
    const unchanged = await bob.chat.getConversationDetails(group.id);
    assert.deepEqual(
      unchanged.members.map((m) => m.mri),
      details.members.map((m) => m.mri),
    );
    assert.equal((await bob.getMessages(group.id, { count: 1 }))[0]?.text, "Alice Example removed Dana Whitfield");
    await assert.rejects(alice.chat.removeMember(group.id, MRI.frank), NotFoundError, "not a member");
  });

  it("creates a titled group, and refuses bad chat input before any request", async () => {
    const titled = await alice.chat.createChat([MRI.bob], { topic: "Just us two" });
    assert.equal(titled.kind, "group", "a topic makes it a group chat even with one other person");
    assert.equal((await bob.chat.getConversationDetails(titled.id)).title, "Just us two");
    rec.sent.length = 0;
    await assert.rejects(alice.chat.createChat([]), InvalidArgumentError);
    await assert.rejects(alice.chat.createChat([MRI.alice]), InvalidArgumentError);
    await assert.rejects(alice.chat.createChat(["bob@contoso.com"]), InvalidArgumentError);
    await assert.rejects(alice.chat.createChat([MRI.bob], { message: "  " }), InvalidArgumentError);
    await assert.rejects(alice.sendMessage(CHAT.aliceBob, ""), InvalidArgumentError);
    await assert.rejects(alice.sendMessage(CHAT.aliceBob, "   \n "), InvalidArgumentError);
    await assert.rejects(alice.chat.editMessage(CHAT.aliceBob, "123", ""), InvalidArgumentError);
    await assert.rejects(alice.chat.addMember(CHAT.aliceBob.replace("19:", "x"), MRI.bob), InvalidArgumentError);
    await assert.rejects(alice.chat.addMember(titled.id, "nobody"), InvalidArgumentError);
    await assert.rejects(alice.chat.setTopic("48:notes", "x"), InvalidArgumentError);
    await assert.rejects(alice.chat.markUnread(CHAT.aliceBob, "latest"), InvalidArgumentError);
    await assert.rejects(
      alice.sendMessage(CHAT.aliceBob, "hi", { mentions: [{ mri: "bob", displayName: "Bob" }] }),
      InvalidArgumentError,
    );
    assert.equal(rec.sent.length, 0);
  });
});
