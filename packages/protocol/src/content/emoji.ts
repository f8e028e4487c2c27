/**
 * Skype/Teams emoticon ids → Unicode, for emoticons sent without an `alt` (`<ss type="smile">`,
 * an emoji `<img>` with only `itemid`, or an emoticon span with only `type="(smile)"`).
 */

const EMOTICONS: Readonly<Record<string, string>> = {
  smile: "🙂",
  happy: "😊",
  blush: "😊",
  laugh: "😄",
  rofl: "🤣",
  giggle: "🤭",
  wink: "😉",
  cool: "😎",
  sad: "🙁",
  cry: "😢",
  surprised: "😮",
  tongueout: "😛",
  kiss: "😘",
  inlove: "😍",
  angry: "😠",
  devil: "😈",
  angel: "😇",
  nerd: "🤓",
  sweat: "😅",
  speechless: "😐",
  worry: "😟",
  confused: "😕",
  sleepy: "😪",
  puke: "🤮",
  thinking: "🤔",
  facepalm: "🤦",
  wasntme: "🙄",
  hug: "🤗",
  heart: "❤️",
  brokenheart: "💔",
  like: "👍",
  yes: "👍",
  no: "👎",
  clap: "👏",
  wave: "👋",
  ok: "👌",
  victory: "✌️",
  fingerscrossed: "🤞",
  handshake: "🤝",
  muscle: "💪",
  party: "🎉",
  cake: "🍰",
  coffee: "☕",
  beer: "🍺",
  fire: "🔥",
  star: "⭐",
  sun: "☀️",
  flower: "🌸",
  gift: "🎁",
  music: "🎵",
  cash: "💰",
  phone: "📱",
  mail: "✉️",
  time: "⏰",
};

/** Unicode for a Skype/Teams emoticon id (`smile`, `(smile)`), or undefined if unknown. */
export function emoticonToEmoji(id: string): string | undefined {
  let key = id.trim().toLowerCase();
  if (key.startsWith("(") && key.endsWith(")")) key = key.slice(1, -1);
  return Object.hasOwn(EMOTICONS, key) ? EMOTICONS[key] : undefined;
}

const strip = (s: string): string => s.replace(/[\ufe0f\u{1f3fb}-\u{1f3ff}]/gu, "");

/** The emoticon id for a Unicode emoji (`🔥` → `fire`), for Teams emoji reaction ids; undefined if unknown. */
export function emojiToEmoticon(emoji: string): string | undefined {
  const wanted = strip(emoji.trim());
  if (!wanted) return undefined;
  for (const [id, e] of Object.entries(EMOTICONS)) if (strip(e) === wanted) return id;
  return undefined;
}
