import { randomBytes, randomUUID } from "node:crypto";
import type { EmuRequest, EmuResponse } from "../../http/types.js";
import {
  type Authority,
  type AuthorizeRequest,
  CLIENT_ACCOUNTS,
  CODE_TTL_MS,
  isSpaRedirect,
  type LoginCore,
  PKCE_VALUE,
  relativeAction,
} from "./core.js";
import { errorPage, signInPage } from "./page.js";
import { parseScopeParam } from "./tokens.js";

/** Where a sign-in page posts its credentials: the authority it signs in to, and the (mount-relative) path. */
export interface SignInSite {
  readonly authority: string;
  readonly post: string;
}

/** The sign-in site of `/{tenant}/oauth2/…/authorize`: credentials post to `/{tenant}/login`. */
export const tenantSite = (req: EmuRequest): SignInSite => ({
  authority: req.params.tenant!,
  post: `/${req.params.tenant!}/login`,
});

/**
 * The authorize endpoint family (PROTOCOL.md §1.3): OAuth 2.0 authorization code + PKCE with a real
 * HTML sign-in form whose action is relative to the page, so it works on any host and prefix.
 * Failures before the redirect URI is trusted render an error page; later ones redirect back.
 */
export function authorizeEndpoints(core: LoginCore) {
  const {
    ctx,
    codes,
    resolveAuthority,
    tenantNotFound,
    directoryName,
    audienceNote,
    membershipFor,
    redirectAllowed,
    page,
    withParams,
  } = core;

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
    req: EmuRequest,
    site: SignInSite,
    authority: Authority,
    request: AuthorizeRequest,
    username: string | undefined,
    error?: { message: string; code: number; requestId: string },
  ): EmuResponse =>
    page(
      200,
      signInPage({
        action: relativeAction(req.path, site.post),
        hidden: request.carry,
        username,
        error,
        audienceNote: audienceNote(authority, request.clientId),
      }),
    );

  const authorize = (
    req: EmuRequest,
    params: URLSearchParams = req.url.searchParams,
    site: SignInSite = tenantSite(req),
  ): EmuResponse => {
    const v = validateAuthorize(params, site.authority, req.id);
    if (!v.ok) return v.response;
    return formPage(req, site, v.authority, v.request, v.request.loginHint);
  };

  const submitCredentials = (req: EmuRequest, site: SignInSite = tenantSite(req)): EmuResponse => {
    const form = req.form();
    const v = validateAuthorize(form, site.authority, req.id);
    if (!v.ok) return v.response;
    const { authority, request } = v;
    const login = (form.get("login") ?? "").trim();
    const password = form.get("passwd") ?? "";
    if (!login) {
      return formPage(req, site, authority, request, login, {
        message: "Enter a valid email address, phone number, or Skype name.",
        code: 900144,
        requestId: req.id,
      });
    }
    const user = ctx.directory.byLogin(login);
    if (!user || user.password !== password) {
      return formPage(req, site, authority, request, login, {
        message: "Your account or password is incorrect. If you don't remember your password, reset it now.",
        code: 50126,
        requestId: req.id,
      });
    }
    const membership = membershipFor(authority, user, request.clientId);
    if ("code" in membership) {
      return formPage(req, site, authority, request, login, { ...membership, requestId: req.id });
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

  return { authorize, submitCredentials };
}
