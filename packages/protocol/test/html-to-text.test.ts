import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { htmlToText } from "../src/index.js";
import { hostileHtml, hostileString, numRuns, unsafeReason } from "./arbitraries.js";

const MENTION = "http://schema.skype.com/Mention";

describe("htmlToText: structure", () => {
  it("turns paragraphs, divs and <br> into newlines and collapses runs", () => {
    assert.equal(htmlToText("<p>one</p><p>two</p><div>three</div>"), "one\ntwo\nthree");
    assert.equal(htmlToText("<p>a<br>b<br><br><br><br>c</p>"), "a\nb\n\nc");
    assert.equal(htmlToText("<p></p><p></p><p>x</p><p></p>"), "x");
    assert.equal(htmlToText("  <p>  spaced \n\t out  </p>  "), "spaced out");
    assert.equal(htmlToText("a</br>b"), "a\nb");
  });

  it("keeps emphasis as plain text, or with light markers", () => {
    const html = "<p><b>bold</b>, <strong>strong</strong>, <i>it</i>, <em>em</em>, <u>u</u>, <s>gone</s></p>";
    assert.equal(htmlToText(html), "bold, strong, it, em, u, gone");
    assert.equal(htmlToText(html, { markers: true }), "**bold**, **strong**, _it_, _em_, u, ~~gone~~");
    assert.equal(htmlToText("<p>x <b> </b>y</p>", { markers: true }), "x y");
    assert.equal(htmlToText("<p>run <code>ls -la</code> now</p>", { markers: true }), "run `ls -la` now");
  });

  it("renders links as text (url) unless the text is the url", () => {
    assert.equal(htmlToText('<a href="https://example.com/x">the site</a>'), "the site (https://example.com/x)");
    assert.equal(htmlToText('<a href="https://example.com/">https://example.com</a>'), "https://example.com");
    assert.equal(htmlToText('<a href="mailto:a@b.c">a@b.c</a>'), "a@b.c");
    assert.equal(htmlToText('see <a href="https://x.y"></a>.'), "see https://x.y.");
    assert.equal(htmlToText('<a href="#top">top</a>'), "top");
    // A link whose text looks like a different URL shows where it really goes.
    assert.equal(
      htmlToText('<a href="https://evil.example">https://bank.example</a>'),
      "https://bank.example (https://evil.example)",
    );
  });

  it("renders lists with bullets, numbers and nesting indentation", () => {
    assert.equal(
      htmlToText("<ul><li>one</li><li>two<ol><li>a</li><li>b<ul><li>deep</li></ul></li></ol></li><li>three</li></ul>"),
      "• one\n• two\n  1. a\n  2. b\n     • deep\n• three",
    );
    assert.equal(htmlToText('<ol start="9"><li>nine<li>ten</ol>'), "9. nine\n10. ten");
    assert.equal(htmlToText("<p>intro</p><ul><li><p>para item</p></li></ul><p>outro</p>"), "intro\n• para item\noutro");
  });

  it("keeps pre, code and codeblock verbatim", () => {
    assert.equal(
      htmlToText("<pre>\nif (a &lt; b) {\n    x();\n\n}</pre><p>after</p>"),
      "if (a < b) {\n    x();\n\n}\nafter",
    );
    assert.equal(htmlToText("<codeblock><code>a  b\n\tc</code></codeblock>"), "a  b\n\tc");
    assert.equal(htmlToText("<p>use <code>a   b</code> here</p>"), "use a   b here");
  });

  it("renders blockquotes with > markers", () => {
    assert.equal(htmlToText("<blockquote><p>quoted</p><p>two</p></blockquote><p>reply</p>"), "> quoted\n> two\nreply");
    assert.equal(htmlToText("<blockquote>a<blockquote>b</blockquote></blockquote>"), "> a\n> > b");
  });

  it("renders the Teams Reply quote as > Author: preview", () => {
    const html =
      '<blockquote itemscope="" itemtype="http://schema.skype.com/Reply" itemid="1"><strong itemprop="mri" itemid="8:orgid:b">Bob Example</strong><span itemprop="time" itemid="1"></span><p itemprop="preview">Hi Alice, are we still on for 3pm?</p></blockquote><p>Yes, 3pm works.</p>';
    assert.equal(htmlToText(html), "> Bob Example: Hi Alice, are we still on for 3pm?\nYes, 3pm works.");
  });

  it("renders the Skype <quote> without its legacy fallback text", () => {
    const html =
      '<quote author="8:live:alice" authorname="Alice" timestamp="1"><legacyquote>[12:00] Alice: </legacyquote>hello there<legacyquote>\n\n&lt;&lt;&lt; </legacyquote></quote>reply';
    assert.equal(htmlToText(html), "> Alice: hello there\nreply");
  });

  it("renders emoji from alt, then from the emoticon id", () => {
    assert.equal(
      htmlToText(
        '<span class="animated-emoticon-20-smile" type="(smile)"><img itemscope itemtype="http://schema.skype.com/Emoji" itemid="smile" alt="🙂"></span>',
      ),
      "🙂",
    );
    assert.equal(htmlToText('<img itemtype="http://schema.skype.com/Emoji" itemid="heart">'), "❤️");
    assert.equal(htmlToText('<img itemtype="http://schema.skype.com/Emoji" itemid="zorblax">'), "(zorblax)");
    assert.equal(htmlToText('<span class="animated-emoticon-20-cool" type="(cool)"></span>'), "😎");
    assert.equal(htmlToText('<span type="(zorblax)"></span>'), "(zorblax)");
    assert.equal(htmlToText('<ss type="wink">;)</ss> <ss type="zorblax">:Z</ss>'), "😉 :Z");
  });

  it("renders mentions as @Name and merges split multi-word mentions of one person", () => {
    assert.equal(htmlToText(`<span itemscope itemtype="${MENTION}" itemid="0">Alice</span> hi`), "@Alice hi");
    const split = `<p><span itemtype="${MENTION}" itemid="0">Alice</span>&nbsp;<span itemtype="${MENTION}" itemid="1">Example</span> and <span itemtype="${MENTION}" itemid="2">Bob</span> <span itemtype="${MENTION}" itemid="3">Builder</span></p>`;
    const mentions = JSON.stringify([
      { itemid: "0", mri: "8:a", displayName: "Alice" },
      { itemid: "1", mri: "8:a", displayName: "Example" },
      { itemid: "2", mri: "8:b", displayName: "Bob" },
      { itemid: "3", mri: "8:c", displayName: "Builder" },
    ]);
    assert.equal(htmlToText(split, { mentions }), "@Alice Example and @Bob @Builder");
    // Without properties.mentions nobody can tell one person from two: every span gets its @.
    assert.equal(htmlToText(split), "@Alice @Example and @Bob @Builder");
    // An empty span is named from properties.mentions.
    assert.equal(htmlToText(`<span itemtype="${MENTION}" itemid="0"></span> ok`, { mentions }), "@Alice ok");
    // The web client's <readonly> wrapper adds nothing.
    assert.equal(
      htmlToText(
        `<readonly itemtype="${MENTION}" contenteditable="false"><span itemtype="${MENTION}" itemid="0">Alice</span></readonly>!`,
      ),
      "@Alice!",
    );
    assert.equal(htmlToText('<at id="8:live:bob">Bob</at> and <at id="8:live:carol"></at>'), "@Bob and @carol");
  });

  it("renders images, AMS images, GIFs and URIObjects as labels", () => {
    assert.equal(htmlToText('<img src="https://x/y/photo.png">'), "[image: photo.png]");
    assert.equal(htmlToText('<img src="https://x/y/z" alt="A cat">'), "[image: A cat]");
    assert.equal(
      htmlToText(
        '<p>look<img itemtype="http://schema.skype.com/AMSImage" src="https://as/v1/objects/0-x/views/imgo"></p>',
      ),
      "look [image]",
    );
    assert.equal(
      htmlToText('<readonly itemtype="http://schema.skype.com/Giphy"><img alt="Dancing"></readonly>'),
      "[GIF: Dancing]",
    );
    assert.equal(
      htmlToText(
        '<URIObject type="Picture.1" uri="u">To view this shared photo, go to: <a href="https://l">https://l</a><OriginalName v="x.png"/><meta type="photo" originalName="x.png"/></URIObject>',
      ),
      "[image: x.png]",
    );
    assert.equal(
      htmlToText('<URIObject type="File.1" uri="u"><Title>Title: plan.pdf</Title><FileSize v="2048"/></URIObject>'),
      "[file: plan.pdf (2.0 KB)]",
    );
    assert.equal(htmlToText('<URIObject type="Video.1/Message"></URIObject>'), "[video]");
  });

  it("renders Skype contacts, locations and files", () => {
    assert.equal(htmlToText('<contacts><c t="s" s="8:bob" f="Bob"/></contacts>'), "[contact: Bob]");
    assert.equal(
      htmlToText('<location latitude="1" longitude="2" address="Main St 1">Main St 1</location>'),
      "[location: Main St 1]",
    );
    assert.equal(htmlToText('<files><file size="10" index="0">a.txt</file></files>'), "[file: a.txt]");
  });

  it("renders tables row by row", () => {
    assert.equal(
      htmlToText("<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>"),
      "a | b\n1 | 2",
    );
  });

  it("drops script, style and similar content entirely, and shows unknown tags' text", () => {
    assert.equal(htmlToText("<p>a<script>alert(1)</script>b<style>p{x}</style>c<title>t</title></p>"), "abc");
    assert.equal(htmlToText("<x-widget>inner <blink>text</blink></x-widget>"), "inner text");
    assert.equal(htmlToText('<p>a<e_m ts="1" a="8:x" t="61"/>b</p>'), "ab");
  });

  it("decodes entities", () => {
    assert.equal(
      htmlToText("<p>&lt;b&gt; &amp; &quot;q&quot; &#39;s&#39; &copy; &#x1F642; caf&eacute;</p>"),
      "<b> & \"q\" 's' © 🙂 café",
    );
  });

  it("sanitizes raw and entity-encoded control sequences, C1 controls, bidi overrides and lone surrogates", () => {
    assert.equal(htmlToText("<p>a\x1b[31mred\x1b[0m</p>"), "ared");
    assert.equal(htmlToText("<p>&#27;[31mred &#x1b;]8;;https://evil/&#7;link&#x1b;]8;;&#7;</p>"), "red link");
    assert.equal(htmlToText("<p>x\u009b2Jy\u0085z</p>"), "xyz");
    assert.equal(htmlToText("<p>file\u202egpj.exe &#x202E;x</p>"), "filegpj.exe x");
    assert.equal(htmlToText("<p>\ud800 &#xD800;</p>"), "\ufffd \ufffd");
    assert.equal(htmlToText('<img alt="\x1b]52;c;AAAA\x07cat">'), "[image: cat]");
    assert.equal(htmlToText('<a href="https://x/\x1b[2J">t</a>'), "t (https://x/)");
    assert.equal(htmlToText("<pre>a\tb\x1b[1m\rc</pre>"), "a\tbc");
  });

  it("wraps to a width, continuing quotes and list items under their prefix", () => {
    const out = htmlToText(`<blockquote>${"quoted ".repeat(12)}</blockquote><ul><li>${"item ".repeat(12)}</li></ul>`, {
      width: 30,
    });
    for (const line of out.split("\n")) assert.ok(line.length <= 30, line);
    assert.deepEqual(out.split("\n").slice(0, 2), ["> quoted quoted quoted quoted", "> quoted quoted quoted quoted"]);
    assert.ok(out.includes("\n• item item"));
    assert.ok(out.includes("\n  item item"));
    assert.equal(htmlToText(`<p>${"x".repeat(25)}</p>`, { width: 10 }), "xxxxxxxxxx\nxxxxxxxxxx\nxxxxx");
  });

  it("truncates to maxLength with an ellipsis, never splitting a surrogate pair", () => {
    assert.equal(htmlToText("<p>hello world</p>", { maxLength: 8 }), "hello…");
    assert.equal(htmlToText("<p>hello</p>", { maxLength: 5 }), "hello");
    assert.equal(htmlToText("<p>ab🙂cd</p>", { maxLength: 4 }), "ab…");
    assert.equal(htmlToText("<p>abcdefghij</p>", { maxLength: 5 }), "abcd…");
    const big = htmlToText(`<p>${"word ".repeat(200_000)}</p>`, { maxLength: 100 });
    assert.equal(big.length, 100);
    assert.ok(big.endsWith("…"));
  });

  it("survives 10,000-deep nesting of every container without recursion", () => {
    for (const tag of ["b", "div", "blockquote", "ul", "li", "span", "a", "pre", "quote", "table", "URIObject"]) {
      const html = `<${tag}>`.repeat(10_000) + "deep" + `</${tag}>`.repeat(10_000) + "after";
      const out = htmlToText(html);
      assert.equal(unsafeReason(out), undefined);
      assert.ok(out.length < 1000, `${tag}: ${out.length}`);
      if (tag !== "URIObject") assert.ok(out.includes("deep"), tag);
    }
    assert.equal(htmlToText(`${"<blockquote>".repeat(10_000)}x`), "> > > > > > x");
  });

  it("renders 1 MB hostile inputs safely (their speed is bench/hostile.bench.ts)", () => {
    const MB = 1024 * 1024;
    const inputs = [
      "<b>".repeat(MB / 3),
      `${"<b>".repeat(100_000)}${"</x>".repeat(100_000)}`,
      "<ol>" + "<li>a".repeat(MB / 5),
      `<p>${"hello world ".repeat(MB / 12)}</p>`,
      "<a ".repeat(MB / 3),
      `<img alt="${"&amp;".repeat(MB / 5)}">`,
      "&#27;[31m".repeat(MB / 9),
      `<span itemtype="${MENTION}" itemid="1">x</span>`.repeat(MB / 60),
    ];
    for (const html of inputs) {
      const out = htmlToText(html);
      assert.equal(unsafeReason(out), undefined);
    }
  });
});

