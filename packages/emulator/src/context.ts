import type { RegionGtms } from "@teams-api/protocol";
import type { FaultController } from "./http/faults.js";
import type { TrouterHub } from "./services/trouter/hub.js";
import type { Directory, User } from "./state/directory.js";
import type { StoreEventBus } from "./state/events.js";
import type { MediaStore } from "./state/media.js";
import type { PresenceStore } from "./state/presence.js";

/**
 * Switches between the variants sources disagree on ([DISAGREE] in PROTOCOL.md). Defaults are the
 * best-attested forms; tests switch them to prove the client accepts every variant.
 */
export interface Variants {
  /** §1.8: `skypeToken` object (MXG, default), enterprise `tokens` shape, or flat `skypeToken` + `skypeTokenExpiresIn`. */
  consumerAuthzShape: "skypeTokenObject" | "tokens" | "flat";
  /** §2.7: `properties.emotions` as an array (default) or a JSON string. */
  emotionsEncoding: "array" | "string";
  /** §2.8: also echo `"id": <clientmessageid>` in the send response body (MMZ). */
  sendEchoesClientMessageId: boolean;
}

export const DEFAULT_VARIANTS: Variants = {
  consumerAuthzShape: "skypeTokenObject",
  emotionsEncoding: "array",
  sendEchoesClientMessageId: false,
};

/** What the emulator's services know about a verified skypetoken. */
export interface SkypeIdentity {
  readonly user: User;
  readonly mri: string;
  readonly exp: number;
}

/** What the emulator's services know about a verified AAD access token. */
export interface BearerIdentity {
  readonly user: User;
  readonly audience: string;
  readonly clientId: string;
  readonly scopes: string[];
  readonly exp: number;
}

/** Mints and verifies every token the emulator issues (owned by services/login). */
export interface TokenService {
  /** Verifies `Authentication: skypetoken=…` / `X-Skypetoken` on a request; throws HttpError(401) in the caller's shape. */
  verifySkypeToken(token: string): SkypeIdentity;
  /** Verifies a Bearer access token and its audience; throws HttpError(401). */
  verifyBearer(token: string, audience: string | readonly string[]): BearerIdentity;
  /** Mints a skypetoken for a user (authsvc). */
  mintSkypeToken(user: User): { token: string; expiresIn: number };
  /** Makes every token issued so far invalid as expired (fault injection: token expiry). */
  expireAll(): void;
}

export interface EmulatorContext {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** Sign-in root standing in for login.microsoftonline.com: `${origin}/login`. */
  readonly loginUrl: string;
  /** Teams root standing in for teams.microsoft.com / teams.live.com: `${origin}`. */
  readonly baseUrl: string;
  /** Emulator clock, epoch ms (injectable for tests). */
  now(): number;
  /** The service map handed out by authz: every URL points at this emulator. */
  regionGtms(kind: "enterprise" | "consumer"): RegionGtms;
  readonly variants: Variants;
  readonly directory: Directory;
  readonly tokens: TokenService;
  readonly faults: FaultController;
  /** AMS objects and their bytes (on disk). */
  readonly media: MediaStore;
  /** The store event bus: stores raise changes here once; push and pubsub subscribe. */
  readonly events: StoreEventBus;
  /** Unified presence: endpoints, forced statuses, notes, pubsub subscriptions. */
  readonly presence: PresenceStore;
  /** Trouter (push): allocations, sockets, the registrar's registrations; `deliver()` pushes to a surl. */
  readonly trouter: TrouterHub;
  /** Access log / diagnostics; never logs tokens. */
  log(line: string): void;
}

/** The service map. Paths mirror the real hosts' path layout under one origin. */
export function emulatorRegionGtms(origin: string, kind: "enterprise" | "consumer"): RegionGtms {
  const mt = kind === "consumer" ? `${origin}/api/mt` : `${origin}/api/mt/part/emea-02`;
  return {
    ams: `${origin}/ams`,
    amsV2: `${origin}/ams`,
    chatService: origin,
    chatServiceAfd: `${origin}/api/chatsvc/${kind === "consumer" ? "consumer" : "emea"}`,
    chatServiceAggregator: `${origin}/api/csa`,
    chatSvcAggAfd: `${origin}/api/csa/emea`,
    chatServiceS2S: origin,
    middleTier: mt,
    mtImageService: mt,
    search: `${origin}/search`,
    searchTelemetry: `${origin}/search`,
    unifiedPresence: `${origin}/ups/emea`,
    teamsAndChannelsService: mt,
    userProfileService: mt,
    urlp: `${origin}/urlp`,
    urlpV2: `${origin}/urlp`,
    calling_trouterUrl: `${origin}/trouter`,
    calling_registrarUrl: `${origin}/registrar/prod/V2/registrations`,
    // The rest of the keys real authz answers carry (§1.7, FTA's list). They point at this emulator
    // too, so a client never leaves it; their paths answer "not emulated" until a service lands.
    ...Object.fromEntries(UNEMULATED_GTMS_KEYS.map((key) => [key, `${origin}/unemulated/${key}`])),
  };
}

const UNEMULATED_GTMS_KEYS = [
  "amsS2S",
  "amdS2S",
  "appsDataLayerService",
  "appsDataLayerServiceS2S",
  "appService",
  "calling_callControllerServiceUrl",
  "calling_callStoreUrl",
  "calling_conversationServiceUrl",
  "calling_keyDistributionUrl",
  "calling_potentialCallRequestUrl",
  "calling_sharedLineOptionsUrl",
  "calling_udpTransportUrl",
  "calling_uploadLogRequestUrl",
  "callingS2S_Broker",
  "callingS2S_CallController",
  "callingS2S_CallStore",
  "callingS2S_ContentProcessor",
  "callingS2S_ConversationService",
  "callingS2S_EnterpriseProxy",
  "callingS2S_MediaController",
  "callingS2S_PlatformMediaAgent",
  "drad",
  "mailhookS2S",
  "mediaStream",
  "middleTierS2S",
  "powerPointStateService",
  "teamsAndChannelsProvisioningService",
  "userEntitlementService",
  "userIntelligenceService",
  "userProfileServiceS2S",
] as const;
