import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { htmlToText, textToHtml } from "../src/index.js";
import { hostileString, numRuns } from "./arbitraries.js";

/** The only markup textToHtml may produce; after removing it no `<` or `>` may remain. */
const OWN_MARKUP =
  /<\/?(?:p|br|b|i|s|code|ul|ol|li|pre|a)>|<a href="[^"<>]*">|<pre class="language-[A-Za-z0-9_+#.-]*">|<ol start="-?\d+">/g;

function decodeAttr(v: string): string {
  return v
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

function hrefs(html: string): string[] {
  return [...html.matchAll(/<a href="([^"]*)">/g)].map((m) => decodeAttr(m[1] ?? ""));
}

/** Text built from many markdown-ish tokens, to stress the inline and block parsers. */
const markdownish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        "**",
        "*",
        "_",
        "~~",
        "`",
        "```",
        "[",
        "]",
        "(",
        ")",
        "](",
        "http://",
        "https://",
        "javascript:",
        "mailto:",
        "- ",
        "* ",
        "1. ",
        "\n",
        "\n\n",
        "  ",
        "<",
        ">",
        "&",
        '"',
        "'",
        "<script>",
        "&lt;",
      ),
      fc.stringMatching(/^[a-z0-9.:/]{1,6}$/),
      hostileString,
    ),
    { maxLength: 25 },
  )
  .map((a) => a.join(""));

