/**
 * The wire → model boundary, replayed on the shared protocol samples (../shared/protocol/samples)
 * plus the variants sources disagree on (JSON-string vs value properties) and malformed input.
 */
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { joinNames } from "@teams-api/protocol";
import { ProtocolError } from "../src/errors.js";
import {
  parseHorizon,
  toConversation,
  toConversationDetails,
  toHorizons,
  toMessage,
  toProfile,
  toTenant,
} from "../src/services/map.js";
import { NAME_RESOLVER_DEFAULTS } from "../src/services/names.js";

const here = dirname(fileURLToPath(import.meta.url));
const samplesDir = join(here, "../../../../shared/protocol/samples");
// biome-ignore lint/suspicious/noExplicitAny: sample JSON is untyped on purpose.
const sample = (name: string): any => JSON.parse(readFileSync(join(samplesDir, name), "utf8"));

const ALICE = "8:orgid:2b7e4f10-6c1d-4e8a-a3f5-9d0c1b2e3f41";
const BOB = "8:orgid:9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
const CAROL = "8:orgid:c0ffee00-1234-4abc-9def-0123456789ab";
const ONE_ON_ONE = "19:2b7e4f10-6c1d-4e8a-a3f5-9d0c1b2e3f41_9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d@unq.gbl.spaces";

describe("toMessage on chat-messages-list.json", () => {
  const list = sample("chat-messages-list.json").response.body.messages;
  const [edited, deleted, reacted, plain] = list.map((m: unknown) => toMessage(m, "fallback"));

  it("maps every §2.7 field of an edited message with a mention", () => {
    assert.equal(edited.id, "1718200500000");
    assert.equal(edited.conversationId, ONE_ON_ONE);
    assert.equal(edited.clientMessageId, "7000000000000000001");
    assert.equal(edited.version, 1718200560000);
    assert.equal(edited.messageType, "RichText/Html");
    assert.deepEqual(edited.from, { mri: BOB, displayName: "Bob Example" });
    assert.match(edited.content, /itemtype="http:\/\/schema.skype.com\/Mention"/);
    assert.equal(edited.text, "@Alice please check the doc");
    assert.equal(edited.composedAt?.toISOString(), "2024-06-12T13:54:59.960Z");
    assert.equal(edited.arrivedAt.toISOString(), "2024-06-12T13:55:00.000Z");
    assert.equal(edited.editedAt?.getTime(), 1718200560000);
    assert.equal(edited.deletedAt, undefined);
    assert.equal(edited.isDeleted, false);
    assert.equal(edited.isSystem, false);
    assert.deepEqual(edited.mentions, [{ mri: ALICE, displayName: "Alice" }]);
    assert.deepEqual(edited.reactions, []);
    assert.equal(edited.rootMessageId, undefined);
    assert.equal(edited.raw, list[0]);
  });

  it("maps a deleted message to a tombstone", () => {
    assert.equal(deleted.isDeleted, true);
    assert.equal(deleted.deletedAt?.getTime(), 1718200400111);
    assert.equal(deleted.content, "");
    assert.equal(deleted.text, "");
  });

  it("maps reactions with counts and who, and emoji images to their alt text", () => {
    assert.deepEqual(reacted.reactions, [{ key: "like", count: 1, users: [{ mri: BOB, displayName: "" }] }]);
    assert.equal(reacted.text, "Yes! See you then 🙂");
    assert.deepEqual(reacted.from, { mri: ALICE, displayName: "Alice Example" });
  });

  it("maps a plain message", () => {
    assert.equal(plain.text, "Hi Alice, are we still on for 3pm?");
    assert.equal(plain.editedAt, undefined);
  });

  it("parses a ThreadActivity/AddMember into an activity", () => {
    const m = toMessage(sample("chat-messages-list.json").thread_activity_example);
    assert.equal(m.isSystem, true);
    assert.equal(m.clientMessageId, undefined, "clientmessageid 0 means none");
    assert.deepEqual(m.activity, {
      kind: "addMember",
      time: 1718100000000,
      initiator: ALICE,
      members: [{ mri: CAROL }],
    });
    assert.equal(m.text, "Alice Example added Unknown user", "names known at mapping time; never a raw MRI");
    assert.equal(m.from.mri, ALICE, "a bare MRI in from is accepted");
  });
});

