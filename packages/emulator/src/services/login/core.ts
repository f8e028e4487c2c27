import { CLIENT_IDS, isLoopbackHost, REGISTERED_REDIRECTS } from "@teams-api/protocol";
import type { EmulatorContext } from "../../context.js";
import { type EmuRequest, type EmuResponse, HttpError } from "../../http/types.js";
import type { Tenant, User } from "../../state/directory.js";
import { membershipsOf, type TenantMembership } from "./memberships.js";
import { PAGE_HEADERS } from "./page.js";
import { isSpaClient, type ResourceGrant } from "./tokens.js";

/**
 * What every endpoint family of the emulated sign-in service shares (PROTOCOL.md §1): authorities,
 * which accounts each client id signs in, redirect rules, pending codes and device codes, AAD-shaped
 * errors (§9.2) and page helpers. The families live beside it: authorize.ts, token.ts,
 * device-code.ts, discovery.ts, v1.ts; routes.ts mounts them.
 */

export type Authority =
  | { readonly kind: "common" | "organizations" | "consumers"; readonly name: string }
  | { readonly kind: "tenant"; readonly name: string; readonly tenant: Tenant };

/** Which accounts each Teams client id signs in: the consumer apps are MSA-only, the enterprise web app Entra-only. */
export const CLIENT_ACCOUNTS: Readonly<Record<string, "enterprise" | "consumer" | "any">> = {
  [CLIENT_IDS.teamsNative]: "any",
  [CLIENT_IDS.teamsWeb]: "enterprise",
  [CLIENT_IDS.teamsConsumerWeb]: "consumer",
  [CLIENT_IDS.teamsConsumerLegacy]: "consumer",
};

/**
 * Redirect URIs registered on the single-page-application platform besides those of the SPA client
 * ids: SQ signs in with the native id 1fec8e78 through `https://teams.microsoft.com/v2` and redeems
 * with an Origin (§1.2), so that redirect is an SPA redirect of the native app. SPA-ness follows the
 * redirect (§1.5 "Origin for a non-SPA redirect → AADSTS9002326").

 */
export const EXTRA_SPA_REDIRECTS: Readonly<Record<string, readonly string[]>> = {
  [CLIENT_IDS.teamsNative]: ["https://teams.microsoft.com/v2"],
};

export function isSpaRedirect(clientId: string, redirectUri: string): boolean {
  return isSpaClient(clientId) || (EXTRA_SPA_REDIRECTS[clientId] ?? []).includes(redirectUri);
}
export const CODE_TTL_MS = 10 * 60 * 1000;
export const PKCE_VALUE = /^[A-Za-z0-9._~-]{43,128}$/;

export interface AuthorizeRequest {
  readonly clientId: string;
  /** The redirect URI is registered as a single-page-application redirect. */
  readonly spa: boolean;
  readonly redirectUri: string;
  readonly responseMode: "query" | "fragment";
  readonly scope: string;
  readonly oidc: ReadonlySet<string>;
  readonly grant: ResourceGrant | undefined;
  readonly state: string | undefined;
  readonly nonce: string | undefined;
  readonly codeChallenge: string | undefined;
  readonly loginHint: string | undefined;
  /** The request's own parameters, carried through the form in hidden fields. */
  readonly carry: ReadonlyMap<string, string>;
}

export interface CodeRecord {
  readonly clientId: string;
  /** Issued through an SPA redirect: redeem cross-origin only; refresh tokens live 24 h. */
  readonly spa: boolean;
  readonly redirectUri: string;
  readonly codeChallenge: string | undefined;
  readonly scope: string;
  readonly nonce: string | undefined;
  readonly user: User;
  readonly membership: TenantMembership;
  readonly expiresAt: number;
  used: boolean;
}

/** An AAD JSON error (400 unless said otherwise). */
export function aad(error: string, code: number, message: string, status = 400): HttpError {
  return new HttpError(status, message, { aadError: error, aadCode: code });
}

/** A form body; a body of another type carries no parameters (AAD then reports the first missing one). */
export function formOf(req: EmuRequest): URLSearchParams {
  const contentType = (req.headers["content-type"] ?? "").toLowerCase();
  return contentType.startsWith("application/x-www-form-urlencoded") ? req.form() : new URLSearchParams();
}

export const missingParameter = (name: string): HttpError =>
  aad("invalid_request", 900144, `The request body must contain the following parameter: '${name}'.`);

/** The sign-in service's shared state and helpers for one emulator world. */
export type LoginCore = ReturnType<typeof createLoginCore>;

