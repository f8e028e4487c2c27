import { redact } from "./render/redact.js";
import { oneLine } from "./render/sanitize.js";

/** Exit codes (GUIDE §3). */
export const EXIT = {
  ok: 0,
  error: 1,
  usage: 2,
  auth: 4,
  rateLimited: 5,
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

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "";
}

/** Any failure that a fresh sign-in would cure. */
export function isAuthFailure(err: unknown): boolean {
  const name = nameOf(err);
  const code = codeOf(err);
  return (
    name === "AuthenticationError" ||
    name === "NotSignedInError" ||
    code === "not_signed_in" ||
    code === "authentication_failed" ||
    code.startsWith("auth") ||
    code.startsWith("invalid_grant") ||
    (err as { status?: unknown } | null)?.status === 401
  );
}

export function exitCodeFor(err: unknown): number {
  const name = nameOf(err);
  if (name === "CommanderError") {
    const exit = (err as { exitCode?: number }).exitCode ?? 1;
    return exit === 0 ? EXIT.ok : EXIT.usage;
  }
  if (err instanceof UsageError || name === "InvalidArgumentError" || codeOf(err) === "invalid_argument") {
    return EXIT.usage;
  }
  if (err instanceof InterruptedError || name === "ExitPromptError" || name === "AbortPromptError") {
    return EXIT.interrupted;
  }
  if (name === "RateLimitError" || codeOf(err) === "rate_limited") return EXIT.rateLimited;
  if (isAuthFailure(err)) return EXIT.auth;
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
  return /[.!?]$/.test(message) ? message : `${message}.`;
}
