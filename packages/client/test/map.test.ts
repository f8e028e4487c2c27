/**
 * The wire → model boundary on the inputs the samples never show: the read/unread decision at its
 * edges, messages missing optional fields, numeric ids, name fallbacks, members, horizons, profiles
 * and tenants. Pure functions, so plain unit tests (found by mutation testing, docs/mutation.md).
 */
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
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

const ALICE = "8:orgid:2b7e4f10-6c1d-4e8a-a3f5-9d0c1b2e3f41";
const BOB = "8:orgid:9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

describe("unread state (mutation gaps)", () => {
  const GROUP = "19:4f0e2d1c3b5a49788e6d5c4b3a291807@thread.v2";
  const conv = (
    last: Record<string, unknown> | undefined,
    properties: Record<string, unknown> = { consumptionhorizon: "1718100000000;1718100005000;0" },
  ): unknown => ({
    id: GROUP,
    version: 1718100000000,
    properties,
    threadProperties: { topic: "Falcon", threadType: "chat" },
    ...(last ? { lastMessage: { messagetype: "RichText/Html", content: "hi", from: BOB, ...last } } : {}),
  });

  it("is read when someone else's last message is at or before my horizon, unread only after it", () => {
    assert.equal(toConversation(conv({ id: "1718100000000" }), ALICE).isUnread, false, "at the horizon");
    assert.equal(toConversation(conv({ id: "1718099999999" }), ALICE).isUnread, false, "before it");
    assert.equal(toConversation(conv({ id: "1718100000001" }), ALICE).isUnread, true, "after it");
    assert.equal(toConversation(conv({ id: 1718100000001 }), ALICE).isUnread, true, "a numeric id");
    assert.equal(toConversation(conv({ id: "1718100000001" }, {}), ALICE).isUnread, true, "no horizon at all");
    assert.equal(toConversation(conv(undefined), ALICE).isUnread, false, "no last message");
    const odd = { id: "abc", originalarrivaltime: "2024-06-11T10:00:00Z" };
    assert.equal(toConversation(conv(odd), ALICE).isUnread, false, "an id that is no time is not after anything");
    assert.equal(toConversation(conv(odd, {}), ALICE).isUnread, false);
  });

  it("never counts my own last message (MRIs compare case-insensitively) or a Control/ message", () => {
    const mine = conv({ id: "1718100000001", from: ALICE.toUpperCase() });
    assert.equal(toConversation(mine, ALICE).isUnread, false);
    assert.equal(toConversation(mine).isUnread, true, "without knowing who I am it is someone else's");
    assert.equal(toConversation(conv({ id: "1718100000001", from: ALICE }), ALICE.toUpperCase()).isUnread, false);
    const typing = conv({ id: "1718100000001", messagetype: "Control/Typing", content: "" });
    assert.equal(toConversation(typing, ALICE).isUnread, false);
  });

  it("is unread after mark-unread until the horizon passes the bookmark", () => {
    const at = (bookmark: string, horizon = "1718100000000;1718100005000;0"): boolean =>
      toConversation(
        conv({ id: "1718100000000" }, { consumptionhorizon: horizon, consumptionHorizonBookmark: bookmark }),
        ALICE,
      ).isUnread;
    assert.equal(at("1718100005001;0;1718100000000"), true, "marked after the last read");
    assert.equal(at("1718100005000;0;1718100000000"), false, "marked exactly when last read");
    assert.equal(at("1718100004999;0;1718100000000"), false, "read again after marking");
    assert.equal(at("1718100005001;0;0"), false, "a bookmark without a message id is none");
    assert.equal(at("0;0;1718100000000"), false, "a bookmark without a time is none");
    assert.equal(at("garbage"), false);
    assert.equal(at("1;0;1718100000000", ""), true, "any bookmark counts when nothing was read");
    assert.equal(
      toConversation(
        conv(
          { id: "1718100000000" },
          { consumptionhorizon: "1718100000000;1718100005000;0", consumptionHorizonBookmark: 5 },
        ),
        ALICE,
      ).isUnread,
      false,
      "a bookmark that is not a string is ignored",
    );
    assert.equal(toConversation({ ...(conv(undefined) as object), properties: "x" }, ALICE).isUnread, false);
  });
});

