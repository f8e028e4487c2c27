/**
 * TeamsClient: owns the options, the transport and the token manager, signs in, and hands every
 * service one {@link ServiceContext}. Services are attached as fields (`client.chat`, …).
 */
import { CLIENT_IDS } from "@teams-api/protocol";
import { openSystemBrowser, terminalRedirectPrompt } from "./auth/browser.js";
import {
  type BrowserLoginOptions,
  browserLogin,
  type LoginDeps,
  type LoginResult,
  passwordLogin,
} from "./auth/login.js";
import { OAuthClient } from "./auth/oauth.js";
import { type AccountKind, type CloudName, resolveCloud } from "./auth/profiles.js";
import { AutoTokenStore, MemoryTokenStore, type TokenStore } from "./auth/store.js";
import { TokenManager } from "./auth/token-manager.js";
import { InvalidArgumentError } from "./errors.js";
import { createDefaultFetch, type Env } from "./http/fetch.js";
import { redactingLogger } from "./http/logger.js";
import { Redactor } from "./http/redact.js";
import { createTransport, type TeamsTransport } from "./http/transport.js";
import type { Identity, Logger, RequestOptions, ServiceContext } from "./http/types.js";
import type { Conversation, Message, SentMessage } from "./models.js";
import { DEFAULT_OPTIONS, type TeamsClientOptions } from "./options.js";
import {
  ChatService,
  type GetConversationsOptions,
  type GetMessagesOptions,
  type SendMessageOptions,
} from "./services/chat/index.js";
import { MiddleTierService } from "./services/middle-tier.js";
import { NameResolver } from "./services/names.js";

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
  signal?: AbortSignal;
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
  /** Display names for MRIs and titles for conversations, cached and batched. */
  readonly names: NameResolver;
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

  constructor(options: TeamsClientOptions = {}) {
    this.#options = options;
    this.#env = options.env ?? process.env;
    this.#cloud = resolveCloud(options.cloud, this.#env);
    this.#now = options.now ?? Date.now;
    this.#logger = redactingLogger(options.logger, this.#redactor);

    let store: TokenStore | undefined;
    if (options.tokenStore === false) store = undefined;
    else if (options.tokenStore) store = options.tokenStore;
    else store = new AutoTokenStore({ env: this.#env, tokenFile: options.tokenFile });

    const fetchImpl = options.fetch ?? createDefaultFetch(this.#env);
    // Build the transport first without tokens for the OAuth client, then the token manager, then
    // the authenticated transport that shares the same fetch, clock and redactor.
    const base = {
      fetch: fetchImpl,
      redactor: this.#redactor,
      logger: this.#logger,
      timeout: options.timeout ?? DEFAULT_OPTIONS.timeout,
      maxRetries: options.maxRetries ?? DEFAULT_OPTIONS.maxRetries,
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
    this.names = new NameResolver(this.context, {
      middleTier: this.middleTier,
      threadMembers: (id, o) => this.chat.threadMembers(id, o),
    });
    this.chat = new ChatService(this.context, { names: this.names });
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

  #loginDeps(): LoginDeps {
    const kindHint: AccountKind = this.#cloud === "consumer" ? "consumer" : "enterprise";
    return {
      transport: this.#raw,
      oauth: this.#oauth,
      redactor: this.#redactor,
      logger: this.#logger,
      roots: this.#tokens.roots(kindHint),
      kindHint,
      loginTimeout: this.#options.loginTimeout ?? DEFAULT_OPTIONS.loginTimeout,
      hooks: this.#options.testHooks,
    };
  }

  async #adopt(result: LoginResult, kindHint: AccountKind, signal: AbortSignal | undefined): Promise<Identity> {
    await this.#tokens.adopt(result.tokens, {
      clientId: result.clientId,
      audience: result.audience,
      kindHint,
      signal,
    });
    return this.#tokens.identity(signal ? { signal } : {});
  }

  /**
   * Interactive sign-in: authorization code + PKCE. Opens the browser and waits on a loopback
   * listener; when no browser can be opened, asks for the address the browser was redirected to.
   * Saves the session and returns who signed in.
   */
  async authenticate(options: AuthenticateOptions = {}): Promise<Identity> {
    const deps = this.#loginDeps();
    const opener =
      options.openBrowser ?? this.#options.openBrowser ?? ((url: string) => openSystemBrowser(url, this.#env));
    const readRedirectUrl = options.readRedirectUrl ?? terminalRedirectPrompt();
    const loginOptions: BrowserLoginOptions & { openBrowser: (url: string) => unknown } = {
      openBrowser: opener,
      readRedirectUrl,
      signal: options.signal,
    };
    const result = await browserLogin(deps, loginOptions);
    return this.#adopt(result, deps.kindHint, options.signal);
  }

  /**
   * Signs in by filling the sign-in form with a user name and password — the emulator's demo users.
   * The real Microsoft sign-in page cannot be automated; use {@link authenticate} there.
   */
  async signInWithPassword(
    username: string,
    password: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<Identity> {
    if (!username.trim()) throw new InvalidArgumentError("A user name is required.");
    this.#redactor.addSecret(password);
    const deps = this.#loginDeps();
    const result = await passwordLogin(deps, username.trim(), password, { signal: options.signal });
    return this.#adopt(result, deps.kindHint, options.signal);
  }

  /** Signs in with a refresh token (e.g. `0.AX4A…`); detects enterprise or consumer. */
  async authenticateWithRefreshToken(refreshToken: string, options: { signal?: AbortSignal } = {}): Promise<Identity> {
    const token = refreshToken.trim();
    if (!token) throw new InvalidArgumentError("The refresh token is empty.");
    await this.#tokens.refreshTokenLogin(token, {
      clientIds: { native: CLIENT_IDS.teamsNative, web: CLIENT_IDS.teamsWeb },
      signal: options.signal,
    });
    return this.#tokens.identity(options.signal ? { signal: options.signal } : {});
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

  /** Signs out: forgets the session and deletes the stored tokens. */
  async logout(): Promise<void> {
    await this.#tokens.logout();
  }

  /** Who is signed in (from the skypetoken and the id_token). Mints the skypetoken if needed. */
  async whoami(options: RequestOptions = {}): Promise<Identity> {
    return this.#tokens.identity(options.signal ? { signal: options.signal } : {});
  }
}
