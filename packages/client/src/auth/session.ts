/**
 * What a session is, and what of it may rest in a token store: the refresh token, who signed in
 * (cloud, account kind, tenant, name), and cached tokens with their expiry plus the regionGtms map.
 * Loading validates every field; anything malformed is "no session", never a crash.
 */
import { isJsonObject, type RegionGtms } from "@teams-api/protocol";
import type { AccountKind, CloudName } from "./profiles.js";

export interface CachedToken {
  token: string;
  /** Epoch ms. */
  expiresAt: number;
}

export interface CachedSkypeToken extends CachedToken {
  regionGtms: RegionGtms;
  skypeId?: string | undefined;
  signinName?: string | undefined;
  region?: string | undefined;
}

/** Who signed in, from the id_token (name, upn) — never a token. */
export interface AccountInfo {
  name?: string | undefined;
  /** UPN / preferred_username / email. */
  username?: string | undefined;
  oid?: string | undefined;
}

export interface Session {
  cloud: CloudName;
  loginUrl: string;
  baseUrl: string;
  kind: AccountKind;
  tenantId: string | undefined;
  /** The client id that redeems the refresh token. */
  clientId: string;
  refreshToken: string;
  account: AccountInfo;
  accessTokens: Record<string, CachedToken>;
  skype: CachedSkypeToken | undefined;
  /** The Trouter endpoint id (epid, §7.1): one UUID per session, reused across reconnects. */
  endpointId?: string | undefined;
}

const VERSION = 1;

const optStr = (v: unknown): v is string | undefined => v === undefined || typeof v === "string";
const isCached = (v: unknown): v is CachedToken =>
  isJsonObject(v) &&
  typeof v.token === "string" &&
  v.token !== "" &&
  typeof v.expiresAt === "number" &&
  Number.isFinite(v.expiresAt);

/** Serializes a session; `compact` leaves cached access tokens and the skypetoken out (keyring). */
export function serializeSession(s: Session, compact = false): string {
  const out: Record<string, unknown> = {
    version: VERSION,
    cloud: s.cloud,
    loginUrl: s.loginUrl,
    baseUrl: s.baseUrl,
    kind: s.kind,
    ...(s.tenantId ? { tenantId: s.tenantId } : {}),
    clientId: s.clientId,
    refreshToken: s.refreshToken,
    account: s.account,
    ...(s.endpointId ? { endpointId: s.endpointId } : {}),
  };
  if (!compact) {
    out.accessTokens = s.accessTokens;
    if (s.skype) out.skype = s.skype;
  }
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** Parses stored text into a session, or undefined when it is not a valid one. Never throws. */
export function parseSession(text: string | undefined): Session | undefined {
  if (!text) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isJsonObject(raw) || raw.version !== VERSION) return undefined;
  const { cloud, loginUrl, baseUrl, kind, tenantId, clientId, refreshToken } = raw;
  if (cloud !== "enterprise" && cloud !== "consumer" && cloud !== "emulator") return undefined;
  if (kind !== "enterprise" && kind !== "consumer") return undefined;
  if (typeof loginUrl !== "string" || typeof baseUrl !== "string") return undefined;
  if (typeof clientId !== "string" || clientId === "") return undefined;
  if (typeof refreshToken !== "string" || refreshToken === "") return undefined;
  if (!optStr(tenantId)) return undefined;

  const account: AccountInfo = {};
  if (isJsonObject(raw.account)) {
    const a = raw.account;
    if (typeof a.name === "string") account.name = a.name;
    if (typeof a.username === "string") account.username = a.username;
    if (typeof a.oid === "string") account.oid = a.oid;
  }
  const accessTokens: Record<string, CachedToken> = {};
  if (isJsonObject(raw.accessTokens)) {
    for (const [aud, v] of Object.entries(raw.accessTokens)) {
      if (isCached(v)) accessTokens[aud] = { token: v.token, expiresAt: v.expiresAt };
    }
  }
  let skype: CachedSkypeToken | undefined;
  const sk = raw.skype;
  const skGtms = isJsonObject(sk) ? sk.regionGtms : undefined;
  if (isCached(sk) && isJsonObject(skGtms) && typeof skGtms.chatService === "string") {
    const gtms: RegionGtms = { chatService: skGtms.chatService, middleTier: "" };
    for (const [k, v] of Object.entries(skGtms)) if (typeof v === "string") gtms[k] = v;
    const s = sk as unknown as Record<string, unknown>;
    skype = {
      token: sk.token,
      expiresAt: sk.expiresAt,
      regionGtms: gtms,
      ...(typeof s.skypeId === "string" ? { skypeId: s.skypeId } : {}),
      ...(typeof s.signinName === "string" ? { signinName: s.signinName } : {}),
      ...(typeof s.region === "string" ? { region: s.region } : {}),
    };
  }
  return {
    cloud,
    loginUrl,
    baseUrl,
    kind,
    tenantId,
    clientId,
    refreshToken,
    account,
    accessTokens,
    skype,
    ...(typeof raw.endpointId === "string" && /^[0-9a-f-]{36}$/.test(raw.endpointId)
      ? { endpointId: raw.endpointId }
      : {}),
  };
}
