/**
 * Mentions (PROTOCOL.md §8.4): `<span itemscope itemtype="http://schema.skype.com/Mention"
 * itemid="N">Name</span>` in the HTML, and a JSON string in `properties.mentions` whose entries
 * carry the same `itemid`, the person's MRI and display name.
 */
import { parseMaybeJsonArray } from "../json.js";
import type { WireMention } from "../wire.js";
import { escapeHtml } from "./escape.js";
import { textToHtmlWith } from "./text-to-html.js";

export const MENTION_TYPE = "http://schema.skype.com/Mention";

export interface MentionPerson {
  mri: string;
  displayName: string;
}

export interface BuiltMentions {
  /** The message HTML (as `textToHtml` would make it) with each mention as a Mention span. */
  html: string;
  /** One entry per mention occurrence, `itemid` "0", "1", … in order of appearance. */
  mentions: WireMention[];
  /** What to put in the send request's `properties`. */
  properties: { mentions: string };
}

function str(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return undefined;
}

/**
 * Reads `properties.mentions`: a JSON string or an array, entries with `itemid` (or `id`), `mri`,
 * `mentionType`, `displayName`. Lenient: malformed input gives `[]`, malformed entries are skipped,
 * missing fields get defaults (itemid = position, mentionType = "person"). Never throws.
 */
export function parseMentions(value: unknown): WireMention[] {
  const raw = parseMaybeJsonArray<unknown>(value);
  const out: WireMention[] = [];
  for (let i = 0; i < raw.length; i++) {
    const e = raw[i];
    if (!e || typeof e !== "object" || Array.isArray(e)) continue;
    const r = e as Record<string, unknown>;
    const mri = str(r["mri"]);
    const displayName = str(r["displayName"]) ?? str(r["displayname"]);
    if (mri === undefined && displayName === undefined) continue;
    out.push({
      "@type": MENTION_TYPE,
      itemid: str(r["itemid"]) ?? str(r["itemId"]) ?? str(r["id"]) ?? String(i),
      mri: mri ?? "",
      mentionType: str(r["mentionType"]) ?? "person",
      displayName: displayName ?? "",
    });
  }
  return out;
}

/** The `properties.mentions` entry of the mention with this `itemid`. */
export function mentionEntry(itemid: string | number, person: MentionPerson): WireMention {
  return {
    "@type": MENTION_TYPE,
    itemid: String(itemid),
    mri: person.mri,
    mentionType: "person",
    displayName: person.displayName,
  };
}

/** `properties.mentions` for people mentioned in order (`itemid` 0, 1, …): a JSON string. */
export function mentionsProperty(people: readonly MentionPerson[]): string {
  return JSON.stringify(people.map((p, i) => mentionEntry(i, p)));
}

/**
 * Mentions in ready-made HTML: the first escaped `@Name` of each person becomes their Mention span,
 * and anyone not named is prepended (inside a leading `<p>` when there is one).
 */
export function insertMentions(html: string, people: readonly MentionPerson[]): BuiltMentions {
  let out = html;
  const mentions: WireMention[] = [];
  people.forEach((p, i) => {
    const name = p.displayName.trim();
    const needle = `@${escapeHtml(name)}`;
    const span = mentionSpan(i, name);
    const at = out.indexOf(needle);
    if (at >= 0) out = out.slice(0, at) + span + out.slice(at + needle.length);
    else out = out.startsWith("<p>") ? `<p>${span} ${out.slice(3)}` : `${span} ${out}`;
    mentions.push(mentionEntry(i, { mri: p.mri, displayName: name }));
  });
  return { html: out, mentions, properties: { mentions: JSON.stringify(mentions) } };
}

/** The Mention span for one mention. */
export function mentionSpan(itemid: string | number, displayName: string): string {
  return `<span itemscope="" itemtype="${MENTION_TYPE}" itemid="${escapeHtml(String(itemid))}">${escapeHtml(displayName)}</span>`;
}

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /[\p{L}\p{N}_]/u.test(c);
}

/** Characters allowed right before `@` of a mention: start, whitespace, opening punctuation. */
function canPrecedeAt(c: string | undefined): boolean {
  return c === undefined || /[\s([{"'“‘<>,;:!?]/.test(c);
}

/**
 * Turns `@Display Name` occurrences in plain text into mentions of `people`: the longest matching
 * name wins, matching is case-insensitive and must end at a word boundary; `@` must start the text
 * or follow whitespace/opening punctuation (so `bob@example.com` is no mention). The rest of the
 * text gets `textToHtml`'s light markdown.
 */
export function buildMentions(text: string, people: readonly MentionPerson[]): BuiltMentions {
  const candidates = people
    .filter((p) => typeof p.displayName === "string" && p.displayName.trim() !== "" && typeof p.mri === "string")
    .map((p) => ({ person: p, name: p.displayName.trim(), lower: p.displayName.trim().toLowerCase() }))
    .sort((a, b) => b.name.length - a.name.length);

  const mentions: WireMention[] = [];
  const spans: string[] = [];
  const tokens: { start: number; end: number; index: number }[] = [];
  if (candidates.length > 0) {
    let from = 0;
    for (;;) {
      const at = text.indexOf("@", from);
      if (at < 0) break;
      from = at + 1;
      if (!canPrecedeAt(at > 0 ? text[at - 1] : undefined)) continue;
      for (const c of candidates) {
        const end = at + 1 + c.name.length;
        if (end > text.length) continue;
        if (text.slice(at + 1, end).toLowerCase() !== c.lower) continue;
        if (isWordChar(c.name[c.name.length - 1]) && isWordChar(text[end])) continue;
        const index = mentions.length;
        mentions.push(mentionEntry(index, { mri: c.person.mri, displayName: c.name }));
        spans.push(mentionSpan(index, c.name));
        tokens.push({ start: at, end, index });
        from = end;
        break;
      }
    }
  }
  const html = textToHtmlWith(text, tokens, spans);
  return { html, mentions, properties: { mentions: JSON.stringify(mentions) } };
}
