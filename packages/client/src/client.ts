/**
 * TeamsClient: owns the options, the transport and the token manager, signs in, and hands every
 * service one {@link ServiceContext}. Services are attached as fields (`client.chat`, …).
 */
import { AUDIENCES, CLIENT_IDS } from "@teams-api/protocol";
import { AccountRegistry, checkAccountName, DEFAULT_ACCOUNT } from "./auth/accounts.js";
import { type AutomatedBrowserOptions, automatedBrowserLogin } from "./auth/automated-browser.js";
import { openSystemBrowser, terminalRedirectPrompt } from "./auth/browser.js";
import { type DeviceCodeOptions, deviceCodeLogin } from "./auth/device-code.js";
import {
  type BrowserLoginOptions,
  browserLogin,
  type LoginDeps,
  type LoginResult,
  passwordLogin,
} from "./auth/login.js";
import { OAuthClient } from "./auth/oauth.js";
import { type AccountKind, type CloudName, resolveCloud, searchHosts } from "./auth/profiles.js";
import { parseSession } from "./auth/session.js";
import { type AuthStatus, sessionStatus } from "./auth/status.js";
import { AutoTokenStore, MemoryTokenStore, type TokenStore } from "./auth/store.js";
import { TokenManager } from "./auth/token-manager.js";
import { AuthenticationError, InvalidArgumentError } from "./errors.js";
import { createDefaultFetch, type Env, type FetchLike } from "./http/fetch.js";
import { redactingLogger } from "./http/logger.js";
import { createNodeFetch } from "./http/node-fetch.js";
import { Redactor } from "./http/redact.js";
import { createTransport, type TeamsTransport } from "./http/transport.js";
import type { Identity, Logger, RequestOptions, ServiceContext } from "./http/types.js";
import type { Conversation, Message, SentMessage, TenantInfo } from "./models.js";
import { DEFAULT_OPTIONS, type TeamsClientOptions } from "./options.js";
import { RealtimeControl } from "./realtime/control.js";
import type { RealtimeListener } from "./realtime/index.js";
import type { RealtimeEvent, RealtimeOptions } from "./realtime/types.js";
import {
  ChatService,
  type GetConversationsOptions,
  type GetMessagesOptions,
  type SendMessageOptions,
} from "./services/chat/index.js";
import { ContactsService } from "./services/contacts/index.js";
import { toTenant } from "./services/map.js";
import { MediaService } from "./services/media/index.js";
import { MiddleTierService } from "./services/middle-tier.js";
import { NameResolver } from "./services/names.js";
import { PresenceService } from "./services/presence/index.js";
import { SearchService } from "./services/search/index.js";

/** What every sign-in method accepts besides its own options. */
export interface SignInOptions {
  /**
   * Sign in to this organization (tenant id or domain) instead of the account's home one: guests
   * and people in several organizations (PROTOCOL.md §1.5).
   */
  tenant?: string | undefined;
  /**
   * When Teams refuses the organization signed in to because a guest invitation was not redeemed
   * (`GuestUserNotRedeemed`): picks one of the account's other organizations to sign in to instead;
   * undefined gives up.
   * @default the first organization the account is a member of
   */
  chooseTenant?: ((tenants: TenantInfo[]) => Promise<string | undefined> | string | undefined) | undefined;
  signal?: AbortSignal | undefined;
}

/** Options of `authenticate()`. */
export interface AuthenticateOptions {
  /**
   * Opens the sign-in page; resolve `false` if no browser could be opened. Overrides the client's
   * `openBrowser` option and the system opener.
   */
  openBrowser?: (url: string) => unknown;
  /**
   * The paste fallback: show `authorizeUrl` to the user and return the address the browser ended
   * on (code in the query or the fragment).
   * @default a prompt on the terminal when stdin is one
   */
  readRedirectUrl?: (authorizeUrl: string) => Promise<string> | string;
  signal?: AbortSignal | undefined;
}

