import { createHash, randomBytes, randomUUID } from "node:crypto";
import { CLIENT_IDS, CONSUMER_TENANT_ID, REGISTERED_REDIRECTS } from "@teams-api/protocol";
import type { EmulatorContext } from "../../context.js";
import { type EmuRequest, type EmuResponse, HttpError, type Route } from "../../http/types.js";
import type { Tenant, User } from "../../state/directory.js";
import { DEVICE_GRANT, deviceCodeFlow } from "./device-code.js";
import { membershipsOf, type TenantMembership } from "./memberships.js";
import { errorPage, PAGE_HEADERS, signInPage } from "./page.js";
import { emulatorTokens, FOCI_FAMILY, isSpaClient, parseScopeParam, type ResourceGrant } from "./tokens.js";

/**
 * The emulated sign-in service (login.microsoftonline.com under `${origin}/login`): OAuth 2.0
 * authorization code + PKCE with a real HTML sign-in form, the v2 token endpoint (code and refresh
 * grants, FOCI, the SPA Origin rules of PROTOCOL.md §1.5), JWKS and OIDC discovery. Errors use the
 * AAD JSON shape (§9.2) through HttpError({aadError, aadCode}).
 *
 * Device code (§1.6, v2): `/oauth2/v2.0/devicecode` → user_code + device_code; the person enters
 * the code at `${loginUrl}/devicelogin` and signs in there; polls answer authorization_pending
 * (AADSTS70016) until then, expired_token (AADSTS70019) after 15 min; slow_down and decline too
 * (device-code.ts).
 *
 * v1 endpoints (`/oauth2/authorize`, `/oauth2/token`, `/oauth2/devicecode` with `resource=`) map
 * onto the same flows and answer in the v1 field forms.
 *
 * Not emulated (clear AAD-shaped errors): implicit/hybrid response types,
 * response_mode=form_post, client credentials and ROPC.
 */

export type Authority =
  | { readonly kind: "common" | "organizations" | "consumers"; readonly name: string }
  | { readonly kind: "tenant"; readonly name: string; readonly tenant: Tenant };

/** Which accounts each Teams client id signs in: the consumer apps are MSA-only, the enterprise web app Entra-only. */
const CLIENT_ACCOUNTS: Readonly<Record<string, "enterprise" | "consumer" | "any">> = {
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
const EXTRA_SPA_REDIRECTS: Readonly<Record<string, readonly string[]>> = {
  [CLIENT_IDS.teamsNative]: ["https://teams.microsoft.com/v2"],
};

function isSpaRedirect(clientId: string, redirectUri: string): boolean {
  return isSpaClient(clientId) || (EXTRA_SPA_REDIRECTS[clientId] ?? []).includes(redirectUri);
}

const CODE_TTL_MS = 10 * 60 * 1000;
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);
const PKCE_VALUE = /^[A-Za-z0-9._~-]{43,128}$/;

