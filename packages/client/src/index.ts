// The public surface of `teams-api`: an explicit list of named exports (GUIDE §1).

/** A fresh clientmessageid (the idempotency key of a send); built by the protocol package. */
// ── Realtime ────────────────────────────────────────────────────────────────────────────────────
export { newClientMessageId, parseTrouterEvent, type TrouterEvent } from "@teams-api/protocol";
// ── Auth ────────────────────────────────────────────────────────────────────────────────────────
export { type AccountEntry, AccountRegistry, checkAccountName, DEFAULT_ACCOUNT } from "./auth/accounts.js";
export {
  type AutomatedBrowserOptions,
  automatedBrowserAvailable,
  findBrowser,
  NO_AUTOMATED_BROWSER,
} from "./auth/automated-browser.js";
export type { DeviceCodeOptions, DeviceCodePrompt } from "./auth/device-code.js";
export type { AccountKind, CloudName, Roots } from "./auth/profiles.js";
export { type AuthStatus, maskToken, type TokenStatus } from "./auth/status.js";
export {
  AutoTokenStore,
  defaultTokenFile,
  FileTokenStore,
  KeyringTokenStore,
  MemoryTokenStore,
  type TokenStore,
} from "./auth/store.js";
// ── Client and options ──────────────────────────────────────────────────────────────────────────
export { type AuthenticateOptions, type SignInOptions, TeamsClient } from "./client.js";
// ── Errors ──────────────────────────────────────────────────────────────────────────────────────
export {
  AbortError,
  type ApiErrorDetails,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  DeliveryUnknownError,
  ERROR_CODES,
  type ErrorCode,
  InvalidArgumentError,
  MessageTooLargeError,
  NotFoundError,
  NotSignedInError,
  PermissionDeniedError,
  ProtocolError,
  RateLimitError,
  type RedactedRequest,
  ServerError,
  TeamsApiError,
  TeamsError,
  TimeoutError,
} from "./errors.js";
// ── Transport (for custom services) ─────────────────────────────────────────────────────────────
export type { FetchLike } from "./http/fetch.js";
export { Redactor } from "./http/redact.js";
export type {
  ApiRequest,
  ApiResponse,
  AuthScheme,
  HttpMethod,
  Identity,
  Logger,
  RequestOptions,
  RetryWait,
  ServiceContext,
  TokenRequestOptions,
  TokenSource,
  Transport,
} from "./http/types.js";
export type {
  Attachment,
  ConsumptionHorizon,
  Conversation,
  ConversationDetails,
  ConversationMember,
  CreatedChat,
  DownloadedFile,
  HighlightPart,
  Message,
  MessageActivity,
  Person,
  PersonSuggestion,
  Reaction,
  SearchResult,
  SentMessage,
  TenantInfo,
  UploadedFile,
  UserProfile,
} from "./models.js";
export { DEFAULT_OPTIONS, type TeamsClientOptions } from "./options.js";
export { DEFAULT_REALTIME_TIMINGS, RealtimeListener } from "./realtime/index.js";
export type {
  RealtimeEndpoint,
  RealtimeEvent,
  RealtimeEventType,
  RealtimeMessageEvent,
  RealtimeOptions,
  RealtimeState,
  RealtimeTimings,
  ResumeReason,
} from "./realtime/types.js";
export type { Conversations } from "./services/chat/conversations.js";
// ── Services ────────────────────────────────────────────────────────────────────────────────────
export {
  CHAT_DEFAULTS,
  ChatService,
  type ChatServiceOptions,
  type ComposeOptions,
  type CreateChatOptions,
  type GetConversationsOptions,
  type GetMessagesOptions,
  type ListConversationsOptions,
  type ListMessagesOptions,
  type MemberRole,
  type SendMessageOptions,
} from "./services/chat/index.js";
export type { Messages } from "./services/chat/messages.js";
export type { Reactions } from "./services/chat/reactions.js";
export type { ReadState } from "./services/chat/read-state.js";
export type { Threads } from "./services/chat/threads.js";
export type { MessageWriter } from "./services/chat/write.js";
export {
  type Contact,
  type ContactSource,
  type ContactsOptions,
  ContactsService,
} from "./services/contacts/index.js";
export type { MentionInput } from "./services/content.js";
export {
  type DownloadOptions,
  MEDIA_DEFAULTS,
  type MediaMessage,
  MediaService,
  type Progress,
  type UploadOptions,
  type UploadSource,
} from "./services/media/index.js";
export {
  MAX_PICTURE_BYTES,
  MiddleTierService,
  type ProfilePicture,
  SHORT_PROFILE_BATCH_SIZE,
} from "./services/middle-tier.js";
export { NAME_RESOLVER_DEFAULTS, NameResolver, type NameResolverOptions } from "./services/names.js";
export {
  type DurationOptions,
  PRESENCE_DEFAULTS,
  type Presence,
  type PresencePushSource,
  PresenceService,
  type PresenceSubscribeOptions,
  type PresenceSubscription,
  type StatusMessage,
} from "./services/presence/index.js";
export {
  SEARCH_DEFAULTS,
  type SearchHosts,
  type SearchMessagesOptions,
  SearchService,
} from "./services/search/index.js";
