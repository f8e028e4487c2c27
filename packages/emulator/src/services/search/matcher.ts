import { highlightTerms, htmlToText, type ParsedQuery } from "@teams-api/protocol";
import type { EmulatorContext } from "../../context.js";
import type { StoredMessage, StoredThread } from "../../state/chat-model.js";
import type { User } from "../../state/directory.js";

/** One search hit: the message, where it lives, its text and the highlighted summary. */
export interface SearchHit {
  readonly thread: StoredThread;
  readonly message: StoredMessage;
  readonly sender: User | undefined;
  readonly text: string;
  readonly highlighted: string;
  readonly score: number;
}

/** What people write (and files they share); system messages, typing and deleted messages are not searched. */
const SEARCHABLE = /^(?:Text|RichText|RichText\/Html|RichText\/Media_GenericFile|RichText\/UriObject)$/;

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** How often each term occurs in `text` (case-insensitive); 0 when any term is missing. */
function score(text: string, terms: readonly string[]): number {
  let total = 0;
  for (const t of terms) {
    const n = text.match(new RegExp(escapeRegExp(t), "giu"))?.length ?? 0;
    if (n === 0) return 0;
    // A phrase is worth more than a word.
    total += n * (t.includes(" ") ? 2 : 1);
  }
  return total;
}

/** Does the sender match a `from:` restriction (name, name prefix, email)? */
function fromMatches(sender: User | undefined, message: StoredMessage, wanted: readonly string[]): boolean {
  if (wanted.length === 0) return true;
  const names = [
    message.imdisplayname,
    sender?.displayName,
    sender?.givenName,
    sender?.surname,
    sender?.email,
    sender?.upn,
  ]
    .filter((s): s is string => !!s)
    .map((s) => s.normalize("NFC").toLowerCase());
  return wanted.every((w) => names.some((n) => n === w || n.startsWith(w) || n.split(/\s+/).includes(w)));
}

/**
 * Full-text search over the messages `user` can see: only conversations they are a member of
 * (never their 48:notes' neighbours, never other people's chats). Ranked by score then newest
 * first, or newest first when `byTime`.
 */
export function searchMessages(
  ctx: EmulatorContext,
  user: User,
  query: ParsedQuery,
  options: { from: number; size: number; byTime: boolean; threadId?: string },
): { total: number; hits: SearchHit[] } {
  const chats = ctx.chat;
  const terms = query.terms.map((t) => t.normalize("NFC"));
  const hits: SearchHit[] = [];
  for (const thread of chats.conversationsOf(user.mri)) {
    if (options.threadId && thread.id !== options.threadId) continue;
    for (const message of thread.messages) {
      if (!SEARCHABLE.test(message.messagetype) || message.properties.deletetime !== undefined) continue;
      if (message.content === "") continue;
      const text = htmlToText(message.content).normalize("NFC").trim();
      const s = score(text, terms);
      if (s === 0) continue;
      const sender = ctx.directory.byMri(message.from);
      if (!fromMatches(sender, message, query.from)) continue;
      hits.push({ thread, message, sender, text, highlighted: highlightTerms(text, terms), score: s });
    }
  }
  hits.sort((a, b) => (options.byTime ? 0 : b.score - a.score) || b.message.id - a.message.id);
  return { total: hits.length, hits: hits.slice(options.from, options.from + options.size) };
}
