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
  });

  it("never counts my own last message (MRIs compare case-insensitively) or a Control/ message", () => {
    const mine = conv({ id: "1718100000001", from: ALICE.toUpperCase() });
    assert.equal(toConversation(mine, ALICE).isUnread, false);
    assert.equal(toConversation(mine).isUnread, true, "without knowing who I am it is someone else's");
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
