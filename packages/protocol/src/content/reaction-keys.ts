/**
 * The one reaction-key grammar (PROTOCOL.md §2.12; docs/protocol.md §2.12), built and parsed here
 * for client, emulator and terminal app alike:
 *
 * - the classic six: `like`, `heart`, `laugh`, `surprised`, `sad`, `angry`;
 * - Teams emoji ids: the code points in lower-case hex, then `_` and a name — `1f525_fire`,
 *   `1f40e_horse` (case-sensitive); code points may be joined by `_` or `-`, the name is what follows
 *   the last `_` (letters, digits, `-` parts such as `thumbsup-tone2`);
 * - custom organisation emoji: `<name>;<amsId>`.
 *
 * `follow` shares the emotions property but is a channel-thread follow flag, not a reaction.
 * Emoji → key uses the Unicode emoji data of `unicode-emoji-json`, loaded on first use only.
 */
import { createRequire } from "node:module";

/** The classic six reaction keys. */
export const REACTION_KEYS = ["like", "heart", "laugh", "surprised", "sad", "angry"] as const;
export type ReactionKey = (typeof REACTION_KEYS)[number];

/** The emotions key of a channel thread's follow state: stored like a reaction, never shown as one. */
export const FOLLOW_KEY = "follow";

export type ReactionKeyParts =
  | { kind: "classic"; name: ReactionKey }
  | { kind: "emoji"; codePoints: number[]; name: string }
  | { kind: "custom"; name: string; amsId: string };

const CLASSIC_EMOJI: Readonly<Record<ReactionKey, string>> = {
  like: "👍",
  heart: "❤️",
  laugh: "😆",
  surprised: "😮",
  sad: "😢",
  angry: "😠",
};

const HEX = /^[0-9a-f]{2,6}$/;
const EMOJI_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const CUSTOM_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const AMS_ID = /^[A-Za-z0-9_-]{1,128}$/;
const MAX_KEY = 200;

const isClassic = (key: string): key is ReactionKey => (REACTION_KEYS as readonly string[]).includes(key);
const isCodePoint = (n: number): boolean => n > 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff);

/** The parts of a reaction key, or undefined when it is not one. Never throws. */
export function parseReactionKey(key: unknown): ReactionKeyParts | undefined {
  if (typeof key !== "string" || key.length === 0 || key.length > MAX_KEY) return undefined;
  if (isClassic(key)) return { kind: "classic", name: key };
  const semi = key.indexOf(";");
  if (semi >= 0) {
    const name = key.slice(0, semi);
    const amsId = key.slice(semi + 1);
    return CUSTOM_NAME.test(name) && AMS_ID.test(amsId) ? { kind: "custom", name, amsId } : undefined;
  }
  const cut = key.lastIndexOf("_");
  if (cut <= 0) return undefined;
  const name = key.slice(cut + 1);
  const hex = key.slice(0, cut).split(/[-_]/);
  if (!EMOJI_NAME.test(name) || !hex.every((h) => HEX.test(h))) return undefined;
  const codePoints = hex.map((h) => Number.parseInt(h, 16));
  return codePoints.every(isCodePoint) ? { kind: "emoji", codePoints, name } : undefined;
}

/** The key for its parts (the inverse of {@link parseReactionKey}); throws on parts no key can carry. */
export function buildReactionKey(parts: ReactionKeyParts): string {
  let key: string;
  switch (parts.kind) {
    case "classic":
      key = parts.name;
      break;
    case "emoji":
      key = `${parts.codePoints.map((c) => c.toString(16)).join("_")}_${parts.name}`;
      break;
    case "custom":
      key = `${parts.name};${parts.amsId}`;
      break;
  }
  if (parseReactionKey(key) === undefined) throw new RangeError("Those parts do not make a reaction key.");
  return key;
}

/** Whether `key` can be sent as a reaction: a classic key, a Teams emoji id, or a custom `<name>;<amsId>`. */
export function isValidReactionKey(key: unknown): key is string {
  return parseReactionKey(key) !== undefined;
}

/** What the emotions property may hold: a reaction key, or the follow flag. */
export function isValidEmotionKey(key: unknown): key is string {
  return key === FOLLOW_KEY || isValidReactionKey(key);
}

/** A Unicode emoji for a reaction key (classic keys and Teams emoji ids), or undefined. */
export function reactionEmoji(key: string): string | undefined {
  const parts = parseReactionKey(key);
  if (parts?.kind === "classic") return CLASSIC_EMOJI[parts.name];
  if (parts?.kind === "emoji") return String.fromCodePoint(...parts.codePoints);
  return undefined;
}

/** How a key reads to people: its emoji, a custom emoji's name, else the key itself. */
export function reactionLabel(key: string): string {
  const parts = parseReactionKey(key);
  if (parts?.kind === "custom") return parts.name;
  return reactionEmoji(key) ?? key;
}

/** Variation selectors and skin-tone modifiers: a reaction names the emoji, not its presentation. */
const PRESENTATION = /[\ufe0e\ufe0f\u{1f3fb}-\u{1f3ff}]/gu;

interface EmojiData {
  slug: string;
}
let emojiKeys: Map<string, string> | undefined;

/** Emoji (without presentation marks) → Teams emoji id, from the Unicode emoji data, built once. */
function emojiTable(): Map<string, string> {
  if (emojiKeys) return emojiKeys;
  const data = createRequire(import.meta.url)("unicode-emoji-json/data-by-emoji.json") as Record<string, EmojiData>;
  const table = new Map<string, string>();
  for (const [emoji, { slug }] of Object.entries(data)) {
    const bare = emoji.replace(PRESENTATION, "");
    const codePoints = [...bare].map((ch) => ch.codePointAt(0) ?? 0);
    const name = slug.toLowerCase().replace(/[^a-z0-9]/g, "");
    if (!codePoints.length || !name || table.has(bare)) continue;
    table.set(bare, buildReactionKey({ kind: "emoji", codePoints, name }));
  }
  for (const key of REACTION_KEYS) table.set(CLASSIC_EMOJI[key].replace(PRESENTATION, ""), key);
  emojiKeys = table;
  return table;
}

/** The reaction key for an emoji (`👍` → `like`, `🔥` → `1f525_fire`), or undefined for anything else. */
export function reactionKeyForEmoji(emoji: string): string | undefined {
  const bare = emoji.trim().replace(PRESENTATION, "");
  if (!bare) return undefined;
  return emojiTable().get(bare);
}

/**
 * What a person typed → a reaction key: a classic name in any case (`Laugh`), a key as is
 * (`1f525_fire`, `partyparrot;0-weu-…`), or an emoji (`🔥`). Undefined when it is none of them.
 */
export function reactionKeyFromInput(input: string): string | undefined {
  const trimmed = input.trim();
  const lower = trimmed.toLowerCase();
  if (isClassic(lower)) return lower;
  if (isValidReactionKey(trimmed)) return trimmed;
  return reactionKeyForEmoji(trimmed);
}
