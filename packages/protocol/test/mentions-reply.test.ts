import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  buildMentions,
  buildReplyQuote,
  htmlToText,
  MENTION_TYPE,
  parseMentions,
  parseReplyQuote,
  replyPreview,
} from "../src/index.js";
import { hostileHtml, hostileString, numRuns } from "./arbitraries.js";

const ALICE = { mri: "8:orgid:a", displayName: "Alice Example" };
const ALICE_SHORT = { mri: "8:orgid:a2", displayName: "Alice" };
const BOB = { mri: "8:orgid:b", displayName: "Bob" };

describe("buildMentions", () => {
  it("makes Mention spans and the properties.mentions JSON string of §8.4", () => {
    const built = buildMentions("@Bob can you review?", [BOB]);
    assert.equal(
      built.html,
      `<p><span itemscope="" itemtype="${MENTION_TYPE}" itemid="0">Bob</span> can you review?</p>`,
    );
    assert.deepEqual(built.mentions, [
      { "@type": MENTION_TYPE, itemid: "0", mri: "8:orgid:b", mentionType: "person", displayName: "Bob" },
    ]);
    assert.deepEqual(JSON.parse(built.properties.mentions), built.mentions);
  });

  it("prefers the longest name, matches case-insensitively, and needs word boundaries", () => {
    const built = buildMentions("hi @alice example, @ALICE and @Bobby, mail bob@x.com or @Bob.", [
      ALICE_SHORT,
      ALICE,
      BOB,
    ]);
    assert.deepEqual(
      built.mentions.map((m) => [m.itemid, m.mri, m.displayName]),
      [
        ["0", "8:orgid:a", "Alice Example"],
        ["1", "8:orgid:a2", "Alice"],
        ["2", "8:orgid:b", "Bob"],
      ],
    );
    assert.equal(
      htmlToText(built.html, { mentions: built.properties.mentions }),
      "hi @Alice Example, @Alice and @Bobby, mail bob@x.com or @Bob.",
    );
  });

  it("keeps the rest of the text's markdown and escaping", () => {
    const built = buildMentions("**ping** @Bob <now>", [BOB]);
    assert.equal(
      built.html,
      `<p><b>ping</b> <span itemscope="" itemtype="${MENTION_TYPE}" itemid="0">Bob</span> &lt;now&gt;</p>`,
    );
  });

  it("escapes display names and ignores empty ones", () => {
    const built = buildMentions("@<img> and @", [
      { mri: "8:x", displayName: "<img>" },
      { mri: "8:y", displayName: "  " },
    ]);
    assert.ok(built.html.includes(">&lt;img&gt;</span>"));
    assert.equal(built.mentions.length, 1);
  });

  it("never lets a mention inside a URL break the link's attribute", () => {
    const built = buildMentions("https://x.y/a,@Bob", [BOB]);
    assert.ok(!/href="[^"]*</.test(built.html), built.html);
  });

  it("property: one span per mention, and the text renders back with each @Name", () => {
    const name = fc.stringMatching(/^[A-Z][a-z]{1,6}( [A-Z][a-z]{1,6})?$/);
    const people = fc
      .uniqueArray(name, { minLength: 1, maxLength: 4 })
      .map((names) => names.map((displayName, i) => ({ mri: `8:orgid:${i}`, displayName })));
    fc.assert(
      fc.property(
        people,
        fc.array(fc.tuple(fc.nat(3), fc.stringMatching(/^[a-z ]{0,8}$/)), { maxLength: 6 }),
        (ps, picks) => {
          const text = picks.map(([i, filler]) => `@${ps[i % ps.length]!.displayName} ${filler}`).join(" ");
          const built = buildMentions(text, ps);
          const spans = built.html.match(/<span itemscope="" itemtype="http:\/\/schema\.skype\.com\/Mention"/g) ?? [];
          assert.equal(spans.length, built.mentions.length);
          assert.deepEqual(parseMentions(built.properties.mentions), built.mentions);
          for (const [i, m] of built.mentions.entries()) assert.equal(m.itemid, String(i));
          const rendered = htmlToText(built.html, { mentions: built.properties.mentions });
          for (const m of built.mentions) assert.ok(rendered.includes(`@${m.displayName}`), rendered);
        },
      ),
      { numRuns },
    );
  });

  it("property: never throws on hostile text and names", () => {
    fc.assert(
      fc.property(
        hostileString,
        fc.array(fc.record({ mri: hostileString, displayName: hostileString }), { maxLength: 3 }),
        (text, ps) => {
          const built = buildMentions(text, ps);
          assert.equal(typeof built.html, "string");
          assert.deepEqual(JSON.parse(built.properties.mentions), built.mentions);
        },
      ),
      { numRuns },
    );
  });
});