export class TeamsClient {
  /**
   * What services receive: the transport, the session's endpoints and identity, the clock.
   * Internal-ish: stable for the services of this package and for custom services built on it.
   */
  readonly context: ServiceContext;
  /** Conversations, messages, reactions, read state, group chats (the chat service). */
  readonly chat: ChatService;
  /** Profiles, user lookup, tenants (the middle tier). */
  readonly middleTier: MiddleTierService;
  /** The buddy list and the people of recent conversations, merged (names, presence when asked). */
  readonly contacts: ContactsService;
  /** Availability, status and status message, the running client's endpoint, subscriptions (unified presence). */
  readonly presence: PresenceService;
  /** Display names for MRIs and titles for conversations, cached and batched. */
  readonly names: NameResolver;
  /** Message search and people suggestions (Substrate; msgsearch for consumer accounts). */
  readonly search: SearchService;
  /** File and image upload and download (AMS). */
  readonly media: MediaService;
  readonly #options: TeamsClientOptions;
  readonly #env: Env;
  readonly #cloud: CloudName;
  readonly #redactor = new Redactor();
  readonly #logger: Logger | undefined;
  readonly #transport: TeamsTransport;
  /** Without credentials: the token endpoint and the sign-in pages. */
  readonly #raw: TeamsTransport;
  readonly #oauth: OAuthClient;
  readonly #tokens: TokenManager;
  readonly #now: () => number;
  readonly #fetch: FetchLike;
  /** Live push (one listener at a time) and the presence that rides on it. */
  readonly #live: RealtimeControl;
  readonly #store: TokenStore | undefined;
  /** The accounts index (only with the default token store). */
  readonly #accounts: AccountRegistry | undefined;
  readonly #account: string;

