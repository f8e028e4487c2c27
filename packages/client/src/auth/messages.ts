/**
 * Sign-in failures as one clear sentence each: what happened and what to do. The service's own
 * code (`AADSTS…`, authsvc `errorCode`) stays in `serviceCode`; no token, no stack, no raw body.
 */
import { AuthenticationError, type ErrorCode, type RedactedRequest } from "../errors.js";
import { aadstsCode, parseServiceError, requestIdFrom } from "../http/error-map.js";
import type { Redactor } from "../http/redact.js";

export const SESSION_EXPIRED = "Your saved session has expired; sign in again with `teams login`.";
export const PKCE_MISMATCH =
  "The sign-in code did not match its PKCE verifier; start the sign-in again with `teams login`.";
export const SPA_ORIGIN_MISSING =
  "The sign-in service refused to redeem a single-page-app token without an Origin header; this is a client bug — please report it.";
export const NO_LICENSE = "This account has no Microsoft Teams license.";

/** What the token request was for: the sentence for `invalid_grant` depends on it. */
export type GrantKind = "code" | "refresh";

const AADSTS_SENTENCES: Readonly<Record<string, string | ((grant: GrantKind) => string)>> = {
  AADSTS9002327: SPA_ORIGIN_MISSING,
  AADSTS9002326:
    "The sign-in service refused a cross-origin token request for a client that is not a single-page app; this is a client bug — please report it.",
  AADSTS9002325: "The sign-in service requires PKCE for this client; this is a client bug — please report it.",
  AADSTS50148: PKCE_MISMATCH,
  AADSTS501481: PKCE_MISMATCH,
  AADSTS700082: SESSION_EXPIRED,
  AADSTS70043: SESSION_EXPIRED,
  AADSTS700084: SESSION_EXPIRED,
  AADSTS50173: SESSION_EXPIRED,
  AADSTS9002313: (grant) =>
    grant === "refresh"
      ? SESSION_EXPIRED
      : "The sign-in service rejected the request as malformed; start the sign-in again with `teams login`.",
  AADSTS70008: (grant) =>
    grant === "refresh"
      ? SESSION_EXPIRED
      : "The sign-in code expired before it was redeemed; start the sign-in again with `teams login`.",
  AADSTS54005: "The sign-in code was already used; start the sign-in again with `teams login`.",
  AADSTS70000: (grant) =>
    grant === "refresh"
      ? SESSION_EXPIRED
      : "The sign-in code belongs to another app; start the sign-in again with `teams login`.",
  AADSTS50011:
    "The sign-in service did not accept this app's redirect address; this is a client bug — please report it.",
  AADSTS50020:
    "This account cannot use Teams through this sign-in (wrong kind of account or not a member of the organization); sign in with another account.",
  AADSTS50126: "The sign-in service rejected the user name or password.",
  AADSTS50034: "The sign-in service does not know this account.",
  AADSTS53003: "Your organization's Conditional Access policy blocked this sign-in; ask your administrator.",
  AADSTS50076:
    "Your organization requires multi-factor authentication; sign in through the browser with `teams login`.",
  AADSTS50079:
    "Your organization requires multi-factor authentication; sign in through the browser with `teams login`.",
  AADSTS65001:
    "The account has not consented to Teams for this sign-in; sign in through the browser with `teams login`.",
  AADSTS90002: "The sign-in service does not know this organization; check the sign-in address.",
  AADSTS70011:
    "The sign-in service rejected the requested permissions for this account; this is a client bug — please report it.",
};

/** Authsvc (skypetoken) refusals. */
const AUTHZ_SENTENCES: Readonly<Record<string, string>> = {
  UserLicenseNotPresentForbidden: NO_LICENSE,
  GuestUserNotRedeemed:
    "This guest account has not accepted its invitation to the organization yet; accept it in a browser, then sign in again.",
  TenantNotFound: "Teams does not know this account's organization.",
};

/** The sentence for an AADSTS code, if this library knows it. */
export function aadstsSentence(code: string, grant: GrantKind): string | undefined {
  const entry = AADSTS_SENTENCES[code];
  return typeof entry === "function" ? entry(grant) : entry;
}

/** An AuthenticationError for a token endpoint error answer. */
export function tokenEndpointError(
  input: { status: number; headers: Headers; body: unknown; request: RedactedRequest; grant: GrantKind },
  redactor: Redactor,
): AuthenticationError {
  const parsed = parseServiceError(input.body);
  const aadsts = aadstsCode(input.body);
  let sentence: string | undefined;
  const entry = aadsts ? AADSTS_SENTENCES[aadsts] : undefined;
  if (typeof entry === "function") sentence = entry(input.grant);
  else if (entry) sentence = entry;
  else if (parsed.oauthError === "invalid_grant") {
    sentence =
      input.grant === "refresh"
        ? SESSION_EXPIRED
        : "The sign-in service refused the sign-in code; start the sign-in again with `teams login`.";
  } else if (input.status >= 500) {
    sentence = `The sign-in service failed (HTTP ${input.status}); try again in a moment.`;
  } else if (input.body === undefined) {
    sentence = `The sign-in service answered with HTTP ${input.status} and no readable error; try again, then sign in again with \`teams login\`.`;
  } else {
    const code = aadsts ?? parsed.oauthError ?? `HTTP ${input.status}`;
    sentence = `The sign-in service refused the request (${code}); sign in again with \`teams login\`.`;
  }
  const requestId = requestIdFrom(input.headers);
  return new AuthenticationError(code(parsed.oauthError), sentence, {
    status: input.status,
    request: input.request,
    ...(requestId ? { requestId } : {}),
    ...(aadsts || parsed.serviceCode !== undefined ? { serviceCode: aadsts ?? parsed.serviceCode! } : {}),
    ...(input.body !== undefined ? { body: redactor.value(input.body) } : {}),
  });
}

/** AAD's own error (`invalid_client`…) stays in `serviceCode`; the code says what it means here. */
function code(oauthError: string | undefined): ErrorCode {
  return oauthError === "invalid_grant" ? "invalid_grant" : "sign_in_failed";
}

/** The sentence for an authsvc refusal, or undefined to keep the transport's error. */
export function authzSentence(status: number, serviceCode: string | number | undefined): string | undefined {
  if (typeof serviceCode === "string" && AUTHZ_SENTENCES[serviceCode]) return AUTHZ_SENTENCES[serviceCode];
  if (status === 401) return "Teams did not accept the sign-in token; sign in again with `teams login`.";
  if (status === 403) return "Teams refused to start a session for this account.";
  return undefined;
}
