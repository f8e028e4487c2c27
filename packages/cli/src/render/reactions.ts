import { emojiToEmoticon, REACTION_KEYS, reactionEmoji } from "@teams-api/protocol";

/** Reaction keys as people know them: `like` → 👍, `1f525_fire` → 🔥; anything else as its name. */
export function reactionLabel(key: string): string {
  const known = reactionEmoji(key) ?? reactionEmoji(key.toLowerCase());
  if (known) return known;
  // Bare code-point keys (`1f525`, what `teams react 🔥` sends) have no `_name` part.
  const m = /^([0-9a-f]{4,6}(?:[-_][0-9a-f]{4,6})*)$/i.exec(key);
  if (m) {
    const points = m[1]!.split(/[-_]/).map((h) => Number.parseInt(h, 16));
    if (points.every((p) => p > 0x7f && p <= 0x10ffff && !(p >= 0xd800 && p <= 0xdfff))) {
      return String.fromCodePoint(...points);
    }
  }
  // Custom emoji: `<name>;<amsId>`.
  return key.split(";")[0] ?? key;
}

const strip = (s: string): string => s.replace(/[\ufe0f\u{1f3fb}-\u{1f3ff}]/gu, "");

/**
 * What the user typed for `teams react` → a reaction key: a known name as is, one of the standard
 * emoji back to its name, any other emoji as its Teams emoji id (`🔥` → `1f525_fire`).
 */
export function reactionKeyFromInput(input: string): string {
  const trimmed = input.trim();
  for (const key of REACTION_KEYS) {
    if (strip(reactionEmoji(key) ?? "") === strip(trimmed)) return key;
  }
  if (/^[\x20-\x7e]+$/.test(trimmed)) return trimmed.toLowerCase();
  const points = [...strip(trimmed)].map((ch) => ch.codePointAt(0)!.toString(16));
  // Teams emoji ids name the emoji after its code points (`1f525_fire`).
  const name = emojiToEmoticon(trimmed);
  return name ? `${points.join("_")}_${name}` : points.join("_");
}
