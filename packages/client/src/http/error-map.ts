/**
 * Turns an error answer into the typed error of errors.ts: status → class, the service's request id,
 * its own error code from whichever body shape it speaks (PROTOCOL.md §9.2), a one-line message.
 */
import { isJsonObject } from "@teams-api/protocol";
import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  type ErrorCode,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  type RedactedRequest,
  ServerError,
  TeamsApiError,
} from "../errors.js";
import { readCapped } from "./body.js";
import type { Redactor } from "./redact.js";
import { retryAfterFromHeaders } from "./retry.js";

/** Request id headers, most specific first. */
const REQUEST_ID_HEADERS = ["x-ms-request-id", "request-id", "ms-cv", "x-ms-correlation-id", "client-request-id"];

export function requestIdFrom(headers: Headers): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const v = headers.get(name);
    if (v) return v;
  }
  return undefined;
}

export interface ParsedServiceError {
  /** Chat `errorCode` (number), authsvc string `errorCode` or legacy `status.code`, `AADSTS…` or AAD `error`. */
  serviceCode?: string | number;
  /** AAD `error` (`invalid_grant`…) when the body is an AAD error. */
  oauthError?: string;
  /** The service's own message, first sentence, without trace ids. */
  message?: string;
  /** Presence/chat sub-status (`errorSubCode`). */
  subCode?: number;
}

/** The AADSTS code in an AAD error body (`error_codes[0]` or the `AADSTS<n>:` prefix of the description). */
export function aadstsCode(body: unknown): string | undefined {
  if (!isJsonObject(body)) return undefined;
  const desc = typeof body.error_description === "string" ? body.error_description : "";
  const m = /AADSTS(\d+)/.exec(desc);
  if (m) return `AADSTS${m[1]}`;
  const codes = body.error_codes;
  if (Array.isArray(codes) && typeof codes[0] === "number") return `AADSTS${codes[0]}`;
  return undefined;
}

/** Reads the service's error code and message from any of the error shapes Teams services use. */
export function parseServiceError(body: unknown): ParsedServiceError {
  if (!isJsonObject(body)) return {};
  // AAD: {"error":"invalid_grant","error_description":"AADSTS70008: …","error_codes":[70008]}
  if (typeof body.error === "string") {
    const code = aadstsCode(body);
    const desc = typeof body.error_description === "string" ? cleanAadDescription(body.error_description) : undefined;
    return {
      serviceCode: code ?? body.error,
      oauthError: body.error,
      ...(desc ? { message: desc } : {}),
    };
  }
  // Graph/MT style: {"error":{"code":"…","message":"…"}}
  if (isJsonObject(body.error)) {
    const e = body.error;
    const out: ParsedServiceError = {};
    if (typeof e.code === "string" || typeof e.code === "number") out.serviceCode = e.code;
    if (typeof e.message === "string") out.message = e.message;
    return out;
  }
  // Chat / authsvc / presence: {"errorCode":429|"GuestUserNotRedeemed","message":"…"}
  if (typeof body.errorCode === "string" || typeof body.errorCode === "number") {
    const out: ParsedServiceError = { serviceCode: body.errorCode };
    if (typeof body.message === "string") out.message = body.message;
    if (typeof body.errorSubCode === "number") out.subCode = body.errorSubCode;
    return out;
  }
  // authsvc legacy: {"status":{"code":40120,"text":"…"}}
  if (isJsonObject(body.status)) {
    const s = body.status;
    const out: ParsedServiceError = {};
    if (typeof s.code === "string" || typeof s.code === "number") out.serviceCode = s.code;
    if (typeof s.text === "string") out.message = s.text;
    return out;
  }
  if (typeof body.message === "string") return { message: body.message };
  return {};
}

/** `AADSTS50126: Error validating credentials… Trace ID: … Correlation ID: …` → the human part. */
export function cleanAadDescription(description: string): string {
  return description
    .replace(/^AADSTS\d+:\s*/, "")
    .replace(/\s*(Trace ID|Correlation ID|Timestamp):.*$/s, "")
    .trim();
}

