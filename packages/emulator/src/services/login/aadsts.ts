import type { EmuResponse } from "../../http/types.js";

/**
 * AADSTS answers on demand (fault `{"aadsts": <code>}` on the sign-in service): the error each code
 * comes with from the token endpoint, in the AAD JSON shape of PROTOCOL.md §9.2 and with the status
 * AAD uses (400 for every grant and request error, 401 for a client that may not authenticate).
 * Wording follows Microsoft's published error reference, abridged.
 */
interface AadstsEntry {
  readonly status: number;
  readonly error: string;
  readonly suberror?: string;
  readonly message: string;
}

export const AADSTS_FAULTS: Readonly<Record<number, AadstsEntry>> = {
  50076: {
    status: 400,
    error: "invalid_grant",
    suberror: "basic_action",
    message:
      "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access 'https://api.spaces.skype.com'.",
  },
  50079: {
    status: 400,
    error: "invalid_grant",
    suberror: "basic_action",
    message:
      "Due to a configuration change made by your administrator, or because you moved to a new location, you must enroll in multi-factor authentication to access 'https://api.spaces.skype.com'.",
  },
  53003: {
    status: 400,
    error: "invalid_grant",
    suberror: "message_only",
    message: "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.",
  },
  70043: {
    status: 400,
    error: "invalid_grant",
    message:
      "The refresh token has expired or is invalid due to sign-in frequency checks by conditional access. The token was issued on 2026-01-05T09:00:00Z and the maximum allowed lifetime for this request is 43200.",
  },
  700082: {
    status: 400,
    error: "invalid_grant",
    message:
      "The refresh token has expired due to inactivity. The token was issued on 2025-10-05T09:00:00Z and was inactive for 90.00:00:00.",
  },
  700016: {
    status: 400,
    error: "unauthorized_client",
    message:
      "Application with identifier '1fec8e78-bce4-4aaf-ab1b-5451cc387264' was not found in the directory 'Contoso'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.",
  },
  9002327: {
    status: 400,
    error: "invalid_request",
    message:
      "Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests.",
  },
  9002326: {
    status: 400,
    error: "invalid_request",
    message: "Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type.",
  },
  65001: {
    status: 400,
    error: "invalid_grant",
    suberror: "consent_required",
    message:
      "The user or administrator has not consented to use the application with ID '1fec8e78-bce4-4aaf-ab1b-5451cc387264' named 'Microsoft Teams'. Send an interactive authorization request for this user and resource.",
  },
  50034: {
    status: 400,
    error: "invalid_grant",
    message:
      "The user account does not exist in the directory. To sign into this application, the account must be added to the directory.",
  },
  50126: {
    status: 400,
    error: "invalid_grant",
    message: "Error validating credentials due to invalid username or password.",
  },
  50173: {
    status: 400,
    error: "invalid_grant",
    message: "The provided grant has expired due to it being revoked, a fresh auth token is needed.",
  },
  9002313: { status: 400, error: "invalid_grant", message: "Invalid request. Request is malformed or invalid." },
  7000218: {
    status: 401,
    error: "invalid_client",
    message: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
  },
};

/** Where an `aadsts` fault applies unless it names a path: the token endpoints (v2 and v1), in either address mode. */
export const AADSTS_FAULT_PATH = "^(?:/login)?/[^/]+/oauth2/(v2\\.0/)?token/?$";

export function isAadstsFaultCode(code: unknown): code is number {
  return typeof code === "number" && Object.hasOwn(AADSTS_FAULTS, code);
}

/** The answer for an `aadsts` fault. */
export function aadstsAnswer(code: number, requestId: string, now: number = Date.now()): EmuResponse {
  const entry = AADSTS_FAULTS[code] ?? AADSTS_FAULTS[9002313]!;
  const timestamp = `${new Date(now).toISOString().replace("T", " ").slice(0, 19)}Z`;
  return {
    status: entry.status,
    headers: { "Cache-Control": "no-store, no-cache", Pragma: "no-cache" },
    body: {
      error: entry.error,
      error_description: `AADSTS${code}: ${entry.message} Trace ID: ${requestId} Correlation ID: ${requestId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: requestId,
      correlation_id: requestId,
      ...(entry.suberror ? { suberror: entry.suberror } : {}),
    },
  };
}