  constructor(options: TeamsClientOptions = {}) {
    this.#options = options;
    this.#env = options.env ?? process.env;
    this.#cloud = resolveCloud(options.cloud, this.#env);
    this.#now = options.now ?? Date.now;
    this.#logger = redactingLogger(options.logger, this.#redactor);

    let store: TokenStore | undefined;
    let account = options.account ? checkAccountName(options.account) : DEFAULT_ACCOUNT;
    if (options.tokenStore === false) store = undefined;
    else if (options.tokenStore) store = options.tokenStore;
    else {
      this.#accounts = new AccountRegistry(this.#env, options.tokenFile);
      if (!options.account) account = this.#accounts.current();
      const accountFile = this.#accounts.tokenFileFor(account);
      store = new AutoTokenStore({
        env: this.#env,
        tokenFile: options.tokenFile === undefined ? undefined : accountFile,
        account,
        accountFile,
      });
    }
    this.#account = account;
    this.#store = store;

    const nodeFetch = createNodeFetch(this.#env);
    const fetchImpl = options.fetch ?? createDefaultFetch(this.#env, nodeFetch);
    this.#fetch = fetchImpl;
    // Build the transport first without tokens for the OAuth client, then the token manager, then
    // the authenticated transport that shares the same fetch, clock and redactor.
    const base = {
      fetch: fetchImpl,
      // Streamed uploads go around undici's fetch, which buffers them whole; an injected fetch is used as is.
      uploadFetch: options.fetch ?? nodeFetch,
      redactor: this.#redactor,
      logger: this.#logger,
      timeout: options.timeout ?? DEFAULT_OPTIONS.timeout,
      maxRetries: options.maxRetries ?? DEFAULT_OPTIONS.maxRetries,
      deadline: options.deadline ?? DEFAULT_OPTIONS.deadline,
      maxResponseBytes: options.maxResponseBytes ?? DEFAULT_OPTIONS.maxResponseBytes,
      onRetryWait: options.onRetryWait,
      // The transport keeps wall-clock time: Retry-After dates are the server's, not the injected clock's.
      ...(options.testHooks?.random ? { random: options.testHooks.random } : {}),
    };
    this.#raw = createTransport(base);
    this.#oauth = new OAuthClient({ transport: this.#raw, redactor: this.#redactor, now: this.#now });
    this.#tokens = new TokenManager({
      oauth: this.#oauth,
      redactor: this.#redactor,
      logger: this.#logger,
      now: this.#now,
      refreshAheadMs: options.refreshAheadMs ?? DEFAULT_OPTIONS.refreshAheadMs,
      store: store ?? new MemoryTokenStore(),
      cloud: this.#cloud,
      overrides: { loginUrl: options.loginUrl, baseUrl: options.baseUrl },
      env: this.#env,
      omitOrigin: options.testHooks?.omitOrigin,
      onSessionRejected: (err) => {
        const code = String(err.serviceCode ?? err.code);
        return this.#accounts?.markExpired(this.#account, code).catch(() => {});
      },
    });
    this.#transport = createTransport(base, this.#tokens);
    this.#tokens.attach(this.#transport);

    const tokens = this.#tokens;
    this.context = {
      transport: this.#transport,
      endpoints: (o?: RequestOptions) => tokens.regionGtms(o?.signal ? { signal: o.signal } : {}),
      identity: (o?: RequestOptions) => tokens.identity(o?.signal ? { signal: o.signal } : {}),
      middleTierAudience: async () => tokens.middleTierAudience(),
      now: this.#now,
    };

    this.middleTier = new MiddleTierService(this.context);
    this.presence = new PresenceService(this.context);
    this.names = new NameResolver(this.context, {
      middleTier: this.middleTier,
      threadMembers: (id, o) => this.chat.threadMembers(id, o),
    });
    this.chat = new ChatService(this.context, { names: this.names });
    this.contacts = new ContactsService(this.context, { chat: this.chat, names: this.names, presence: this.presence });
    this.search = new SearchService(this.context, {
      hosts: () => searchHosts(tokens.cloud, tokens.roots()),
      names: this.names,
    });
    this.media = new MediaService(this.context, {
      send: (conversationId, message, o) => this.chat.writer.sendComposed(conversationId, message, o),
    });
    this.#live = new RealtimeControl(
      {
        cloud: this.#cloud,
        env: this.#env,
        fetch: this.#fetch,
        logger: this.#logger,
        now: this.#now,
        chat: this.chat,
        identity: () => tokens.identity(),
        roots: (kind) => tokens.roots(kind),
        endpointId: () => tokens.endpointId(),
        skypeToken: () => tokens.skypeToken(),
        accessToken: (audience) => tokens.accessToken(audience),
      },
      this.presence,
    );
  }

  /** Recent conversations with display titles (shortcut for `chat.getConversations`). */
  getConversations(options?: GetConversationsOptions): Promise<Conversation[]> {
    return this.chat.getConversations(options);
  }

  /** A conversation's messages, newest first (shortcut for `chat.getMessages`). */
  getMessages(conversationId: string, options?: GetMessagesOptions): Promise<Message[]> {
    return this.chat.getMessages(conversationId, options);
  }

  /** Sends a message, exactly once even across retries (shortcut for `chat.sendMessage`). */
  sendMessage(conversationId: string, content: string, options?: SendMessageOptions): Promise<SentMessage> {
    return this.chat.sendMessage(conversationId, content, options);
  }

  /** The cloud this client talks to. */
  get cloud(): CloudName {
    return this.#cloud;
  }

  /** Is there a session (signed in or loaded)? Does not check it with the service. */
  isSignedIn(): boolean {
    return this.#tokens.signedIn;
  }

  #loginDeps(tenant?: string | undefined): LoginDeps {
    const kindHint: AccountKind = this.#cloud === "consumer" ? "consumer" : "enterprise";
    return {
      transport: this.#raw,
      oauth: this.#oauth,
      redactor: this.#redactor,
      logger: this.#logger,
      roots: this.#tokens.roots(kindHint),
      kindHint,
      loginTimeout: this.#options.loginTimeout ?? DEFAULT_OPTIONS.loginTimeout,
      tenant: tenant?.trim() || undefined,
      hooks: this.#options.testHooks,
    };
  }

  async #adopt(result: LoginResult, kindHint: AccountKind, options: SignInOptions = {}): Promise<Identity> {
    const signal = options.signal;
    await this.#tokens.adopt(result.tokens, {
      clientId: result.clientId,
      audience: result.audience,
      kindHint,
      signal,
      retarget: (err) => this.#guestRetarget(err, options.chooseTenant),
    });
    const me = await this.#tokens.identity(signal ? { signal } : {});
    try {
      await this.#accounts?.record(this.#account, {
        username: me.email,
        displayName: me.displayName,
        cloud: this.#cloud,
        tenantId: me.tenantId,
        signedInAt: this.#now(),
      });
    } catch (err) {
      this.#logger?.warn(`Could not update the accounts index: ${this.#redactor.string(String(err))}`);
    }
    return me;
  }

  /**
   * authz refused a guest whose invitation is unredeemed (PROTOCOL.md §1.5, AM): list the account's
   * organizations and pick one to re-acquire the tokens for.
   */
  async #guestRetarget(err: unknown, choose: SignInOptions["chooseTenant"]): Promise<string | undefined> {
    if (!(err instanceof AuthenticationError) || err.serviceCode !== "GuestUserNotRedeemed") return undefined;
    const current = this.#tokens.snapshot()?.tenantId;
    const res = await this.#transport.request<unknown>({
      method: "GET",
      url: `${this.#tokens.roots().baseUrl}/api/mt/emea/beta/users/tenants`,
      auth: { kind: "bearer", audience: AUDIENCES.spaces },
    });
    const tenants = (Array.isArray(res.body) ? res.body : [])
      .map(toTenant)
      .filter((t): t is TenantInfo => t?.isInvitationRedeemed === true && t.tenantId !== current);
    if (tenants.length === 0) return undefined;
    return choose ? ((await choose(tenants)) ?? undefined) : tenants[0]?.tenantId;
  }

  /**
   * Interactive sign-in: authorization code + PKCE. Opens the browser and waits on a loopback
   * listener; when no browser can be opened, asks for the address the browser was redirected to.
   * Saves the session and returns who signed in.
   */
  async authenticate(options: AuthenticateOptions & SignInOptions = {}): Promise<Identity> {
    const deps = this.#loginDeps(options.tenant);
    const opener =
      options.openBrowser ?? this.#options.openBrowser ?? ((url: string) => openSystemBrowser(url, this.#env));
    const readRedirectUrl = options.readRedirectUrl ?? terminalRedirectPrompt();
    const loginOptions: BrowserLoginOptions & { openBrowser: (url: string) => unknown } = {
      openBrowser: opener,
      readRedirectUrl,
      signal: options.signal,
    };
    const result = await browserLogin(deps, loginOptions);
    return this.#adopt(result, deps.kindHint, options);
  }

  /**
   * Automated browser sign-in (playwright-core + a Chromium-family browser on this machine): opens
   * the sign-in page, takes the code from the redirect and redeems it with PKCE — nothing to paste.
   * Headless with `fill` for tests. Throws `browser_unavailable` (one sentence naming the other ways)
   * when playwright-core or a browser is missing.
   */
  async authenticateViaBrowser(options: AutomatedBrowserOptions & SignInOptions = {}): Promise<Identity> {
    const deps = this.#loginDeps(options.tenant);
    const result = await automatedBrowserLogin({ ...deps, env: this.#env, clientId: CLIENT_IDS.teamsNative }, options);
    return this.#adopt(result, deps.kindHint, options);
  }

  /**
   * Device-code sign-in (PROTOCOL.md §1.6) with the Teams desktop client id: `onCode` shows the
   * code and the address; the person signs in on any device while this polls.
   */
  async authenticateWithDeviceCode(options: DeviceCodeOptions & SignInOptions): Promise<Identity> {
    const deps = this.#loginDeps(options.tenant);
    const result = await deviceCodeLogin(
      { ...deps, now: this.#now, sleep: this.#options.testHooks?.sleep },
      { ...options, tenant: deps.tenant },
    );
    return this.#adopt(result, deps.kindHint, options);
  }

  /**
   * Signs in by filling the sign-in form with a user name and password — the emulator's demo users.
   * The real Microsoft sign-in page cannot be automated; use {@link authenticate} there.
   */
  async signInWithPassword(username: string, password: string, options: SignInOptions = {}): Promise<Identity> {
    if (!username.trim()) throw new InvalidArgumentError("A user name is required.");
    this.#redactor.addSecret(password);
    const deps = this.#loginDeps(options.tenant);
    const result = await passwordLogin(deps, username.trim(), password, { signal: options.signal });
    return this.#adopt(result, deps.kindHint, options);
  }

  /** Signs in with a refresh token (e.g. `0.AX4A…`); detects enterprise or consumer. */
  async authenticateWithRefreshToken(refreshToken: string, options: { signal?: AbortSignal } = {}): Promise<Identity> {
    const token = refreshToken.trim();
    if (!token) throw new InvalidArgumentError("The refresh token is empty.");
    await this.#tokens.refreshTokenLogin(token, {
      clientIds: { native: CLIENT_IDS.teamsNative, web: CLIENT_IDS.teamsWeb },
      signal: options.signal,
    });
    const me = await this.#tokens.identity(options.signal ? { signal: options.signal } : {});
    await this.#accounts
      ?.record(this.#account, {
        username: me.email,
        displayName: me.displayName,
        cloud: this.#cloud,
        tenantId: me.tenantId,
        signedInAt: this.#now(),
      })
      .catch(() => {});
    return me;
  }

  /**
   * Loads the saved session. Returns false when there is none (or it is malformed, or belongs to
   * another service). `TEAMS_REFRESH_TOKEN` overrides the stored refresh token; with no stored
   * session it signs in with it (and does not save it).
   */
  async loadSession(options: { signal?: AbortSignal } = {}): Promise<boolean> {
    if (await this.#tokens.load()) return true;
    const envToken = this.#env.TEAMS_REFRESH_TOKEN?.trim();
    if (!envToken) return false;
    await this.#tokens.refreshTokenLogin(envToken, {
      clientIds: { native: CLIENT_IDS.teamsNative, web: CLIENT_IDS.teamsWeb },
      persist: false,
      signal: options.signal,
    });
    return true;
  }

  /** The account name this client's session rests under in the token store (`default` unless named). */
  get account(): string {
    return this.#account;
  }

  /** The accounts index, when the client uses the default token store. */
  get accounts(): AccountRegistry | undefined {
    return this.#accounts;
  }

  /**
   * Who the saved session of this account was, without using it (even when the service no longer
   * accepts it) — so a new sign-in can be offered for the same person.
   */
  async savedAccount(): Promise<{ name?: string | undefined; username?: string | undefined } | undefined> {
    let text: string | undefined;
    try {
      text = await this.#store?.load();
    } catch {
      text = undefined;
    }
    const account = parseSession(text)?.account;
    const entry = this.#accounts?.get(this.#account);
    const username = account?.username ?? entry?.username;
    const name = account?.name ?? entry?.displayName;
    return username || name ? { name, username } : undefined;
  }

  /** Who is signed in, where, and when each cached token expires (masked). No network. */
  async authStatus(): Promise<AuthStatus> {
    if (!this.#tokens.signedIn) await this.#tokens.load();
    return sessionStatus(this.#tokens.snapshot(), {
      account: this.#account,
      cloud: this.#cloud,
      store: this.#store?.description ?? "memory",
      expired: this.#accounts?.get(this.#account)?.expired,
    });
  }

  /** Signs out: forgets the session and deletes the stored tokens; `all` signs every account out. */
  async logout(options: { all?: boolean } = {}): Promise<void> {
    await this.stopRealtime();
    // Offline at once for everyone else: the presence endpoint goes before the tokens do.
    await this.presence.stop().catch(() => {});
    await this.#tokens.logout();
    await this.#accounts?.remove(this.#account);
    if (options.all && this.#accounts) {
      for (const entry of this.#accounts.list()) {
        const file = this.#accounts.tokenFileFor(entry.name);
        await new AutoTokenStore({
          env: this.#env,
          tokenFile: this.#options.tokenFile === undefined ? undefined : file,
          account: entry.name,
          accountFile: file,
        }).clear();
        await this.#accounts.remove(entry.name);
      }
    }
  }

  /**
   * Starts live push over Trouter (PROTOCOL.md §7): resolves once connected and registered. Events
   * arrive once each, in order within a conversation, with gaps filled from REST after reconnects.
   */
  startRealtime(options: RealtimeOptions = {}): Promise<RealtimeListener> {
    return this.#live.start(options);
  }

  /** Stops live push and deletes the registration at once. */
  stopRealtime(): Promise<void> {
    return this.#live.stop();
  }

  /**
   * Live events for scripts: `for await (const e of client.events())`. Starts the listener when it
   * is not running (with `options`); ends when `stopRealtime()` is called.
   */
  events(options: RealtimeOptions = {}): AsyncIterableIterator<RealtimeEvent> {
    return this.#live.events(options);
  }

  /** Who is signed in (from the skypetoken and the id_token). Mints the skypetoken if needed. */
  async whoami(options: RequestOptions = {}): Promise<Identity> {
    return this.#tokens.identity(options.signal ? { signal: options.signal } : {});
  }
}
