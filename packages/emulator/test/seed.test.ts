import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ChatState } from "../src/state/chat.js";
import type { StoredMessage, StoredThread } from "../src/state/chat-model.js";
import { wireMessage } from "../src/state/chat-wire.js";
import { Directory } from "../src/state/directory.js";
import { DEMO_CHAT_IDS, DEMO_TEAM, seedDemoChats } from "../src/state/seed.js";
import { ALICE, BOB, CAROL, DANA, EVAN, FRANK, GRACE } from "./chat-helpers.js";

/** The demo seed: deterministic, fast, realistic, and consistent with the samples' ids. */

const NOW = 1_800_000_000_000;
const DAY = 86_400_000;

function seeded(now = NOW): ChatState {
  const state = new ChatState({
    directory: new Directory(),
    now: () => now,
    base: "https://chat.example",
    variants: { emotionsEncoding: "array" },
  });
  seedDemoChats(state);
  return state;
}

const allThreads = (s: ChatState): StoredThread[] => [
  ...s.threads.values(),
  ...[ALICE, BOB, GRACE].map((m) => s.notesOf(m)),
];
const allMessages = (s: ChatState): StoredMessage[] => allThreads(s).flatMap((t) => t.messages);
const members = (s: ChatState, id: string) => [...s.threads.get(id)!.members.keys()].sort();

