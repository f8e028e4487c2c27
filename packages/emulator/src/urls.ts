import { CLOUDS, PUSH_ROOTS, REGISTRAR_PATH, type RegionGtms } from "@teams-api/protocol";
import type { Tenant } from "./state/directory.js";

/**
 * Every URL the emulator emits comes from here: the service map (`regionGtms`), sign-in roots,
 * the device-login page, token issuers, chat links. Two address modes over the same routes
 * (GUIDE §4): loopback (one origin, services under path prefixes) and production hosts (the real
 * https hostnames, PROTOCOL.md §9.6).
 */
export type AddressMode = "loopback" | "production";
export type CloudKind = "enterprise" | "consumer";

export interface PublicUrls {
  readonly mode: AddressMode;
  /** The emulator's own listening origin (`http://127.0.0.1:<port>`), known once it listens. */
  readonly self: string;
  /** Sign-in root: `${self}/login` or `https://login.microsoftonline.com`. */
  readonly login: string;
  /** The device-login page named by `verification_uri` (§1.6). */
  readonly deviceLogin: string;
  /** Teams root of a cloud: `${self}` or `https://teams.microsoft.com` / `https://teams.live.com`. */
  teams(kind: CloudKind): string;
  /** The service map authz hands out, for the caller's home tenant. */
  regionGtms(kind: CloudKind, tenant?: Tenant): RegionGtms;
  /** The Trouter socket root allocate hands out (§7.2): `${self}/trouter` or the cloud's Trouter socket host. */
  trouter(kind: CloudKind): string;
  /** The registrar's registrations URL of a cloud (§7.8, §7.11). */
  registrar(kind: CloudKind): string;
}

/** Where the real AMS of a region lives (§5.1): `eu-api.asm.skype.com`, `eu-prod.asyncgw…`. */
const AMS_REGION: Readonly<Record<string, string>> = { emea: "eu", amer: "us", apac: "ap" };
export const CHAT_REGIONS = ["amer", "emea", "apac"] as const;

/** The Trouter socket host production mode hands out per cloud (in `hosts.ts`'s TROUTER_SOCKET_HOSTS). */
export const TROUTER_SOCKET_HOSTS_BY_CLOUD: Readonly<Record<CloudKind, string>> = {
  enterprise: "trouter2-emea-a.trouter.teams.microsoft.com",
  consumer: "trouter2-usce-a.trouter.skype.com",
};

/** `emea02` → `emea-02`, the middle-tier partition path segment. */
const partitionSegment = (tenant: Tenant | undefined): string => {
  const p = tenant?.partition ?? "emea02";
  const m = /^([a-z]+)(\d+)$/.exec(p);
  return m ? `${m[1]}-${m[2]}` : p;
};

