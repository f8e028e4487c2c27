/**
 * The token manager (GUIDE §2 Tokens, Azure token cycler): one refresh token, per-audience access
 * tokens and the skypetoken, each refreshed ahead of expiry with one refresh in flight per audience
 * (single-flight), and a forced refresh when a service answers 401 for the token it was sent.
 * Refresh-token grants run one at a time so a rotated refresh token is always the one used next.
 */
import { randomUUID } from "node:crypto";
import { CLIENT_IDS, type RegionGtms } from "@teams-api/protocol";
import { AbortError, AuthenticationError, NotSignedInError, ProtocolError, TeamsError } from "../errors.js";
import type { Env } from "../http/fetch.js";
import type { Redactor } from "../http/redact.js";
import { originOf, type TeamsTransport } from "../http/transport.js";
import type { Identity, Logger, TokenRequestOptions, TokenSource } from "../http/types.js";
import { authzExchange } from "./authz.js";
import { accountFrom, buildIdentity, idTokenClaims } from "./claims.js";
import type { OAuthClient, TokenSet } from "./oauth.js";
import {
  type AccountKind,
  type AccountProfile,
  accountProfile,
  type CloudName,
  kindFromTenant,
  type Roots,
  resolveRoots,
  scopeForAudience,
  searchHosts,
} from "./profiles.js";
import { parseSession, type Session, serializeSession } from "./session.js";
import { SingleFlight } from "./single-flight.js";
import type { TokenStore } from "./store.js";

export interface TokenManagerOptions {
  oauth: OAuthClient;
  redactor: Redactor;
  logger?: Logger | undefined;
  now: () => number;
  /** Refresh this long before expiry. */
  refreshAheadMs: number;
  /** Where the session rests; undefined keeps it in memory. */
  store: TokenStore | undefined;
  cloud: CloudName;
  overrides: { loginUrl?: string | undefined; baseUrl?: string | undefined };
  env: Env;
  /** Leave out the SPA Origin header (test hook). */
  omitOrigin?: boolean | undefined;
  /** Told when the sign-in service refuses the saved session (invalid_grant), e.g. to mark the account. */
  onSessionRejected?: ((err: AuthenticationError) => void | Promise<void>) | undefined;
}

const SKYPE_KEY = "\u0000skypetoken";

export class TokenManager implements TokenSource {
  readonly #o: TokenManagerOptions;
  #transport: TeamsTransport | undefined;
  #session: Session | undefined;
  /** Bumps whenever the session is replaced or cleared, so late refreshes do not resurrect it. */
  #generation = 0;
  #persist = true;
  /** One refresh in flight per audience; refresh-token grants one at a time. */
  readonly #flights = new SingleFlight();

  constructor(options: TokenManagerOptions) {
    this.#o = options;
  }

  /** The transport authz requests go through (set once, right after both are built). */
  attach(transport: TeamsTransport): void {
    this.#transport = transport;
  }

  get signedIn(): boolean {
    return this.#session !== undefined;
  }

  /** The account kind of the session (or of the configured cloud before sign-in). */
  get kind(): AccountKind {
    return this.#session?.kind ?? (this.#o.cloud === "consumer" ? "consumer" : "enterprise");
  }

  get cloud(): CloudName {
    return this.#o.cloud;
  }

