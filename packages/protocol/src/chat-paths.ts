/**
 * The chat service's paths under `<regionGtms.chatService>/v1` (PROTOCOL.md §2; docs/protocol.md).
 * One list for both sides: the client builds request URLs from it ({@link chatPath}) and the
 * emulator derives its route patterns from it ({@link chatPathPattern}), so they cannot drift apart.
 * `:name` marks a path parameter.
 */
export const CHAT_PATHS = {
  userProperties: "/users/ME/properties",
  conversations: "/users/ME/conversations",
  conversation: "/users/ME/conversations/:conversationId",
  conversationProperties: "/users/ME/conversations/:conversationId/properties",
  messages: "/users/ME/conversations/:conversationId/messages",
  message: "/users/ME/conversations/:conversationId/messages/:messageId",
  messageProperties: "/users/ME/conversations/:conversationId/messages/:messageId/properties",
  threads: "/threads",
  thread: "/threads/:threadId",
  threadMembers: "/threads/:threadId/members",
  threadMember: "/threads/:threadId/members/:mri",
  threadProperties: "/threads/:threadId/properties",
  consumptionHorizons: "/threads/:threadId/consumptionhorizons",
} as const;

export type ChatPathTemplate = (typeof CHAT_PATHS)[keyof typeof CHAT_PATHS];

/** The parameter names of a template: `"/a/:x/b/:y"` → `"x" | "y"`. */
export type PathParams<T extends string> = T extends `${string}:${infer P}/${infer Rest}`
  ? P | PathParams<`/${Rest}`>
  : T extends `${string}:${infer P}`
    ? P
    : never;

/** Ids are percent-encoded whole (`19:…@thread.v2` → `19%3A…%40thread.v2`), as the web client sends them. */
export function encodePathId(id: string): string {
  return encodeURIComponent(id);
}

/** A template with its parameters filled in (each encoded as one path segment). */
export function chatPath<T extends ChatPathTemplate>(template: T, params: Record<PathParams<T>, string>): string {
  if (!template.includes(":")) return template;
  return template.replace(/:([A-Za-z]+)/g, (_, name: string) =>
    encodePathId((params as Record<string, string>)[name] ?? ""),
  );
}

/**
 * The regex source matching a template against a percent-decoded path: each `:name` becomes a
 * named group of one segment, and `ME` also matches `me` (clients write both).
 */
export function chatPathPattern(template: ChatPathTemplate): string {
  return template.replace(/:([A-Za-z]+)/g, "(?<$1>[^/]+)").replace("/users/ME", "/users/(?:ME|me)");
}