describe("toMessage fields the samples never exercise (mutation gaps)", () => {
  const minimal = { id: "1718200000000", from: BOB };

  it("maps a message without messagetype, content, conversationLink or arrival time", () => {
    const m = toMessage(minimal, "19:fallback@thread.v2");
    assert.equal(m.messageType, "");
    assert.equal(m.content, "");
    assert.equal(m.text, "");
    assert.equal(m.conversationId, "19:fallback@thread.v2");
    assert.equal(m.arrivedAt.getTime(), 1718200000000);
    assert.equal(m.version, 1718200000000, "the version defaults to the arrival time");
    assert.equal(m.rootMessageId, undefined);
    assert.equal(m.clientMessageId, undefined);
    assert.equal(m.composedAt, undefined);
    assert.equal(m.isSystem, false);
    assert.deepEqual(m.attachments, []);
    assert.equal(toMessage(minimal).conversationId, "", "no conversation anywhere");
    assert.equal(toMessage({ ...minimal, content: null }).content, "", "null content is none");
    assert.equal(toMessage({ ...minimal, messagetype: 7 }).messageType, "", "a non-string type is none");
  });

  it("accepts numeric ids and string-typed numbers", () => {
    const m = toMessage({ ...minimal, id: 1718200000000, conversationid: 42, clientmessageid: 99, version: "17" });
    assert.equal(m.id, "1718200000000");
    assert.equal(m.conversationId, "42");
    assert.equal(m.clientMessageId, "99");
    assert.equal(m.version, 17);
    assert.throws(() => toMessage({ ...minimal, id: Number.NaN }), ProtocolError);
    assert.throws(() => toMessage({ ...minimal, id: "" }), ProtocolError);
    assert.equal(toMessage({ ...minimal, version: "0" }).version, 1718200000000, "version 0 is unknown");
    assert.equal(toMessage({ ...minimal, version: " " }).version, 1718200000000, "a blank version is unknown");
    assert.equal(toMessage({ ...minimal, version: -5 }).version, 1718200000000, "a negative version is unknown");
    assert.equal(toMessage({ ...minimal, version: "Infinity" }).version, 1718200000000);
  });

  it("names the sender from imdisplayname, else fromDisplayNameInToken, else nobody", () => {
    assert.equal(toMessage({ ...minimal, imdisplayname: "Bob IM" }).from.displayName, "Bob IM");
    const token = { ...minimal, imdisplayname: "", fromDisplayNameInToken: "Bob Token" };
    assert.equal(toMessage(token).from.displayName, "Bob Token");
    assert.equal(toMessage({ ...minimal, fromDisplayNameInToken: 3 }).from.displayName, "");
    assert.deepEqual(toMessage({ ...minimal, from: undefined }).from, { mri: "", displayName: "" });
    assert.equal(
      toMessage({ ...minimal, from: `https://x.example/v1/users/ME/contacts/${BOB}` }).from.mri,
      BOB,
      "a contact URL is reduced to its MRI",
    );
  });

  it("reads the conversation, root and parent from every field that may carry them", () => {
    const link = (l: unknown, extra: Record<string, unknown> = {}) =>
      toMessage({ ...minimal, conversationLink: l, ...extra }, "fallback");
    const q = link("https://x.example/v1/users/ME/conversations/19%3Aabc%40thread.tacv2?view=x");
    assert.equal(q.conversationId, "19:abc@thread.tacv2", "decoded, query dropped");
    assert.equal(q.rootMessageId, undefined);
    assert.equal(link("https://x.example/v1/users/ME/conversations/19:a%ZZ").conversationId, "19:a%ZZ", "bad escape");
    assert.equal(link("https://x.example/v1/threads/19:abc").conversationId, "fallback", "not a conversation link");
    assert.equal(link(5).conversationId, "fallback");
    assert.equal(
      link("https://x/conversations/19:t;messageid=1", { conversationid: "19:own" }).conversationId,
      "19:own",
    );
    assert.equal(link(undefined, { rootMessageId: "11", parentMessageId: "22" }).rootMessageId, "11");
    assert.equal(link(undefined, { parentMessageId: "22" }).rootMessageId, "22");
  });

  it("maps composed, edited and deleted times, and keeps mentions of a deleted message", () => {
    const m = toMessage({
      ...minimal,
      composetime: "2024-06-12T13:54:59.960Z",
      originalarrivaltime: "",
      properties: { edittime: "1718200000500", deletetime: "0" },
    });
    assert.equal(m.composedAt?.toISOString(), "2024-06-12T13:54:59.960Z");
    assert.equal(m.editedAt?.getTime(), 1718200000500);
    assert.equal(m.isDeleted, false, "deletetime 0 is not deleted");
    assert.equal(m.arrivedAt.getTime(), 1718200000000, "an empty arrival time falls back to the id");
    const gone = toMessage({
      ...minimal,
      content: "<p>x</p>",
      properties: {
        deletetime: 1718200000900,
        emotions: [{ key: "like", users: [{ mri: ALICE, time: 1, value: 1 }] }],
        mentions: [{ mri: ALICE, displayName: "Alice" }, { mri: ALICE }, { displayName: "nobody" }],
      },
    });
    assert.equal(gone.deletedAt?.getTime(), 1718200000900);
    assert.deepEqual(gone.reactions, []);
    assert.deepEqual(gone.mentions, [{ mri: ALICE, displayName: "Alice" }], "deduplicated, MRI-less dropped");
    assert.equal(toMessage({ ...minimal, properties: "[1,2]" }).isDeleted, false, "non-object properties");
  });

  it("treats Control/, Event/, Signal/ and call recordings as system messages with no text of their own", () => {
    for (const t of ["Control/Typing", "Event/Call", "Signal/Flamingo", "RichText/Media_CallRecording"]) {
      assert.equal(toMessage({ ...minimal, messagetype: t }).isSystem, true, t);
    }
    assert.equal(toMessage({ ...minimal, messagetype: "Control/Typing", content: "typing" }).text, "");
    assert.equal(toMessage({ ...minimal, messagetype: "RichText/Html", content: "<b>x</b>" }).isSystem, false);
  });
});