interface AuthorizeRequest {
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

interface CodeRecord {
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
function aad(error: string, code: number, message: string, status = 400): HttpError {
  return new HttpError(status, message, { aadError: error, aadCode: code });
}

/** A form body; a body of another type carries no parameters (AAD then reports the first missing one). */
function formOf(req: EmuRequest): URLSearchParams {
  const contentType = (req.headers["content-type"] ?? "").toLowerCase();
  return contentType.startsWith("application/x-www-form-urlencoded") ? req.form() : new URLSearchParams();
}

const missingParameter = (name: string): HttpError =>
  aad("invalid_request", 900144, `The request body must contain the following parameter: '${name}'.`);

export function loginRoutes(ctx: EmulatorContext): Route[] {
  const tokens = emulatorTokens(ctx.tokens);
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
      return u.protocol === "http:" && LOOPBACK_HOSTS.has(u.hostname) && !u.hash && !u.username && !u.password;
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

  /**
   * Validates an authorize request. Failures before the redirect URI is trusted render an error
   * page; later ones redirect back with `error` and `error_description` (OAuth 2.0 §4.1.2.1).
   */
  const validateAuthorize = (
    params: URLSearchParams,
    authorityName: string,
    requestId: string,
  ): { ok: true; authority: Authority; request: AuthorizeRequest } | { ok: false; response: EmuResponse } => {
    const fail = (status: number, code: number, message: string) => ({
      ok: false as const,
      response: page(status, errorPage(message, code, requestId)),
    });
    const authority = resolveAuthority(authorityName);
    if (!authority) return fail(400, 90002, tenantNotFound(authorityName));
    const clientId = params.get("client_id") ?? "";
    if (!clientId) return fail(400, 900144, "The request body must contain the following parameter: 'client_id'.");
    if (!Object.hasOwn(CLIENT_ACCOUNTS, clientId)) {
      return fail(
        400,
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${directoryName(authority)}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
      );
    }
    const redirectUri = params.get("redirect_uri") ?? "";
    if (!redirectUri)
      return fail(400, 900144, "The request body must contain the following parameter: 'redirect_uri'.");
    if (!redirectAllowed(clientId, redirectUri)) {
      return fail(
        400,
        50011,
        `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.`,
      );
    }

    const spa = isSpaRedirect(clientId, redirectUri);
    const rawMode = params.get("response_mode") ?? "query";
    const responseMode: "query" | "fragment" = rawMode === "fragment" ? "fragment" : "query";
    const state = params.get("state") ?? undefined;
    const back = (error: string, code: number, message: string) => {
      const description = `AADSTS${code}: ${message} Trace ID: ${requestId} Correlation ID: ${requestId} Timestamp: ${new Date(ctx.now()).toISOString()}`;
      return {
        ok: false as const,
        response: {
          status: 302,
          headers: {
            Location: withParams(redirectUri, responseMode, {
              error,
              error_description: description,
              ...(state !== undefined ? { state } : {}),
            }),
            "Cache-Control": "no-store, no-cache",
          },
        },
      };
    };
    if (rawMode !== "query" && rawMode !== "fragment") {
      return back("invalid_request", 900144, `response_mode '${rawMode}' is not emulated by teams-emulator.`);
    }
    const responseType = params.get("response_type") ?? "";
    if (!responseType)
      return back("invalid_request", 900144, "The request must contain the parameter 'response_type'.");
    if (responseType !== "code") {
      return back(
        "unsupported_response_type",
        700054,
        `response_type '${responseType}' is not enabled for the application (teams-emulator emulates the authorization code flow only).`,
      );
    }
    const scope = params.get("scope") ?? "";
    if (!scope.trim())
      return back("invalid_request", 900144, "The request body must contain the following parameter: 'scope'.");
    let parsed: ReturnType<typeof parseScopeParam>;
    try {
      parsed = parseScopeParam(scope, false);
    } catch (err) {
      return back("invalid_scope", 28000, err instanceof Error ? err.message : "Invalid scope.");
    }
    const codeChallenge = params.get("code_challenge") ?? undefined;
    const method = params.get("code_challenge_method") ?? undefined;
    if (codeChallenge === undefined) {
      if (spa) {
        return back(
          "invalid_request",
          9002325,
          "Proof Key for Code Exchange is required for cross-origin authorization code redemption.",
        );
      }
      if (method !== undefined) return back("invalid_request", 900144, "The request must contain 'code_challenge'.");
    } else {
      if (!PKCE_VALUE.test(codeChallenge)) {
        return back("invalid_request", 501491, "Invalid size of Code_Challenge parameter.");
      }
      if (method !== "S256") {
        return back(
          "invalid_request",
          501491,
          `code_challenge_method '${method ?? "plain"}' is not supported by teams-emulator; use S256.`,
        );
      }
    }
    if (params.get("prompt") === "none") {
      return back(
        "login_required",
        50058,
        "A silent sign-in request was sent but no user is signed in. The cookies used to represent the user's session were not sent in the request to Azure AD.",
      );
    }

    const carry = new Map<string, string>();
    for (const name of [
      "client_id",
      "redirect_uri",
      "response_type",
      "response_mode",
      "scope",
      "state",
      "nonce",
      "code_challenge",
      "code_challenge_method",
      "login_hint",
    ]) {
      const v = params.get(name);
      if (v !== null) carry.set(name, v);
    }
    return {
      ok: true,
      authority,
      request: {
        clientId,
        spa,
        redirectUri,
        responseMode,
        scope,
        oidc: parsed.oidc,
        grant: parsed.grant,
        state,
        nonce: params.get("nonce") ?? undefined,
        codeChallenge,
        loginHint: params.get("login_hint") ?? undefined,
        carry,
      },
    };
  };

  const formPage = (
    authorityName: string,
    authority: Authority,
    request: AuthorizeRequest,
    username: string | undefined,
    error?: { message: string; code: number; requestId: string },
  ): EmuResponse =>
    page(
      200,
      signInPage({
        action: `/login/${encodeURIComponent(authorityName)}/login`,
        hidden: request.carry,
        username,
        error,
        audienceNote: audienceNote(authority, request.clientId),
      }),
    );

  const authorize = (req: EmuRequest, params: URLSearchParams = req.url.searchParams): EmuResponse => {
    const authorityName = req.params.tenant!;
    const v = validateAuthorize(params, authorityName, req.id);
    if (!v.ok) return v.response;
    return formPage(authorityName, v.authority, v.request, v.request.loginHint);
  };

  const submitCredentials = (req: EmuRequest): EmuResponse => {
    const authorityName = req.params.tenant!;
    const form = req.form();
    const v = validateAuthorize(form, authorityName, req.id);
    if (!v.ok) return v.response;
    const { authority, request } = v;
    const login = (form.get("login") ?? "").trim();
    const password = form.get("passwd") ?? "";
    if (!login) {
      return formPage(authorityName, authority, request, login, {
        message: "Enter a valid email address, phone number, or Skype name.",
        code: 900144,
        requestId: req.id,
      });
    }
    const user = ctx.directory.byLogin(login);
    if (!user || user.password !== password) {
      return formPage(authorityName, authority, request, login, {
        message: "Your account or password is incorrect. If you don't remember your password, reset it now.",
        code: 50126,
        requestId: req.id,
      });
    }
    const membership = membershipFor(authority, user, request.clientId);
    if ("code" in membership) {
      return formPage(authorityName, authority, request, login, { ...membership, requestId: req.id });
    }
    const code = `1.EMU${randomBytes(48).toString("base64url")}`;
    codes.set(code, {
      clientId: request.clientId,
      spa: request.spa,
      redirectUri: request.redirectUri,
      codeChallenge: request.codeChallenge,
      scope: request.scope,
      nonce: request.nonce,
      user,
      membership,
      expiresAt: ctx.now() + CODE_TTL_MS,
      used: false,
    });
    for (const [k, r] of codes) if (r.expiresAt <= ctx.now() - CODE_TTL_MS) codes.delete(k);
    return {
      status: 302,
      headers: {
        Location: withParams(request.redirectUri, request.responseMode, {
          code,
          ...(request.state !== undefined ? { state: request.state } : {}),
          session_state: randomUUID(),
        }),
        "Cache-Control": "no-store, no-cache",
      },
    };
  };

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
      scope: [...parsed.grant.scopes, ...[...parsed.oidc].filter((s) => s !== "offline_access")].join(" "),
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
      case DEVICE_GRANT:
        return device.redeem(req, form, clientId);
      default:
        throw aad(
          "unsupported_grant_type",
          70003,
          `The app requested an unsupported grant type '${grantType}'. teams-emulator emulates the authorization_code, refresh_token and device_code grants only.`,
        );
    }
  };

