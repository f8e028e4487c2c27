/**
 * Last line of defence for anything the app prints about a failure: credential-shaped substrings
 * (compact JWTs, refresh tokens, `skypetoken=`/`Bearer` values) are replaced before output, whatever
 * produced the text.
 */
const PATTERNS: readonly RegExp[] = [
  /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g,
  /\b0\.[A-Z][A-Za-z0-9_.-]{16,}/g,
  /\b(bearer|skypetoken[=:]?)\s*[A-Za-z0-9._~+/=-]{12,}/gi,
  /\b((?:access|refresh|id)_token|code|code_verifier|client_secret)=[^&\s"']+/gi,
];

export function redact(text: string): string {
  let out = text;
  out = out.replace(PATTERNS[0]!, "[redacted]");
  out = out.replace(PATTERNS[1]!, "[redacted]");
  out = out.replace(PATTERNS[2]!, (_m, word: string) => `${word} [redacted]`);
  out = out.replace(PATTERNS[3]!, (m) => `${m.slice(0, m.indexOf("=") + 1)}[redacted]`);
  return out;
}
