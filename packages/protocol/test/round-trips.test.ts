/**
 * What the protocol builds, it parses back: `parse(build(x)) ≡ x` for mentions, reply quotes,
 * ThreadActivity messages and reaction keys, so client, emulator and terminal app can rely on one
 * implementation of each.
 */
import * as assert from "node:assert/strict";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  type BuildableThreadActivity,
  buildMentions,
  buildReactionKey,
  buildReplyQuote,
  buildThreadActivity,
  CHAT_PATHS,
  chatPath,
  chatPathPattern,
  insertMentions,
  mentionsProperty,
  parseMentions,
  parseReactionKey,
  parseReplyQuote,
  parseThreadActivity,
  REACTION_KEYS,
  type ReactionKeyParts,
  reactionEmoji,
  reactionKeyForEmoji,
  textToHtml,
} from "../src/index.js";
import { numRuns } from "./arbitraries.js";

const CHARS = [..."abcXYZ 0189&<>\"'.,;:!?-_@#éüß日本😀"];
/** Text as the parsers give it back: trimmed, non-empty. */
const text = (max = 24): fc.Arbitrary<string> =>
  fc
    .string({ unit: fc.constantFrom(...CHARS), minLength: 1, maxLength: max })
    .map((s) => s.trim())
    .filter((s) => s !== "");
const singleSpaced = (max = 24): fc.Arbitrary<string> => text(max).map((s) => s.replace(/\s+/g, " "));
const mri = fc.uuid().map((u) => `8:orgid:${u}`);
/** fast-check records have no prototype; the parsers return plain objects without undefined fields. */
const plain = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const personName = fc.stringMatching(/^[A-Z][a-z]{1,6}( [A-Z][a-z]{1,6})?$/);

