/**
 * fast-check generators for hostile server text: control sequences (raw and entity-encoded),
 * C1 controls, bidi overrides, lone surrogates, and tag soup built from the tags Teams and Skype
 * use, with hostile attribute values. Shared by the content property tests.
 */
import fc from "fast-check";

/** Runs per property: CI sets FC_NUM_RUNS=10000. */
export const numRuns = Number(process.env.FC_NUM_RUNS ?? 1000);

// Under mutation testing (MUTATION=1) a failure is all that matters: skip shrinking it, which can
// re-run a property thousands of times per killed mutant.
if (process.env.MUTATION) fc.configureGlobal({ endOnFailure: true });

/** Characters the sanitizer must never let through (besides lone surrogates). `\n` and `\t` are allowed. */
export const FORBIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** Whether `s` has a surrogate half without its partner. */
export function hasLoneSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
      else return true;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return true;
    }
  }
  return false;
}

/** Describes the first forbidden character in `s`, or undefined when `s` is terminal-safe. */
export function unsafeReason(s: string, allowTabs = true): string | undefined {
  const m = FORBIDDEN.exec(s);
  if (m) return `U+${m[0].charCodeAt(0).toString(16).padStart(4, "0")} at ${m.index}`;
  if (!allowTabs && s.includes("\t")) return "tab";
  if (hasLoneSurrogate(s)) return "lone surrogate";
  return undefined;
}

/** Terminal escape sequences and control characters an attacker might send. */
export const CONTROL_SEQUENCES = [
  "\x1b[31m",
  "\x1b[0m",
  "\x1b[2J",
  "\x1b[?1049h",
  "\x1b[38;5;196m",
  "\x1b[1;31;4m",
  "\x1b]0;pwned\x07",
  "\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07",
  "\x1b]8;;https://evil.example/\x1b\\text\x1b]8;;\x1b\\",
  "\x1b]52;c;cm0gLXJmIH4=\x07",
  "\x1bP+q544e\x1b\\",
  "\x1b_APC payload\x1b\\",
  "\x1b^PM payload\x1b\\",
  "\x1bXSOS payload\x1b\\",
  "\x1b7",
  "\x1b8",
  "\x1bc",
  "\x1b(B",
  "\x1b#8",
  "\x1b[",
  "\x1b]",
  "\x1b",
  "\u009b31m",
  "\u009d0;title\u009c",
  "\u0090dcs\u009c",
  "\u0085",
  "\u0080",
  "\u009f",
  "\x00",
  "\x07",
  "\x08",
  "\r",
  "\r\n",
  "\x0b",
  "\x0c",
  "\x7f",
  "\u202e",
  "\u202a",
  "\u202d",
  "\u2066",
  "\u2067",
  "\u2069",
  "\u2028",
  "\u2029",
  "\ud800",
  "\udfff",
  "\ud83d",
  "\ude42",
  "\ud83d\ude42",
  "\t",
  "\n",
];

/** The same attacks written as HTML character references. */
export const ENTITY_ATTACKS = [
  "&#27;[31m",
  "&#x1b;[2J",
  "&#x1B;]8;;https://evil.example/&#7;x&#x1b;]8;;&#7;",
  "&#27;]52;c;AAAA&#7;",
  "&#155;31m",
  "&#x9b;1m",
  "&#x9D;",
  "&#133;",
  "&#0;",
  "&#x0d;",
  "&#xD800;",
  "&#xdfff;",
  "&#55357;",
  "&#x202E;",
  "&#8238;",
  "&#x2066;",
  "&#x110000;",
  "&#99999999999;",
  "&#x7f;",
  "&#127;",
  "&#x2028;",
  "&NotNestedGreaterGreater;",
  "&amp;#27;",
  "&lt;script&gt;",
  "&nbsp;",
  "&",
  "&#",
  "&#x",
  "&gt",
];

const ATTR_VALUES = [
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  " javascript:alert(1)",
  "java\tscript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "vbscript:x",
  "https://example.com/a?b=1&amp;c=2",
  "http://schema.skype.com/Mention",
  "http://schema.skype.com/Emoji",
  "http://schema.skype.com/Reply",
  "http://schema.skype.com/AMSImage",
  "http://schema.skype.com/Giphy",
  "0",
  "1",
  "2",
  "-1",
  "99999999999",
  "(smile)",
  "smile",
  "Picture.1",
  "File.1",
  "mri",
  "preview",
  "time",
  "8:orgid:abc",
  "\x1b[31mred",
  "&#27;]8;;x&#7;",
  "\u202eevil",
  "\ud800",
  "",
  '"',
  "x.png",
];

const ATTR_NAMES = [
  "href",
  "src",
  "alt",
  "title",
  "itemtype",
  "itemid",
  "itemprop",
  "itemscope",
  "type",
  "class",
  "id",
  "start",
  "authorname",
  "v",
  "originalname",
  "f",
  "s",
  "address",
  "onclick",
  "style",
];

