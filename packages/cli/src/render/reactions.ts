/** Teams' six standard reactions and a few common ones, key → emoji. */
const NAMED: Readonly<Record<string, string>> = {
  like: "👍",
  heart: "❤️",
  laugh: "😆",
  surprised: "😮",
  sad: "😢",
  angry: "😠",
};

/** Reaction keys as people know them: `like` → 👍, `1f525_fire` → 🔥; anything else as its name. */
export function reactionLabel(key: string): string {
  const named = NAMED[key.toLowerCase()];
  if (named) return named;
  // Unicode keys: hex code points joined by `-`/`_`, optionally followed by `_name`.
  const m = /^([0-9a-f]{4,6}(?:[-_][0-9a-f]{4,6})*)(?:_[a-z].*)?$/i.exec(key);
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
 * emoji back to its name, any other emoji as its code-point key (`🔥` → `1f525`).
 */
export function reactionKeyFromInput(input: string): string {
  const trimmed = input.trim();
  for (const [key, emoji] of Object.entries(NAMED)) {
    if (strip(emoji) === strip(trimmed)) return key;
  }
  if (/^[\x20-\x7e]+$/.test(trimmed)) return trimmed.toLowerCase();
  const points = [...strip(trimmed)].map((ch) => ch.codePointAt(0)!.toString(16));
  return points.join("_");
}
