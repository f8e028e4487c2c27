/**
 * Interactive sign-in (PROTOCOL.md §1.3): authorization code + PKCE S256.
 *
 * - Browser with loopback: the native client id (RFC 8252: any loopback port) and a listener on
 *   127.0.0.1 that receives the redirect.
 * - Paste fallback (the seed's flow): the cloud's single-page-app client with its registered
 *   redirect (`https://teams.microsoft.com/v2` / `https://teams.live.com/v2`); the user pastes the
 *   address the browser ended on, and the code is redeemed with the SPA's `Origin`.
 * - Password automation: drives the emulator's HTML sign-in form (GET authorize, POST the form,
 *   read the redirect). The real Microsoft page is a script app without such a form, which is
 *   reported with a pointer to the browser flow.
 */
import { AUDIENCES, CLIENT_IDS, CONSUMER_SPACES_SCOPE, OIDC_SCOPES, parseSignInForm } from "@teams-api/protocol";
import * as oauth from "oauth4webapi";
import { AbortError, AuthenticationError, TeamsError } from "../errors.js";
import { assertPasswordTarget } from "../http/policy.js";
import type { Redactor } from "../http/redact.js";
import type { TeamsTransport } from "../http/transport.js";
import type { Logger } from "../http/types.js";
import { startLoopbackListener } from "./browser.js";
import { aadstsSentence } from "./messages.js";
import type { OAuthClient, TokenSet } from "./oauth.js";
import { authorizationServer } from "./oauth.js";
import { type AccountKind, type Roots, scopeForAudience, spaClientFor } from "./profiles.js";

export interface LoginDeps {
  transport: TeamsTransport;
  oauth: OAuthClient;
  redactor: Redactor;
  logger?: Logger | undefined;
  /** Roots for the account kind the cloud suggests. */
  roots: Roots;
  /** The account kind the cloud suggests (consumer cloud → consumer). */
  kindHint: AccountKind;
  loginTimeout: number;
  /** Authority segment: `common` unless the user named an organization (`--tenant`). */
  tenant?: string | undefined;
  hooks?: { codeVerifier?: ((v: string) => string) | undefined; omitOrigin?: boolean | undefined } | undefined;
}

/** What a sign-in produced, for the token manager to adopt. */
export interface LoginResult {
  tokens: TokenSet;
  clientId: string;
  audience: string;
}

export interface BrowserLoginOptions {
  /** Opens the sign-in page; resolve `false` when no browser could be opened. */
  openBrowser?: ((url: string) => unknown) | undefined;
  /** Shows the sign-in page to the user and returns the address the browser ended on. */
  readRedirectUrl?: ((authorizeUrl: string) => Promise<string> | string) | undefined;
  signal?: AbortSignal | undefined;
}

/** The audience asked for at sign-in: the skypetoken audience of the suggested kind. */
export function signInAudience(kind: AccountKind): string {
  return kind === "consumer" ? CONSUMER_SPACES_SCOPE : AUDIENCES.spaces;
}

export interface Pkce {
  verifier: string;
  challenge: string;
  state: string;
  nonce: string;
}

export async function newPkce(): Promise<Pkce> {
  const verifier = oauth.generateRandomCodeVerifier();
  return {
    verifier,
    challenge: await oauth.calculatePKCECodeChallenge(verifier),
    state: oauth.generateRandomState(),
    nonce: oauth.generateRandomNonce(),
  };
}

export function authorizeUrl(
  deps: LoginDeps,
  p: { clientId: string; redirectUri: string; scope: string; pkce: Pkce; loginHint?: string | undefined },
): string {
  const url = new URL(authorizationServer(deps.roots.loginUrl, deps.tenant ?? "common").authorization_endpoint!);
  const q = url.searchParams;
  q.set("client_id", p.clientId);
  q.set("response_type", "code");
  q.set("redirect_uri", p.redirectUri);
  q.set("response_mode", "query");
  q.set("scope", p.scope);
  q.set("code_challenge", p.pkce.challenge);
  q.set("code_challenge_method", "S256");
  q.set("state", p.pkce.state);
  q.set("nonce", p.pkce.nonce);
  q.set("client_info", "1");
  if (p.loginHint) q.set("login_hint", p.loginHint);
  else q.set("prompt", "select_account");
  return url.toString();
}