describe("members, details, horizons, profiles and tenants (mutation gaps)", () => {
  it("names members from the first non-empty name field and defaults the role", () => {
    const conv = toConversation({ id: "19:g@thread.v2" });
    const d = toConversationDetails(conv, {
      members: [
        { id: ALICE, friendlyName: "", userDisplayName: "Alice U", displayName: "Alice D" },
        { id: BOB, displayName: "Bob D", role: "Admin" },
        { id: 5 },
        "x",
      ],
      properties: { topic: "From thread", creator: "", createdat: "0" },
    });
    assert.deepEqual(d.members, [
      { mri: ALICE, role: "User", displayName: "Alice U" },
      { mri: BOB, role: "Admin", displayName: "Bob D" },
    ]);
    assert.equal(d.topic, "From thread");
    assert.equal(d.title, "From thread");
    assert.equal(d.memberCount, 2);
    assert.equal(d.creator, undefined);
    assert.equal(d.createdAt, undefined);
    assert.deepEqual(toConversationDetails(conv).members, []);
    assert.equal(toConversationDetails(conv, {}).memberCount, undefined, "no members, no count");
    assert.throws(() => toConversationDetails(conv, "x"), ProtocolError);
  });

  it("skips malformed horizons and parses the parts of one", () => {
    assert.deepEqual(toHorizons({ consumptionhorizons: [null, { id: 3 }, { id: BOB, consumptionhorizon: "" }] }), [
      { mri: BOB, displayName: "" },
    ]);
    assert.deepEqual(parseHorizon("0;0;0"), {});
    assert.deepEqual(parseHorizon("x;5;cm1"), { readAt: 5, clientMessageId: "cm1" });
    assert.deepEqual(parseHorizon(7), {});
  });

  it("maps optional profile and tenant fields only when present", () => {
    const p = toProfile({ mri: BOB, displayName: "", givenName: "Bob", surname: 5, email: "", jobTitle: "Eng" });
    assert.equal(p?.displayName, "Bob");
    assert.equal(p?.jobTitle, "Eng");
    assert.equal("email" in (p ?? {}), false);
    assert.equal("surname" in (p ?? {}), false);
    assert.equal(toProfile({ mri: "" }), undefined);
    assert.equal(toProfile(null), undefined);
    const t = toTenant({ tenantId: "t1", isInvitationRedeemed: "true" });
    assert.deepEqual(
      { ...t, raw: undefined },
      {
        tenantId: "t1",
        tenantName: "",
        userId: "",
        isInvitationRedeemed: false,
        userType: "Member",
        raw: undefined,
      },
    );
    assert.equal(toTenant({ tenantId: 1 }), undefined);
    const full = toTenant({ tenantId: "t", countryLetterCode: "PT", tenantType: "Consumer", userType: "Guest" });
    assert.equal(full?.countryLetterCode, "PT");
    assert.equal(full?.tenantType, "Consumer");
    assert.equal(full?.userType, "Guest");
  });
});

