import { Redactor } from "teams-api";

/**
 * Last line of defence for anything the app prints about a failure: the library's one redactor
 * (GUIDE §2) scrubs credential-shaped substrings — compact JWTs, refresh tokens, `Bearer` and
 * `skypetoken=` values, secret `key=value` pairs — whatever produced the text.
 */
const redactor = new Redactor();

export function redact(text: string): string {
  return redactor.string(text);
}
