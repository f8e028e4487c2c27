/**
 * Wire types: exactly what the services send and accept (PROTOCOL.md). Friendly models live in the
 * client package and are mapped from these at one boundary. Fields the service sometimes omits are
 * optional; fields that arrive either as a JSON-encoded string or as a value are typed as both.
 */

// ── Auth (§1) ────────────────────────────────────────────────────────────────────────────────────

/** AAD v2 token endpoint success body. */
export interface AadTokenResponse {
  token_type: "Bearer" | string;
  scope: string;
  expires_in: number;
  ext_expires_in?: number;
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  client_info?: string;
}

/** AAD error body (§9.2). */
export interface AadErrorResponse {
  error: string;
  error_description: string;
  error_codes?: number[];
  timestamp?: string;
  trace_id?: string;
  correlation_id?: string;
  error_uri?: string;
  suberror?: string;
}

/** Map of service name → base URL. Every service URL comes from here (§1.7, §9.4 #1). */
export interface RegionGtms {
  chatService: string;
  middleTier: string;
  unifiedPresence?: string;
  ams?: string;
  amsV2?: string;
  search?: string;
  chatServiceAggregator?: string;
  chatSvcAggAfd?: string;
  chatServiceAfd?: string;
  urlp?: string;
  calling_trouterUrl?: string;
  calling_registrarUrl?: string;
  [service: string]: string | undefined;
}

/** Enterprise authsvc `POST /api/authsvc/v1.0/authz` answer (§1.7). */
export interface AuthzEnterpriseResponse {
  tokens: { skypeToken: string; expiresIn: number; tokenType?: string };
  region: string;
  partition: string;
  userRegion?: string;
  userPartition?: string;
  regionGtms: RegionGtms;
  regionSettings?: Record<string, boolean>;
  licenseDetails?: Record<string, boolean>;
}

/** Consumer `POST /api/auth/v1.0/authz/consumer` answer, best-attested shape (§1.8). */
export interface AuthzConsumerResponse {
  skypeToken: {
    skypetoken: string;
    expiresIn: number;
    skypeid: string;
    signinname: string;
    isBusinessTenant: boolean;
  };
  regionGtms: RegionGtms;
  regionSettings?: Record<string, boolean>;
  consumerLicenseDetails?: Record<string, boolean>;
}

/** The other consumer variants sources report ([DISAGREE] §1.8): the enterprise `tokens` shape, or flat fields. */
export interface AuthzFlatResponse {
  skypeToken: string;
  skypeTokenExpiresIn?: number;
  expiresIn?: number;
  regionGtms: RegionGtms;
}

/** authsvc error bodies: string codes, or the legacy `status` shape. */
export type AuthzErrorResponse = { errorCode: string; message: string } | { status: { code: number; text: string } };

/** Decoded skypetoken payload (§1.9). */
export interface SkypeTokenClaims {
  iat: number;
  exp: number;
  skypeid: string;
  scp?: number;
  csi?: string;
  tid?: string;
  rgn?: string;
  cid?: string;
  aat?: number;
}

// ── Chat service (§2) ───────────────────────────────────────────────────────────────────────────

/** Chat service error body (§9.2). */
export interface ChatErrorResponse {
  errorCode: number;
  message: string;
  standardizedError?: { errorCode: number; errorSubCode: number; errorDescription: string };
}

/** `GET /v1/users/ME/properties` (§2.3). `userDetails` is a JSON-encoded string. */
export interface WireUserProperties {
  skypeName?: string;
  primaryMemberName?: string;
  locale?: string;
  userDetails?: string;
  lastActivityAt?: string;
  readReceiptsEnabled?: string;
  [key: string]: unknown;
}

/** One reaction entry (§2.12). */
export interface WireEmotion {
  key: string;
  users: Array<{ mri: string; time: number; value: string | number }>;
}

/** Mention entry inside the `properties.mentions` JSON string (§8.4). */
export interface WireMention {
  "@type": "http://schema.skype.com/Mention";
  itemid: string;
  mri: string;
  mentionType: "person" | "tag" | "channel" | "team" | "everyone" | string;
  displayName: string;
}

/** Message `properties` (§2.7): every value is a string; several hold JSON-encoded arrays. */
export interface WireMessageProperties {
  edittime?: string;
  deletetime?: string;
  deletionTime?: string;
  /** An array, or the same array JSON-encoded in a string. */
  emotions?: WireEmotion[] | string;
  /** A JSON-encoded array of WireMention, or (rarely) the array itself. */
  mentions?: string | WireMention[];
  files?: string | unknown[];
  cards?: string | unknown[];
  links?: string | unknown[];
  importance?: string;
  subject?: string;
  [key: string]: unknown;
}

