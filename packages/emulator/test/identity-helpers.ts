/**
 * Raw-fetch helpers for the identity tests: they speak the protocol the way a client does, by
 * parsing the sign-in page's HTML form and following the redirect by hand. Nothing here prints a
 * token.
 */
import * as assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CLIENT_IDS, SPA_CLIENT_ORIGINS } from "@teams-api/protocol";
import type { Emulator } from "../src/emulator.js";
import { membershipsOf } from "../src/services/login/memberships.js";

export const SPACES_SCOPE = "https://api.spaces.skype.com/.default openid profile offline_access";
export const CONSUMER_SCOPE = "service::api.fl.spaces.skype.com::MBI_SSL openid profile offline_access";
export const WEB = CLIENT_IDS.teamsWeb;
export const NATIVE = CLIENT_IDS.teamsNative;
export const CONSUMER_WEB = CLIENT_IDS.teamsConsumerWeb;
export const NATIVE_REDIRECT = "https://login.microsoftonline.com/common/oauth2/nativeclient";

const SAMPLES = join(import.meta.dirname, "../../../../shared/protocol/samples");

/** A web-client access token for `audience`, minted straight from the emulator's token service. */
export function bearerFor(emu: Emulator, login: string, audience: string): string {
  const user = emu.users.find((u) => u.login === login);
  assert.ok(user, `demo user ${login}`);
  return emu.context.tokens.mintAccessToken({
    user,
    membership: membershipsOf(emu.context.directory, user)[0]!,
    clientId: CLIENT_IDS.teamsWeb,
    grant: {
      audience,
      scopes: [`${audience}/.default`],
      scp: ["user_impersonation"],
      granted: [`${audience}/user_impersonation`],
    },
  }).token;
}

export function sample<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(join(SAMPLES, name), "utf8")) as T;
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

function unescapeHtml(v: string): string {
  return v
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
}

