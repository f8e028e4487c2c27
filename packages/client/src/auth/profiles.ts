/**
 * Clouds and account profiles (PROTOCOL.md §1.2–1.8). A *cloud* says where the sign-in service and
 * the Teams service live; an *account profile* says how a signed-in account redeems its refresh
 * token and mints its skypetoken (enterprise Entra ID vs. consumer Microsoft account).
 */
import {
  AUDIENCES,
  AUTHZ_PATHS,
  CLIENT_IDS,
  CLOUDS,
  CONSUMER_MT_SCOPE,
  CONSUMER_SEARCH_MOUNT,
  CONSUMER_SPACES_SCOPE,
  CONSUMER_TENANT_ID,
  MSA_PASSTHROUGH_TENANT_ID,
  SEARCH_HOSTS,
  SPA_CLIENT_ORIGINS,
} from "@teams-api/protocol";
import type { Env } from "../http/fetch.js";

export type CloudName = "enterprise" | "consumer" | "emulator";
export type AccountKind = "enterprise" | "consumer";

/** The two configurable roots; every other service URL comes from regionGtms. */
export interface Roots {
  /** Sign-in root, e.g. `https://login.microsoftonline.com` (no trailing slash). */
  readonly loginUrl: string;
  /** Teams root, e.g. `https://teams.microsoft.com` (no trailing slash). */
  readonly baseUrl: string;
}

export const EMULATOR_ROOTS: Roots = { loginUrl: "http://127.0.0.1:4380/login", baseUrl: "http://127.0.0.1:4380" };

const trimSlash = (u: string): string => u.replace(/\/+$/, "");

/** Which cloud the options and environment ask for (`cloud` option, else `TEAMS_CLOUD`, else enterprise). */
export function resolveCloud(cloud: CloudName | undefined, env: Env): CloudName {
  if (cloud) return cloud;
  const fromEnv = env.TEAMS_CLOUD?.trim().toLowerCase();
  if (fromEnv === "enterprise" || fromEnv === "consumer" || fromEnv === "emulator") return fromEnv;
  return "enterprise";
}

/**
 * The roots for a cloud and account kind. Explicit `loginUrl`/`baseUrl` options win; the emulator
 * reads TEAMS_LOGIN_URL / TEAMS_BASE_URL; real clouds pick the Teams root by account kind
 * (a consumer account signed in through the enterprise cloud still talks to teams.live.com).
 */
export function resolveRoots(
  cloud: CloudName,
  kind: AccountKind | undefined,
  overrides: { loginUrl?: string | undefined; baseUrl?: string | undefined },
  env: Env,
): Roots {
  if (cloud === "emulator") {
    return {
      loginUrl: trimSlash(overrides.loginUrl ?? env.TEAMS_LOGIN_URL ?? EMULATOR_ROOTS.loginUrl),
      baseUrl: trimSlash(overrides.baseUrl ?? env.TEAMS_BASE_URL ?? EMULATOR_ROOTS.baseUrl),
    };
  }
  const real = CLOUDS[kind ?? cloud];
  return {
    loginUrl: trimSlash(overrides.loginUrl ?? real.loginUrl),
    baseUrl: trimSlash(overrides.baseUrl ?? real.baseUrl),
  };
}

/** Is this `tid` the Microsoft-account (consumer) tenant? */
export function isConsumerTenant(tid: string | undefined): boolean {
  return tid === CONSUMER_TENANT_ID || tid === MSA_PASSTHROUGH_TENANT_ID;
}

/** Account kind from id_token claims (`tid`). */
export function kindFromTenant(tid: string | undefined): AccountKind {
  return isConsumerTenant(tid) ? "consumer" : "enterprise";
}

/** How an account of one kind talks to the sign-in and Teams services. */
export interface AccountProfile {
  readonly kind: AccountKind;
  /** Tenant segment of the token endpoint: `consumers` or the account's `tid` (`common` until known). */
  readonly tenant: string;
  /** Client id that redeems the refresh token. */
  readonly clientId: string;
  /** `Origin` header for the token endpoint: set for single-page-app client ids only. */
  readonly origin: string | undefined;
  /** Audience whose token buys the skypetoken. */
  readonly spacesAudience: string;
  /** authz path under the Teams root. */
  readonly authzPath: string;
  /** Extra headers for authz. */
  readonly authzHeaders: Readonly<Record<string, string>>;
  /** Bearer audience for the middle tier. */
  readonly middleTierAudience: string;
}

/**
 * The profile for an account. Enterprise redeems with the client id that was issued the refresh
 * token (all Teams ids are one FOCI family); consumer accounts redeem as the consumer web client.
 */
export function accountProfile(kind: AccountKind, tenantId: string | undefined, issuedTo: string): AccountProfile {
  if (kind === "consumer") {
    const clientId = CLIENT_IDS.teamsConsumerWeb;
    return {
      kind,
      tenant: "consumers",
      clientId,
      origin: SPA_CLIENT_ORIGINS[clientId],
      spacesAudience: CONSUMER_SPACES_SCOPE,
      authzPath: AUTHZ_PATHS.consumer,
      authzHeaders: {
        "ms-teams-authz-type": "ExplicitLogin",
        "x-ms-client-type": "web",
        claimschallengecapable: "true",
        origin: SPA_CLIENT_ORIGINS[clientId] ?? "https://teams.live.com",
      },
      middleTierAudience: CONSUMER_MT_SCOPE,
    };
  }
  return {
    kind,
    tenant: tenantId && !isConsumerTenant(tenantId) ? tenantId : "common",
    clientId: issuedTo,
    origin: SPA_CLIENT_ORIGINS[issuedTo],
    spacesAudience: AUDIENCES.spaces,
    authzPath: AUTHZ_PATHS.enterprise,
    authzHeaders: { "ms-teams-authz-type": "TokenRefresh", accept: "application/json; ver=1.0" },
    middleTierAudience: AUDIENCES.spaces,
  };
}

/**
 * The scope string that asks for a token of an audience: a bare resource (`https://host`) becomes
 * `https://host/.default`; a full scope (`https://host/perm`, `service::…::MBI_SSL`) stays as is.
 */
export function scopeForAudience(audience: string): string {
  if (audience.endsWith("/.default")) return audience;
  if (/^https?:\/\/[^/]+\/?$/.test(audience)) return `${trimSlash(audience)}/.default`;
  return audience;
}

/** The single-page-app client of a cloud, for the paste-the-redirect sign-in. */
export function spaClientFor(kind: AccountKind): { clientId: string; redirectUri: string; origin: string } {
  if (kind === "consumer") {
    return {
      clientId: CLIENT_IDS.teamsConsumerWeb,
      redirectUri: "https://teams.live.com/v2",
      origin: "https://teams.live.com",
    };
  }
  return {
    clientId: CLIENT_IDS.teamsWeb,
    redirectUri: "https://teams.microsoft.com/v2",
    origin: "https://teams.microsoft.com",
  };
}

/**
 * Where message search lives (PROTOCOL.md §4: Substrate and msgsearch are not in regionGtms): the
 * real hosts, or on the emulator its Teams root (Substrate paths) and `/msgsearch` under it.
 */
export function searchHosts(cloud: CloudName, roots: Roots): { substrate: string; consumer: string } {
  if (cloud === "emulator") return { substrate: roots.baseUrl, consumer: `${roots.baseUrl}${CONSUMER_SEARCH_MOUNT}` };
  return { substrate: SEARCH_HOSTS.substrate, consumer: SEARCH_HOSTS.consumer };
}