export interface ApiErrorInput {
  status: number;
  headers: Headers;
  /** Parsed JSON body, or undefined when the body was not JSON. */
  body: unknown;
  /** True when the body was an HTML page (some chat 401s). */
  html?: boolean;
  request: RedactedRequest;
}

/** The typed error for an error answer. Message and body are redacted. */
export function apiErrorFromResponse(
  input: ApiErrorInput,
  redactor: Redactor,
  now: number = Date.now(),
): TeamsApiError {
  const parsed = parseServiceError(input.body);
  const requestId = requestIdFrom(input.headers);
  const what = describeStatus(input.status, input.html === true);
  const serviceMessage = parsed.message ? redactor.string(oneLine(parsed.message)) : undefined;
  const message = `${serviceMessage ?? what} (HTTP ${input.status} from ${input.request.method} ${pathOf(input.request.url)})`;
  const details = {
    status: input.status,
    request: input.request,
    ...(requestId !== undefined ? { requestId } : {}),
    ...(parsed.serviceCode !== undefined ? { serviceCode: parsed.serviceCode } : {}),
    ...(input.body !== undefined ? { body: redactor.value(input.body) } : {}),
  };
  const code = codeFor(input.status);
  switch (true) {
    case input.status === 400:
      return new BadRequestError(code, message, details);
    case input.status === 401:
      return new AuthenticationError(code, message, details);
    case input.status === 403:
      return new PermissionDeniedError(code, message, details);
    case input.status === 404:
      return new NotFoundError(code, message, details);
    case input.status === 409:
      return new ConflictError(code, message, details);
    case input.status === 429: {
      const err = new RateLimitError(code, message, details);
      err.retryAfterMs = retryAfterFromHeaders(input.headers, now);
      return err;
    }
    case input.status >= 500:
      return new ServerError(code, message, details);
    default:
      return new TeamsApiError(code, message, details);
  }
}

/** Stable string codes for TeamsError.code. */
export function codeFor(status: number): ErrorCode {
  switch (status) {
    case 400:
      return "bad_request";
    case 401:
      return "unauthorized";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    case 409:
      return "conflict";
    case 429:
      return "rate_limited";
    default:
      return status >= 500 ? "server_error" : "http_error";
  }
}

function describeStatus(status: number, html: boolean): string {
  if (status === 401)
    return html
      ? "The service rejected the credentials and answered with a web page"
      : "The service rejected the credentials";
  if (status === 403) return "The service refused the request";
  if (status === 404) return "Not found";
  if (status === 429) return "Too many requests";
  if (status >= 500) return "The service failed";
  return "The request failed";
}

function oneLine(text: string): string {
  const t = text.replace(/\s+/g, " ").trim();
  return t.length > 300 ? `${t.slice(0, 297)}…` : t;
}

/** The path of a (redacted) URL, with its query, for messages. */
function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url;
  }
}

/** How much of an error answer is read: its gist is all a message needs. */
const MAX_ERROR_BODY = 64 * 1024;

/** Reads (the start of) an error answer and turns it into its typed error. */
export async function apiErrorFromAnswer(
  response: Response,
  request: RedactedRequest,
  redactor: Redactor,
  now: number,
): Promise<TeamsApiError> {
  let text = "";
  try {
    text = await readCapped(response, MAX_ERROR_BODY);
  } catch {
    // a body cut off mid-way: the status alone tells what happened
  }
  const contentType = response.headers.get("content-type") ?? "";
  const trimmed = text.trimStart();
  const html = /html/i.test(contentType) || trimmed.startsWith("<");
  let body: unknown;
  if (!html && trimmed !== "" && (trimmed.startsWith("{") || trimmed.startsWith("["))) {
    try {
      body = JSON.parse(trimmed);
    } catch {
      body = undefined;
    }
  }
  return apiErrorFromResponse(
    { status: response.status, headers: response.headers, body, html, request },
    redactor,
    now,
  );
}
