/** Well-known identifiers of the Teams service (PROTOCOL.md §1.2–1.5). */

/** The Microsoft-account ("consumer") tenant: an id_token whose `tid` is this is a personal account. */
export const CONSUMER_TENANT_ID = "9188040d-6c67-4c5b-b112-36a304b66dad";
/** The MSA passthrough placeholder tenant. */
export const MSA_PASSTHROUGH_TENANT_ID = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";

export const CLIENT_IDS = {
  /** Teams desktop/mobile, a public native client in the FOCI family. */
  teamsNative: "1fec8e78-bce4-4aaf-ab1b-5451cc387264",
  /** Teams enterprise web client (SPA: redeem only with an Origin header). */
  teamsWeb: "5e3ce6c0-2b1f-4285-8d4b-75ee78787346",
  /** Teams consumer web client at teams.live.com (SPA). */
  teamsConsumerWeb: "4b3e8f46-56d3-427f-b1e2-d239b2ea6bca",
  /** Older personal client id. */
  teamsConsumerLegacy: "8ec6bc83-69c8-4392-8f08-b3c986009232",
} as const;

/** Client ids registered as single-page applications, and the Origin each must be redeemed from. */
export const SPA_CLIENT_ORIGINS: Readonly<Record<string, string>> = {
  [CLIENT_IDS.teamsWeb]: "https://teams.microsoft.com",
  [CLIENT_IDS.teamsConsumerWeb]: "https://teams.live.com",
};

/** Redirect URIs registered for each client id. */
export const REGISTERED_REDIRECTS: Readonly<Record<string, readonly string[]>> = {
  [CLIENT_IDS.teamsNative]: ["https://login.microsoftonline.com/common/oauth2/nativeclient"],
  [CLIENT_IDS.teamsWeb]: [
    "https://teams.microsoft.com/v2",
    "https://teams.microsoft.com/go",
    "https://teams.microsoft.com",
  ],
  [CLIENT_IDS.teamsConsumerWeb]: ["https://teams.live.com/v2"],
  [CLIENT_IDS.teamsConsumerLegacy]: ["https://login.microsoftonline.com/common/oauth2/nativeclient"],
};

/** Resource audiences (§1.4). A scope is `<audience>/.default`. */
export const AUDIENCES = {
  spaces: "https://api.spaces.skype.com",
  chatServiceAggregator: "https://chatsvcagg.teams.microsoft.com",
  presence: "https://presence.teams.microsoft.com",
  ic3: "https://ic3.teams.office.com",
  substrate: "https://substrate.office.com",
  graph: "https://graph.microsoft.com",
} as const;

/** Consumer (MSA) scope for the skypetoken exchange (§1.3, §1.8). */
export const CONSUMER_SPACES_SCOPE = "service::api.fl.spaces.skype.com::MBI_SSL";
/** Consumer middle-tier scope. */
export const CONSUMER_MT_SCOPE = "https://mtsvc.fl.teams.microsoft.com/teams.mt.readwrite";

export const OIDC_SCOPES = "openid profile offline_access";

/** Real service roots. Only the login root and the Teams root are configuration; every other URL comes from regionGtms. */
export const CLOUDS = {
  enterprise: { loginUrl: "https://login.microsoftonline.com", baseUrl: "https://teams.microsoft.com" },
  consumer: { loginUrl: "https://login.microsoftonline.com", baseUrl: "https://teams.live.com" },
} as const;

/** Authz paths under the Teams root (§1.7, §1.8). */
export const AUTHZ_PATHS = {
  enterprise: "/api/authsvc/v1.0/authz",
  consumer: "/api/auth/v1.0/authz/consumer",
} as const;

/** The `messages` view most clients send (§2.6). */
export const DEFAULT_MESSAGES_VIEW = "msnp24Equivalent|supportsMessageProperties";
export const DEFAULT_CONVERSATIONS_VIEW = "msnp24Equivalent";
export const DEFAULT_TARGET_TYPE = "Passport|Skype|Lync|Thread|PSTN|Agent";