describe("demo seed", () => {
  it("is deterministic for a given clock", () => {
    const render = (s: ChatState) =>
      JSON.stringify(allThreads(s).map((t) => t.messages.map((m) => wireMessage(m, s.wireOptions))));
    assert.equal(render(seeded()), render(seeded()));
    assert.notEqual(render(seeded()), render(seeded(NOW + DAY)), "timestamps follow the clock");
  });

  it("has the samples' conversations and the extra chats, with the right rosters", () => {
    const s = seeded();
    assert.deepEqual(members(s, DEMO_CHAT_IDS.aliceBob), [ALICE, BOB].sort());
    assert.deepEqual(members(s, DEMO_CHAT_IDS.projectFalcon), [ALICE, BOB, CAROL].sort());
    assert.equal(s.threads.get(DEMO_CHAT_IDS.projectFalcon)!.topic, "Project Falcon");
    assert.equal(s.threads.get(DEMO_CHAT_IDS.projectFalcon)!.members.get(ALICE)!.role, "Admin");
    const general = s.threads.get(DEMO_CHAT_IDS.falconGeneral)!;
    assert.equal(general.kind, "channel");
    assert.equal(general.team?.name, DEMO_TEAM.name);
    assert.equal(general.team?.groupId, DEMO_TEAM.groupId);
    assert.deepEqual(members(s, DEMO_CHAT_IDS.untitledGroup), [ALICE, DANA, EVAN, FRANK].sort());
    assert.equal(s.threads.get(DEMO_CHAT_IDS.untitledGroup)!.topic, "");
    assert.deepEqual(members(s, DEMO_CHAT_IDS.aliceDana), [ALICE, DANA].sort());
    assert.deepEqual(members(s, DEMO_CHAT_IDS.aliceEvan), [ALICE, EVAN].sort());
    assert.deepEqual(members(s, DEMO_CHAT_IDS.bobDana), [BOB, DANA].sort());
    assert.ok(s.conversationsOf(GRACE).length >= 2, "Grace has notes and a chat");
    assert.ok(s.notesOf(ALICE).messages.length > 0);
    for (const t of s.threads.values()) {
      if (t.kind === "oneOnOne" && t.id.endsWith("@unq.gbl.spaces")) {
        const [a, b] = t.id.slice(3, -"@unq.gbl.spaces".length).split("_");
        assert.ok(a! < b!, `${t.id} is sorted`);
      }
    }
  });

  it("has hundreds of messages, ≥300 in the busiest chat, over the last ~30 days", () => {
    const s = seeded();
    assert.ok(s.threads.get(DEMO_CHAT_IDS.aliceBob)!.messages.length >= 300);
    assert.ok(s.threads.get(DEMO_CHAT_IDS.projectFalcon)!.messages.length >= 200);
    const all = allMessages(s);
    assert.ok(all.length >= 800);
    for (const m of all) {
      assert.ok(m.id > NOW - 31 * DAY && m.id < NOW, `message ${m.id} inside the window`);
      assert.ok(m.version >= m.id && m.version < NOW, "versions are past changes");
      assert.ok(m.composetime <= m.id);
    }
  });

  it("keeps ids and sequence ids strictly increasing per thread, and versions consistent", () => {
    const s = seeded();
    for (const t of allThreads(s)) {
      for (let i = 1; i < t.messages.length; i++) {
        assert.ok(t.messages[i]!.id > t.messages[i - 1]!.id, `${t.id} ids increase`);
        assert.ok(t.messages[i]!.sequenceId > t.messages[i - 1]!.sequenceId);
      }
      assert.equal(t.version, Math.max(t.createdAt, ...t.messages.map((m) => m.version)));
      for (const m of t.messages) {
        assert.ok(t.members.has(m.from) || m.messagetype.startsWith("ThreadActivity/"), `${t.id}: sender is a member`);
        assert.equal(t.byId.get(m.id), m);
      }
    }
  });

  it("has realistic HTML: paragraphs, bold, lists, links, code, emoji, mentions, quotes", () => {
    const contents = allMessages(s0()).map((m) => m.content);
    const has = (re: RegExp, what: string) =>
      assert.ok(
        contents.some((c) => re.test(c)),
        what,
      );
    has(/^<p>/, "paragraphs");
    has(/<b>/, "bold");
    has(/<ul><li>/, "lists");
    has(/<a href="https:\/\//, "links");
    has(/<code>/, "inline code");
    has(/<pre class="language-/, "code blocks");
    has(/itemtype="http:\/\/schema\.skype\.com\/Emoji"/, "emoji");
    has(/itemtype="http:\/\/schema\.skype\.com\/Mention" itemid="0"/, "mentions");
    has(/<blockquote itemscope="" itemtype="http:\/\/schema\.skype\.com\/Reply" itemid="\d+">/, "quote replies");
  });

  it("mentions carry a properties.mentions JSON string naming a member", () => {
    const s = s0();
    let count = 0;
    for (const t of allThreads(s)) {
      for (const m of t.messages.filter((x) => x.content.includes("schema.skype.com/Mention"))) {
        assert.equal(typeof m.properties.mentions, "string");
        const list = JSON.parse(m.properties.mentions as string);
        assert.equal(list[0].itemid, "0");
        assert.equal(list[0]["@type"], "http://schema.skype.com/Mention");
        assert.ok(t.members.has(list[0].mri), "mentioned user is a member");
        count++;
      }
    }
    assert.ok(count > 10);
  });

  it("quotes point at earlier messages of the same thread", () => {
    for (const t of allThreads(s0())) {
      for (const m of t.messages) {
        const q = /itemtype="http:\/\/schema\.skype\.com\/Reply" itemid="(\d+)"/.exec(m.content);
        if (q) assert.ok(t.byId.has(Number(q[1])) && Number(q[1]) < m.id, "quoted message exists and is older");
      }
    }
  });

  it("has edited messages, tombstones and reactions", () => {
    const all = allMessages(s0());
    const edited = all.filter((m) => m.properties.edittime !== undefined);
    assert.ok(edited.length > 3);
    for (const m of edited) assert.equal(m.version, Number(m.properties.edittime));
    const deleted = all.filter((m) => m.properties.deletetime !== undefined);
    assert.ok(deleted.length >= 1);
    for (const m of deleted) {
      assert.equal(m.content, "");
      assert.deepEqual(Object.keys(m.properties), ["deletetime"]);
    }
    const reacted = all.filter((m) => m.emotions.length > 0);
    assert.ok(reacted.length > 30);
    for (const m of reacted) {
      for (const e of m.emotions) {
        for (const u of e.users) {
          assert.notEqual(u.mri, m.from, "nobody reacts to their own message in the seed");
          assert.ok(u.time > m.id && u.time <= m.version);
        }
      }
    }
  });

  it("has ThreadActivity AddMember and TopicUpdate in the §8.3 XML forms", () => {
    const falcon = s0().threads.get(DEMO_CHAT_IDS.projectFalcon)!;
    const activity = falcon.messages.filter((m) => m.messagetype.startsWith("ThreadActivity/"));
    const add = activity.filter((m) => m.messagetype === "ThreadActivity/AddMember");
    assert.equal(add.length, 2);
    assert.match(
      add[1]!.content,
      new RegExp(
        `^<addmember><eventtime>${add[1]!.id}</eventtime><initiator>${ALICE}</initiator><target>${CAROL}</target></addmember>$`,
      ),
    );
    const topic = activity.find((m) => m.messagetype === "ThreadActivity/TopicUpdate")!;
    assert.match(
      topic.content,
      /^<topicupdate><eventtime>\d+<\/eventtime><initiator>8:orgid:[^<]+<\/initiator><value>Project Falcon<\/value><\/topicupdate>$/,
    );
    assert.equal(topic.from, ALICE);
    // Carol's messages all come after she was added.
    const carolJoined = add[1]!.id;
    assert.ok(falcon.messages.filter((m) => m.from === CAROL).every((m) => m.id > carolJoined));
  });

  it("ends Alice–Bob like samples/chat-messages-list.json", () => {
    const t = s0().threads.get(DEMO_CHAT_IDS.aliceBob)!;
    const [hi, yes, gone, doc] = t.messages.slice(-4) as [StoredMessage, StoredMessage, StoredMessage, StoredMessage];
    assert.equal(hi.content, "<p>Hi Alice, are we still on for 3pm?</p>");
    assert.equal(hi.from, BOB);
    assert.equal(yes.from, ALICE);
    assert.equal(yes.emotions[0]!.key, "like");
    assert.equal(gone.content, "");
    assert.ok(gone.properties.deletetime);
    assert.match(doc.content, /please check the doc/);
    assert.ok(doc.properties.edittime && doc.properties.mentions);
    assert.equal(t.members.get(ALICE)!.horizon?.split(";")[0], String(yes.id), "Alice has two unread");
  });

  it("gives members read horizons in the msgId;ms;cmid form", () => {
    const s = s0();
    for (const t of s.threads.values()) {
      for (const m of t.members.values()) {
        assert.match(m.horizon ?? "", /^\d+;\d+;\d+$/, `${t.id} ${m.mri}`);
        assert.ok(t.byId.has(Number(m.horizon!.split(";")[0])));
      }
    }
  });
});

let cached: ChatState | undefined;
function s0(): ChatState {
  cached ??= seeded();
  return cached;
}
