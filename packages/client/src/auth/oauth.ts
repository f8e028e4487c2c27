/**
 * The token endpoint (PROTOCOL.md §1.3): authorization code + PKCE and refresh grants, built with
 * oauth4webapi and sent through the transport's retrying `raw` channel. Answers are parsed here
 * (not by oauth4webapi's processors: a multi-tenant `common` authority has no single issuer to check
 * the id_token against, and AAD errors need their own sentences).
 */
import * as oauth from "oauth4webapi";
import { AuthenticationError, type ErrorCode, ProtocolError } from "../errors.js";
import type { Redactor } from "../http/redact.js";
import { isLoopback, type TeamsTransport } from "../http/transport.js";
import { type GrantKind, tokenEndpointError } from "./messages.js";

/** What a successful token request yields. */
export interface TokenSet {
  readonly accessToken: string;
  /** Epoch ms. */
  readonly expiresAt: number;
  readonly refreshToken: string | undefined;
  readonly idToken: string | undefined;
  readonly scope: string | undefined;
}

export interface TokenEndpointParams {
  /** Sign-in root, e.g. `https://login.microsoftonline.com`. */
  loginUrl: string;
  /** `common`, `consumers`, or a tenant id. */
  tenant: string;
  clientId: string;
  scope: string;
  /** `Origin` header (single-page-app clients only). */
  origin?: string | undefined;
  signal?: AbortSignal | undefined;
}

export function authorizationServer(loginUrl: string, tenant: string): oauth.AuthorizationServer {
  const base = `${loginUrl}/${encodeURIComponent(tenant)}`;
  return {
    issuer: `${base}/v2.0`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    token_endpoint: `${base}/oauth2/v2.0/token`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
  };
}

export class OAuthClient {
  readonly #transport: TeamsTransport;
  readonly #redactor: Redactor;
  readonly #now: () => number;

  constructor(deps: { transport: TeamsTransport; redactor: Redactor; now: () => number }) {
    this.#transport = deps.transport;
    this.#redactor = deps.redactor;
    this.#now = deps.now;
  }

  /**
   * Redeems an authorization code. `callback` holds the redirect's parameters; the state is checked
   * here (oauth4webapi) before anything is sent.
   */
  async redeemCode(
    p: TokenEndpointParams & {
      callback: URLSearchParams;
      expectedState: string;
      redirectUri: string;
      codeVerifier: string;
    },
  ): Promise<TokenSet> {
    const as = authorizationServer(p.loginUrl, p.tenant);
    const client: oauth.Client = { client_id: p.clientId };
    const params = new URLSearchParams(p.callback);
    params.delete("iss"); // AAD's multi-tenant issuer is a template; the state binds the answer
    let validated: URLSearchParams;
    try {
      validated = oauth.validateAuthResponse(as, client, params, p.expectedState);
    } catch (err) {
      throw callbackError(err, this.#redactor);
    }
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.None(),
      validated,
      p.redirectUri,
      p.codeVerifier,
      this.#options(as, p, false),
    );
    return this.#parse(response, as, "code");
  }

  /** Redeems a refresh token for `scope` (FOCI: any Teams client id may redeem the family's tokens). */
  async refresh(p: TokenEndpointParams & { refreshToken: string }): Promise<TokenSet> {
    const as = authorizationServer(p.loginUrl, p.tenant);
    const response = await oauth.refreshTokenGrantRequest(
      as,
      { client_id: p.clientId },
      oauth.None(),
      p.refreshToken,
      this.#options(as, p, true),
    );
    return this.#parse(response, as, "refresh");
  }

