import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { isValidReactionKey, parseEmotions, REACTION_KEYS, reactionEmoji, summarizeReactions } from "../src/index.js";
import { hostileString, numRuns } from "./arbitraries.js";

const A = "8:orgid:a";
const B = "8:orgid:b";

describe("parseEmotions", () => {
  const emotions = [
    { key: "like", users: [{ mri: A, time: 1718200200000, value: "1718200200000" }] },
    { key: "heart", users: [] },
  ];

  it("reads the array and the same array JSON-encoded", () => {
    assert.deepEqual(parseEmotions(emotions), emotions);
    assert.deepEqual(parseEmotions(JSON.stringify(emotions)), emotions);
  });

  it("is lenient: malformed input gives [], bad entries and users are skipped, times coerced", () => {
    for (const bad of [undefined, null, "", "[", "{}", 7, {}, "null"]) assert.deepEqual(parseEmotions(bad), []);
    assert.deepEqual(
      parseEmotions([
        null,
        { users: [] },
        { key: "", users: [] },
        { key: "laugh", users: "nope" },
        { key: "sad", users: [null, { mri: 5 }, { mri: B, time: "17", value: 0 }, { mri: A, value: {} }] },
      ]),
      [
        { key: "laugh", users: [] },
        {
          key: "sad",
          users: [
            { mri: B, time: 17, value: 0 },
            { mri: A, time: 0, value: "" },
          ],
        },
      ],
    );
  });

  it("property: never throws, always well-typed", () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.json(), hostileString, fc.anything()), (v) => {
        for (const e of parseEmotions(v)) {
          assert.equal(typeof e.key, "string");
          for (const u of e.users) {
            assert.equal(typeof u.mri, "string");
            assert.ok(Number.isFinite(u.time));
            assert.ok(typeof u.value === "string" || typeof u.value === "number");
          }
        }
      }),
      { numRuns },
    );
  });
});

describe("summarizeReactions", () => {
  it("counts distinct users per key, skipping follow, empty entries and value-0 removals", () => {
    const raw = JSON.stringify([
      {
        key: "like",
        users: [
          { mri: A, time: 1, value: "1" },
          { mri: B, time: 2, value: 2 },
          { mri: A, time: 3, value: "3" },
        ],
      },
      { key: "follow", users: [{ mri: A, time: 1, value: "1" }] },
      { key: "heart", users: [] },
      { key: "laugh", users: [{ mri: B, time: 1, value: 0 }] },
      { key: "1f525_fire", users: [{ mri: B, time: 1, value: "1" }] },
    ]);
    assert.deepEqual(summarizeReactions(raw), [
      { key: "like", count: 2, users: [A, B] },
      { key: "1f525_fire", count: 1, users: [B] },
    ]);
    assert.deepEqual(summarizeReactions(undefined), []);
  });

  it("property: counts match distinct users and never include follow", () => {
    const user = fc.record({
      mri: fc.constantFrom(A, B, "8:orgid:c"),
      time: fc.nat(),
      value: fc.oneof(fc.nat(3), fc.constantFrom("0", "1")),
    });
    const entry = fc.record({
      key: fc.constantFrom("like", "heart", "follow", "sad"),
      users: fc.array(user, { maxLength: 5 }),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 6 }), fc.boolean(), (entries, asString) => {
        const summary = summarizeReactions(asString ? JSON.stringify(entries) : entries);
        for (const s of summary) {
          assert.notEqual(s.key, "follow");
          assert.equal(s.count, s.users.length);
          assert.ok(s.count > 0);
          assert.equal(new Set(s.users).size, s.users.length);
          const expected = new Set(
            entries
              .filter((e) => e.key === s.key)
              .flatMap((e) => e.users.filter((u) => u.value !== 0 && u.value !== "0").map((u) => u.mri)),
          );
          assert.deepEqual(new Set(s.users), expected);
        }
      }),
      { numRuns },
    );
  });
});

describe("reaction keys", () => {
  it("accepts the classic six, Teams emoji ids and custom org emoji", () => {
    assert.deepEqual([...REACTION_KEYS], ["like", "heart", "laugh", "surprised", "sad", "angry"]);
    for (const k of [
      ...REACTION_KEYS,
      "1f525_fire",
      "1f40e_horse",
      "1f44d-1f3fd_thumbsuptone",
      "partyparrot;0-weu-d1-abc123",
    ]) {
      assert.ok(isValidReactionKey(k), k);
    }
  });

  it("rejects everything else", () => {
    for (const k of [
      "",
      "Like",
      "lol",
      "fire",
      "1f525",
      "1F525_fire",
      "<script>",
      "like ",
      "a;b;c",
      5,
      null,
      "x".repeat(300),
    ]) {
      assert.ok(!isValidReactionKey(k), String(k));
    }
  });

  it("maps keys to emoji", () => {
    assert.equal(reactionEmoji("like"), "👍");
    assert.equal(reactionEmoji("1f525_fire"), "🔥");
    assert.equal(reactionEmoji("1f44d-1f3fd_thumbsup"), "👍🏽");
    assert.equal(reactionEmoji("custom;0-x"), undefined);
    assert.equal(reactionEmoji("ffffff_x"), undefined); // beyond U+10FFFF
  });
});
