import { createHash, KeyObject, randomBytes, sign, verify } from "node:crypto";
import { CLIENT_IDS, SPA_CLIENT_ORIGINS } from "@teams-api/protocol";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from "jose";
import type { BearerIdentity, SkypeIdentity } from "../../context.js";
import { HttpError } from "../../http/types.js";
import type { Directory, User } from "../../state/directory.js";
import type { PublicUrls } from "../../urls.js";
import { membershipsOf, subjectOf, type TenantMembership } from "./memberships.js";
import type { ResourceGrant } from "./scopes.js";

export { OIDC_SCOPE_SET, parseScopeParam, type ResourceGrant, resourceOfScope } from "./scopes.js";

export interface TokenLifetimes {
  /** Access tokens (AAD). @default 3599 */
  accessTokenSec: number;
  /** Refresh tokens issued to SPA client ids (non-sliding). @default 86400 */
  spaRefreshTokenSec: number;
  /** Refresh tokens issued to public/native client ids. @default 7776000 */
  refreshTokenSec: number;
  /** Skypetokens. @default 86400 */
  skypeTokenSec: number;
}

export interface TokenServiceOptions {
  /** Where `iss` and the sign-in links point (read on each use: loopback binds its origin late). */
  urls: Pick<PublicUrls, "login">;
  directory: Directory;
  now: () => number;
  lifetimes: TokenLifetimes;
}

/**
 * The Teams client ids form one FOCI ("family of client ids") family in the emulator: a refresh
 * token issued to any of them can be redeemed by any other (PROTOCOL.md §1.3: 1fec8e78 is FOCI; the
 * emulator extends the family to all four Teams ids so a client may switch ids without signing in
 * again). The Origin rules of §1.5 still apply to the redeeming client and to SPA-issued tokens.
 */
export const FOCI_FAMILY: ReadonlySet<string> = new Set(Object.values(CLIENT_IDS));

/** Whether a client id is registered as a single-page application (§1.5). */
export function isSpaClient(clientId: string): boolean {
  return Object.hasOwn(SPA_CLIENT_ORIGINS, clientId);
}

/** A refresh token as the emulator keeps it server-side. The token itself is opaque. */
export interface RefreshRecord {
  readonly user: User;
  readonly membership: TenantMembership;
  /** Client id it was issued to. */
  readonly clientId: string;
  /** Issued to an SPA client: redeemable only cross-origin, and the chain ends 24 h after sign-in. */
  readonly spa: boolean;
  /** The resource scopes of the original grant: the default when a refresh names no scope. */
  readonly scopes: readonly string[];
  readonly issuedAt: number;
  expiresAt: number;
  revoked: boolean;
}

export type RefreshStatus = "valid" | "revoked" | "expired";

/** What the bearer verification tells a route beyond the shared BearerIdentity. */
export interface VerifiedBearer extends BearerIdentity {
  /** `tid` of the token: the home tenant, or a tenant the user is a guest of. */
  readonly tenantId: string;
  /** The membership the token was issued under (guest memberships carry the guest oid). */
  readonly membership: TenantMembership;
}

type TokenKind = "access" | "id" | "skype";

interface SigningKeys {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly kid: string;
  readonly jwk: JWK;
}

let sharedKeys: Promise<SigningKeys> | undefined;

/**
 * The signing keys. RSA generation takes a few hundred ms, so one pair serves every emulator in a
 * process; tokens are still bound to the instance that minted them (see `#issued`). Everything is
 * derived once, so later calls settle within microtasks: a reset then completes before the
 * emulator reads its next request.
 */