describe("toMessage variants and malformed input", () => {
  const base = sample("chat-messages-list.json").response.body.messages[2];

  it("accepts emotions and mentions both as JSON strings and as values, and properties as a string", () => {
    const emotions = [
      {
        key: "heart",
        users: [
          { mri: CAROL, time: 2, value: 2 },
          { mri: BOB, time: 1, value: "1" },
        ],
      },
      { key: "follow", users: [{ mri: ALICE, time: 1, value: "1" }] },
      { key: "sad", users: [] },
    ];
    const mentions = [{ "@type": "http://schema.skype.com/Mention", itemid: "0", mri: BOB, displayName: "Bob" }];
    const asValue = toMessage({ ...base, properties: { emotions, mentions } });
    const asString = toMessage({
      ...base,
      properties: { emotions: JSON.stringify(emotions), mentions: JSON.stringify(mentions) },
    });
    const whole = toMessage({ ...base, properties: JSON.stringify({ emotions, mentions }) });
    for (const m of [asValue, asString, whole]) {
      assert.deepEqual(
        m.reactions,
        [{ key: "heart", count: 2, users: [CAROL, BOB].map((mri) => ({ mri, displayName: "" })) }],
        "follow and empty dropped",
      );
      assert.deepEqual(m.mentions, [{ mri: BOB, displayName: "Bob" }]);
    }
  });

  it("keeps the line breaks of a plain Text message and decodes its entities", () => {
    const m = toMessage({ ...base, messagetype: "Text", content: "line one\nline two &amp; three" });
    assert.equal(m.text, "line one\nline two & three");
  });

  it("names people in activity lines from the event when no resolver knows them, never by raw id", () => {
    const joined = toMessage({
      ...base,
      messagetype: "ThreadActivity/MemberJoined",
      content: JSON.stringify({
        eventtime: 1,
        initiator: CAROL,
        members: [{ id: CAROL, friendlyname: "Carol Guest" }],
      }),
    });
    assert.equal(joined.text, "Carol Guest joined");
  });

  it("tolerates malformed property JSON without crashing", () => {
    const m = toMessage({ ...base, properties: { emotions: "[{oops", mentions: "not json" } });
    assert.deepEqual(m.reactions, []);
    assert.deepEqual(m.mentions, []);
    assert.deepEqual(toMessage({ ...base, properties: "{broken" }).reactions, []);
  });

  it("accepts deletionTime and falls back to the id for the arrival time", () => {
    const m = toMessage({ ...base, originalarrivaltime: undefined, properties: { deletionTime: "1718200999000" } });
    assert.equal(m.isDeleted, true);
    assert.equal(m.arrivedAt.getTime(), 1718200160456);
  });

  it("reads the root of a channel reply from conversationLink", () => {
    const m = toMessage({
      ...base,
      conversationid: undefined,
      conversationLink: "https://x.example/v1/users/ME/conversations/19:abc@thread.tacv2;messageid=1718050000000",
    });
    assert.equal(m.conversationId, "19:abc@thread.tacv2");
    assert.equal(m.rootMessageId, "1718050000000");
  });

  it("throws ProtocolError for messages it cannot build", () => {
    assert.throws(() => toMessage(null), ProtocolError);
    assert.throws(() => toMessage("x"), ProtocolError);
    assert.throws(() => toMessage({ ...base, id: undefined }), ProtocolError);
    assert.throws(() => toMessage({ ...base, content: { html: 1 } }), ProtocolError);
    assert.throws(() => toMessage({ ...base, id: "abc", originalarrivaltime: "yesterday" }), ProtocolError);
  });
});

