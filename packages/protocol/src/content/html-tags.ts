/** How htmlToText treats each element name (PROTOCOL.md §8.4 plus the Skype-era tags). */

/** Elements that end a line before and after. */
export const BLOCK = new Set([
  "p",
  "div",
  "section",
  "article",
  "header",
  "footer",
  "main",
  "nav",
  "aside",
  "address",
  "figure",
  "figcaption",
  "center",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "dl",
  "dt",
  "dd",
  "table",
  "thead",
  "tbody",
  "tfoot",
  "caption",
  "form",
  "fieldset",
  "details",
  "summary",
  "legend",
  "contacts",
  "files",
]);

/** Elements whose content is never shown. */
export const DROP = new Set([
  "script",
  "style",
  "template",
  "title",
  "head",
  "xml",
  "noscript",
  "noembed",
  "noframes",
  "iframe",
  "object",
  "legacyquote",
  "e_m",
]);

export const PRE = new Set(["pre", "codeblock", "xmp", "listing", "plaintext", "textarea"]);

export const EMPHASIS: Readonly<Record<string, string>> = {
  b: "**",
  strong: "**",
  i: "_",
  em: "_",
  s: "~~",
  strike: "~~",
  del: "~~",
  code: "`",
};
