/** HTML escaping for text and attribute values we generate. */

const ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

const NEEDS_ESCAPE = /[&<>"']/;

/** Escapes `& < > " '` so the result is safe as element text and as a quoted attribute value. */
export function escapeHtml(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** The lowercased Skype schema type of an element (`mention`, `emoji`, `reply`, `amsimage`, …), or "". */
export function schemaType(itemtype: string | undefined): string {
  if (!itemtype) return "";
  const idx = itemtype.toLowerCase().indexOf("schema.skype.com/");
  return idx < 0 ? "" : itemtype.slice(idx + "schema.skype.com/".length).toLowerCase();
}
