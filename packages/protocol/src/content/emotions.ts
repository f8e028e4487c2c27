/**
 * Reactions (PROTOCOL.md §2.7, §2.12): `properties.emotions` is an array, or the same array
 * JSON-encoded in a string, of `{ key, users: [{ mri, time, value }] }`. Entries may stay behind
 * with no users after removal, and the `follow` key is a channel-thread follow flag, not a reaction.
 */
import { parseMaybeJsonArray } from "../json.js";

export interface EmotionUser {
  mri: string;
  /** When the reaction was added, epoch ms (0 when the service sent none). */
  time: number;
  value: string | number;
}

export interface Emotion {
  key: string;
  users: EmotionUser[];
}

export interface ReactionSummary {
  key: string;
  /** Distinct users. */
  count: number;
  /** Their MRIs, in the order the service listed them. */
  users: string[];
}

/** The classic six reaction keys. */
export const REACTION_KEYS = ["like", "heart", "laugh", "surprised", "sad", "angry"] as const;
export type ReactionKey = (typeof REACTION_KEYS)[number];

const CLASSIC_EMOJI: Readonly<Record<ReactionKey, string>> = {
  like: "👍",
  heart: "❤️",
  laugh: "😆",
  surprised: "😮",
  sad: "😢",
  angry: "😠",
};

/** Teams emoji ids: code points in hex joined by `_`/`-`, then `_` and a name (`1f525_fire`, `1f44d_thumbsup`). */
const EMOJI_ID = /^[0-9a-f]{4,6}(?:[_-][0-9a-f]{4,6})*_[A-Za-z0-9]+(?:[_-][A-Za-z0-9]+)*$/;
/** Custom organisation emoji: `<name>;<amsId>`. */
const CUSTOM_ID = /^[A-Za-z0-9_.-]{1,64};[A-Za-z0-9_-]{1,128}$/;

/** Whether `key` can be sent as a reaction: a classic key, a Teams emoji id, or a custom `<name>;<amsId>`. */
export function isValidReactionKey(key: unknown): key is string {
  if (typeof key !== "string" || key.length === 0 || key.length > 200) return false;
  return (REACTION_KEYS as readonly string[]).includes(key) || EMOJI_ID.test(key) || CUSTOM_ID.test(key);
}

/** A Unicode emoji for a reaction key (classic keys and Teams emoji ids), or undefined. */
export function reactionEmoji(key: string): string | undefined {
  if (Object.hasOwn(CLASSIC_EMOJI, key)) return CLASSIC_EMOJI[key as ReactionKey];
  if (!EMOJI_ID.test(key)) return undefined;
  const hex = key.slice(0, key.lastIndexOf("_")).split(/[_-]/);
  try {
    return String.fromCodePoint(...hex.map((h) => Number.parseInt(h, 16)));
  } catch {
    return undefined;
  }
}

function toTime(v: unknown): number {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && /^\s*\d{1,16}\s*$/.test(v)) return Number(v);
  return 0;
}

/**
 * Reads `properties.emotions` (array or JSON string). Lenient: malformed input gives `[]`, entries
 * without a string `key` and users without a string `mri` are skipped. Never throws.
 */
export function parseEmotions(value: unknown): Emotion[] {
  const out: Emotion[] = [];
  for (const e of parseMaybeJsonArray<unknown>(value)) {
    if (!e || typeof e !== "object" || Array.isArray(e)) continue;
    const r = e as Record<string, unknown>;
    const key = r["key"];
    if (typeof key !== "string" || key === "") continue;
    const users: EmotionUser[] = [];
    const rawUsers = Array.isArray(r["users"]) ? (r["users"] as unknown[]) : [];
    for (const u of rawUsers) {
      if (!u || typeof u !== "object" || Array.isArray(u)) continue;
      const ur = u as Record<string, unknown>;
      const mri = ur["mri"];
      if (typeof mri !== "string" || mri === "") continue;
      const v = ur["value"];
      users.push({ mri, time: toTime(ur["time"]), value: typeof v === "string" || typeof v === "number" ? v : "" });
    }
    out.push({ key, users });
  }
  return out;
}

/**
 * Reaction counts per key, from `properties.emotions` (raw or parsed): skips the `follow` key,
 * entries left with no users, and users whose value is `0` (a removal marker some clients PUT).
 * Users are counted once per key. Keys keep the service's order.
 */
export function summarizeReactions(value: unknown): ReactionSummary[] {
  const byKey = new Map<string, Set<string>>();
  for (const e of parseEmotions(value)) {
    if (e.key === "follow") continue;
    for (const u of e.users) {
      if (u.value === 0 || u.value === "0") continue;
      let users = byKey.get(e.key);
      if (users === undefined) {
        users = new Set();
        byKey.set(e.key, users);
      }
      users.add(u.mri);
    }
  }
  const out: ReactionSummary[] = [];
  for (const [key, users] of byKey) out.push({ key, count: users.size, users: [...users] });
  return out;
}
