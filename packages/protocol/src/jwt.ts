/**
 * Reading the claims of a JWT without verifying it (the client only names the account and reads
 * expiry from its own tokens; the services verify). Throws on anything that is not a compact JWS
 * whose payload is a base64url-encoded JSON object.
 */
export function decodeJwtPayload(token: string): Record<string, unknown> {
  if (typeof token !== "string") throw new TypeError("A JWT must be a string.");
  const parts = token.split(".");
  if (parts.length !== 3) throw new TypeError("Not a JWT: expected three dot-separated parts.");
  const payload = parts[1]!;
  if (!/^[A-Za-z0-9_-]+$/.test(payload)) throw new TypeError("Not a JWT: the payload is not base64url.");
  const claims: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  if (typeof claims !== "object" || claims === null || Array.isArray(claims)) {
    throw new TypeError("Not a JWT: the payload is not a JSON object.");
  }
  return claims as Record<string, unknown>;
}