/** The sign-in form of a page: where it posts and its input fields by name. */
export function parseForm(html: string): { action: string; method: string; fields: Map<string, string> } {
  const form = /<form\b([^>]*)>/i.exec(html);
  assert.ok(form, "the page has a form");
  const attr = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`, "i").exec(tag)?.[1] ?? undefined;
  const fields = new Map<string, string>();
  for (const m of html.matchAll(/<input\b[^>]*>/gi)) {
    const name = attr(m[0], "name");
    if (name) fields.set(unescapeHtml(name), unescapeHtml(attr(m[0], "value") ?? ""));
  }
  return {
    action: unescapeHtml(attr(form[1]!, "action") ?? ""),
    method: (attr(form[1]!, "method") ?? "get").toLowerCase(),
    fields,
  };
}

export interface AuthorizeOptions {
  clientId?: string;
  redirectUri?: string;
  tenant?: string;
  scope?: string;
  responseMode?: "query" | "fragment";
  state?: string;
  nonce?: string;
  challenge?: string | null;
  loginHint?: string;
  extra?: Record<string, string>;
}

export function authorizeUrl(emu: Emulator, o: AuthorizeOptions & { challenge: string | null }): string {
  const clientId = o.clientId ?? WEB;
  const q = new URLSearchParams({
    client_id: clientId,
    response_type: "code",
    redirect_uri: o.redirectUri ?? defaultRedirect(clientId),
    scope: o.scope ?? SPACES_SCOPE,
    state: o.state ?? "st-123",
    nonce: o.nonce ?? "n-456",
    ...(o.responseMode ? { response_mode: o.responseMode } : {}),
    ...(o.challenge ? { code_challenge: o.challenge, code_challenge_method: "S256" } : {}),
    ...(o.loginHint ? { login_hint: o.loginHint } : {}),
    ...o.extra,
  });
  return `${emu.loginUrl}/${o.tenant ?? "common"}/oauth2/v2.0/authorize?${q}`;
}

export function defaultRedirect(clientId: string): string {
  if (clientId === WEB) return "https://teams.microsoft.com/v2";
  if (clientId === CONSUMER_WEB) return "https://teams.live.com/v2";
  return NATIVE_REDIRECT;
}

/**
 * Posts credentials into the form of a sign-in page at `pageUrl` (the action is relative to the
 * page, as a browser resolves it); returns the raw answer (302 or a re-rendered form).
 */
export async function submitForm(pageUrl: string, html: string, login: string, password: string): Promise<Response> {
  const form = parseForm(html);
  assert.equal(form.method, "post");
  const body = new URLSearchParams(form.fields);
  body.set("login", login);
  body.set("passwd", password);
  return fetch(new URL(form.action, pageUrl), {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body,
  });
}

/** The parameters of a redirect Location (query or fragment). */
export function redirectParams(location: string, mode: "query" | "fragment" = "query"): URLSearchParams {
  const u = new URL(location);
  return new URLSearchParams(mode === "fragment" ? u.hash.slice(1) : u.search);
}

/** authorize → form → credentials → code. */
export async function getCode(
  emu: Emulator,
  login: string,
  o: AuthorizeOptions = {},
): Promise<{ code: string; verifier: string; redirectUri: string; clientId: string; state: string | null }> {
  const { verifier, challenge } = pkce();
  const clientId = o.clientId ?? WEB;
  const page = await fetch(authorizeUrl(emu, { ...o, challenge: o.challenge === null ? null : challenge }));
  assert.equal(page.status, 200, "authorize page");
  const res = await submitForm(page.url, await page.text(), login, emu.password);
  assert.equal(res.status, 302, "credentials accepted");
  const params = redirectParams(res.headers.get("location")!, o.responseMode);
  const code = params.get("code");
  assert.ok(code, "a code in the redirect");
  return {
    code,
    verifier,
    redirectUri: o.redirectUri ?? defaultRedirect(clientId),
    clientId,
    state: params.get("state"),
  };
}

export async function tokenCall(
  emu: Emulator,
  params: Record<string, string>,
  options: { tenant?: string; origin?: string | null } = {},
): Promise<Response> {
  const clientId = params.client_id ?? "";
  const origin = options.origin === undefined ? SPA_CLIENT_ORIGINS[clientId] : options.origin;
  return fetch(`${emu.loginUrl}/${options.tenant ?? "common"}/oauth2/v2.0/token`, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      ...(origin ? { Origin: origin } : {}),
    },
    body: new URLSearchParams(params),
  });
}

export interface TokenSet {
  access_token: string;
  refresh_token: string;
  id_token?: string;
  scope: string;
  expires_in: number;
  client_info?: string;
}

/** A full sign-in for a user: code flow with PKCE, then the token exchange. */
export async function signIn(emu: Emulator, login: string, o: AuthorizeOptions = {}): Promise<TokenSet> {
  const c = await getCode(emu, login, o);
  const res = await tokenCall(
    emu,
    {
      client_id: c.clientId,
      grant_type: "authorization_code",
      code: c.code,
      redirect_uri: c.redirectUri,
      code_verifier: c.verifier,
      scope: o.scope ?? SPACES_SCOPE,
    },
    { tenant: o.tenant ?? "common" },
  );
  assert.equal(res.status, 200, "token exchange");
  return (await res.json()) as TokenSet;
}

/** A refresh for another scope with the same refresh token. */
export async function refresh(
  emu: Emulator,
  refreshToken: string,
  scope: string,
  o: { clientId?: string; tenant?: string; origin?: string | null } = {},
): Promise<Response> {
  return tokenCall(
    emu,
    { client_id: o.clientId ?? WEB, grant_type: "refresh_token", refresh_token: refreshToken, scope },
    { ...(o.tenant ? { tenant: o.tenant } : {}), ...(o.origin !== undefined ? { origin: o.origin } : {}) },
  );
}

export function jwtPayload(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
}

/** Checks the AAD error shape (§9.2) and returns the body. */
export async function expectAadError(
  res: Response,
  status: number,
  error: string,
  code: number,
): Promise<Record<string, unknown>> {
  assert.equal(res.status, status);
  assert.equal(res.headers.get("content-type"), "application/json; charset=utf-8");
  const body = (await res.json()) as Record<string, unknown>;
  assert.equal(body.error, error);
  assert.match(String(body.error_description), new RegExp(`^AADSTS${code}: `));
  assert.deepEqual(body.error_codes, [code]);
  for (const k of ["timestamp", "trace_id", "correlation_id"]) assert.equal(typeof body[k], "string", k);
  return body;
}

/** The types of a JSON value's keys, recursively for objects: compares shapes, not values. */
export function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? [shapeOf(value[0])] : [];
  if (value === null) return "null";
  if (typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, shapeOf(v)]),
    );
  }
  return typeof value;
}
