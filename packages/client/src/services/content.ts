/**
 * The one place services touch message markup: everything delegates to the protocol content codecs
 * (GUIDE §1: nothing outside `protocol` parses HTML). Only the composition rules of the library's
 * send options live here.
 */
import {
  buildMentions,
  buildReplyQuote,
  escapeHtml,
  type MentionPerson,
  mentionSpan,
  textToHtml,
  type WireMention,
} from "@teams-api/protocol";

export type MentionInput = MentionPerson;

/** True when content is already Teams HTML rather than text the user typed. */
export function looksLikeHtml(content: string): boolean {
  return /^\s*<(p|div|span|b|strong|i|em|u|s|a|ul|ol|blockquote|pre|code|h[1-6]|table|img|br|readonly|at)\b[^>]*>/i.test(
    content,
  );
}

/** Typed text (light markdown) → HTML; `@Name` of each mentioned person becomes a mention, missing ones are prepended. */
export function composeText(
  text: string,
  mentions: readonly MentionInput[] | undefined,
): { html: string; mentions?: string } {
  if (!mentions?.length) return { html: textToHtml(text) };
  const lower = text.toLowerCase();
  const missing = mentions.filter((m) => !lower.includes(`@${m.displayName.trim().toLowerCase()}`));
  const full = missing.length ? `${missing.map((m) => `@${m.displayName.trim()}`).join(" ")} ${text}` : text;
  const built = buildMentions(full, mentions);
  return { html: built.html, mentions: built.properties.mentions };
}

/**
 * Mentions in ready-made HTML: the first escaped `@Name` of each person becomes their span, and
 * anyone not named is prepended.
 */
export function composeHtml(
  html: string,
  mentions: readonly MentionInput[] | undefined,
): { html: string; mentions?: string } {
  if (!mentions?.length) return { html };
  let out = html;
  const entries: WireMention[] = [];
  mentions.forEach((m, i) => {
    const name = m.displayName.trim();
    const needle = `@${escapeHtml(name)}`;
    const span = mentionSpan(i, name);
    const at = out.indexOf(needle);
    if (at >= 0) out = out.slice(0, at) + span + out.slice(at + needle.length);
    else out = out.startsWith("<p>") ? `<p>${span} ${out.slice(3)}` : `${span} ${out}`;
    entries.push({
      "@type": "http://schema.skype.com/Mention",
      itemid: String(i),
      mri: m.mri,
      mentionType: "person",
      displayName: name,
    });
  });
  return { html: out, mentions: JSON.stringify(entries) };
}

export { buildReplyQuote, escapeHtml };