  /**
   * Starts a device-code sign-in (§1.6). Accepts the v2 answer and the v1 one (`verification_url`,
   * numbers as strings).
   */
  async startDeviceCode(p: TokenEndpointParams): Promise<DeviceCodeGrant> {
    const as = authorizationServer(p.loginUrl, p.tenant);
    const endpoint = new URL(as.device_authorization_endpoint!);
    const response = await oauth.deviceAuthorizationRequest(
      as,
      { client_id: p.clientId },
      oauth.None(),
      { scope: p.scope },
      {
        ...(p.signal ? { signal: p.signal } : {}),
        [oauth.customFetch]: (url, init) =>
          this.#transport.raw({ method: "POST", url, headers: init.headers, body: init.body, signal: init.signal }),
        [oauth.allowInsecureRequests]: endpoint.protocol === "http:" && isLoopback(endpoint),
      },
    );
    const request = { method: "POST", url: this.#redactor.url(endpoint.toString()) };
    const body = await readJson(response);
    if (response.status !== 200) {
      throw tokenEndpointError(
        { status: response.status, headers: response.headers, body, request, grant: "device" },
        this.#redactor,
      );
    }
    const b = (body ?? {}) as Record<string, unknown>;
    const num = (v: unknown): number => (typeof v === "string" ? Number(v) : typeof v === "number" ? v : Number.NaN);
    const verificationUri = b.verification_uri ?? b.verification_url;
    const expiresIn = num(b.expires_in);
    const interval = num(b.interval);
    if (
      typeof b.device_code !== "string" ||
      typeof b.user_code !== "string" ||
      typeof verificationUri !== "string" ||
      !Number.isFinite(expiresIn)
    ) {
      throw new ProtocolError("The sign-in service answered the device-code request without a usable code.");
    }
    this.#redactor.addSecret(b.device_code);
    return {
      deviceCode: b.device_code,
      userCode: b.user_code,
      verificationUri,
      expiresInMs: expiresIn * 1000,
      intervalMs: (Number.isFinite(interval) && interval > 0 ? interval : 5) * 1000,
      message: typeof b.message === "string" ? b.message : undefined,
    };
  }

  /** One poll of a device-code sign-in: tokens, or "still waiting" (`authorization_pending`/`slow_down`). */
  async pollDeviceCode(
    p: TokenEndpointParams & { deviceCode: string },
  ): Promise<{ tokens: TokenSet } | { waiting: "authorization_pending" | "slow_down" }> {
    const as = authorizationServer(p.loginUrl, p.tenant);
    const response = await oauth.deviceCodeGrantRequest(
      as,
      { client_id: p.clientId },
      oauth.None(),
      p.deviceCode,
      this.#options(as, p, true),
    );
    if (response.status === 400) {
      const peek = (await readJson(response.clone())) as { error?: unknown } | undefined;
      if (peek?.error === "authorization_pending" || peek?.error === "slow_down") {
        await response.body?.cancel().catch(() => {});
        return { waiting: peek.error };
      }
    }
    return { tokens: await this.#parse(response, as, "device") };
  }

  #options(
    as: oauth.AuthorizationServer,
    p: TokenEndpointParams,
    idempotent: boolean,
  ): oauth.TokenEndpointRequestOptions {
    const endpoint = new URL(as.token_endpoint!);
    return {
      additionalParameters: { scope: p.scope, client_info: "1" },
      headers: p.origin ? { origin: p.origin } : {},
      ...(p.signal ? { signal: p.signal } : {}),
      [oauth.customFetch]: (url, init) =>
        this.#transport.raw({
          method: "POST",
          url,
          headers: init.headers,
          body: init.body,
          signal: init.signal,
          // A refresh grant may be repeated; a code may be redeemed only once.
          idempotent,
        }),
      // Plain http only for the local emulator.
      [oauth.allowInsecureRequests]: endpoint.protocol === "http:" && isLoopback(endpoint),
    };
  }

  async #parse(response: Response, as: oauth.AuthorizationServer, grant: GrantKind): Promise<TokenSet> {
    const request = { method: "POST", url: this.#redactor.url(as.token_endpoint!) };
    let text = "";
    try {
      text = await response.text();
    } catch {
      // handled below as an unreadable answer
    }
    let body: unknown;
    try {
      body = text.trim() ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (response.status !== 200) {
      throw tokenEndpointError(
        { status: response.status, headers: response.headers, body, request, grant },
        this.#redactor,
      );
    }
    const b = body as Record<string, unknown> | undefined;
    const accessToken = b?.access_token;
    const expiresIn = Number(b?.expires_in);
    if (typeof accessToken !== "string" || accessToken === "" || !Number.isFinite(expiresIn)) {
      throw new ProtocolError(
        `The sign-in service answered ${request.url} with HTTP 200 but without a usable token (the answer was not the expected JSON).`,
      );
    }
    const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
    const set: TokenSet = {
      accessToken,
      expiresAt: this.#now() + expiresIn * 1000,
      refreshToken: str(b?.refresh_token),
      idToken: str(b?.id_token),
      scope: str(b?.scope),
    };
    this.#redactor.addSecret(set.accessToken);
    this.#redactor.addSecret(set.refreshToken);
    this.#redactor.addSecret(set.idToken);
    return set;
  }
}

/** What a device-code start answers (§1.6), in milliseconds. */
export interface DeviceCodeGrant {
  readonly deviceCode: string;
  readonly userCode: string;
  readonly verificationUri: string;
  readonly expiresInMs: number;
  readonly intervalMs: number;
  readonly message: string | undefined;
}

async function readJson(response: Response): Promise<unknown> {
  try {
    const text = await response.text();
    return text.trim() ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The redirect's own error (`error=access_denied`…) or a state mismatch, as one sentence. These have
 * no HTTP answer to blame, so their status is 0.
 */
function callbackError(err: unknown, redactor: Redactor): AuthenticationError {
  const fail = (code: ErrorCode, message: string, serviceCode?: string): AuthenticationError =>
    new AuthenticationError(code, message, { status: 0, ...(serviceCode ? { serviceCode } : {}) });
  if (err instanceof oauth.AuthorizationResponseError) {
    const description = err.error_description ? redactor.string(err.error_description) : "";
    const aadsts = /AADSTS\d+/.exec(description)?.[0];
    const what =
      err.error === "access_denied" ? "The sign-in was cancelled or denied" : "The sign-in service refused the sign-in";
    return fail(
      err.error === "access_denied" ? "sign_in_denied" : "sign_in_failed",
      `${what} (${aadsts ?? redactor.string(err.error)}); start the sign-in again with \`teams login\`.`,
      aadsts ?? err.error,
    );
  }
  const msg = err instanceof Error ? err.message : "";
  if (/state/i.test(msg)) {
    return fail(
      "state_mismatch",
      "The sign-in answer does not belong to this sign-in attempt (state mismatch); start the sign-in again with `teams login`.",
    );
  }
  if (/code/i.test(msg)) {
    return fail("no_code", "The redirect URL carries no sign-in code; copy the whole address from the browser.");
  }
  return fail(
    "sign_in_failed",
    "The sign-in answer could not be understood; start the sign-in again with `teams login`.",
  );
}