  /** The roots for an account kind under the configured cloud and overrides. */
  roots(kind: AccountKind = this.kind): Roots {
    return resolveRoots(this.#o.cloud, kind, this.#o.overrides, this.#o.env);
  }

  trustedOrigins(): Iterable<string> {
    // Asked on every request: rebuild only when the session or its service map changes.
    const s0 = this.#session;
    const cached = this.#trusted;
    if (cached && cached.session === s0 && cached.skype === s0?.skype) return cached.origins;
    const origins = this.#buildTrustedOrigins();
    this.#trusted = { session: s0, skype: s0?.skype, origins };
    return origins;
  }

  #trusted: { session: Session | undefined; skype: Session["skype"]; origins: ReadonlySet<string> } | undefined;

  #buildTrustedOrigins(): ReadonlySet<string> {
    const out = new Set<string>();
    const add = (u: string | undefined): void => {
      const o = u ? originOf(u) : undefined;
      if (o && o !== "null") out.add(o);
    };
    const s = this.#session;
    if (s) {
      add(s.loginUrl);
      add(s.baseUrl);
      for (const v of Object.values(s.skype?.regionGtms ?? {})) add(v);
    } else {
      const r = this.roots();
      add(r.loginUrl);
      add(r.baseUrl);
    }
    // Message search is not in regionGtms (§4): its hosts come with the cloud.
    for (const host of Object.values(searchHosts(this.#o.cloud, this.roots()))) add(host);
    return out;
  }

  #profile(s: Session): AccountProfile {
    return accountProfile(s.kind, s.tenantId, s.clientId);
  }

  #require(): Session {
    if (!this.#session) throw new NotSignedInError();
    return this.#session;
  }

  /** Throws when the session was replaced or cleared while a refresh was in flight. */
  #check(generation: number): Session {
    if (generation !== this.#generation || !this.#session) throw new NotSignedInError();
    return this.#session;
  }

  #fresh(expiresAt: number): boolean {
    return expiresAt - this.#o.now() > this.#o.refreshAheadMs;
  }

  async accessToken(audience: string, options: TokenRequestOptions = {}): Promise<string> {
    const s = this.#require();
    const cached = s.accessTokens[audience];
    if (cached && cached.token !== options.stale && this.#fresh(cached.expiresAt)) return cached.token;
    return this.#flights.run(`aud:${audience}`, () => this.#refreshAccess(audience), options.signal);
  }

  async #refreshAccess(audience: string): Promise<string> {
    const generation = this.#generation;
    const set = await this.#flights.serial(async () => {
      const s = this.#check(generation);
      const profile = this.#profile(s);
      const needsAccount = !s.account.name && !s.account.username;
      const scope = [scopeForAudience(audience), "offline_access", ...(needsAccount ? ["openid", "profile"] : [])].join(
        " ",
      );
      this.#o.logger?.debug(`Refreshing the access token for ${audience}.`);
      const result = await this.#o.oauth
        .refresh({
          loginUrl: s.loginUrl,
          tenant: profile.tenant,
          clientId: profile.clientId,
          origin: this.#o.omitOrigin ? undefined : profile.origin,
          refreshToken: s.refreshToken,
          scope,
        })
        .catch(async (err: unknown) => {
          if (err instanceof AuthenticationError && err.code === "invalid_grant") {
            await this.#o.onSessionRejected?.(err);
          }
          throw err;
        });
      // Apply the rotation inside the serial section, so the next grant uses the new token.
      const current = this.#check(generation);
      if (result.refreshToken) current.refreshToken = result.refreshToken;
      return result;
    });
    const s = this.#check(generation);
    s.account = accountFrom(idTokenClaims(set.idToken), s.account);
    s.accessTokens[audience] = { token: set.accessToken, expiresAt: set.expiresAt };
    await this.#save();
    return set.accessToken;
  }

  async skypeToken(options: TokenRequestOptions = {}): Promise<string> {
    const s = this.#require();
    const cached = s.skype;
    if (cached && cached.token !== options.stale && this.#fresh(cached.expiresAt)) return cached.token;
    return this.#flights.run(SKYPE_KEY, () => this.#authz(), options.signal);
  }

  /** Exchanges the spaces-audience token for a skypetoken and the regionGtms map (§1.7, §1.8). */
  async #authz(): Promise<string> {
    const generation = this.#generation;
    const s = this.#check(generation);
    if (!this.#transport) throw new ProtocolError("The token manager has no transport attached.");
    const profile = this.#profile(s);
    const parsed = await authzExchange(this.#transport, s.baseUrl, profile, this.#o.now);
    this.#o.redactor.addSecret(parsed.token);
    const current = this.#check(generation);
    current.skype = {
      token: parsed.token,
      expiresAt: parsed.expiresAt,
      regionGtms: parsed.regionGtms,
      skypeId: parsed.skypeId,
      signinName: parsed.signinName,
      region: parsed.region,
    };
    await this.#save();
    return parsed.token;
  }

  /** The session's service map (after authz). */
  async regionGtms(options: TokenRequestOptions = {}): Promise<RegionGtms> {
    await this.skypeToken(options.signal ? { signal: options.signal } : {});
    const s = this.#require();
    if (!s.skype) throw new NotSignedInError();
    return s.skype.regionGtms;
  }

  /** Who is signed in: skypetoken claims plus the id_token's name and user name. */
  async identity(options: TokenRequestOptions = {}): Promise<Identity> {
    await this.skypeToken(options.signal ? { signal: options.signal } : {});
    const s = this.#require();
    const sk = s.skype!;
    // Asked on every send: decode the skypetoken only when it or the account changed.
    const cached = this.#identityCache;
    if (cached && cached.skype === sk && cached.account === s.account && cached.session === s) return cached.identity;
    const identity = buildIdentity(s, sk);
    this.#identityCache = { session: s, skype: sk, account: s.account, identity };
    return identity;
  }

  #identityCache:
    | { session: Session; skype: NonNullable<Session["skype"]>; account: Session["account"]; identity: Identity }
    | undefined;

  middleTierAudience(): string {
    const s = this.#require();
    return this.#profile(s).middleTierAudience;
  }

  /**
   * Takes over the tokens of a fresh sign-in: detects the account kind from the id_token `tid`,
   * builds the session, mints the skypetoken (which proves the account may use Teams) and saves it.
   */
  async adopt(
    set: TokenSet,
    from: {
      clientId: string;
      audience: string;
      kindHint: AccountKind;
      persist?: boolean;
      signal?: AbortSignal | undefined;
      /** When minting the skypetoken fails: another tenant to re-acquire the tokens for, or undefined. */
      retarget?: ((err: unknown) => Promise<string | undefined>) | undefined;
    },
  ): Promise<void> {
    if (!set.refreshToken) {
      throw new ProtocolError("The sign-in service returned no refresh token (offline_access was not granted).");
    }
    const claims = idTokenClaims(set.idToken);
    const kind = claims?.tid ? kindFromTenant(claims.tid) : from.kindHint;
    const roots = this.roots(kind);
    this.#replace(
      {
        cloud: this.#o.cloud,
        loginUrl: roots.loginUrl,
        baseUrl: roots.baseUrl,
        kind,
        tenantId: claims?.tid,
        clientId: from.clientId,
        refreshToken: set.refreshToken,
        account: accountFrom(claims),
        accessTokens: { [from.audience]: { token: set.accessToken, expiresAt: set.expiresAt } },
        skype: undefined,
      },
      from.persist ?? true,
    );
    await this.#establish(from.signal, from.retarget);
    // A sign-in that cannot be kept is a failed sign-in: the next run would find no session.
    await this.#save(true);
  }

  /**
   * Mints the first skypetoken of a new session; on failure the session is dropped, not saved —
   * unless `retarget` names another tenant (a guest refused by authz, PROTOCOL.md §1.5): then the
   * tokens are re-acquired against that tenant's authority and the skypetoken tried once more.
   */
  async #establish(
    signal: AbortSignal | undefined,
    retarget?: ((err: unknown) => Promise<string | undefined>) | undefined,
  ): Promise<void> {
    const generation = this.#generation;
    try {
      try {
        await this.skypeToken(signal ? { signal } : {});
      } catch (err) {
        const tenant = retarget && generation === this.#generation ? await retarget(err) : undefined;
        const s = this.#session;
        if (!tenant || !s) throw err;
        this.#o.logger?.info(`Signing in to tenant ${tenant} instead.`);
        s.tenantId = tenant;
        s.accessTokens = {};
        s.skype = undefined;
        await this.skypeToken(signal ? { signal } : {});
      }
    } catch (err) {
      if (generation === this.#generation) this.#replace(undefined, true);
      throw err;
    }
  }

  /** The session as it is (for status views: callers must not show its tokens). */
  snapshot(): Readonly<Session> | undefined {
    return this.#session;
  }

  /**
   * Signs in with a bare refresh token. Without an id_token the account kind is unknown, so the
   * refresh asks for one (openid); the candidates are tried in the cloud's likely order:
   * enterprise as the native client, enterprise as the web SPA (tokens lifted from a browser
   * must be redeemed cross-origin), consumer as the consumer web client.
   */
  async refreshTokenLogin(
    refreshToken: string,
    options: { clientIds: { native: string; web: string }; persist?: boolean; signal?: AbortSignal | undefined },
  ): Promise<void> {
    this.#o.redactor.addSecret(refreshToken);
    const enterprise = [
      { kind: "enterprise" as const, clientId: options.clientIds.native },
      { kind: "enterprise" as const, clientId: options.clientIds.web },
    ];
    const consumer = [{ kind: "consumer" as const, clientId: CLIENT_IDS.teamsConsumerWeb }];
    const candidates = this.#o.cloud === "consumer" ? [...consumer, ...enterprise] : [...enterprise, ...consumer];
    let firstError: unknown;
    for (const c of candidates) {
      const profile = accountProfile(c.kind, undefined, c.clientId);
      const roots = this.roots(c.kind);
      const audience = profile.spacesAudience;
      try {
        const set = await this.#o.oauth.refresh({
          loginUrl: roots.loginUrl,
          tenant: profile.tenant,
          clientId: profile.clientId,
          origin: this.#o.omitOrigin ? undefined : profile.origin,
          refreshToken,
          scope: `${scopeForAudience(audience)} offline_access openid profile`,
          signal: options.signal,
        });
        await this.adopt(
          { ...set, refreshToken: set.refreshToken ?? refreshToken },
          {
            clientId: profile.clientId,
            audience,
            kindHint: c.kind,
            persist: options.persist ?? true,
            signal: options.signal,
          },
        );
        return;
      } catch (err) {
        if (err instanceof AbortError) throw err;
        // Only a refusal of the token itself means "try the next kind"; anything else is final.
        if (!(err instanceof AuthenticationError) || err.status === 0 || (err.status !== 400 && err.status !== 401)) {
          throw err;
        }
        firstError ??= err;
        this.#o.logger?.debug(
          `The refresh token was not accepted as ${c.kind} (${String(err.serviceCode ?? err.code)}).`,
        );
      }
    }
    throw firstError;
  }

  /** Loads the stored session. A malformed or foreign one is "no session"; never throws for bad data. */
  async load(): Promise<boolean> {
    let text: string | undefined;
    try {
      text = await this.#o.store?.load();
    } catch (err) {
      this.#o.logger?.warn(
        `Could not read the saved session: ${this.#o.redactor.string(String((err as Error)?.message ?? err))}`,
      );
      text = undefined;
    }
    const stored = parseSession(text);
    if (text && !stored) this.#o.logger?.warn("The saved session is not valid; ignoring it.");
    let usable = stored;
    if (stored) {
      const expected = this.roots(stored.kind);
      if (
        stored.cloud !== this.#o.cloud ||
        stored.loginUrl !== expected.loginUrl ||
        stored.baseUrl !== expected.baseUrl
      ) {
        this.#o.logger?.info("The saved session belongs to another Teams service; ignoring it.");
        usable = undefined;
      }
    }
    const envToken = this.#o.env.TEAMS_REFRESH_TOKEN?.trim();
    if (envToken) {
      this.#o.redactor.addSecret(envToken);
      if (usable && usable.refreshToken === envToken) {
        this.#replace(usable, false);
        this.#registerSecrets(usable);
        return true;
      }
      if (usable) {
        // Same account assumed unknown: keep who/where, drop every cached token of the old one.
        this.#replace({ ...usable, refreshToken: envToken, accessTokens: {}, skype: undefined, account: {} }, false);
        return true;
      }
      return false;
    }
    if (!usable) return false;
    this.#registerSecrets(usable);
    this.#replace(usable, true);
    return true;
  }

  /** Signs out: forgets the session in memory and deletes the stored one. */
  async logout(): Promise<void> {
    this.#replace(undefined, true);
    await this.#o.store?.clear();
  }

  /** The session's Trouter endpoint id (epid): made once, saved with the session, reused across reconnects. */
  async endpointId(): Promise<string> {
    const s = this.#session;
    if (!s) return randomUUID();
    if (!s.endpointId) {
      s.endpointId = randomUUID();
      await this.#save();
    }
    return s.endpointId;
  }

  #registerSecrets(s: Session): void {
    this.#o.redactor.addSecret(s.refreshToken);
    for (const t of Object.values(s.accessTokens)) this.#o.redactor.addSecret(t.token);
    this.#o.redactor.addSecret(s.skype?.token);
  }

  #replace(session: Session | undefined, persist: boolean): void {
    this.#generation++;
    this.#flights.clear();
    this.#session = session;
    this.#persist = persist;
    if (session) this.#o.redactor.addSecret(session.refreshToken);
  }

  /** Saves the session; a failure is a warning, or with `strict` (at sign-in) a TeamsError. */
  async #save(strict = false): Promise<void> {
    const s = this.#session;
    const store = this.#o.store;
    if (!s || !store || !this.#persist) return;
    try {
      await store.save(serializeSession(s, store.compact === true));
    } catch (err) {
      const reason = this.#o.redactor.string(String((err as Error)?.message ?? err)).replace(/[.\s]+$/, "");
      if (strict) {
        throw new TeamsError(
          "session_not_saved",
          `Signed in, but the session could not be saved to ${store.description} (${reason}), so the next command would not be signed in.`,
          { cause: err },
        );
      }
      this.#o.logger?.warn(`Could not save the session (${store.description}): ${reason}`);
    }
  }
}
