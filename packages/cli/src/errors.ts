import { type ErrorCode, TeamsError } from "teams-api";
import { hint } from "./invocation.js";
import { redact } from "./render/redact.js";
import { oneLine } from "./render/sanitize.js";

/** Exit codes (GUIDE §3). */
export const EXIT = {
  ok: 0,
  error: 1,
  usage: 2,
  auth: 4,
  rateLimited: 5,
  /** A send that may have been delivered: check the chat before sending again. */
  maybeSent: 3,
  /** Interrupted by Ctrl+C outside the interactive loop (shell convention 128 + SIGINT). */
  interrupted: 130,
} as const;

/** The user asked for something that cannot be done as written: bad reference, missing input. Exit 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Ctrl+C while a one-shot command waited for input or the network. */
export class InterruptedError extends Error {
  override name = "InterruptedError";
  constructor() {
    super("Interrupted.");
  }
}

function nameOf(err: unknown): string {
  return err instanceof Error ? err.name : "";
}

/** The exit code for each library error code: one switch over the closed set (GUIDE §3). */
export function exitCodeForCode(code: ErrorCode): number {
  switch (code) {
    case "invalid_argument":
    case "message_too_large":
      return EXIT.usage;
    case "delivery_unknown":
      return EXIT.maybeSent;
    case "rate_limited":
      return EXIT.rateLimited;
    case "unauthorized":
    case "not_signed_in":
    case "sign_in_failed":
    case "sign_in_denied":
    case "invalid_credentials":
    case "invalid_grant":
    case "state_mismatch":
    case "no_code":
      return EXIT.auth;
    case "bad_request":
    case "forbidden":
    case "not_found":
    case "conflict":
    case "server_error":
    case "http_error":
    case "connection_error":
    case "timeout":
    case "aborted":
    case "protocol_error":
    case "invalid_url":
    case "insecure_destination":
    case "untrusted_destination":
    case "no_browser":
    case "not_automatable":
    case "session_not_saved":
    case "session_file_symlink":
    case "internal":
      return EXIT.error;
    default:
      return unreachable(code);
  }
}

function unreachable(code: never): number {
  void code;
  return EXIT.error;
}

/** Any failure that a fresh sign-in would cure. */
export function isAuthFailure(err: unknown): boolean {
  return err instanceof TeamsError && exitCodeForCode(err.code) === EXIT.auth;
}

export function exitCodeFor(err: unknown): number {
  if (err instanceof TeamsError) return exitCodeForCode(err.code);
  if (err instanceof UsageError) return EXIT.usage;
  if (err instanceof InterruptedError) return EXIT.interrupted;
  const name = nameOf(err);
  if (name === "CommanderError") {
    const exit = (err as { exitCode?: number }).exitCode ?? 1;
    return exit === 0 ? EXIT.ok : EXIT.usage;
  }
  if (name === "ExitPromptError" || name === "AbortPromptError") return EXIT.interrupted;
  return EXIT.error;
}

/** One sentence for stderr: the error's own message, sanitized, on one line, credentials redacted. */
export function describeError(err: unknown): string {
  if (nameOf(err) === "ExitPromptError" || nameOf(err) === "AbortPromptError") return "Interrupted.";
  let message = err instanceof Error ? err.message : String(err);
  // Query strings carry state, nonces and sometimes codes, and make a sentence unreadable: drop them.
  message = oneLine(redact(message)).replace(/\b(https?:\/\/[^\s?#]+)[?#][^\s]*/g, "$1");
  if (!message) message = "Something went wrong.";
  if (nameOf(err) === "RateLimitError") {
    const ms = (err as { retryAfterMs?: number }).retryAfterMs;
    if (typeof ms === "number" && Number.isFinite(ms) && !/retry|again/i.test(message)) {
      message = `${message.replace(/[.!]$/, "")}; try again in ${Math.max(1, Math.ceil(ms / 1000))} s.`;
    }
  }
  return hint(/[.!?]$/.test(message) ? message : `${message}.`);
}
