/**
 * The skypetoken exchange answer (PROTOCOL.md §1.7–1.8). Sources disagree on the consumer shape
 * ([DISAGREE] §1.8), so all three are accepted: the `skypeToken` object (MXG), the enterprise
 * `tokens` object, and a flat `skypeToken` string with `skypeTokenExpiresIn`.
 */
import { decodeJwtPayload, isJsonObject, type RegionGtms, type SkypeTokenClaims } from "@teams-api/protocol";
import { AuthenticationError, ProtocolError, TeamsApiError } from "../errors.js";
import type { TeamsTransport } from "../http/transport.js";
import { authzSentence } from "./messages.js";
import type { AccountProfile } from "./profiles.js";

export interface SkypeSession {
  readonly token: string;
  /** Epoch ms. */
  readonly expiresAt: number;
  readonly regionGtms: RegionGtms;
  /** `orgid:<oid>` / `live:.cid.<hex>` (MRI = `8:` + skypeId). */
  readonly skypeId: string | undefined;
  /** Consumer sign-in name (email). */
  readonly signinName: string | undefined;
  readonly region: string | undefined;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const num = (v: unknown): number | undefined => {
  const n = typeof v === "string" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) && n > 0 ? n : undefined;
};

/** The claims of a skypetoken, or undefined when it is not a decodable JWT. Never throws. */
export function skypeTokenClaims(token: string): Partial<SkypeTokenClaims> | undefined {
  try {
    return decodeJwtPayload(token) as Partial<SkypeTokenClaims>;
  } catch {
    return undefined;
  }
}

/** Parses any of the three authz answer shapes. Throws ProtocolError (without the body) otherwise. */
export function parseAuthzResponse(body: unknown, now: number): SkypeSession {
  if (!isJsonObject(body)) throw new ProtocolError("The Teams sign-in service (authz) answered without a JSON object.");
  let token: string | undefined;
  let expiresIn: number | undefined;
  let skypeId: string | undefined;
  let signinName: string | undefined;
  if (isJsonObject(body.tokens)) {
    token = str(body.tokens.skypeToken) ?? str(body.tokens.skypetoken);
    expiresIn = num(body.tokens.expiresIn);
  } else if (isJsonObject(body.skypeToken)) {
    token = str(body.skypeToken.skypetoken) ?? str(body.skypeToken.skypeToken);
    expiresIn = num(body.skypeToken.expiresIn);
    skypeId = str(body.skypeToken.skypeid);
    signinName = str(body.skypeToken.signinname);
  } else {
    token = str(body.skypeToken) ?? str(body.skypetoken);
    expiresIn = num(body.skypeTokenExpiresIn) ?? num(body.expiresIn);
  }
  if (!token) throw new ProtocolError("The Teams sign-in service (authz) answered without a skypetoken.");
  const gtms = body.regionGtms;
  if (!isJsonObject(gtms) || typeof gtms.chatService !== "string") {
    throw new ProtocolError("The Teams sign-in service (authz) answered without a service map (regionGtms).");
  }
  const regionGtms: RegionGtms = { chatService: gtms.chatService, middleTier: str(gtms.middleTier) ?? "" };
  for (const [k, v] of Object.entries(gtms)) if (typeof v === "string") regionGtms[k] = v;
  const claims = skypeTokenClaims(token);
  skypeId ??= str(claims?.skypeid);
  let expiresAt = expiresIn !== undefined ? now + expiresIn * 1000 : undefined;
  if (expiresAt === undefined && typeof claims?.exp === "number") expiresAt = claims.exp * 1000;
  return {
    token,
    expiresAt: expiresAt ?? now + 3600_000,
    regionGtms,
    skypeId,
    signinName,
    region: str(body.region) ?? str(claims?.rgn),
  };
}

/**
 * Exchanges the spaces-audience token for a skypetoken and the regionGtms map (§1.7, §1.8). Teams
 * refusing the account (no license, guest not redeemed) is an AuthenticationError with its sentence.
 */
export async function authzExchange(
  transport: TeamsTransport,
  baseUrl: string,
  profile: AccountProfile,
  now: () => number,
): Promise<SkypeSession> {
  let body: unknown;
  try {
    const res = await transport.request<unknown>({
      method: "POST",
      url: `${baseUrl}${profile.authzPath}`,
      auth: { kind: "bearer", audience: profile.spacesAudience },
      headers: { ...profile.authzHeaders },
      idempotent: true,
    });
    body = res.body;
  } catch (err) {
    // Refusals of authz itself get their sentence; the token endpoint's own errors (an expired
    // session while refreshing the bearer) already have theirs.
    const fromTokenEndpoint = err instanceof TeamsApiError && err.request?.url.includes("/oauth2/") === true;
    if (err instanceof TeamsApiError && !fromTokenEndpoint && err.status > 0) {
      const sentence = authzSentence(err.status, err.serviceCode);
      if (sentence) {
        // Teams refusing the account itself (403: no license, guest not redeemed) ends the sign-in.
        throw new AuthenticationError(err.status === 403 ? "sign_in_denied" : err.code, sentence, {
          status: err.status,
          ...(err.request ? { request: err.request } : {}),
          ...(err.requestId ? { requestId: err.requestId } : {}),
          ...(err.serviceCode !== undefined ? { serviceCode: err.serviceCode } : {}),
          ...(err.body !== undefined ? { body: err.body } : {}),
        });
      }
    }
    throw err;
  }
  return parseAuthzResponse(body, now());
}
