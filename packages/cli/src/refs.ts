import { UsageError } from "./errors.js";
import { oneLine } from "./render/sanitize.js";

/**
 * Turning what the user typed into ids. A chat is named by its id, by its number in the last
 * `teams chats` listing, or by a unique case-insensitive fragment of its title; a message by its id
 * or by its number in the last `teams messages` listing of that chat.
 */

export interface ChatCandidate {
  readonly id: string;
  readonly title: string;
}

/** Conversation ids start with a numeric type prefix: `19:`, `48:`, `8:`, `28:`. */
export function looksLikeConversationId(ref: string): boolean {
  return /^\d+:\S+$/.test(ref);
}

export interface ChatRefSources {
  /** Ids of the last `teams chats` listing, 1-based order. */
  listed: readonly string[];
  /** The conversations with their display titles, fetched only when a fragment needs them. */
  candidates: () => Promise<readonly ChatCandidate[]>;
}

const MAX_CANDIDATES_SHOWN = 10;

export async function resolveChatRef(input: string, sources: ChatRefSources): Promise<string> {
  const ref = input.trim();
  if (ref === "") throw new UsageError("Name a chat: its number from `teams chats`, part of its title, or its id.");
  if (looksLikeConversationId(ref)) return ref;
  if (/^\d+$/.test(ref)) {
    const n = Number(ref);
    if (sources.listed.length === 0) {
      throw new UsageError(`There is no chat list to take number ${n} from; run \`teams chats\` first.`);
    }
    const id = sources.listed[n - 1];
    if (n < 1 || id === undefined) {
      throw new UsageError(
        `Chat ${n} is not in the last list, which has ${sources.listed.length}; run \`teams chats\` to list again.`,
      );
    }
    return id;
  }
  const needle = ref.toLowerCase();
  const all = await sources.candidates();
  const matches = all.filter((c) => c.title.toLowerCase().includes(needle));
  const exact = matches.filter((c) => c.title.toLowerCase() === needle);
  if (exact.length === 1) return exact[0]!.id;
  if (matches.length === 1) return matches[0]!.id;
  const shown = oneLine(ref);
  if (matches.length === 0) {
    throw new UsageError(`No chat's title contains "${shown}"; run \`teams chats\` to see them.`);
  }
  const names = matches.slice(0, MAX_CANDIDATES_SHOWN).map((c) => `  ${oneLine(c.title)}`);
  if (matches.length > MAX_CANDIDATES_SHOWN) names.push(`  … and ${matches.length - MAX_CANDIDATES_SHOWN} more`);
  throw new UsageError(
    `"${shown}" matches ${matches.length} chats; use more of the title or the chat's number from \`teams chats\`:\n${names.join("\n")}`,
  );
}

/** Short numbers go up to this many digits; longer all-digit strings are message ids (epoch ms). */
const SHORT_NUMBER = /^\d{1,6}$/;

export function resolveMessageRef(input: string, listed: readonly string[] | undefined): string {
  const ref = input.trim();
  if (ref === "") throw new UsageError("Name a message: its number from `teams messages <chat>`, or its id.");
  if (!SHORT_NUMBER.test(ref)) {
    if (/\s/.test(ref)) throw new UsageError(`"${oneLine(ref)}" is not a message number or id.`);
    return ref;
  }
  const n = Number(ref);
  if (!listed || listed.length === 0) {
    throw new UsageError(
      `There is no message list of this chat to take number ${n} from; run \`teams messages <chat>\` first.`,
    );
  }
  const id = listed[n - 1];
  if (n < 1 || id === undefined) {
    throw new UsageError(
      `Message ${n} is not in the last list of this chat, which has ${listed.length}; run \`teams messages <chat>\` again.`,
    );
  }
  return id;
}
