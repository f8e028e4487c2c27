/** Message content codecs: HTML ↔ text, mentions, reply quotes, reactions, system messages. */
export { emojiSpan, emoticonToEmoji } from "./emoji.js";
export {
  type Emotion,
  type EmotionUser,
  parseEmotions,
  type ReactionSummary,
  summarizeReactions,
} from "./emotions.js";
export { escapeHtml } from "./escape.js";
export { type HtmlToTextOptions, htmlToText } from "./html-to-text.js";
export { formatBytes } from "./labels.js";
export {
  type BuiltMentions,
  buildMentions,
  insertMentions,
  MENTION_TYPE,
  type MentionPerson,
  mentionEntry,
  mentionSpan,
  mentionsProperty,
  parseMentions,
} from "./mentions.js";
export {
  buildReactionKey,
  FOLLOW_KEY,
  isValidEmotionKey,
  isValidReactionKey,
  parseReactionKey,
  REACTION_KEYS,
  type ReactionKey,
  type ReactionKeyParts,
  reactionEmoji,
  reactionKeyForEmoji,
  reactionKeyFromInput,
  reactionLabel,
} from "./reaction-keys.js";
export {
  buildReplyQuote,
  parseReplyQuote,
  REPLY_PREVIEW_LENGTH,
  REPLY_TYPE,
  type ReplyQuote,
  replyPreview,
} from "./reply.js";
export {
  type CallEvent,
  type CallParticipant,
  describeSystemMessage,
  formatCallDuration,
  parseCallEvent,
} from "./system.js";
export { looksLikeHtml, textToHtml } from "./text-to-html.js";
export {
  type CallActivityEvent,
  type ConsumptionHorizonEvent,
  joinNames,
  type MembershipEvent,
  type NameOf,
  parseThreadActivity,
  type RoleUpdateEvent,
  renderThreadActivity,
  type ThreadActivityEvent,
  type ThreadActivityMember,
  type ThreadPropertyEvent,
  type TopicUpdateEvent,
  type UnknownActivityEvent,
} from "./thread-activity.js";
export { type BuildableThreadActivity, buildThreadActivity } from "./thread-activity-build.js";
