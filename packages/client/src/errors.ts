/**
 * Every failure the library reports is a TeamsError with a stable string `code`. API errors carry the
 * status, the server's request id and a redacted view of the request — never a token (GUIDE §2).
 */
import { sanitizeTerminalText } from "@teams-api/protocol";

/** A request as it may be shown in errors and logs: method and URL with secrets redacted. */
export interface RedactedRequest {
  readonly method: string;
  readonly url: string;
}

/**
 * Every code a {@link TeamsError} can carry: a closed set, so callers can `switch` over it and the
 * compiler sees every case. The service's own code (`errorCode`, AADSTS…) is kept apart, in
 * {@link TeamsApiError.serviceCode}. Add new codes here, and to the README's error table.
 */
export const ERROR_CODES = [
  // An HTTP answer with an error status (TeamsApiError and its subclasses).
  "bad_request",
  "unauthorized",
  "forbidden",
  "not_found",
  "conflict",
  "rate_limited",
  "server_error",
  /** Any other non-2xx status. */
  "http_error",
  // No usable answer.
  "connection_error",
  "timeout",
  "aborted",
  "protocol_error",
  // Refused before sending.
  "invalid_argument",
  "invalid_url",
  "insecure_destination",
  "untrusted_destination",
  /** A message over the chat service's size limit (~28 KB). */
  "message_too_large",
  // Sending.
  /** A send whose delivery could not be confirmed either way: check before sending again. */
  "delivery_unknown",
  // Signing in.
  "not_signed_in",
  "sign_in_failed",
  "sign_in_denied",
  "invalid_credentials",
  "invalid_grant",
  "state_mismatch",
  "no_code",
  "no_browser",
  "not_automatable",
  /** Signed in, but the session could not be written to its store. */
  "session_not_saved",
  /** The session file is a symbolic link, which is never followed. */
  "session_file_symlink",
  /** A bug in this library. */
  "internal",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class TeamsError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    // Messages quote the service (error texts, names): through the one sanitizer, so a script that
    // prints `err.message` cannot be driven by escape sequences, bidi overrides or hidden characters.
    super(sanitizeTerminalText(message), options);
    this.name = "TeamsError";
    this.code = code;
  }
}

export interface ApiErrorDetails {
  status: number;
  request?: RedactedRequest;
  requestId?: string;
  /** The service's own error code (`errorCode`, AAD `error`, authsvc string code). */
  serviceCode?: string | number;
  /** Parsed error body, already redacted. */
  body?: unknown;
}

/** The service answered with an error status. */
export class TeamsApiError extends TeamsError {
  readonly status: number;
  readonly request: RedactedRequest | undefined;
  readonly requestId: string | undefined;
  readonly serviceCode: string | number | undefined;
  readonly body: unknown;
  constructor(code: ErrorCode, message: string, details: ApiErrorDetails, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = "TeamsApiError";
    this.status = details.status;
    this.request = details.request;
    this.requestId = details.requestId;
    this.serviceCode = details.serviceCode;
    this.body = details.body;
  }
}

export class BadRequestError extends TeamsApiError {
  override name = "BadRequestError";
}
/** 401, or a sign-in that cannot go on: the user must sign in again. */
export class AuthenticationError extends TeamsApiError {
  override name = "AuthenticationError";
}
export class PermissionDeniedError extends TeamsApiError {
  override name = "PermissionDeniedError";
}
export class NotFoundError extends TeamsApiError {
  override name = "NotFoundError";
}
export class ConflictError extends TeamsApiError {
  override name = "ConflictError";
}
export class RateLimitError extends TeamsApiError {
  override name = "RateLimitError";
  /** From `Retry-After` (seconds or HTTP date), when the service sent one. */
  retryAfterMs: number | undefined;
}
export class ServerError extends TeamsApiError {
  override name = "ServerError";
}

/** The request never got an answer: DNS, refused, reset. */
export class ConnectionError extends TeamsError {
  override name = "ConnectionError";
  constructor(message: string, options?: { cause?: unknown }) {
    super("connection_error", message, options);
  }
}
export class TimeoutError extends TeamsError {
  override name = "TimeoutError";
  constructor(message: string, options?: { cause?: unknown }) {
    super("timeout", message, options);
  }
}
/** The caller aborted. Never retried. */
export class AbortError extends TeamsError {
  override name = "AbortError";
  constructor(message = "The request was aborted.", options?: { cause?: unknown }) {
    super("aborted", message, options);
  }
}
/** The server sent something we cannot parse (malformed JSON, missing required fields). */
export class ProtocolError extends TeamsError {
  override name = "ProtocolError";
  constructor(message: string, options?: { cause?: unknown }) {
    super("protocol_error", message, options);
  }
}
/** Bad input from the caller (unknown chat reference, empty message…), caught before any request. */
export class InvalidArgumentError extends TeamsError {
  override name = "InvalidArgumentError";
  constructor(message: string) {
    super("invalid_argument", message);
  }
}
/** No session: sign in first. */
export class NotSignedInError extends TeamsError {
  override name = "NotSignedInError";
  constructor(message = "You are not signed in. Run `teams login` first.") {
    super("not_signed_in", message);
  }
}
/** A message over the chat service's size limit (about 28 KB, PROTOCOL.md §9.6), refused before sending. */
export class MessageTooLargeError extends TeamsError {
  override name = "MessageTooLargeError";
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super(
      "message_too_large",
      `The message is ${Math.ceil(size / 1024)} KB; Teams accepts at most ${Math.floor(limit / 1024)} KB in one message.`,
    );
  }
}

/**
 * A send whose outcome no check could settle: the request left, and the service may have stored the
 * message or may still do so. Never sent again automatically; check the chat, or call `sendMessage`
 * again with the same `clientMessageId` — it looks for the message before posting.
 */
export class DeliveryUnknownError extends TeamsError {
  override name = "DeliveryUnknownError";
  /** The send's idempotency key, to look for it or to retry safely with it. */
  readonly clientMessageId: string | undefined;
  constructor(message: string, options: { cause?: unknown; clientMessageId?: string | undefined } = {}) {
    super("delivery_unknown", message, options.cause === undefined ? undefined : { cause: options.cause });
    this.clientMessageId = options.clientMessageId;
  }
}
