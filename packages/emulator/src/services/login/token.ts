import { createHash } from "node:crypto";
import type { EmuRequest, EmuResponse } from "../../http/types.js";
import type { User } from "../../state/directory.js";
import {
  type Authority,
  aad,
  CLIENT_ACCOUNTS,
  formOf,
  type LoginCore,
  mergeOidc,
  missingParameter,
  PKCE_VALUE,
} from "./core.js";
import type { TenantMembership } from "./memberships.js";
import { FOCI_FAMILY, isSpaClient, parseScopeParam } from "./tokens.js";

/** A grant type the token endpoint delegates (the device-code grant lives in device-code.ts). */
export type GrantHandler = (req: EmuRequest, form: URLSearchParams, clientId: string) => EmuResponse;

export type TokenIssuer = ReturnType<typeof tokenIssuer>;

/**
 * Issuing tokens (PROTOCOL.md §1.3, §1.5, §9.6): the SPA Origin rules, the token reply, and the
 * authority + client check every token-side request starts with.
 */
export function tokenIssuer(core: LoginCore) {
  const { ctx, tokens, resolveAuthority, tenantNotFound, directoryName } = core;

  // ── Token endpoint ──────────────────────────────────────────────────────────────────────────

  /**
   * The SPA Origin rules (§1.5): a grant issued through an SPA redirect (or redeemed by an SPA client
   * id) must be redeemed cross-origin; an Origin on any other grant is refused.
   */
  const checkOrigin = (origin: string | undefined, spaGrant: boolean): void => {
    if (origin && !spaGrant) {
      throw aad(
        "invalid_request",
        9002326,
        `Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type. Request origin: '${origin}'.`,
      );
    }
    if (!origin && spaGrant) {
      throw aad(
        "invalid_request",
        9002327,
        "Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests.",
      );
    }
  };

  const tokenResponse = (
    req: EmuRequest,
    args: {
      user: User;
      membership: TenantMembership;
      clientId: string;
      scope: string;
      nonce?: string | undefined;
      spa: boolean;
      chainExpiresAt?: number | undefined;
    },
  ): EmuResponse => {
    const parsed = parseScopeParam(args.scope, args.user.kind === "consumer");
    if (args.user.kind !== "consumer" && parsed.grant.scopes.some((s) => s.startsWith("service::"))) {
      throw aad(
        "invalid_scope",
        70011,
        `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' ('${parsed.grant.scopes.join(" ")}') is not valid for a work or school account.`,
      );
    }
    const access = tokens.mintAccessToken({
      user: args.user,
      membership: args.membership,
      clientId: args.clientId,
      grant: parsed.grant,
    });
    const body: Record<string, unknown> = {
      token_type: "Bearer",
      // The granted scopes as full URIs, as AAD answers (§9.6), then the OIDC scopes.
      scope: [...parsed.grant.granted, ...[...parsed.oidc].filter((s) => s !== "offline_access")].join(" "),
      expires_in: access.expiresIn,
      ext_expires_in: access.expiresIn,
      access_token: access.token,
    };
    if (parsed.oidc.has("offline_access")) {
      body.refresh_token = tokens.issueRefreshToken({
        user: args.user,
        membership: args.membership,
        clientId: args.clientId,
        spa: args.spa,
        scopes: parsed.grant.scopes,
        chainExpiresAt: args.chainExpiresAt,
      });
      if (args.spa) {
        // SPA refresh tokens say how long their fixed 24 h chain has left.
        const chainEnd = args.chainExpiresAt ?? ctx.now() + tokens.lifetimes.spaRefreshTokenSec * 1000;
        body.refresh_token_expires_in = Math.max(0, Math.round((chainEnd - ctx.now()) / 1000));
      }
    }
    if (parsed.oidc.has("openid")) {
      body.id_token = tokens.mintIdToken({
        user: args.user,
        membership: args.membership,
        clientId: args.clientId,
        nonce: args.nonce,
      });
    }
    body.client_info = tokens.clientInfo(args.membership);
    const origin = req.headers.origin;
    return {
      status: 200,
      headers: {
        "Cache-Control": "no-store, no-cache",
        Pragma: "no-cache",
        ...(origin ? { "Access-Control-Allow-Origin": origin, Vary: "Origin" } : {}),
      },
      body,
    };
  };

  /** The authority of a token-side request and its known client id, or the AAD error for either. */
  const authorityAndClient = (req: EmuRequest, form: URLSearchParams) => {
    const authorityName = req.params.tenant!;
    const authority = resolveAuthority(authorityName);
    if (!authority) throw aad("invalid_request", 90002, tenantNotFound(authorityName));
    const clientId = form.get("client_id");
    if (!clientId) throw missingParameter("client_id");
    if (!Object.hasOwn(CLIENT_ACCOUNTS, clientId)) {
      throw aad(
        "unauthorized_client",
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${directoryName(authority)}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
      );
    }
    return { authority, clientId };
  };

  return { checkOrigin, tokenResponse, authorityAndClient };
}