export function createLoginCore(ctx: EmulatorContext) {
  const tokens = ctx.tokens;
  const codes = new Map<string, CodeRecord>();

  const resolveAuthority = (name: string): Authority | undefined => {
    const n = name.toLowerCase();
    if (n === "common" || n === "organizations" || n === "consumers") return { kind: n, name };
    const tenant = ctx.directory.tenants.find(
      (t) =>
        t.id.toLowerCase() === n || t.domain.toLowerCase() === n || `${t.name.toLowerCase()}.onmicrosoft.com` === n,
    );
    if (!tenant) return undefined;
    return tenant.kind === "consumer" ? { kind: "consumers", name } : { kind: "tenant", name, tenant };
  };

  const tenantNotFound = (name: string): string =>
    `Tenant '${name}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`;

  const directoryName = (authority: Authority): string =>
    authority.kind === "tenant"
      ? authority.tenant.name
      : authority.kind === "consumers"
        ? "Microsoft Accounts"
        : "common";

  const audienceNote = (authority: Authority, clientId: string): string => {
    const accounts = CLIENT_ACCOUNTS[clientId] ?? "any";
    if (authority.kind === "consumers" || accounts === "consumer") return "personal Microsoft accounts only";
    if (authority.kind === "organizations" || accounts === "enterprise") return "work or school accounts only";
    if (authority.kind === "tenant") return `accounts of ${authority.tenant.name} only`;
    return "work, school and personal accounts";
  };

  /** The membership a user signs in under at an authority with a client, or why they cannot. */
  const membershipFor = (
    authority: Authority,
    user: User,
    clientId: string,
  ): TenantMembership | { code: number; message: string } => {
    const memberships = membershipsOf(ctx.directory, user);
    const home = memberships[0];
    const accounts = CLIENT_ACCOUNTS[clientId] ?? "any";
    const idp = user.kind === "consumer" ? "live.com" : `https://sts.windows.net/${user.tenantId}/`;
    const notInTenant = (tenantName: string) => ({
      code: 50020,
      message: `User account '${user.login}' from identity provider '${idp}' does not exist in tenant '${tenantName}' and cannot access the application '${clientId}' in that tenant. The account needs to be added as an external user in the tenant first. Sign out and sign in again with a different account.`,
    });
    if (accounts === "consumer" && user.kind !== "consumer") {
      return {
        code: 50020,
        message: `The application '${clientId}' accepts personal Microsoft accounts only; '${user.login}' is a work or school account.`,
      };
    }
    if (accounts === "enterprise" && user.kind === "consumer") {
      return {
        code: 50020,
        message: `The application '${clientId}' accepts work or school accounts only; '${user.login}' is a personal Microsoft account.`,
      };
    }
    if (!home) return notInTenant(directoryName(authority));
    switch (authority.kind) {
      case "common":
        return home;
      case "organizations":
        return user.kind === "consumer"
          ? {
              code: 50020,
              message: `This endpoint (organizations) accepts work or school accounts only; '${user.login}' is a personal Microsoft account. Use the common or consumers endpoint.`,
            }
          : home;
      case "consumers":
        return user.kind === "consumer"
          ? home
          : {
              code: 50020,
              message: `This endpoint (consumers) accepts personal Microsoft accounts only; '${user.login}' is a work or school account. Use the common, organizations or tenant endpoint.`,
            };
      case "tenant":
        return memberships.find((m) => m.tenant.id === authority.tenant.id) ?? notInTenant(authority.tenant.name);
    }
  };

  const redirectAllowed = (clientId: string, redirectUri: string): boolean => {
    if ((REGISTERED_REDIRECTS[clientId] ?? []).includes(redirectUri)) return true;
    if ((EXTRA_SPA_REDIRECTS[clientId] ?? []).includes(redirectUri)) return true;
    if (clientId !== CLIENT_IDS.teamsNative) return false;
    // RFC 8252 §7.3: native apps may use any port on a loopback redirect.
    try {
      const u = new URL(redirectUri);
      return u.protocol === "http:" && isLoopbackHost(u.hostname) && !u.hash && !u.username && !u.password;
    } catch {
      return false;
    }
  };

  const page = (status: number, html: string, headers: Record<string, string> = {}): EmuResponse => ({
    status,
    headers: { ...PAGE_HEADERS, ...headers },
    body: html,
  });

  const withParams = (uri: string, mode: "query" | "fragment", params: Record<string, string>): string => {
    const qs = new URLSearchParams(params).toString();
    if (mode === "fragment") return `${uri.split("#")[0]}#${qs}`;
    return `${uri}${uri.includes("?") ? "&" : "?"}${qs}`;
  };

  return {
    ctx,
    tokens,
    codes,
    resolveAuthority,
    tenantNotFound,
    directoryName,
    audienceNote,
    membershipFor,
    redirectAllowed,
    page,
    withParams,
  };
}

/** A scope string with the OIDC scopes of the original request added back. */
export function mergeOidc(scope: string, oidc: ReadonlySet<string>): string {
  const parts = new Set(scope.split(/\s+/).filter(Boolean));
  for (const s of oidc) parts.add(s);
  return [...parts].join(" ");
}

/**
 * A form action relative to the page it is on (both mount-relative paths), so a page works under
 * any prefix and host: from `/common/oauth2/v2.0/authorize` to `/common/login` is `../../login`.
 */
export function relativeAction(from: string, to: string): string {
  const dir = from.split("/").slice(0, -1);
  const target = to.split("/");
  let i = 0;
  while (i < dir.length && i < target.length - 1 && dir[i] === target[i]) i++;
  return `${"../".repeat(dir.length - i)}${target.slice(i).join("/")}`;
}
