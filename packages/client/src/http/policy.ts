/**
 * Where a credential may go (GUIDE §2): only to trusted origins, and over plain http only to this
 * machine (the emulator). The password of a form sign-in follows the same rule.
 */
import { isLoopbackHost } from "@teams-api/protocol";
import { TeamsError } from "../errors.js";
import type { Redactor } from "./redact.js";

/** Is this URL's host the local machine? (The protocol's one loopback rule.) */
export function isLoopback(url: URL): boolean {
  return isLoopbackHost(url.hostname);
}

/** `scheme://host[:port]` of a URL string, or undefined. */
export function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * Throws unless a credential may go to this URL: its origin must be trusted, and plain http is
 * allowed only to loopback (the emulator).
 */
export function assertCredentialTarget(url: URL, trusted: Iterable<string>, redactor: Redactor): void {
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(url))) {
    throw new TeamsError(
      "insecure_destination",
      `Refusing to send a credential to ${redactor.string(url.origin)}: only https (or http to this machine) may carry one.`,
    );
  }
  for (const origin of trusted) if (origin === url.origin) return;
  throw new TeamsError(
    "untrusted_destination",
    `Refusing to send a credential to ${redactor.string(url.origin)}: it is not the sign-in service, the Teams service or a host of this session's service map.`,
  );
}

/** Appends query parameters (undefined values skipped). */
export function buildUrl(base: string, query?: Record<string, string | number | boolean | undefined>): URL {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new TeamsError("invalid_url", "A service URL is not a valid absolute URL.");
  }
  if (query) for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
  return url;
}

/**
 * Throws unless a sign-in form may receive the password at `action`: only the sign-in service's own
 * origin (`loginUrl`'s), over https or http to this machine. Checked before anything is sent.
 */
export function assertPasswordTarget(action: URL, loginUrl: string, redactor: Redactor): void {
  const own = originOf(loginUrl);
  const secure = action.protocol === "https:" || (action.protocol === "http:" && isLoopback(action));
  if (secure && action.origin === own) return;
  throw new TeamsError(
    secure ? "untrusted_destination" : "insecure_destination",
    `Refusing to send the password to ${redactor.string(action.origin)}: the sign-in form posts ${secure ? "outside the sign-in service" : "over plain http"}, and only the sign-in service's own address (${redactor.string(own ?? loginUrl)}) may receive it, over https or http on this machine.`,
  );
}