describe("toConversation on chat-conversations-list.json", () => {
  const raw = sample("chat-conversations-list.json").response.body.conversations;
  const [oneOnOne, group, channel, notes] = raw.map((c: unknown) => toConversation(c, ALICE));

  it("maps a 1:1 chat whose last message from Bob is after Alice's horizon as unread", () => {
    assert.equal(oneOnOne.id, ONE_ON_ONE);
    assert.equal(oneOnOne.kind, "oneOnOne");
    assert.equal(oneOnOne.topic, "");
    assert.equal(oneOnOne.threadType, "chat");
    assert.equal(oneOnOne.productThreadType, "OneOnOne");
    assert.equal(oneOnOne.lastMessage?.id, "1718200500000");
    assert.equal(oneOnOne.lastActivityAt?.toISOString(), "2024-06-12T13:56:00.000Z");
    assert.equal(oneOnOne.isUnread, true);
    assert.equal(oneOnOne.version, 1718200560000);
  });

  it("maps a titled group chat read up to its last message", () => {
    assert.equal(group.kind, "group");
    assert.equal(group.topic, "Project Falcon");
    assert.equal(group.title, "Project Falcon");
    assert.equal(group.memberCount, 3);
    assert.equal(group.isUnread, false);
    assert.equal(group.lastMessage?.isSystem, true);
  });

  it("maps a channel with an empty lastMessage and the notes feed", () => {
    assert.equal(channel.kind, "channel");
    assert.equal(channel.lastMessage, undefined);
    assert.equal(channel.isUnread, false);
    assert.equal(notes.kind, "virtual");
    assert.equal(notes.threadType, "streamofnotes");
    assert.equal(notes.topic, "");
  });

  it("is never unread for my own last message, and unread after mark-unread", () => {
    assert.equal(toConversation(raw[0], BOB).isUnread, false);
    const marked = structuredClone(raw[1]);
    marked.properties.consumptionHorizonBookmark = "1718100009000;1718100009000;1718100000000";
    assert.equal(toConversation(marked, ALICE).isUnread, true);
    marked.properties.consumptionhorizon = "1718100000000;1718100010000;0";
    assert.equal(toConversation(marked, ALICE).isUnread, false, "read again after the bookmark");
  });

  it("throws ProtocolError for a conversation without an id", () => {
    assert.throws(() => toConversation({ type: "Conversation" }), ProtocolError);
    assert.throws(() => toConversation(42), ProtocolError);
  });
});

describe("toConversationDetails on chat-thread-get.json", () => {
  it("adds members, roles, creator and creation time", () => {
    const conv = toConversation(sample("chat-conversations-list.json").response.body.conversations[1], ALICE);
    const d = toConversationDetails(conv, sample("chat-thread-get.json").response.body);
    assert.deepEqual(
      d.members.map((m) => [m.mri, m.role]),
      [
        [ALICE, "Admin"],
        [BOB, "User"],
        [CAROL, "User"],
      ],
    );
    assert.equal(d.members[0]?.displayName, "", "an empty friendlyName is no name");
    assert.equal(d.creator, ALICE);
    assert.equal(d.createdAt?.getTime(), 1718000000000);
    assert.throws(() => toConversationDetails(conv, { members: "x" }), ProtocolError);
  });
});

describe("read state and middle tier", () => {
  it("parses consumption horizons", () => {
    const ex = sample("chat-mutations.json").exchanges.find(
      (e: { name: string }) => e.name === "consumption_horizons_read",
    );
    assert.deepEqual(toHorizons(ex.response.body), [
      { mri: ALICE, displayName: "", messageId: "1718200500000", readAt: new Date(1718201200000) },
      { mri: BOB, displayName: "", messageId: "1718200160456", readAt: new Date(1718200300000) },
    ]);
    assert.deepEqual(toHorizons({ consumptionhorizons: [{ id: BOB, consumptionhorizon: "0" }] }), [
      { mri: BOB, displayName: "" },
    ]);
    assert.throws(() => toHorizons({}), ProtocolError);
    assert.deepEqual(parseHorizon("1718200500000;1718201200000;0"), {
      messageId: "1718200500000",
      readAt: 1718201200000,
    });
  });

  it("maps short profiles and tenants", () => {
    const [tenants, profiles] = sample("mt-profiles.json").exchanges;
    const bob = toProfile(profiles.response.body.value[0]);
    assert.equal(bob?.mri, BOB);
    assert.equal(bob?.displayName, "Bob Example");
    assert.equal(bob?.givenName, "Bob");
    assert.equal(bob?.location, "Lisbon");
    assert.equal(bob?.userType, "Member");
    assert.equal(toProfile({ displayName: "no mri" }), undefined);
    assert.equal(toProfile({ mri: CAROL, givenName: "Carol", surname: "Guest" })?.displayName, "Carol Guest");
    const t = tenants.response.body.map(toTenant);
    assert.equal(t[0].tenantName, "Contoso");
    assert.equal(t[1].userType, "Guest");
    assert.equal(t[1].isInvitationRedeemed, false);
  });

  it("joins names for untitled group chats", () => {
    const title = (names: string[]): string => joinNames(names, NAME_RESOLVER_DEFAULTS.titleNames);
    assert.equal(title(["Dana"]), "Dana");
    assert.equal(title(["Dana", "Evan"]), "Dana and Evan");
    assert.equal(title(["Dana", "Evan", "Frank"]), "Dana, Evan and Frank");
    assert.equal(title(["Dana", "Evan", "Frank", "Bob"]), "Dana, Evan and 2 others");
    assert.equal(joinNames(["A", "B", "C", "D"]), "A, B, C and D");
    assert.equal(joinNames(["A", "B", "C", "D", "E"]), "A, B, C and 2 others");
  });
});
