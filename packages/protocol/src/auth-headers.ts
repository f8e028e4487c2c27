/**
 * The credential headers of Teams services (PROTOCOL.md §2.2, §9.5; docs/protocol.md §1): the chat
 * service's `Authentication: skypetoken=<jwt>` (or `X-Skypetoken: <jwt>`, which the middle tier,
 * registrar and Trouter use), and `Authorization: Bearer <jwt>`. Built and read here only.
 */

/** Header names as lower-cased keys, as Node's `IncomingMessage.headers` has them. */
export type HeaderBag = Readonly<Record<string, string | string[] | undefined>>;

const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? "") : (v ?? ""));

/** The `Authentication` header value that carries a skypetoken. */
export function skypeTokenAuthentication(token: string): string {
  return `skypetoken=${token}`;
}

/** The `Authorization` header value that carries a bearer token. */
export function bearerAuthorization(token: string): string {
  return `Bearer ${token}`;
}

/** The skypetoken in an `Authentication` header value (`skypetoken=<t>`, possibly among other pairs), or "". */
export function skypeTokenFromAuthentication(value: string | undefined): string {
  return /(?:^|[\s,;])skypetoken=([^\s,;]+)/i.exec(value ?? "")?.[1] ?? "";
}

/** The token of an `Authorization: Bearer <t>` header value, or "". */
export function bearerFromAuthorization(value: string | undefined): string {
  return /^\s*Bearer\s+(\S+)\s*$/i.exec(value ?? "")?.[1] ?? "";
}

/** Every skypetoken a request carries, `X-Skypetoken` first, then `Authentication: skypetoken=…`. */
export function skypeTokensFromHeaders(headers: HeaderBag): string[] {
  const out: string[] = [];
  const x = one(headers["x-skypetoken"]).trim();
  if (x) out.push(x);
  const a = skypeTokenFromAuthentication(one(headers["authentication"]));
  if (a && a !== x) out.push(a);
  return out;
}

/** The skypetoken of a request in any of the forms clients send, or "" when none. */
export function skypeTokenFromHeaders(headers: HeaderBag): string {
  return skypeTokensFromHeaders(headers)[0] ?? "";
}

/** The bearer token of a request's `Authorization` header, or "" when none. */
export function bearerFromHeaders(headers: HeaderBag): string {
  return bearerFromAuthorization(one(headers["authorization"]));
}
