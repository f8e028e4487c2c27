/**
 * The one redactor (GUIDE §2 Secrets). Everything that may reach a log line, an error message or an
 * error's `request`/`body` passes through here:
 *
 * - object keys and header names matching {@link SECRET_KEY} lose their values;
 * - URL query and fragment parameters with such names lose their values;
 * - any string is scrubbed of JWT-shaped and refresh-token-shaped substrings, `Bearer …` /
 *   `skypetoken=…` credentials, and every exact secret value the token manager registered.
 */

/**
 * Keys whose values are secrets: GUIDE §2's list plus `authentication` (the chat service's
 * `Authentication: skypetoken=…` header) and `passw` (AAD's form field is `passwd`).
 */
export const SECRET_KEY = /token|authorization|authentication|cookie|skypetoken|code|secret|passw|assertion/i;

/** Keys that match {@link SECRET_KEY} by name but only ever hold public error or protocol codes. */
const PUBLIC_KEYS = new Set([
  "errorcode",
  "errorsubcode",
  "error_codes",
  "statuscode",
  "servicecode",
  "code_challenge_method",
  "tokentype",
  "token_type",
]);

export const REDACTED = "[redacted]";

const SHAPES: readonly RegExp[] = [
  // Compact JWS/JWE: three or more base64url segments, the first a JSON header.
  /eyJ[A-Za-z0-9_-]{2,}(?:\.[A-Za-z0-9_-]*){2,4}/g,
  // AAD refresh tokens and codes `0.AX4A…` / `1.AX4A…`, the emulator's `0.EMU…` / `1.EMU…`.
  /\b[01]\.(?=[A-Za-z0-9_.*!$~-]*[A-Za-z])[A-Za-z0-9][A-Za-z0-9_.*!$~-]{15,}/g,
  // MSA refresh tokens `M.C5…_BAY.0.U.-…`.
  /\bM\.[A-Z0-9]{2,}_[A-Z0-9]{2,}\.[A-Za-z0-9_.*!$~-]{16,}/g,
  // Opaque MSA access tokens `EwA…`.
  /\bEw[A-Za-z0-9+/_-]{40,}={0,2}/g,
  // Header-style credentials that may sit in free text.
  /\b(Bearer|skype_token|skypetoken=|registrationToken=)\s*[^\s,;"'<>]+/gi,
];

/** Is this key (object property, header or query parameter name) secret? */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && !PUBLIC_KEYS.has(key.toLowerCase());
}

export class Redactor {
  /** Exact secret values (tokens in use), scrubbed from every string. Bounded, newest kept. */
  readonly #secrets = new Set<string>();
  static readonly #maxSecrets = 64;

  /** Registers a live secret (refresh token, access token, skypetoken) so it is scrubbed anywhere. */
  addSecret(value: string | undefined): void {
    if (!value || value.length < 8) return;
    this.#secrets.delete(value);
    this.#secrets.add(value);
    while (this.#secrets.size > Redactor.#maxSecrets) {
      const oldest = this.#secrets.values().next().value;
      if (oldest === undefined) break;
      this.#secrets.delete(oldest);
    }
  }

  /** Scrubs token-shaped substrings and registered secrets out of free text. */
  string(text: string): string {
    let out = text;
    for (const secret of this.#secrets) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    for (const re of SHAPES) {
      out = out.replace(re, (_m, scheme: unknown) =>
        typeof scheme === "string" ? `${scheme.trimEnd()}${scheme.endsWith("=") ? "" : " "}${REDACTED}` : REDACTED,
      );
    }
    return this.#redactQueryLike(out);
  }

  /** A URL with secret query/fragment parameters redacted (and the rest scrubbed). Never throws. */
  url(input: string | URL): string {
    let url: URL;
    try {
      url = new URL(String(input));
    } catch {
      return this.string(String(input));
    }
    const redactParams = (params: URLSearchParams): boolean => {
      let changed = false;
      for (const key of [...new Set(params.keys())]) {
        if (isSecretKey(key)) {
          params.set(key, REDACTED);
          changed = true;
        }
      }
      return changed;
    };
    redactParams(url.searchParams);
    if (url.hash.length > 1 && url.hash.includes("=")) {
      const frag = new URLSearchParams(url.hash.slice(1));
      if (redactParams(frag)) url.hash = frag.toString();
    }
    if (url.username || url.password) {
      url.username = url.username ? REDACTED : "";
      url.password = url.password ? REDACTED : "";
    }
    return this.string(url.toString().replaceAll("%5Bredacted%5D", REDACTED));
  }

  /** Headers with secret header values redacted. */
  headers(headers: Headers | Record<string, string> | Iterable<[string, string]>): Record<string, string> {
    const out: Record<string, string> = {};
    const entries =
      headers instanceof Headers ? headers.entries() : Symbol.iterator in headers ? headers : Object.entries(headers);
    for (const [k, v] of entries as Iterable<[string, string]>) {
      out[k] = isSecretKey(k) ? REDACTED : this.string(v);
    }
    return out;
  }

  /** A deep copy of a JSON-like value with secret keys redacted and strings scrubbed. */
  value(input: unknown, depth = 0): unknown {
    if (depth > 32) return REDACTED;
    if (typeof input === "string") return this.string(input);
    if (input === null || typeof input !== "object") return input;
    if (Array.isArray(input)) return input.map((v) => this.value(v, depth + 1));
    if (input instanceof URLSearchParams) {
      const copy = new URLSearchParams();
      for (const [k, v] of input) copy.append(k, isSecretKey(k) ? REDACTED : this.string(v));
      return copy.toString();
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(input)) {
      if (isSecretKey(k) && (typeof v === "string" || (v !== null && typeof v === "object"))) out[k] = REDACTED;
      else out[k] = this.value(v, depth + 1);
    }
    return out;
  }

  /** `key=value` pairs in free text (query strings, form bodies) whose key is secret. */
  #redactQueryLike(text: string): string {
    return text.replace(
      /([?&#;\s]|^)([A-Za-z0-9_.-]+)=([^&#\s"'<>]*)/g,
      (m, sep: string, key: string, value: string) =>
        isSecretKey(key) && value !== REDACTED && value !== "" ? `${sep}${key}=${REDACTED}` : m,
    );
  }
}

/** A shared redactor without registered secrets, for pure helpers. */
export const defaultRedactor = new Redactor();