describe("protocol round trips", { timeout: 120_000 }, () => {
  it("mentions: parseMentions(buildMentions(text, people)) names each person in order", () => {
    const people = fc.uniqueArray(fc.record({ mri, displayName: personName }), {
      minLength: 1,
      maxLength: 5,
      selector: (p) => p.displayName.toLowerCase(),
    });
    fc.assert(
      fc.property(people, (list) => {
        const built = buildMentions(list.map((p) => `@${p.displayName}`).join(" and "), list);
        const parsed = parseMentions(built.properties.mentions);
        assert.deepEqual(
          parsed.map((m) => ({ mri: m.mri, displayName: m.displayName })),
          plain(list),
        );
        assert.deepEqual(
          parsed.map((m) => m.itemid),
          list.map((_, i) => String(i)),
        );
        for (const p of list) assert.ok(built.html.includes(`>${p.displayName}</span>`));
      }),
      { numRuns },
    );
  });

  it("mentions: mentionsProperty and insertMentions parse back to the same people", () => {
    const people = fc.array(fc.record({ mri, displayName: text() }), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(people, text(40), (list, body) => {
        assert.deepEqual(
          parseMentions(mentionsProperty(list)).map((m) => ({ mri: m.mri, displayName: m.displayName })),
          plain(list),
        );
        const inserted = insertMentions(textToHtml(body), list);
        assert.deepEqual(
          parseMentions(inserted.properties.mentions).map((m) => ({ mri: m.mri, displayName: m.displayName })),
          plain(list),
        );
      }),
      { numRuns },
    );
  });

  it("reply quotes: parseReplyQuote(buildReplyQuote(q)) ≡ q", () => {
    const quote = fc.record({
      messageId: fc.bigInt({ min: 1n, max: 10n ** 16n }).map(String),
      authorMri: mri,
      authorName: singleSpaced(),
      preview: singleSpaced(100),
    });
    fc.assert(
      fc.property(quote, fc.constantFrom("", "<p>the reply</p>"), (q, after) => {
        assert.deepEqual(parseReplyQuote(buildReplyQuote(q) + after), plain(q));
      }),
      { numRuns },
    );
  });

  it("ThreadActivity: parseThreadActivity(buildThreadActivity(e)) ≡ e", () => {
    const base = {
      time: fc.option(fc.integer({ min: 0, max: 2 ** 50 }), { nil: undefined }),
      initiator: fc.option(mri, { nil: undefined }),
      initiatorName: fc.option(text(), { nil: undefined }),
    };
    const member = fc.record(
      {
        mri,
        friendlyName: text(),
        role: fc.constantFrom("admin", "user", "guest"),
      },
      { requiredKeys: ["mri"] },
    );
    const event = fc.oneof(
      fc.record({
        ...base,
        kind: fc.constantFrom("addMember", "deleteMember", "memberJoined", "memberLeft", "roleUpdate"),
        members: fc.array(member, { minLength: 1, maxLength: 4 }),
      }) as fc.Arbitrary<BuildableThreadActivity>,
      fc.record({ ...base, kind: fc.constant("topicUpdate"), topic: fc.oneof(fc.constant(""), text(40)) }),
      fc.record({ ...base, kind: fc.constant("topicUpdate"), topic: text(), space: fc.constant(true) }),
      fc.record({
        ...base,
        kind: fc.constantFrom("joiningEnabledUpdate", "historyDisclosedUpdate", "pictureUpdate"),
        value: text(),
      }) as fc.Arbitrary<BuildableThreadActivity>,
    ) as fc.Arbitrary<BuildableThreadActivity>;
    fc.assert(
      fc.property(event, (e) => {
        const { messagetype, content } = buildThreadActivity(e);
        assert.deepEqual(parseThreadActivity(messagetype, content), plain(e));
      }),
      { numRuns },
    );
  });

  it("the emulator's wire forms: <target>mri</target> for plain members, <value> for a topic", () => {
    const added = buildThreadActivity({
      kind: "addMember",
      time: 5,
      initiator: "8:orgid:a",
      members: [{ mri: "8:orgid:b" }],
    });
    assert.deepEqual(added, {
      messagetype: "ThreadActivity/AddMember",
      content:
        "<addmember><eventtime>5</eventtime><initiator>8:orgid:a</initiator><target>8:orgid:b</target></addmember>",
    });
    const topic = buildThreadActivity({ kind: "topicUpdate", time: 6, initiator: "8:orgid:a", topic: "R&D" });
    assert.equal(
      topic.content,
      "<topicupdate><eventtime>6</eventtime><initiator>8:orgid:a</initiator><value>R&amp;D</value></topicupdate>",
    );
  });

  it("reaction keys: parseReactionKey(buildReactionKey(parts)) ≡ parts", () => {
    const codePoint = fc.integer({ min: 0x10, max: 0x10ffff }).filter((c) => c < 0xd800 || c > 0xdfff);
    const parts: fc.Arbitrary<ReactionKeyParts> = fc.oneof(
      fc.record({ kind: fc.constant("classic" as const), name: fc.constantFrom(...REACTION_KEYS) }),
      fc.record({
        kind: fc.constant("emoji" as const),
        codePoints: fc.array(codePoint, { minLength: 1, maxLength: 8 }),
        name: fc.stringMatching(/^[a-z0-9]{1,12}(-[a-z0-9]{1,6}){0,2}$/),
      }),
      fc.record({
        kind: fc.constant("custom" as const),
        name: fc.stringMatching(/^[A-Za-z0-9_.-]{1,64}$/),
        amsId: fc.stringMatching(/^[A-Za-z0-9_-]{1,128}$/),
      }),
    );
    fc.assert(
      fc.property(parts, (p) => {
        assert.deepEqual(parseReactionKey(buildReactionKey(p)), plain(p));
      }),
      { numRuns },
    );
  });

  it("every emoji of the Unicode data maps to a valid key whose emoji is that emoji", () => {
    const data = createRequire(import.meta.url)("unicode-emoji-json/data-by-emoji.json") as Record<string, unknown>;
    const bare = (s: string): string => s.replace(/[\ufe0e\ufe0f\u{1f3fb}-\u{1f3ff}]/gu, "");
    let checked = 0;
    for (const emoji of Object.keys(data)) {
      const key = reactionKeyForEmoji(emoji);
      assert.ok(key !== undefined && parseReactionKey(key) !== undefined, `${emoji} → ${String(key)}`);
      assert.equal(bare(reactionEmoji(key) ?? ""), bare(emoji), `${emoji} → ${key}`);
      checked++;
    }
    assert.ok(checked > 1000);
    assert.equal(reactionKeyForEmoji("🔥"), "1f525_fire");
    assert.equal(reactionKeyForEmoji("👍🏽"), "like");
    assert.equal(reactionKeyForEmoji("❤️"), "heart");
    assert.equal(reactionKeyForEmoji("x"), undefined);
  });
});

describe("chat path templates", { timeout: 10_000 }, () => {
  it("a path the client builds is matched by the emulator's pattern, with the same parameters back", () => {
    const params = { conversationId: "19:abc@thread.v2;messageid=17", messageId: "1700000000000" };
    const path = decodeURIComponent(chatPath(CHAT_PATHS.messageProperties, params));
    const match = new RegExp(`^${chatPathPattern(CHAT_PATHS.messageProperties)}$`).exec(path);
    assert.deepEqual({ ...match?.groups }, params);
    assert.match("/users/me/properties", new RegExp(`^${chatPathPattern(CHAT_PATHS.userProperties)}$`));
    for (const template of Object.values(CHAT_PATHS)) assert.doesNotThrow(() => new RegExp(chatPathPattern(template)));
  });
});
