/**
 * Sign-in failures as one clear sentence each: what happened, the service's code, and what to do
 * next. The code (`AADSTS…`, the OAuth error, authsvc `errorCode`) is also kept in `serviceCode`;
 * no token, no stack, no raw body.
 */
import { AuthenticationError, type ErrorCode, type RedactedRequest } from "../errors.js";
import { aadstsCode, parseServiceError, requestIdFrom } from "../http/error-map.js";
import type { Redactor } from "../http/redact.js";

/** The generic "sign in again" ending, for a saved session the service no longer accepts. */
export const SESSION_EXPIRED = "Your saved session has expired; sign in again with `teams login`.";
export const PKCE_MISMATCH =
  "The sign-in code did not match its PKCE verifier; start the sign-in again with `teams login`.";
export const SPA_ORIGIN_MISSING =
  "The sign-in service refused to redeem a single-page-app token without an Origin header (AADSTS9002327); this is a client bug — please report it.";
export const NO_LICENSE =
  "This account has no Microsoft Teams license (UserLicenseNotPresentForbidden); ask your administrator to assign one, or sign in with another account.";
export const GUEST_NOT_REDEEMED =
  "This guest account has not accepted its invitation to the organization (GuestUserNotRedeemed); accept it in a browser, or sign in to the organization you belong to with `teams login --tenant <tenant>`.";

/** What the token request was for: the sentence for `invalid_grant` depends on it. */
export type GrantKind = "code" | "refresh" | "device";

type Sentence = string | ((grant: GrantKind, code: string) => string);

/** "Your saved session has expired (<why>, <code>); sign in again with `teams login`." */
const expired =
  (why?: string) =>
  (_grant: GrantKind, code: string): string =>
    `Your saved session has expired (${why ? `${why}, ` : ""}${code}); sign in again with \`teams login\`.`;

const BROWSER = "sign in through the browser with `teams login --browser`";

const AADSTS_SENTENCES: Readonly<Record<string, Sentence>> = {
  AADSTS9002327: SPA_ORIGIN_MISSING,
  AADSTS9002326:
    "The sign-in service refused a cross-origin token request for a client that is not a single-page app (AADSTS9002326); this is a client bug — please report it.",
  AADSTS9002325:
    "The sign-in service requires PKCE for this client (AADSTS9002325); this is a client bug — please report it.",
  AADSTS50148: PKCE_MISMATCH,
  AADSTS501481: PKCE_MISMATCH,
  AADSTS700082: expired("the refresh token was unused for too long or reached its fixed lifetime"),
  AADSTS70043: expired("your organization's sign-in frequency policy ended it"),
  AADSTS700084: expired("the refresh token reached its fixed lifetime"),
  AADSTS50173: expired("the password changed or the session was revoked"),
  AADSTS9002313: (grant, code) =>
    grant === "refresh"
      ? `Your saved session is no longer valid (${code}); sign in again with \`teams login\`.`
      : `The sign-in service rejected the request as malformed (${code}); start the sign-in again with \`teams login\`.`,
  AADSTS70008: (grant, code) =>
    grant === "refresh"
      ? expired("unused for too long")(grant, code)
      : `The sign-in code expired before it was redeemed (${code}); start the sign-in again with \`teams login\`.`,
  AADSTS54005: (_g, code) =>
    `The sign-in code was already used (${code}); start the sign-in again with \`teams login\`.`,
  AADSTS70000: (grant, code) =>
    grant === "refresh"
      ? `Your saved session is no longer valid (${code}); sign in again with \`teams login\`.`
      : `The sign-in code belongs to another app (${code}); start the sign-in again with \`teams login\`.`,
  AADSTS50011:
    "The sign-in service did not accept this app's redirect address (AADSTS50011); this is a client bug — please report it.",
  AADSTS50020:
    "This account cannot use Teams through this sign-in (AADSTS50020: wrong kind of account, or not a member of the organization); sign in with another account, or name the organization with `teams login --tenant <tenant>`.",
  AADSTS50126:
    "The sign-in service rejected the user name or password (AADSTS50126); check both and try again, or sign in through the browser with `teams login --browser`.",
  AADSTS50034:
    "The sign-in service does not know this account (AADSTS50034); check the user name, or sign in to the right organization with `teams login --tenant <tenant>`.",
  AADSTS53003: `Your organization's Conditional Access policy blocked this sign-in (AADSTS53003); ${BROWSER} on a device your organization allows, or ask your administrator.`,
  AADSTS50076: `Your organization requires multi-factor authentication for this sign-in (AADSTS50076); ${BROWSER} or \`teams login --device-code\` and complete the second step there.`,
  AADSTS50079: `Your organization requires you to set up multi-factor authentication (AADSTS50079); ${BROWSER} and follow the enrolment steps there.`,
  AADSTS65001: `Teams has not been granted consent for this account (AADSTS65001); ${BROWSER} to grant it, or ask your administrator to consent for the organization.`,
  AADSTS700016:
    "The sign-in service does not know the Teams app in this organization (AADSTS700016); check the organization given with `--tenant`, or ask your administrator whether Microsoft Teams is allowed.",
  AADSTS90002:
    "The sign-in service does not know this organization (AADSTS90002); check the name given with `teams login --tenant`.",
  AADSTS70011:
    "The sign-in service rejected the requested permissions for this account (AADSTS70011); this is a client bug — please report it.",
  AADSTS70019:
    "The device code expired before the sign-in was finished (AADSTS70019); run `teams login --device-code` again and finish within 15 minutes.",
  AADSTS70018:
    "The sign-in service does not recognise this device code (AADSTS70018); run `teams login --device-code` again.",
};