  // ── Discovery ───────────────────────────────────────────────────────────────────────────────

  const openidConfiguration = (req: EmuRequest): EmuResponse => {
    const name = req.params.tenant!;
    const authority = resolveAuthority(name);
    if (!authority) throw aad("invalid_tenant", 90002, tenantNotFound(name));
    const issuerTenant =
      authority.kind === "tenant"
        ? authority.tenant.id
        : authority.kind === "consumers"
          ? CONSUMER_TENANT_ID
          : "{tenantid}";
    const base = `${ctx.loginUrl}/${name}`;
    return {
      status: 200,
      headers: { "Access-Control-Allow-Origin": "*", "Cache-Control": "max-age=86400, private" },
      body: {
        token_endpoint: `${base}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        jwks_uri: `${base}/discovery/v2.0/keys`,
        response_modes_supported: ["query", "fragment", "form_post"],
        subject_types_supported: ["pairwise"],
        id_token_signing_alg_values_supported: ["RS256"],
        response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
        scopes_supported: ["openid", "profile", "email", "offline_access"],
        issuer: tokens.issuer(issuerTenant),
        request_uri_parameter_supported: false,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
        http_logout_supported: true,
        frontchannel_logout_supported: true,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        claims_supported: [
          "sub",
          "iss",
          "cloud_instance_name",
          "cloud_instance_host_name",
          "cloud_graph_host_name",
          "msgraph_host",
          "aud",
          "exp",
          "iat",
          "auth_time",
          "acr",
          "nonce",
          "preferred_username",
          "name",
          "tid",
          "ver",
          "at_hash",
          "c_hash",
          "email",
        ],
        code_challenge_methods_supported: ["S256"],
        tenant_region_scope: authority.kind === "tenant" ? "EU" : null,
        cloud_instance_name: "microsoftonline.com",
        cloud_graph_host_name: "graph.windows.net",
        msgraph_host: "graph.microsoft.com",
        rbac_url: "https://pas.windows.net",
      },
    };
  };

  const keys = (req: EmuRequest): EmuResponse => {
    const name = req.params.tenant!;
    if (!resolveAuthority(name)) throw aad("invalid_tenant", 90002, tenantNotFound(name));
    return {
      status: 200,
      headers: { "Access-Control-Allow-Origin": "*", "Cache-Control": "max-age=86400, private" },
      body: tokens.jwks(),
    };
  };

  // ── Device code (§1.6): device-code.ts ───────────────────────────────────────────────────

  const device = deviceCodeFlow(ctx, {
    authorityAndClient,
    membershipFor,
    audienceNote,
    tokenResponse,
    checkOrigin,
    page,
    parseScope: (scope) => void parseScopeParam(scope, false),
  });
  const deviceAuthorization = (req: EmuRequest, form: URLSearchParams = formOf(req)): EmuResponse =>
    device.deviceAuthorization(req, form);

  // ── v1 endpoints (§1.3: still used by PT/AAD) ────────────────────────────────────────────────
  // `resource=` instead of `scope`; the same flows underneath. Token answers carry the v1 fields
  // (numbers as strings, expires_on, not_before, resource, foci); devicecode answers
  // `verification_url` and strings (§1.6). Tokens themselves are the same as v2.

  const v1Scope = (resource: string | null): string | undefined =>
    resource ? `${resource.replace(/\/+$/, "")}/.default openid profile offline_access` : undefined;

  const authorizeV1 = (req: EmuRequest): EmuResponse => {
    const params = new URLSearchParams(req.url.searchParams);
    const scope = v1Scope(params.get("resource")) ?? "openid profile offline_access";
    params.delete("resource");
    params.set("scope", scope);
    return authorize(req, params);
  };

  const tokenV1 = (req: EmuRequest): EmuResponse => {
    const form = new URLSearchParams(formOf(req));
    const scope = v1Scope(form.get("resource"));
    form.delete("resource");
    if (scope) form.set("scope", scope);
    if (form.get("grant_type") === "device_code" || form.get("grant_type") === DEVICE_GRANT) {
      form.set("grant_type", DEVICE_GRANT);
      form.delete("scope");
    }
    const out = token(req, form);
    const body = out.body as Record<string, unknown>;
    const claims = JSON.parse(
      Buffer.from(String(body.access_token).split(".")[1] ?? "", "base64url").toString("utf8"),
    ) as Record<string, unknown>;
    const clientId = form.get("client_id") ?? "";
    return {
      ...out,
      body: {
        token_type: body.token_type,
        scope: String(claims.scp ?? ""),
        expires_in: String(body.expires_in),
        ext_expires_in: String(body.ext_expires_in),
        expires_on: String(claims.exp),
        not_before: String(claims.nbf),
        resource: String(claims.aud),
        access_token: body.access_token,
        ...(body.refresh_token !== undefined ? { refresh_token: body.refresh_token } : {}),
        ...(FOCI_FAMILY.has(clientId) ? { foci: "1" } : {}),
        ...(body.id_token !== undefined ? { id_token: body.id_token } : {}),
      },
    };
  };

  const deviceAuthorizationV1 = (req: EmuRequest): EmuResponse => {
    const form = new URLSearchParams(formOf(req));
    const resource = form.get("resource");
    if (!resource) throw missingParameter("resource");
    form.delete("resource");
    form.set("scope", v1Scope(resource)!);
    const out = deviceAuthorization(req, form);
    const body = out.body as Record<string, unknown>;
    return {
      ...out,
      body: {
        user_code: body.user_code,
        device_code: body.device_code,
        verification_url: body.verification_uri,
        expires_in: String(body.expires_in),
        interval: String(body.interval),
        message: body.message,
      },
    };
  };

  const T = "(?<tenant>[^/]+)";
  const route = (method: string, pattern: RegExp, handler: Route["handler"]): Route => ({
    method,
    pattern,
    service: "login",
    handler,
  });
  return [
    route("GET", new RegExp(`^/login/${T}/oauth2/v2\\.0/authorize/?$`), (req) => authorize(req)),
    route("POST", new RegExp(`^/login/${T}/login/?$`), submitCredentials),
    route("POST", new RegExp(`^/login/${T}/oauth2/v2\\.0/token/?$`), (req) => token(req)),
    route("POST", new RegExp(`^/login/${T}/oauth2/v2\\.0/devicecode/?$`), (req) => deviceAuthorization(req)),
    ...device.routes,
    route("GET", new RegExp(`^/login/${T}/oauth2/authorize/?$`), (req) => authorizeV1(req)),
    route("POST", new RegExp(`^/login/${T}/oauth2/token/?$`), tokenV1),
    route("POST", new RegExp(`^/login/${T}/oauth2/devicecode/?$`), deviceAuthorizationV1),
    route("GET", new RegExp(`^/login/${T}/discovery/v2\\.0/keys/?$`), keys),
    route("GET", new RegExp(`^/login/${T}/v2\\.0/\\.well-known/openid-configuration/?$`), openidConfiguration),
  ];
}

/** A scope string with the OIDC scopes of the original request added back. */
function mergeOidc(scope: string, oidc: ReadonlySet<string>): string {
  const parts = new Set(scope.split(/\s+/).filter(Boolean));
  for (const s of oidc) parts.add(s);
  return [...parts].join(" ");
}