/** Message object (§2.7). */
export interface WireMessage {
  id: string;
  sequenceId?: number | null;
  clientmessageid?: string;
  version?: string | number;
  conversationid?: string;
  conversationLink?: string;
  type?: string;
  messagetype: string;
  contenttype?: string;
  content: string;
  amsreferences?: string[];
  /** A full contact URL ending in the sender's MRI, or sometimes the bare MRI. */
  from: string;
  imdisplayname?: string;
  composetime?: string;
  originalarrivaltime?: string;
  skypeeditedid?: string;
  rootMessageId?: string;
  parentMessageId?: string;
  threadtopic?: string;
  /** An object, or (some services) the same object JSON-encoded in a string. */
  properties?: WireMessageProperties | string;
  [key: string]: unknown;
}

/** Conversation object (§2.4). All `threadProperties` values are strings. */
export interface WireConversation {
  id: string;
  type: "Conversation" | "Thread" | string;
  version: number;
  targetLink?: string;
  messages?: string;
  lastUpdatedMessageId?: number | string;
  lastUpdatedMessageVersion?: number | string;
  properties?: Record<string, string | undefined>;
  threadProperties?: Record<string, string | undefined>;
  memberProperties?: Record<string, string | undefined>;
  /** A full message, or `{}`. */
  lastMessage?: WireMessage | Record<string, never>;
}

export interface WireSyncMetadata {
  totalCount?: number;
  forwardLink?: string | null;
  backwardLink?: string | null;
  syncState?: string | null;
  lastCompleteSegmentStartTime?: number;
  lastCompleteSegmentEndTime?: number;
}

export interface WireConversationsResponse {
  conversations: WireConversation[];
  _metadata: WireSyncMetadata;
}

export interface WireMessagesResponse {
  /** Newest first. */
  messages: WireMessage[];
  _metadata: WireSyncMetadata;
}

/** `POST …/messages` request body (§2.8). */
export interface WireSendMessageRequest {
  content: string;
  messagetype: string;
  contenttype: string;
  clientmessageid?: string;
  imdisplayname?: string;
  properties?: Record<string, string>;
  amsreferences?: string[];
  composetime?: string;
  skypeemoteoffset?: string;
}

/** `POST …/messages` 201 body: the number is the new message's id. */
export interface WireSendMessageResponse {
  OriginalArrivalTime: number;
  id?: string;
}

/** Thread member (§2.5). */
export interface WireThreadMember {
  id: string;
  userLink?: string;
  role: "Admin" | "User" | "ReadOnly" | "None" | string;
  capabilities?: string[];
  linkedMri?: string;
  cid?: number;
  userTile?: string;
  friendlyName?: string;
  type?: string;
  isReader?: boolean;
  expiration?: number;
  shareHistoryTime?: number;
}

/** `GET /v1/threads/{id}` (§2.5). */
export interface WireThread {
  id: string;
  type: "Thread";
  version: number;
  properties: Record<string, string | undefined>;
  members: WireThreadMember[];
  messages?: string;
}

/** `GET /v1/threads/{id}/consumptionhorizons` (§2.11). */
export interface WireConsumptionHorizons {
  id: string;
  version: string | number;
  consumptionhorizons: Array<{ id: string; consumptionhorizon: string; messageVisibilityTime?: number }>;
}

// ── Middle tier (§6) ────────────────────────────────────────────────────────────────────────────

export interface WireShortProfile {
  mri: string;
  objectId?: string;
  displayName?: string;
  givenName?: string;
  surname?: string;
  email?: string;
  userPrincipalName?: string;
  jobTitle?: string;
  department?: string;
  companyName?: string;
  userLocation?: string;
  tenantName?: string;
  type?: string;
  userType?: string;
  isShortProfile?: boolean;
}

export interface WireShortProfileResponse {
  type: "Microsoft.SkypeSpaces.MiddleTier.Models.IUserIdentity" | string;
  value: WireShortProfile[];
}

export interface WireTenant {
  tenantId: string;
  tenantName: string;
  userId: string;
  isInvitationRedeemed: boolean;
  countryLetterCode?: string;
  userType: "Member" | "Guest" | string;
  tenantType?: string;
  redirectUri?: string;
}

// ── Events (§2.16) ──────────────────────────────────────────────────────────────────────────────

export type WireResourceType =
  | "NewMessage"
  | "MessageUpdate"
  | "ConversationUpdate"
  | "ThreadUpdate"
  | "UserPresence"
  | "EndpointPresence"
  | "CustomUserProperties";

export interface WireEventMessage<R = unknown> {
  id: number;
  type: "EventMessage";
  resourceType: WireResourceType | string;
  time: string;
  resourceLink: string;
  resource: R;
}
