/**
 * Reactions (PROTOCOL.md §2.7, §2.12): `properties.emotions` is an array, or the same array
 * JSON-encoded in a string, of `{ key, users: [{ mri, time, value }] }`. Entries may stay behind
 * with no users after removal, and the `follow` key is a channel-thread follow flag, not a reaction.
 */
import { parseMaybeJsonArray } from "../json.js";
import { FOLLOW_KEY } from "./reaction-keys.js";

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
    if (e.key === FOLLOW_KEY) continue;
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