describe("htmlToText: properties", () => {
  it("never throws and never emits controls, bidi overrides or lone surrogates (hostile HTML)", () => {
    fc.assert(
      fc.property(hostileHtml, (html) => {
        const out = htmlToText(html);
        assert.equal(unsafeReason(out), undefined, JSON.stringify(out));
      }),
      { numRuns },
    );
  });

  it("never throws and stays safe for arbitrary strings and options", () => {
    fc.assert(
      fc.property(
        hostileString,
        fc.option(fc.integer({ min: -5, max: 200 }), { nil: undefined }),
        fc.option(fc.integer({ min: -5, max: 300 }), { nil: undefined }),
        fc.option(hostileString, { nil: undefined }),
        (html, width, maxLength, mentions) => {
          const opts = {
            ...(width !== undefined ? { width } : {}),
            ...(maxLength !== undefined ? { maxLength } : {}),
            ...(mentions !== undefined ? { mentions } : {}),
          };
          const out = htmlToText(html, opts);
          assert.equal(unsafeReason(out), undefined);
          if (maxLength !== undefined) assert.ok(out.length <= Math.max(0, maxLength));
        },
      ),
      { numRuns },
    );
  });

  it("output length is bounded by the input length", () => {
    fc.assert(
      fc.property(hostileHtml, (html) => {
        assert.ok(htmlToText(html).length <= 8 * html.length + 16);
      }),
      { numRuns },
    );
  });

  it("respects width for wrapped (non-preformatted) lines", () => {
    const words = fc.array(fc.stringMatching(/^[a-z]{1,9}$/), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(words, fc.integer({ min: 12, max: 80 }), (ws, width) => {
        const out = htmlToText(`<blockquote><p>${ws.join(" ")}</p></blockquote>`, { width });
        for (const line of out.split("\n")) assert.ok(line.length <= width, `${line} > ${width}`);
        assert.equal(out.replace(/^> /gm, "").split(/\s+/).join(" "), ws.join(" "));
      }),
      { numRuns },
    );
  });
});