export async function redeem(
  deps: LoginDeps,
  p: {
    clientId: string;
    redirectUri: string;
    scope: string;
    pkce: Pkce;
    callback: URLSearchParams;
    origin?: string | undefined;
    signal?: AbortSignal | undefined;
  },
): Promise<TokenSet> {
  const verifier = deps.hooks?.codeVerifier ? deps.hooks.codeVerifier(p.pkce.verifier) : p.pkce.verifier;
  return deps.oauth.redeemCode({
    loginUrl: deps.roots.loginUrl,
    tenant: deps.tenant ?? "common",
    clientId: p.clientId,
    scope: p.scope,
    origin: deps.hooks?.omitOrigin ? undefined : p.origin,
    callback: p.callback,
    expectedState: p.pkce.state,
    redirectUri: p.redirectUri,
    codeVerifier: verifier,
    signal: p.signal,
  });
}

/** The redirect's parameters from a pasted address: the query, or the fragment (response_mode=fragment). */
export function callbackParams(pasted: string): URLSearchParams {
  const text = pasted.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // A bare query or fragment (`code=…&state=…`) is accepted too.
    return new URLSearchParams(text.replace(/^[?#]/, ""));
  }
  const query = url.searchParams;
  if (query.has("code") || query.has("error")) return query;
  return new URLSearchParams(url.hash.replace(/^#/, ""));
}

/**
 * `authenticate()`: the loopback flow when a browser can be opened, else the paste fallback.
 * `openBrowser` is the caller's opener or the system one.
 */
export async function browserLogin(
  deps: LoginDeps,
  options: BrowserLoginOptions & { openBrowser: (url: string) => unknown },
): Promise<LoginResult> {
  const audience = signInAudience(deps.kindHint);
  const scope = `${scopeForAudience(audience)} ${OIDC_SCOPES}`;
  const pkce = await newPkce();
  const listener = await startLoopbackListener({
    expectedState: pkce.state,
    timeoutMs: deps.loginTimeout,
    signal: options.signal,
  });
  try {
    const clientId = CLIENT_IDS.teamsNative;
    const url = authorizeUrl(deps, { clientId, redirectUri: listener.redirectUri, scope, pkce });
    let opened: unknown;
    try {
      opened = await options.openBrowser(url);
    } catch {
      opened = false;
    }
    if (opened !== false) {
      deps.logger?.info("Waiting for the sign-in to finish in the browser.");
      const callback = await listener.result;
      const tokens = await redeem(deps, {
        clientId,
        redirectUri: listener.redirectUri,
        scope,
        pkce,
        callback,
        signal: options.signal,
      });
      return { tokens, clientId, audience };
    }
  } finally {
    await listener.close();
  }
  deps.logger?.info("No browser could be opened; falling back to pasting the redirect address.");
  return pasteLogin(deps, options);
}

/** The paste-the-redirect-URL sign-in with the cloud's single-page-app client. */
export async function pasteLogin(deps: LoginDeps, options: BrowserLoginOptions): Promise<LoginResult> {
  const read = options.readRedirectUrl;
  if (!read) {
    throw new TeamsError(
      "no_browser",
      "No browser could be opened and there is no way to ask for the redirect address; sign in with a refresh token instead.",
    );
  }
  const spa = spaClientFor(deps.kindHint);
  const audience = signInAudience(deps.kindHint);
  const scope = `${scopeForAudience(audience)} ${OIDC_SCOPES}`;
  const pkce = await newPkce();
  const url = authorizeUrl(deps, { clientId: spa.clientId, redirectUri: spa.redirectUri, scope, pkce });
  if (options.signal?.aborted) throw new AbortError("The sign-in was cancelled.");
  const pasted = await read(url);
  if (options.signal?.aborted) throw new AbortError("The sign-in was cancelled.");
  const tokens = await redeem(deps, {
    clientId: spa.clientId,
    redirectUri: spa.redirectUri,
    scope,
    pkce,
    callback: callbackParams(String(pasted ?? "")),
    origin: spa.origin,
    signal: options.signal,
  });
  return { tokens, clientId: spa.clientId, audience };
}

/** A tiny cookie jar for the sign-in pages (name=value only; the pages live on one host). */
class CookieJar {
  readonly #cookies = new Map<string, string>();
  take(headers: Headers): void {
    for (const line of headers.getSetCookie?.() ?? []) {
      const pair = line.split(";", 1)[0] ?? "";
      const eq = pair.indexOf("=");
      if (eq > 0) this.#cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }
  header(): Record<string, string> {
    return this.#cookies.size ? { cookie: [...this.#cookies].map(([k, v]) => `${k}=${v}`).join("; ") } : {};
  }
}

const NOT_AUTOMATABLE =
  "This sign-in page cannot be filled in automatically (only the emulator's plain form can); sign in through the browser with `teams login`.";

/**
 * `signInWithPassword()`: fills the sign-in form (native client, its registered native redirect)
 * and redeems the code from the redirect. Meant for the emulator and its demo users.
 */
export async function passwordLogin(
  deps: LoginDeps,
  username: string,
  password: string,
  options: { signal?: AbortSignal | undefined } = {},
): Promise<LoginResult> {
  const clientId = CLIENT_IDS.teamsNative;
  const redirectUri = "https://login.microsoftonline.com/common/oauth2/nativeclient";
  const audience = signInAudience(deps.kindHint);
  const scope = `${scopeForAudience(audience)} ${OIDC_SCOPES}`;
  const pkce = await newPkce();
  const start = authorizeUrl(deps, { clientId, redirectUri, scope, pkce, loginHint: username });
  const jar = new CookieJar();

  const pageRes = await deps.transport.raw({
    method: "GET",
    url: start,
    headers: { accept: "text/html" },
    signal: options.signal,
  });
  jar.take(pageRes.headers);
  const html = await pageRes.text();
  const form = parseSignInForm(html);
  if (!form) {
    if (pageRes.status >= 400) {
      const code = /AADSTS\d+/.exec(html)?.[0];
      throw new AuthenticationError(
        "sign_in_failed",
        `The sign-in service refused to start the sign-in (${code ?? `HTTP ${pageRes.status}`}).`,
        {
          status: pageRes.status,
          request: { method: "GET", url: deps.redactor.url(start) },
          ...(code ? { serviceCode: code } : {}),
        },
      );
    }
    throw new TeamsError("not_automatable", NOT_AUTOMATABLE);
  }

  const post = async (f: NonNullable<ReturnType<typeof parseSignInForm>>, base: string): Promise<Response> => {
    const body = new URLSearchParams();
    for (const [k, v] of f.fields) body.append(k, v);
    body.set(f.usernameField, username);
    body.set(f.passwordField, password);
    const target = new URL(f.action || base, base);
    assertPasswordTarget(target, deps.roots.loginUrl, deps.redactor);
    const action = target.toString();
    const res = await deps.transport.raw({
      method: "POST",
      url: action,
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html", ...jar.header() },
      body,
      signal: options.signal,
      idempotent: false,
    });
    jar.take(res.headers);
    return res;
  };

  const answer = await post(form, start);
  const location = answer.headers.get("location");
  if (answer.status >= 300 && answer.status < 400 && location) {
    await answer.body?.cancel().catch(() => {});
    const callback = callbackParams(new URL(location, start).toString());
    const tokens = await redeem(deps, { clientId, redirectUri, scope, pkce, callback, signal: options.signal });
    return { tokens, clientId, audience };
  }
  const again = parseSignInForm(await answer.text());
  const code = again?.errorCode ? `AADSTS${again.errorCode}` : undefined;
  const request = { method: "POST", url: deps.redactor.url(new URL(form.action || start, start)) };
  if (again && (code === "AADSTS50126" || code === "AADSTS50034" || code === undefined || code === "AADSTS900144")) {
    throw new AuthenticationError(
      "invalid_credentials",
      `The sign-in service rejected the user name or password for ${deps.redactor.string(username)}.`,
      { status: answer.status, request, ...(code ? { serviceCode: code } : {}) },
    );
  }
  if (again) {
    const known = code ? aadstsSentence(code, "code") : undefined;
    throw new AuthenticationError(
      "sign_in_failed",
      known ?? `The sign-in service refused the sign-in of ${deps.redactor.string(username)} (${code}).`,
      { status: answer.status, request, ...(code ? { serviceCode: code } : {}) },
    );
  }
  throw new TeamsError("not_automatable", NOT_AUTOMATABLE);
}
