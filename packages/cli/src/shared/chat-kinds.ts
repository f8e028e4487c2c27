/** How `teams chats` and `teams chat info` name a conversation's kind. */
export const KIND_LABELS: Readonly<Record<string, string>> = {
  oneOnOne: "1:1",
  group: "group",
  channel: "channel",
  meeting: "meeting",
  virtual: "feed",
  legacy: "chat",
};