/** The token endpoint `/{tenant}/oauth2/v2.0/token`: code and refresh grants, plus the delegated ones. */
export function tokenEndpoint(
  core: LoginCore,
  issuer: TokenIssuer,
  extraGrants: Readonly<Record<string, GrantHandler>>,
) {
  const { ctx, tokens, codes, membershipFor } = core;
  const { checkOrigin, tokenResponse, authorityAndClient } = issuer;

  const redeemCode = (req: EmuRequest, form: URLSearchParams, authority: Authority, clientId: string): EmuResponse => {
    const code = form.get("code");
    if (!code) throw missingParameter("code");
    const redirectUri = form.get("redirect_uri");
    if (!redirectUri) throw missingParameter("redirect_uri");
    const record = codes.get(code);
    if (!record || record.expiresAt <= ctx.now()) {
      throw aad(
        "invalid_grant",
        70008,
        "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.",
      );
    }
    if (record.used) {
      throw aad(
        "invalid_grant",
        54005,
        "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.",
      );
    }
    // A missing or stray Origin does not use the code up: the client may retry with the right headers.
    if (record.clientId === clientId) checkOrigin(req.headers.origin, record.spa);
    // Any redemption attempt past this point uses the code up (a guessed verifier gets one try).
    record.used = true;
    if (record.clientId !== clientId) {
      throw aad("invalid_grant", 70000, "The provided authorization code was issued to a different client.");
    }
    if (record.redirectUri !== redirectUri) {
      throw aad(
        "invalid_grant",
        50011,
        `The redirect URI '${redirectUri}' specified in the request does not match the redirect URI used to request the authorization code.`,
      );
    }
    if (authority.kind === "tenant" && authority.tenant.id !== record.membership.tenant.id) {
      throw aad(
        "invalid_grant",
        700005,
        "Provided Authorization Code is intended to use against other tenant, thus rejected.",
      );
    }
    if (record.codeChallenge !== undefined) {
      const verifier = form.get("code_verifier") ?? "";
      const computed = createHash("sha256").update(verifier).digest("base64url");
      if (!PKCE_VALUE.test(verifier) || computed !== record.codeChallenge) {
        throw aad(
          "invalid_grant",
          50148,
          "The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.",
        );
      }
    }
    const requested = form.get("scope")?.trim();
    const scope = requested ? mergeOidc(requested, parseScopeParam(record.scope, false).oidc) : record.scope;
    return tokenResponse(req, {
      user: record.user,
      membership: record.membership,
      clientId,
      scope,
      nonce: record.nonce,
      spa: record.spa,
    });
  };

  const redeemRefresh = (
    req: EmuRequest,
    form: URLSearchParams,
    authority: Authority,
    clientId: string,
  ): EmuResponse => {
    const token = form.get("refresh_token");
    if (!token) throw missingParameter("refresh_token");
    const record = tokens.refreshRecord(token);
    const status = record ? tokens.refreshStatus(record) : "revoked";
    if (!record || status === "revoked") {
      throw aad("invalid_grant", 9002313, "Invalid request. Request is malformed or invalid.");
    }
    checkOrigin(req.headers.origin, record.spa || isSpaClient(clientId));
    if (status === "expired") {
      const issued = new Date(record.issuedAt).toISOString();
      throw aad(
        "invalid_grant",
        700082,
        record.spa
          ? `The refresh token has expired. It was issued to a single page app (SPA), and therefore has a fixed, limited lifetime of 1.00:00:00, which cannot be extended; a new sign in request must be sent by the SPA to the sign in page. The token was issued on ${issued}.`
          : `The refresh token has expired due to inactivity. The token was issued on ${issued} and was inactive for 90.00:00:00.`,
      );
    }
    if (record.clientId !== clientId && !(FOCI_FAMILY.has(record.clientId) && FOCI_FAMILY.has(clientId))) {
      throw aad("invalid_grant", 70000, "The provided refresh token was issued to a different client.");
    }
    // A refresh may move to another tenant the user belongs to (a guest tenant: PROTOCOL.md §1.5).
    const membership = membershipFor(authority, record.user, clientId);
    if ("code" in membership) throw aad("invalid_grant", membership.code, membership.message);
    const chosen = authority.kind === "tenant" ? membership : record.membership;
    const requested = form.get("scope")?.trim();
    const scope = requested || [...record.scopes, "openid", "profile", "offline_access"].join(" ");
    const spa = record.spa || isSpaClient(clientId);
    return tokenResponse(req, {
      user: record.user,
      membership: chosen,
      clientId,
      scope,
      spa,
      chainExpiresAt: record.spa ? record.expiresAt : undefined,
    });
  };

  const token = (req: EmuRequest, form: URLSearchParams = formOf(req)): EmuResponse => {
    const grantType = form.get("grant_type");
    if (!grantType) throw missingParameter("grant_type");
    const { authority, clientId } = authorityAndClient(req, form);
    if (form.has("client_secret") || form.has("client_assertion")) {
      throw aad(
        "invalid_client",
        700025,
        "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.",
        401,
      );
    }
    switch (grantType) {
      case "authorization_code":
        return redeemCode(req, form, authority, clientId);
      case "refresh_token":
        return redeemRefresh(req, form, authority, clientId);
      default: {
        const extra = extraGrants[grantType];
        if (extra) return extra(req, form, clientId);
        throw aad(
          "unsupported_grant_type",
          70003,
          `The app requested an unsupported grant type '${grantType}'. teams-emulator emulates the authorization_code, refresh_token and device_code grants only.`,
        );
      }
    }
  };

  return { token };
}