describe("conversation and message details (mutation gaps)", () => {
  const minimal = { id: "1718200000000", from: BOB };

  it("defaults a bare conversation and takes its activity time from the last message", () => {
    const bare = toConversation({ id: "19:g@thread.v2" });
    assert.equal(bare.threadType, "");
    assert.equal(bare.topic, "");
    assert.equal(bare.version, 0);
    assert.equal(bare.memberCount, undefined);
    assert.equal(bare.lastActivityAt, undefined);
    assert.equal(bare.productThreadType, undefined);
    const withLast = toConversation({ id: "19:g@thread.v2", version: "12", lastMessage: minimal });
    assert.equal(withLast.lastActivityAt?.getTime(), 1718200000000);
    assert.equal(withLast.version, 12);
    assert.throws(() => toConversation({ id: Number.NaN }), ProtocolError);
  });

  it("refuses a NaN id even when the message has an arrival time; ignores a non-string arrival time", () => {
    const at = "2024-06-12T13:55:00.000Z";
    assert.throws(() => toMessage({ ...minimal, id: Number.NaN, originalarrivaltime: at }), ProtocolError);
    assert.throws(
      () => toMessage({ ...minimal, id: Number.POSITIVE_INFINITY, originalarrivaltime: at }),
      ProtocolError,
    );
    assert.equal(toMessage({ ...minimal, originalarrivaltime: 5 }).arrivedAt.getTime(), 1718200000000);
    assert.equal(toMessage({ ...minimal, composetime: 5 }).composedAt, undefined);
  });

  it("names a call transcript, and lets a resolver name people in activity lines", () => {
    const t = toMessage({ ...minimal, messagetype: "RichText/Media_CallTranscript", content: "<x/>" });
    assert.equal(t.isSystem, true);
    assert.equal(t.text, "Call transcript");
    const added = {
      ...minimal,
      from: BOB,
      imdisplayname: "Bob",
      messagetype: "ThreadActivity/AddMember",
      content: `<addmember><eventtime>1</eventtime><initiator>${BOB}</initiator><target>${ALICE}</target></addmember>`,
    };
    assert.equal(toMessage(added).text, "Bob added Unknown user", "only the sender is known without a resolver");
    const names = (mri: string): string => (mri === ALICE ? "Alice R" : mri === BOB ? "Bob R" : "");
    assert.equal(toMessage(added, undefined, names).text, "Bob R added Alice R");
    assert.equal(toMessage({ ...added, imdisplayname: "" }).text, "Unknown user added Unknown user");
  });

  it("lists a message's files and images, with names made terminal-safe; none once deleted", () => {
    const content =
      '<URIObject type="File.1" uri="https://as.example/v1/objects/0-weu-d1-abc"><Title>Title: plan.pdf</Title>' +
      '<Description>Description: see\nthis\x1b[31m</Description><OriginalName v="plan\x1b[2J.pdf"/>' +
      '<FileSize v="2048"/></URIObject>';
    const files = [
      { id: "f1", fileName: "x\ny.doc", objectUrl: "https://sp.example/f1" },
      { id: "f2", fileName: "z" },
    ];
    const m = toMessage({
      ...minimal,
      content,
      amsreferences: ["0-weu-d1-abc", "0-weu-d1-other"],
      properties: { files },
    });
    assert.deepEqual(m.attachments, [
      {
        kind: "file",
        objectId: "0-weu-d1-abc",
        store: "ams",
        fileName: "plan.pdf",
        size: 2048,
        url: "https://as.example/v1/objects/0-weu-d1-abc",
        caption: "see\nthis",
      },
      { kind: "file", objectId: "0-weu-d1-other", store: "ams", fileName: "" },
      { kind: "file", objectId: "f1", store: "sharepoint", fileName: "x y.doc", url: "https://sp.example/f1" },
      { kind: "file", objectId: "f2", store: "sharepoint", fileName: "z" },
    ]);
    assert.deepEqual(toMessage({ ...minimal, content, amsreferences: "0-weu-d1-abc" }).attachments.length, 1);
    const deleted = toMessage({ ...minimal, content, properties: { files, deletetime: 1718200000900 } });
    assert.deepEqual(deleted.attachments, []);
  });

  it("keeps a conversation's own topic and member count over the thread's", () => {
    const conv = toConversation({ id: "19:g@thread.v2", threadProperties: { topic: "Own", membercount: 10 } });
    const d = toConversationDetails(conv, {
      members: [{ id: ALICE }, { id: BOB }],
      properties: { topic: "Thread", creator: ALICE, createdat: 1718000000000 },
    });
    assert.equal(d.topic, "Own");
    assert.equal(d.title, "Own");
    assert.equal(d.memberCount, 10);
    assert.equal(d.creator, ALICE);
    assert.equal(d.createdAt?.getTime(), 1718000000000);
    assert.equal(toConversationDetails(conv, { properties: "x" }).creator, undefined);
  });

  it("maps every optional profile field, and a tenant's own values", () => {
    const full = {
      mri: BOB,
      displayName: "Bob Example",
      objectId: "o",
      givenName: "Bob",
      surname: "Example",
      email: "bob@x",
      userPrincipalName: "bob@upn",
      jobTitle: "Eng",
      department: "R&D",
      companyName: "Contoso",
      userLocation: "Lisbon",
      tenantName: "Contoso T",
      type: "ADUser",
      userType: "Member",
    };
    const p = toProfile(full);
    const { userLocation, ...rest } = full;
    assert.deepEqual({ ...p, raw: undefined }, { ...rest, location: userLocation, raw: undefined });
    assert.equal(p?.raw, full);
    assert.equal(toProfile({ mri: BOB })?.displayName, "");
    const t = toTenant({ tenantId: "t", tenantName: "Contoso", userId: "u1", isInvitationRedeemed: true });
    assert.equal(t?.tenantName, "Contoso");
    assert.equal(t?.userId, "u1");
    assert.equal(t?.isInvitationRedeemed, true);
    assert.equal("countryLetterCode" in (t ?? {}), false);
    assert.equal("tenantType" in (t ?? {}), false);
    assert.equal(toTenant(null), undefined);
  });
});