export const TAG_NAMES = [
  "p",
  "div",
  "br",
  "b",
  "strong",
  "i",
  "em",
  "u",
  "s",
  "strike",
  "a",
  "ul",
  "ol",
  "li",
  "pre",
  "code",
  "codeblock",
  "blockquote",
  "h1",
  "table",
  "tr",
  "td",
  "th",
  "img",
  "span",
  "readonly",
  "hr",
  "at",
  "ss",
  "quote",
  "legacyquote",
  "e_m",
  "font",
  "URIObject",
  "OriginalName",
  "meta",
  "FileSize",
  "Title",
  "files",
  "file",
  "contacts",
  "c",
  "location",
  "script",
  "style",
  "title",
  "textarea",
  "xmp",
  "template",
  "svg",
  "math",
  "iframe",
  "x-unknown",
  "addmember",
  "target",
  "partlist",
  "part",
];

/** Single UTF-16 code units of any value (lone surrogates included), biased towards dangerous ones. */
export const hostileChar: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n)) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 0x9f }).map((n) => String.fromCharCode(n)) },
  // Any code point, as `unit: "binary"` would give, without the 1.1-million-entry reverse map that
  // arbitrary builds on first use (seconds of start-up for every file that imports this one).
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 0x10ffff }).map((n) => String.fromCodePoint(n)) },
  { weight: 1, arbitrary: fc.constantFrom("<", ">", "&", '"', "'", "/", "=", " ", "\n", ";", "#", "[", "]") },
);

/** Strings of any code units, dense with controls and markup characters. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: hostileChar, maxLength: 60 }),
  fc
    .array(fc.oneof(fc.constantFrom(...CONTROL_SEQUENCES), fc.string({ maxLength: 8 })), { maxLength: 12 })
    .map((a) => a.join("")),
);

const attrValue: fc.Arbitrary<string> = fc.oneof(fc.constantFrom(...ATTR_VALUES), hostileString);

const attribute: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...ATTR_NAMES), attrValue, fc.constantFrom('"', "'", ""))
  .map(([name, value, q]) => {
    if (q === "") return ` ${name}=${value.replace(/[\s>"'=<`]/g, "")}`;
    return ` ${name}=${q}${value.split(q).join(q === '"' ? "&quot;" : "&#39;")}${q}`;
  });

const tagName: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...TAG_NAMES) },
  { weight: 1, arbitrary: fc.constantFrom(...TAG_NAMES).map((t) => t.toUpperCase()) },
);

const openTag: fc.Arbitrary<string> = fc
  .tuple(tagName, fc.array(attribute, { maxLength: 4 }), fc.boolean())
  .map(([name, attrs, selfClose]) => `<${name}${attrs.join("")}${selfClose ? "/" : ""}>`);

const closeTag: fc.Arbitrary<string> = tagName.map((t) => `</${t}>`);

/** Markup fragments that are not tags. */
const oddMarkup = fc.constantFrom(
  "<!-- comment -->",
  "<!--",
  "-->",
  "<![CDATA[x<y]]>",
  "<!DOCTYPE html>",
  "<?xml version='1.0'?>",
  "<",
  ">",
  "</",
  "<a",
  "< p>",
  "<p",
  '<a href="',
  "<script>alert(1)</script>",
  "<script>\x1b[31m</script>",
  "<style>*{color:red}</style>",
  "<img src=x onerror=alert(1)>",
  '<a href="javascript:alert(1)">click</a>',
  '<span itemscope itemtype="http://schema.skype.com/Mention" itemid="0">Alice</span>',
  '<img itemtype="http://schema.skype.com/Emoji" alt="🙂" itemid="smile">',
  '<blockquote itemtype="http://schema.skype.com/Reply" itemid="1"><strong itemprop="mri" itemid="8:x">Bob</strong><p itemprop="preview">hi</p></blockquote>',
);

/** One piece of hostile HTML. */
export const htmlFragment: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: openTag },
  { weight: 3, arbitrary: closeTag },
  { weight: 4, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.constantFrom(...CONTROL_SEQUENCES) },
  { weight: 2, arbitrary: fc.constantFrom(...ENTITY_ATTACKS) },
  { weight: 1, arbitrary: oddMarkup },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom("b", "div", "blockquote", "li", "ul", "ol", "span", "pre", "a", "quote"),
        fc.integer({ min: 1, max: 200 }),
      )
      .map(([t, n]) => `<${t}>`.repeat(n)),
  },
);

/** Hostile HTML documents. */
export const hostileHtml: fc.Arbitrary<string> = fc.array(htmlFragment, { maxLength: 30 }).map((a) => a.join(""));
