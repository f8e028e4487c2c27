/**
 * The one place services touch message markup: everything delegates to the protocol content codecs
 * (GUIDE §1: nothing outside `protocol` parses HTML). Only the composition rules of the library's
 * send options live here.
 */
import {
  buildMentions,
  buildReplyQuote,
  escapeHtml,
  insertMentions,
  looksLikeHtml,
  type MentionPerson,
  textToHtml,
} from "@teams-api/protocol";

export type MentionInput = MentionPerson;

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

/** Mentions in ready-made HTML (the protocol's insertMentions). */
export function composeHtml(
  html: string,
  mentions: readonly MentionInput[] | undefined,
): { html: string; mentions?: string } {
  if (!mentions?.length) return { html };
  const built = insertMentions(html, mentions);
  return { html: built.html, mentions: built.properties.mentions };
}

export { buildReplyQuote, escapeHtml, looksLikeHtml };