function signingKeys(): Promise<SigningKeys> {
  sharedKeys ??= (async () => {
    const { privateKey, publicKey } = await generateKeyPair("RS256");
    const full = await exportJWK(publicKey);
    const jwk = { kty: full.kty, n: full.n, e: full.e } as JWK;
    return {
      privateKey: KeyObject.from(privateKey),
      publicKey: KeyObject.from(publicKey),
      kid: await calculateJwkThumbprint(jwk),
      jwk,
    };
  })();
  return sharedKeys;
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString("base64url");

/** Mints and verifies every token the emulator issues: AAD access/id/refresh tokens and skypetokens. */
export class EmulatorTokenService {
  readonly #urls: Pick<PublicUrls, "login">;
  readonly #directory: Directory;
  readonly #now: () => number;
  readonly lifetimes: TokenLifetimes;
  readonly #privateKey: KeyObject;
  readonly #publicKey: KeyObject;
  readonly #kid: string;
  readonly #jwk: JWK;
  /** Every token this instance minted, by signature: a valid signature alone is not enough. */
  readonly #issued = new Map<string, TokenKind>();
  readonly #refresh = new Map<string, RefreshRecord>();
  /** Tokens issued at or before this second are expired (expireAll). */
  #expiredThrough = Number.NEGATIVE_INFINITY;

  constructor(options: TokenServiceOptions, keys: SigningKeys) {
    this.#urls = options.urls;
    this.#directory = options.directory;
    this.#now = options.now;
    this.lifetimes = options.lifetimes;
    this.#privateKey = keys.privateKey;
    this.#publicKey = keys.publicKey;
    this.#kid = keys.kid;
    this.#jwk = keys.jwk;
  }

  /** `iss` of tokens for a tenant. */
  issuer(tenantId: string): string {
    return `${this.#urls.login}/${tenantId}/v2.0`;
  }

  /** The JSON Web Key Set served at `/login/{tenant}/discovery/v2.0/keys`. */
  jwks(): { keys: JWK[] } {
    return {
      keys: [
        {
          ...this.#jwk,
          kid: this.#kid,
          x5t: this.#kid,
          use: "sig",
          issuer: `${this.#urls.login}/{tenantid}/v2.0`,
        } as JWK,
      ],
    };
  }

  #seconds(): number {
    return Math.floor(this.#now() / 1000);
  }

  /**
   * `iat` of a new token: now, but always after the last expireAll cutoff, so that "every token
   * issued so far" stays distinguishable from tokens issued in the same second afterwards.
   */
  #issueTime(): number {
    return Math.max(this.#seconds(), this.#expiredThrough + 1);
  }

  #sign(payload: Record<string, unknown>, kind: TokenKind): string {
    const header = { typ: "JWT", alg: "RS256", kid: this.#kid, x5t: this.#kid };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
    const signature = b64url(sign("sha256", Buffer.from(input), this.#privateKey));
    this.#issued.set(signature, kind);
    return `${input}.${signature}`;
  }

  /** The payload of a token this instance minted and has not expired by fault; undefined otherwise. */
  /** Tokens whose signature verified (bounded). */
  readonly #verified = new Set<string>();

  #open(token: string, kind: TokenKind): { payload: Record<string, unknown> } | { problem: string } {
    const parts = token.split(".");
    if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) return { problem: "is malformed" };
    const [h, p, s] = parts as [string, string, string];
    let header: Record<string, unknown>;
    let payload: Record<string, unknown>;
    try {
      header = JSON.parse(Buffer.from(h, "base64url").toString("utf8")) as Record<string, unknown>;
      payload = JSON.parse(Buffer.from(p, "base64url").toString("utf8")) as Record<string, unknown>;
    } catch {
      return { problem: "is malformed" };
    }
    if (header.alg !== "RS256" || typeof payload !== "object" || payload === null) return { problem: "is malformed" };
    // An RSA verify costs a good part of a millisecond: a token whose signature held once is not
    // verified again (expiry, kind and revocation are still checked below on every use).
    if (!this.#verified.has(token)) {
      if (!verify("sha256", Buffer.from(`${h}.${p}`), this.#publicKey, Buffer.from(s, "base64url"))) {
        return { problem: "has an invalid signature" };
      }
      if (this.#verified.size >= 10_000) this.#verified.clear();
      this.#verified.add(token);
    }
    const issuedKind = this.#issued.get(s);
    if (!issuedKind) return { problem: "was not issued by this emulator" };
    if (issuedKind !== kind) return { problem: "is not of the expected type" };
    const now = this.#seconds();
    if (
      typeof payload.iat !== "number" ||
      payload.iat <= this.#expiredThrough ||
      typeof payload.exp !== "number" ||
      payload.exp <= now
    ) {
      return { problem: "is expired" };
    }
    if (typeof payload.nbf === "number" && payload.nbf > now + 300) return { problem: "is not yet valid" };
    return { payload };
  }

  // ── AAD tokens ────────────────────────────────────────────────────────────────────────────────

  /** An access token for one resource (a signed JWT). */
  mintAccessToken(args: { user: User; membership: TenantMembership; clientId: string; grant: ResourceGrant }): {
    token: string;
    expiresIn: number;
  } {
    const { user, membership, clientId, grant } = args;
    const iat = this.#issueTime();
    const expiresIn = this.lifetimes.accessTokenSec;
    const consumer = user.kind === "consumer";
    const payload: Record<string, unknown> = {
      aud: grant.audience,
      iss: this.issuer(membership.tenant.id),
      iat,
      nbf: iat,
      exp: iat + expiresIn,
      aio: b64url(randomBytes(12)),
      azp: clientId,
      appid: clientId,
      azpacr: "0",
      name: user.displayName,
      given_name: user.givenName,
      family_name: user.surname,
      oid: membership.oid,
      preferred_username: user.login,
      scp: grant.scp.join(" "),
      sub: this.#pairwiseSub(membership.oid, clientId),
      tid: membership.tenant.id,
      uti: b64url(randomBytes(16)),
      ver: "2.0",
      ...(consumer ? { idp: "live.com" } : { upn: user.upn }),
      ...(membership.userType === "Guest" && membership.tenant.id !== user.tenantId
        ? { idp: `https://sts.windows.net/${user.tenantId}/`, acct: 1 }
        : {}),
    };
    return { token: this.#sign(payload, "access"), expiresIn };
  }

  /** An OIDC id token (aud = the client id). */
  mintIdToken(args: {
    user: User;
    membership: TenantMembership;
    clientId: string;
    nonce?: string | undefined;
  }): string {
    const { user, membership, clientId } = args;
    const iat = this.#issueTime();
    const payload: Record<string, unknown> = {
      aud: clientId,
      iss: this.issuer(membership.tenant.id),
      iat,
      nbf: iat,
      exp: iat + this.lifetimes.accessTokenSec,
      name: user.displayName,
      oid: membership.oid,
      preferred_username: user.login,
      sub: this.#pairwiseSub(membership.oid, clientId),
      tid: membership.tenant.id,
      uti: b64url(randomBytes(16)),
      ver: "2.0",
      ...(args.nonce ? { nonce: args.nonce } : {}),
    };
    return this.#sign(payload, "id");
  }

  /** `client_info` of a token response: base64url JSON `{uid, utid}`. */
  clientInfo(membership: TenantMembership): string {
    return b64url(JSON.stringify({ uid: membership.oid, utid: membership.tenant.id }));
  }

  #pairwiseSub(oid: string, clientId: string): string {
    return createHash("sha256").update(`${oid}|${clientId}`).digest("base64url").slice(0, 43);
  }

  /**
   * Issues an opaque refresh token (`0.EMU…`). SPA tokens die 24 h after the original sign-in no
   * matter how often they are redeemed (`chainExpiresAt` carries that deadline along the chain);
   * native ones live 90 days from each issue.
   */
  issueRefreshToken(args: {
    user: User;
    membership: TenantMembership;
    clientId: string;
    spa: boolean;
    scopes: readonly string[];
    chainExpiresAt?: number | undefined;
  }): string {
    const now = this.#now();
    const expiresAt =
      args.spa || args.chainExpiresAt !== undefined
        ? (args.chainExpiresAt ?? now + this.lifetimes.spaRefreshTokenSec * 1000)
        : now + this.lifetimes.refreshTokenSec * 1000;
    const token = `0.EMU${b64url(randomBytes(48))}`;
    this.#refresh.set(token, {
      user: args.user,
      membership: args.membership,
      clientId: args.clientId,
      spa: args.spa,
      scopes: [...args.scopes],
      issuedAt: now,
      expiresAt,
      revoked: false,
    });
    return token;
  }

  /** The server-side record of a refresh token, whatever its state; undefined when unknown. */
  refreshRecord(token: string): RefreshRecord | undefined {
    return this.#refresh.get(token);
  }

  refreshStatus(record: RefreshRecord): RefreshStatus {
    if (record.revoked) return "revoked";
    return record.expiresAt <= this.#now() ? "expired" : "valid";
  }

  /** Revokes every refresh token of a user (sign-out everywhere), or one token. */
  revokeRefreshTokens(filter: { token?: string; user?: User }): number {
    let n = 0;
    for (const [token, record] of this.#refresh) {
      if (
        (filter.token === undefined || filter.token === token) &&
        (!filter.user || filter.user.oid === record.user.oid)
      ) {
        if (!record.revoked) n++;
        record.revoked = true;
      }
    }
    return n;
  }

  verifyBearer(token: string, audience: string | readonly string[]): VerifiedBearer {
    const challenge = (description: string): HttpError =>
      new HttpError(401, `Authentication failed. ${description}`, {
        headers: {
          "WWW-Authenticate": `Bearer realm="", authorization_uri="${this.#urls.login}/common/oauth2/authorize", error="invalid_token", error_description="${description}"`,
        },
      });
    if (!token) throw challenge("The bearer token is missing.");
    const opened = this.#open(token, "access");
    if ("problem" in opened) throw challenge(`The bearer token ${opened.problem}.`);
    const { payload } = opened;
    const audiences = typeof audience === "string" ? [audience] : audience;
    if (typeof payload.aud !== "string" || !audiences.includes(payload.aud)) {
      throw challenge("The bearer token audience is invalid for this resource.");
    }
    const subject = subjectOf(this.#directory, String(payload.oid), String(payload.tid));
    if (!subject) throw challenge("The bearer token names an unknown user.");
    return {
      user: subject.user,
      audience: payload.aud,
      clientId: String(payload.azp ?? payload.appid ?? ""),
      scopes: String(payload.scp ?? "")
        .split(" ")
        .filter(Boolean),
      exp: Number(payload.exp),
      tenantId: subject.membership.tenant.id,
      membership: subject.membership,
    };
  }

  // ── Skypetokens ───────────────────────────────────────────────────────────────────────────────

  /** A skypetoken with the claims of PROTOCOL.md §1.9. */
  mintSkypeToken(user: User): { token: string; expiresIn: number } {
    const iat = this.#issueTime();
    const expiresIn = this.lifetimes.skypeTokenSec;
    const consumer = user.kind === "consumer";
    const home = membershipsOf(this.#directory, user)[0];
    const cid = consumer
      ? user.skypeId.replace(/^live:\.cid\./, "")
      : createHash("sha256").update(user.oid).digest("hex").slice(0, 16);
    const payload: Record<string, unknown> = {
      iat,
      exp: iat + expiresIn,
      skypeid: user.skypeId,
      scp: consumer ? 956 : 780,
      csi: String(iat),
      ...(consumer ? {} : { tid: user.tenantId }),
      rgn: home?.tenant.region ?? "emea",
      cid,
      aat: iat,
    };
    return { token: this.#sign(payload, "skype"), expiresIn };
  }

  verifySkypeToken(token: string): SkypeIdentity {
    if (!token) throw new HttpError(401, "Authentication failed. The skypetoken is missing.");
    const opened = this.#open(token, "skype");
    if ("problem" in opened) throw new HttpError(401, `Authentication failed. The skypetoken ${opened.problem}.`);
    const skypeid = String(opened.payload.skypeid ?? "");
    const user = this.#directory.users.find((u) => u.skypeId === skypeid);
    if (!user) throw new HttpError(401, "Authentication failed. The skypetoken names an unknown user.");
    return { user, mri: user.mri, exp: Number(opened.payload.exp) };
  }

  /**
   * Expires every access, id and skypetoken issued so far (clients must refresh). With
   * `refreshTokens: true`, refresh tokens expire too (clients must sign in again: AADSTS700082).
   */
  expireAll(options: { refreshTokens?: boolean } = {}): void {
    this.#expiredThrough = Math.max(this.#issueTime(), this.#expiredThrough);
    if (options.refreshTokens) {
      const now = this.#now();
      for (const record of this.#refresh.values()) record.expiresAt = Math.min(record.expiresAt, now);
    }
  }
}

export async function createTokenService(options: TokenServiceOptions): Promise<EmulatorTokenService> {
  return new EmulatorTokenService(options, await signingKeys());
}

/** The credential headers are read by the protocol package, the one parser of them. */
export { bearerFromHeaders, skypeTokenFromHeaders } from "@teams-api/protocol";