describe("textToHtml", () => {
  it("escapes HTML special characters first", () => {
    assert.equal(
      textToHtml(`a < b > c & "d" 'e' <script>`),
      "<p>a &lt; b &gt; c &amp; &quot;d&quot; &#39;e&#39; &lt;script&gt;</p>",
    );
  });

  it("makes paragraphs from blank lines and <br> from single newlines", () => {
    assert.equal(textToHtml("one\ntwo\n\nthree\r\n\r\n\r\nfour"), "<p>one<br>two</p><p>three</p><p>four</p>");
    assert.equal(textToHtml(""), "<p></p>");
    assert.equal(textToHtml("\n\n"), "<p></p>");
  });

  it("renders bold, italic, strike and code", () => {
    assert.equal(
      textToHtml("**bold** *it* _it2_ ~~gone~~ `a<b>` ``x ` y``"),
      "<p><b>bold</b> <i>it</i> <i>it2</i> <s>gone</s> <code>a&lt;b&gt;</code> <code>x ` y</code></p>",
    );
    assert.equal(textToHtml("**bold _and it_**"), "<p><b>bold <i>and it</i></b></p>");
  });

  it("leaves unmatched or word-internal delimiters alone", () => {
    assert.equal(
      textToHtml("snake_case_name and 2 * 3 * 4 and **open"),
      "<p>snake_case_name and 2 * 3 * 4 and **open</p>",
    );
    assert.equal(textToHtml("a ` b"), "<p>a ` b</p>");
  });

  it("links [text](url) and bare URLs, only for http, https and mailto", () => {
    assert.equal(textToHtml("[docs](https://x.y/a?b=1&c=2)"), '<p><a href="https://x.y/a?b=1&amp;c=2">docs</a></p>');
    assert.equal(textToHtml("[mail](mailto:a@b.c)"), '<p><a href="mailto:a@b.c">mail</a></p>');
    assert.equal(textToHtml("[x](javascript:alert(1))"), "<p>[x](javascript:alert(1))</p>");
    assert.equal(textToHtml("[x](data:text/html,hi)"), "<p>[x](data:text/html,hi)</p>");
    assert.equal(
      textToHtml("see https://example.com/path?q=1. and (http://a.b/c)"),
      '<p>see <a href="https://example.com/path?q=1">https://example.com/path?q=1</a>. and (<a href="http://a.b/c">http://a.b/c</a>)</p>',
    );
    assert.equal(textToHtml("javascript:alert(1)"), "<p>javascript:alert(1)</p>");
    assert.equal(textToHtml("[x](https://a\x01b)"), '<p>[x](<a href="https://a">https://a</a>\x01b)</p>');
    assert.equal(textToHtml("https://a\u3000b"), '<p><a href="https://a">https://a</a>\u3000b</p>');
    assert.equal(
      textToHtml('https://x.y/"onmouseover="alert(1)'),
      '<p><a href="https://x.y/">https://x.y/</a>&quot;onmouseover=&quot;alert(1)</p>',
    );
  });

  it("makes lists, nested by indentation", () => {
    assert.equal(textToHtml("- a\n- b\n  - c\n- d"), "<ul><li>a</li><li>b<ul><li>c</li></ul></li><li>d</li></ul>");
    assert.equal(textToHtml("1. one\n2. two"), "<ol><li>one</li><li>two</li></ol>");
    assert.equal(textToHtml("3. three\n4. four"), '<ol start="3"><li>three</li><li>four</li></ol>');
    assert.equal(textToHtml("intro\n* x\n* y\noutro"), "<p>intro</p><ul><li>x</li><li>y</li></ul><p>outro</p>");
    assert.equal(textToHtml("- a\n1. b"), "<ul><li>a</li></ul><ol><li>b</li></ol>");
  });

  it("makes fenced code blocks verbatim", () => {
    assert.equal(
      textToHtml("before\n```ts\nif (a < b) {\n  **not bold**\n}\n```\nafter"),
      '<p>before</p><pre class="language-ts"><code>if (a &lt; b) {\n  **not bold**\n}</code></pre><p>after</p>',
    );
    assert.equal(textToHtml("```\nunclosed"), "<pre><code>unclosed</code></pre>");
  });

  it("renders 1 MB markdown floods to well-formed HTML (their speed is bench/hostile.bench.ts)", () => {
    const MB = 1024 * 1024;
    for (const s of [
      "**a ".repeat(MB / 4),
      "`a ".repeat(MB / 3),
      "[a](".repeat(MB / 4),
      "- a\n  - b\n".repeat(MB / 10),
    ]) {
      const html = textToHtml(s);
      assert.ok(html.startsWith("<") && html.length >= s.length / 2, "a flood still renders");
      assert.ok(!/<script/i.test(html));
    }
  });

  it("property: no unescaped user < or >, and every href is http(s) or mailto", () => {
    fc.assert(
      fc.property(markdownish, (text) => {
        const html = textToHtml(text);
        const rest = html.replace(OWN_MARKUP, "");
        assert.ok(!rest.includes("<") && !rest.includes(">"), html);
        for (const href of hrefs(html)) {
          assert.match(href, /^(?:https?:\/\/|mailto:)/i);
          assert.ok(!/^[\s\x00-\x1f]*javascript:/i.test(href), href);
          assert.ok(!/[\s\x00-\x1f"<>]/.test(href), href);
        }
      }),
      { numRuns },
    );
  });

  it("property: htmlToText(textToHtml(t)) keeps the words of safe text", () => {
    const wordChar = fc.constantFrom(..."abcXYZ019<>&\"'!?,;éß中🙂".match(/./gu)!);
    const word = fc.string({ unit: wordChar, minLength: 1, maxLength: 10 });
    const line = fc.array(word, { minLength: 1, maxLength: 8 }).map((w) => w.join(" "));
    const text = fc
      .array(fc.tuple(line, fc.constantFrom("\n", "\n\n", " ")), { minLength: 1, maxLength: 6 })
      .map((parts) => parts.map(([l, sep]) => l + sep).join(""));
    fc.assert(
      fc.property(text, (t) => {
        const back = htmlToText(textToHtml(t));
        assert.deepEqual(back.split(/\s+/).filter(Boolean), t.split(/\s+/).filter(Boolean));
      }),
      { numRuns },
    );
  });

  it("property: line structure survives the round trip", () => {
    const line = fc.stringMatching(/^[a-z]{1,8}( [a-z]{1,8}){0,3}$/);
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 6 }), (lines) => {
        assert.equal(htmlToText(textToHtml(lines.join("\n"))), lines.join("\n"));
      }),
      { numRuns },
    );
  });
});
