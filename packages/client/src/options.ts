/**
 * The one options object of TeamsClient (GUIDE §2). Every field is optional; {@link DEFAULT_OPTIONS}
 * holds the defaults that are plain values.
 */

import type { CloudName } from "./auth/profiles.js";
import type { TokenStore } from "./auth/store.js";
import type { Env, FetchLike } from "./http/fetch.js";
import type { Logger, RetryWait } from "./http/types.js";

export interface TeamsClientOptions {
  /**
   * Which Teams: `enterprise` (login.microsoftonline.com + teams.microsoft.com), `consumer`
   * (… + teams.live.com) or `emulator` (the local teams-emulator). A consumer account signed in
   * through `enterprise` is detected from its token and switched over automatically.
   * @default env TEAMS_CLOUD, else "enterprise"
   */
  cloud?: CloudName;
  /**
   * Sign-in root. Only this and `baseUrl` are configuration; every other service URL comes from the
   * session's regionGtms.
   * @default the cloud's (emulator: env TEAMS_LOGIN_URL, else "http://127.0.0.1:4380/login")
   */
  loginUrl?: string;
  /**
   * Teams root (authz lives under it).
   * @default the cloud's (emulator: env TEAMS_BASE_URL, else "http://127.0.0.1:4380")
   */
  baseUrl?: string;
  /**
   * `fetch` implementation, used for every request (uploads included) when given.
   * @default the client's own fetch on node:http (keep-alive; the global fetch only for requests that
   * ask fetch to follow redirects); undici's fetch through an EnvHttpProxyAgent when
   * HTTPS_PROXY/HTTP_PROXY is set
   */
  fetch?: FetchLike;
  /**
   * Receives redacted diagnostic lines (never a token).
   * @default undefined (silent)
   */
  logger?: Logger;
  /**
   * Where the session rests between runs, or `false` to keep it in memory only.
   * @default the OS keyring when one answers within 3 s (on Linux only with a D-Bus session, i.e. the
   * Secret Service; never with TEAMS_KEYRING=0 or a named session file), else a 0600 file
   */
  tokenStore?: TokenStore | false;
  /**
   * Session file of the file store.
   * @default env TEAMS_TOKEN_FILE, else $XDG_CONFIG_HOME/teams-api/session.json (~/.config/…)
   */
  tokenFile?: string;
  /**
   * The account whose session to use: each account has its own session in the token store.
   * @default env TEAMS_ACCOUNT, else the current account of the accounts index, else "default"
   */
  account?: string;
  /**
   * Clock in epoch milliseconds (tests move it to expire tokens).
   * @default Date.now
   */
  now?: () => number;
  /**
   * Per-attempt timeout in milliseconds.
   * @default 30000
   */
  timeout?: number;
  /**
   * Retries after the first attempt (connection errors, 408, 429, 5xx).
   * @default 3
   */
  maxRetries?: number;
  /**
   * Overall milliseconds one call may take: all its attempts, the waits between them (backoff,
   * `Retry-After`) and reading the answer. A wait that would not fit ends the call at once with the
   * error that caused it. An `AbortSignal` still stops a call sooner.
   * @default 120000
   */
  deadline?: number;
  /**
   * Largest answer body read, counted after gzip/deflate/br inflation; a larger answer fails with a
   * ProtocolError ("too large") instead of filling memory.
   * @default 33554432 (32 MiB)
   */
  maxResponseBytes?: number;
  /**
   * Told before the client waits to retry (a throttle's `Retry-After`, a backoff), so an app can say
   * "rate limited — retrying in 28 s".
   * @default undefined
   */
  onRetryWait?: (wait: RetryWait) => void;
  /**
   * Opens the sign-in page for `authenticate()`; may be async. Return or resolve `false` when no
   * browser could be opened, so the paste-the-redirect fallback is used.
   * @default xdg-open / open / start, when a desktop session is present
   */
  openBrowser?: (url: string) => unknown;
  /**
   * Environment variables the client reads (TEAMS_*, proxies, XDG_CONFIG_HOME, HOME).
   * @default process.env
   */
  env?: Env;
  /**
   * Refresh tokens this long before they expire.
   * @default 300000 (5 minutes)
   */
  refreshAheadMs?: number;
  /**
   * How long `authenticate()` waits for the browser to come back.
   * @default 300000 (5 minutes)
   */
  loginTimeout?: number;
  /**
   * @internal Test hooks that deliberately break the sign-in protocol to prove the service and the
   * client react correctly. Never set them in real use.
   */
  testHooks?: TestHooks;
}

/** @internal */
export interface TestHooks {
  /** Replaces the PKCE verifier right before the code is redeemed. */
  codeVerifier?: (verifier: string) => string;
  /** Leaves out the `Origin` header single-page-app clients must send to the token endpoint. */
  omitOrigin?: boolean;
  /** Jitter source for backoff. */
  random?: () => number;
  /** Waits between device-code polls (tests move the emulator's clock instead of waiting). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Defaults for every user-facing option that has a plain value (the token store keeps its own). */
export const DEFAULT_OPTIONS = {
  cloud: "enterprise",
  timeout: 30_000,
  maxRetries: 3,
  refreshAheadMs: 5 * 60_000,
  loginTimeout: 5 * 60_000,
  deadline: 120_000,
  maxResponseBytes: 32 * 1024 * 1024,
} as const;