describe("what each guard in the mapping is for (mutation gaps)", () => {
  const minimal = { id: "1718200000000", from: BOB };
  const at = "2024-06-12T13:55:00.000Z";

  it("says what was wrong when it refuses", () => {
    assert.throws(() => toMessage(7), /message that is not an object/);
    assert.throws(() => toMessage({ from: BOB }), /message without an id/);
    assert.throws(
      () => toMessage({ ...minimal, content: 5 }),
      /Message 1718200000000 has content that is not a string/,
    );
    assert.throws(() => toMessage({ id: "x" }), /Message x has no arrival time/);
    assert.throws(() => toConversation(42), /conversation that is not an object/);
    assert.throws(() => toConversation({}), /conversation without an id/);
    const conv = toConversation({ id: "19:g@thread.v2" });
    assert.throws(() => toConversationDetails(conv, 1), /thread that is not an object/);
    assert.throws(() => toConversationDetails(conv, { members: {} }), /members are not a list/);
    assert.throws(() => toHorizons([]), /consumption horizons in an unexpected shape/);
  });

  it("reads only numbers and numeric strings as ids and times", () => {
    assert.throws(() => toMessage({ ...minimal, id: true, originalarrivaltime: at }), ProtocolError);
    for (const version of [true, null, {}, [5]]) {
      assert.equal(toMessage({ ...minimal, version }).version, 1718200000000, JSON.stringify(version));
    }
    assert.equal(
      toConversation({ id: "19:g@thread.v2", threadProperties: { membercount: true } }).memberCount,
      undefined,
    );
  });

  it("keeps a deleted message's text empty, and folds HTML white space unless the message is plain Text", () => {
    const gone = toMessage({ ...minimal, content: "<p>still here</p>", properties: { deletetime: 1718200000900 } });
    assert.equal(gone.text, "");
    assert.equal(toMessage({ ...minimal, messagetype: "RichText/Html", content: "a\n  b" }).text, "a b");
    assert.equal(toMessage({ ...minimal, messagetype: "Text", content: "a\n  b" }).text, "a\n  b");
  });

  it("names an empty mention span from properties.mentions", () => {
    const content = '<span itemtype="http://schema.skype.com/Mention" itemscope itemid="0"></span> hi';
    const named = toMessage({
      ...minimal,
      messagetype: "RichText/Html",
      content,
      properties: { mentions: [{ itemid: "0", mri: ALICE, displayName: "Alice" }] },
    });
    assert.equal(named.text, "@Alice hi");
    assert.notEqual(toMessage({ ...minimal, messagetype: "RichText/Html", content }).text, "@Alice hi");
  });

  it("ignores a sender, name or activity of the wrong type", () => {
    assert.equal(toMessage({ ...minimal, from: 5 }).from.mri, "");
    const named = toMessage({ ...minimal, imdisplayname: 5, fromDisplayNameInToken: "Tok" });
    assert.equal(named.from.displayName, "Tok");
    assert.equal(toMessage({ ...minimal, messagetype: "RichText/Html", content: "x" }).activity, undefined);
    assert.equal("activity" in toMessage(minimal), false);
  });

  it("reads a conversation link that starts with the path", () => {
    assert.equal(
      toMessage({ ...minimal, conversationLink: "/conversations/19:p@thread.v2" }).conversationId,
      "19:p@thread.v2",
    );
  });

  it("takes the kind of a thread-shaped 1:1 from productThreadType, and ignores non-string thread fields", () => {
    const uni = "19:uni01_abcdefghijklmnop@thread.v2";
    assert.equal(toConversation({ id: uni, threadProperties: { productThreadType: "OneOnOne" } }).kind, "oneOnOne");
    assert.equal(toConversation({ id: uni }).kind, "group");
    const odd = toConversation({ id: "19:g@thread.v2", threadProperties: { productThreadType: 5, topic: 5 } });
    assert.equal("productThreadType" in odd, false);
    assert.equal("memberCount" in odd, false);
    assert.equal(odd.topic, "");
    const d = toConversationDetails(odd, { members: [], properties: { topic: 5, creator: 5 } });
    assert.equal(d.topic, "");
    assert.equal(d.title, "");
    assert.equal("creator" in d, false);
  });

  it("prefers a profile's displayName, when it is a non-empty string, over given name and surname", () => {
    assert.equal(
      toProfile({ mri: BOB, displayName: "Robert E.", givenName: "Bob", surname: "X" })?.displayName,
      "Robert E.",
    );
    assert.equal(toProfile({ mri: BOB, displayName: 5, givenName: "Bob", surname: "X" })?.displayName, "Bob X");
  });
});