describe("parseMentions", () => {
  it("reads the JSON string, the array, and MMZ's id instead of itemid", () => {
    const entry = { "@type": MENTION_TYPE, itemid: "0", mri: "8:a", mentionType: "person", displayName: "A" };
    assert.deepEqual(parseMentions(JSON.stringify([entry])), [entry]);
    assert.deepEqual(parseMentions([entry]), [entry]);
    assert.deepEqual(parseMentions([{ id: 3, mri: "8:a", displayName: "A" }]), [{ ...entry, itemid: "3" }]);
  });

  it("is lenient: malformed input gives [], bad entries are skipped", () => {
    for (const bad of [undefined, null, "", "not json", "{}", "[", 42, {}, true])
      assert.deepEqual(parseMentions(bad), []);
    assert.deepEqual(parseMentions([null, 1, "x", [], { foo: 1 }, { mri: "8:a" }]), [
      { "@type": MENTION_TYPE, itemid: "5", mri: "8:a", mentionType: "person", displayName: "" },
    ]);
  });

  it("property: never throws on any JSON value or string", () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.json(), hostileString, fc.anything()), (v) => {
        const out = parseMentions(v);
        assert.ok(Array.isArray(out));
        for (const m of out) {
          assert.equal(typeof m.mri, "string");
          assert.equal(typeof m.itemid, "string");
          assert.equal(typeof m.displayName, "string");
        }
      }),
      { numRuns },
    );
  });
});

describe("reply quotes", () => {
  const q = {
    messageId: "1718200100123",
    authorMri: "8:orgid:b",
    authorName: "Bob Example",
    preview: "Hi Alice, are we still on for 3pm?",
  };

  it("builds the §8.4 Reply blockquote", () => {
    assert.equal(
      buildReplyQuote(q),
      '<blockquote itemscope="" itemtype="http://schema.skype.com/Reply" itemid="1718200100123"><strong itemprop="mri" itemid="8:orgid:b">Bob Example</strong><span itemprop="time" itemid="1718200100123"></span><p itemprop="preview">Hi Alice, are we still on for 3pm?</p></blockquote>',
    );
  });

  it("shortens and escapes the preview", () => {
    const long = buildReplyQuote({ ...q, authorName: "<Bob>", preview: `${"word ".repeat(40)}<script>` });
    assert.ok(long.includes(">&lt;Bob&gt;</strong>"));
    const preview = parseReplyQuote(long)?.preview ?? "";
    assert.ok(preview.length <= 101 && preview.endsWith("…"), preview);
    assert.equal(replyPreview("a\n\n b  c"), "a b c");
  });

  it("parses a quote back, and finds none in plain messages", () => {
    assert.deepEqual(parseReplyQuote(`${buildReplyQuote(q)}<p>Yes, 3pm works.</p>`), q);
    assert.equal(parseReplyQuote("<p>no quote</p>"), undefined);
    assert.equal(parseReplyQuote("<blockquote>plain quote</blockquote>"), undefined);
  });

  it("property: build → parse round-trips (whitespace collapsed, preview shortened)", () => {
    const field = fc.string({ unit: "binary", maxLength: 40 });
    fc.assert(
      fc.property(
        field,
        field,
        field,
        fc.string({ unit: "binary", maxLength: 150 }),
        (messageId, authorMri, authorName, preview) => {
          const back = parseReplyQuote(buildReplyQuote({ messageId, authorMri, authorName, preview }));
          if (back === undefined) return assert.fail("no quote parsed back");
          assert.equal(back.messageId, messageId.trim());
          assert.equal(back.authorMri, authorMri.trim());
          assert.equal(back.authorName, authorName.replace(/\s+/g, " ").trim());
          assert.equal(back.preview, replyPreview(preview));
        },
      ),
      { numRuns },
    );
  });

  it("property: parseReplyQuote never throws on hostile HTML", () => {
    fc.assert(
      fc.property(hostileHtml, (html) => {
        const r = parseReplyQuote(`<blockquote itemtype="http://schema.skype.com/Reply">${html}`);
        assert.ok(r === undefined || typeof r.preview === "string");
      }),
      { numRuns },
    );
  });
});
