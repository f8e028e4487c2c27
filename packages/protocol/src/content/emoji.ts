import { escapeHtml } from "./escape.js";

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

/**
 * Teams emoji markup (PROTOCOL.md §8.4): the animated-emoticon span around an Emoji `<img>` with
 * the emoticon id, its title and the Unicode `alt` that text renderings use.
 */
export function emojiSpan(id: string, title: string, alt: string): string {
  const i = escapeHtml(id);
  const t = escapeHtml(title);
  return `<span class="animated-emoticon-20-${i}" title="${t}" type="(${i})"><img itemscope="" itemtype="http://schema.skype.com/Emoji" itemid="${i}" src="https://statics.teams.cdn.office.net/evergreen-assets/skype/v2/${i}/20.png" title="${t}" alt="${escapeHtml(alt)}" style="width:20px;height:20px;"></span>`;
}