/** OAuth errors that say more than their AADSTS number (device-code outcomes). */
const OAUTH_SENTENCES: Readonly<Record<string, string>> = {
  authorization_declined:
    "The sign-in was declined on the verification page (authorization_declined); run `teams login --device-code` again to retry.",
  expired_token: AADSTS_SENTENCES.AADSTS70019 as string,
  bad_verification_code: AADSTS_SENTENCES.AADSTS70018 as string,
};

/** Authsvc (skypetoken) refusals. */
const AUTHZ_SENTENCES: Readonly<Record<string, string>> = {
  UserLicenseNotPresentForbidden: NO_LICENSE,
  GuestUserNotRedeemed: GUEST_NOT_REDEEMED,
  TenantNotFound:
    "Teams does not know this account's organization (TenantNotFound); sign in to another organization with `teams login --tenant <tenant>`.",
};

/** The sentence for an AADSTS code, if this library knows it. */
export function aadstsSentence(code: string, grant: GrantKind): string | undefined {
  const entry = AADSTS_SENTENCES[code];
  return typeof entry === "function" ? entry(grant, code) : entry;
}

/** An AuthenticationError for a token endpoint error answer. */
export function tokenEndpointError(
  input: { status: number; headers: Headers; body: unknown; request: RedactedRequest; grant: GrantKind },
  redactor: Redactor,
): AuthenticationError {
  const parsed = parseServiceError(input.body);
  const aadsts = aadstsCode(input.body);
  const named = aadsts ?? parsed.oauthError ?? `HTTP ${input.status}`;
  let sentence =
    (parsed.oauthError ? OAUTH_SENTENCES[parsed.oauthError] : undefined) ?? aadstsSentence(named, input.grant);
  if (sentence) {
    // known
  } else if (parsed.oauthError === "invalid_grant") {
    sentence =
      input.grant === "refresh"
        ? `Your saved session is no longer valid (invalid_grant, ${named}); sign in again with \`teams login\`.`
        : `The sign-in service refused the sign-in (invalid_grant, ${named}); start the sign-in again with \`teams login\`.`;
  } else if (input.status >= 500) {
    sentence = `The sign-in service failed (HTTP ${input.status}); try again in a moment.`;
  } else if (input.body === undefined) {
    sentence = `The sign-in service answered with HTTP ${input.status} and no readable error; try again, then sign in again with \`teams login\`.`;
  } else {
    sentence = `The sign-in service refused the request (${named}); sign in again with \`teams login\`.`;
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
  if (status === 401) return "Teams did not accept the sign-in token (HTTP 401); sign in again with `teams login`.";
  if (status === 403) {
    return `Teams refused to start a session for this account (${serviceCode ?? "HTTP 403"}); sign in with another account.`;
  }
  return undefined;
}