/** The rest of the keys real authz answers carry (§1.7, FTA's list); no service answers them. */
export const UNEMULATED_GTMS_KEYS = [
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

/** The loopback service map: every URL on the emulator's own origin, paths mirroring the real layout. */
export function loopbackRegionGtms(origin: string, kind: CloudKind, tenant?: Tenant): RegionGtms {
  const region = tenant?.region ?? "emea";
  const mt = kind === "consumer" ? `${origin}/api/mt` : `${origin}/api/mt/part/${partitionSegment(tenant)}`;
  return {
    ams: `${origin}/ams`,
    amsV2: `${origin}/ams`,
    chatService: origin,
    chatServiceAfd: `${origin}/api/chatsvc/${kind === "consumer" ? "consumer" : region}`,
    chatServiceAggregator: `${origin}/api/csa`,
    chatSvcAggAfd: `${origin}/api/csa/${region}`,
    chatServiceS2S: origin,
    middleTier: mt,
    mtImageService: mt,
    search: `${origin}/search`,
    searchTelemetry: `${origin}/search`,
    unifiedPresence: `${origin}/ups/${region}`,
    teamsAndChannelsService: mt,
    userProfileService: mt,
    urlp: `${origin}/urlp`,
    urlpV2: `${origin}/urlp`,
    calling_trouterUrl: `${origin}/trouter`,
    calling_registrarUrl: `${origin}/registrar/prod/V2/registrations`,
    // They point at this emulator too, so a client never leaves it; their paths answer "not
    // emulated" until a service lands.
    ...Object.fromEntries(UNEMULATED_GTMS_KEYS.map((key) => [key, `${origin}/unemulated/${key}`])),
  };
}

/** The production service map: the real hostnames of each service over https (§1.7, §1.8, §9.6). */
export function productionRegionGtms(kind: CloudKind, tenant?: Tenant): RegionGtms {
  const unemulated = (root: string) =>
    Object.fromEntries(UNEMULATED_GTMS_KEYS.map((key) => [key, `${root}/unemulated/${key}`]));
  if (kind === "consumer") {
    return {
      ams: "https://us-api.asm.skype.com",
      amsV2: "https://us-prod.asyncgw.teams.microsoft.com",
      chatService: "https://msgapi.teams.live.com",
      chatServiceAfd: "https://teams.live.com/api/chatsvc/consumer",
      chatServiceS2S: "https://msgapi.teams.live.com",
      middleTier: "https://teams.live.com/api/mt",
      mtImageService: "https://teams.live.com/api/mt",
      search: "https://msgsearch.skype.com",
      searchTelemetry: "https://msgsearch.skype.com",
      unifiedPresence: "https://presence.teams.live.com",
      teamsAndChannelsService: "https://teams.live.com/api/mt",
      userProfileService: "https://teams.live.com/api/mt",
      urlp: "https://teams.live.com/urlp",
      urlpV2: "https://teams.live.com/urlp",
      calling_trouterUrl: "https://go.trouter.skype.com",
      calling_registrarUrl: "https://edge.skype.com/registrar/prod/v2/registrations",
      ...unemulated("https://teams.live.com"),
    };
  }
  const region = tenant?.region ?? "emea";
  const ams = AMS_REGION[region] ?? "eu";
  const mt = `https://teams.microsoft.com/api/mt/part/${partitionSegment(tenant)}`;
  return {
    ams: `https://${ams}-api.asm.skype.com`,
    amsV2: `https://${ams}-prod.asyncgw.teams.microsoft.com`,
    chatService: `https://${region}.ng.msg.teams.microsoft.com`,
    chatServiceAfd: `https://teams.microsoft.com/api/chatsvc/${region}`,
    chatServiceAggregator: "https://chatsvcagg.teams.microsoft.com",
    chatSvcAggAfd: `https://teams.microsoft.com/api/csa/${region}`,
    chatServiceS2S: `https://${region}.ng.msg.teams.microsoft.com`,
    middleTier: mt,
    mtImageService: mt,
    search: "https://substrate.office.com",
    searchTelemetry: "https://substrate.office.com",
    unifiedPresence: "https://presence.teams.microsoft.com",
    teamsAndChannelsService: mt,
    userProfileService: mt,
    urlp: "https://teams.microsoft.com/urlp",
    urlpV2: "https://teams.microsoft.com/urlp",
    calling_trouterUrl: "https://go.trouter.teams.microsoft.com",
    calling_registrarUrl: "https://teams.microsoft.com/registrar/prod/V2/registrations",
    ...unemulated("https://teams.microsoft.com"),
  };
}

/**
 * The public URLs of one emulator. In loopback mode the origin is known only once the server
 * listens (port 0), so it is bound late — before the first request can arrive.
 */
export class EmulatorUrls implements PublicUrls {
  #self = "";

  constructor(readonly mode: AddressMode) {}

  /** Called once the server listens. */
  bind(origin: string): void {
    this.#self = origin;
  }

  get self(): string {
    return this.#self;
  }

  get login(): string {
    return this.mode === "production" ? CLOUDS.enterprise.loginUrl : `${this.#self}/login`;
  }

  get deviceLogin(): string {
    return this.mode === "production" ? "https://microsoft.com/devicelogin" : `${this.#self}/login/devicelogin`;
  }

  teams(kind: CloudKind): string {
    return this.mode === "production" ? CLOUDS[kind].baseUrl : this.#self;
  }

  regionGtms(kind: CloudKind, tenant?: Tenant): RegionGtms {
    return this.mode === "production"
      ? productionRegionGtms(kind, tenant)
      : loopbackRegionGtms(this.#self, kind, tenant);
  }

  trouter(kind: CloudKind): string {
    return this.mode === "production" ? `https://${TROUTER_SOCKET_HOSTS_BY_CLOUD[kind]}` : `${this.#self}/trouter`;
  }

  registrar(kind: CloudKind): string {
    return this.mode === "production" ? PUSH_ROOTS[kind].registrar : `${this.#self}${REGISTRAR_PATH}`;
  }
}
