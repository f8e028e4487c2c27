import type { RegionGtms } from "@teams-api/protocol";

/** Per-call options every public method accepts. */
export interface RequestOptions {
  signal?: AbortSignal;
  /** Milliseconds for the whole call including retries' individual attempts. */
  timeout?: number;
  maxRetries?: number;
  /** Overall milliseconds for the call: every attempt, every wait between them, the answer's body. */
  deadline?: number;
}

/** A wait between attempts, as the transport announces it before waiting (`onRetryWait`). */
export interface RetryWait {
  /** Why: the service throttled (429), failed (5xx), did not answer in time, or could not be reached. */
  reason: "rate_limited" | "server_error" | "timeout" | "connection";
  /** How long the wait lasts. */
  delayMs: number;
  /** True when the service named the wait (`Retry-After`), false for the client's own backoff. */
  retryAfter: boolean;
  /** The number of the retry that follows the wait (1 for the first). */
  retry: number;
  method: string;
  /** Redacted. */
  url: string;
}

/** How a request authenticates (PROTOCOL.md §1.4, §2.2). */
export type AuthScheme =
  | { kind: "none" }
  /** Chat service: `Authentication: skypetoken=<jwt>`. */
  | { kind: "skypetoken" }
  /** `Authorization: Bearer <access token for audience>`; `audience` is a resource URL or a consumer scope. */
  | { kind: "bearer"; audience: string }
  /** Middle tier style: Bearer for the audience plus `x-skypetoken`. */
  | { kind: "bearer+skypetoken"; audience: string }
  /** AMS (§5.1): `Authorization: skype_token <skypetoken>`. */
  | { kind: "skype_token" };

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE" | "PATCH";

export interface ApiRequest extends RequestOptions {
  method: HttpMethod;
  /** Absolute URL, always built from regionGtms (or the login/Teams root for auth). */
  url: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /**
   * Serialized as JSON (Content-Type: application/json) unless a string, URLSearchParams or bytes.
   * A function is called once per attempt and its result sent as is: a fresh stream for each try
   * (uploads); the bytes are never buffered.
   */
  body?: unknown;
  auth: AuthScheme;
  /**
   * Safe to repeat after an ambiguous failure (5xx, reset, timeout). Defaults: GET/PUT/DELETE true,
   * POST false. A non-idempotent request is retried after an ambiguous failure only when
   * `confirmDelivered` says the first attempt did not land.
   */
  idempotent?: boolean;
  /**
   * For non-idempotent requests: did an earlier attempt land after all? (e.g. look for the
   * clientmessageid echo). The transport asks after every ambiguous failure, the last one included.
   * Resolve with the evidence (e.g. the echoed message; `true` when there is nothing to hand back)
   * when it landed, `undefined` or `false` when it did not; reject when it cannot tell (the
   * transport then reports the failure itself). The evidence comes back as `confirmation`.
   */
  confirmDelivered?: () => Promise<unknown>;
  /** Largest answer body for this call (after inflation); the transport's limit by default. */
  maxResponseBytes?: number;
  /**
   * Response body handling. `"stream"` hands back the body unread (a web ReadableStream) once the
   * headers are in: the per-attempt timeout stops there, so the caller's signal governs the rest.
   * @default "json"
   */
  responseType?: "json" | "text" | "none" | "stream";
}

export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  body: T;
  requestId: string | undefined;
  /** True when confirmDelivered established delivery instead of a response. */
  confirmedByEcho?: boolean;
  /** What confirmDelivered resolved with, when it established delivery. */
  confirmation?: unknown;
}

/** Sends requests with auth headers, retries, timeouts, typed errors and redaction. */
export interface Transport {
  request<T = unknown>(req: ApiRequest): Promise<ApiResponse<T>>;
}

/** Who is signed in, as services need it. */
export interface Identity {
  /** `8:orgid:<oid>` or `8:live:…` */
  readonly mri: string;
  readonly displayName: string;
  readonly tenantId: string | undefined;
  readonly kind: "enterprise" | "consumer";
  readonly email: string | undefined;
}

/** What every service receives from TeamsClient. */
export interface ServiceContext {
  readonly transport: Transport;
  /** The regionGtms service map of the current session (after authz). */
  endpoints(options?: RequestOptions): Promise<RegionGtms>;
  identity(options?: RequestOptions): Promise<Identity>;
  /** Bearer audience for the middle tier (spaces for enterprise, the consumer MT scope otherwise). */
  middleTierAudience(): Promise<string>;
  readonly now: () => number;
}

/** Receives only redacted, single-line messages. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Options for getting a credential. */
export interface TokenRequestOptions {
  signal?: AbortSignal;
  /**
   * The token a service just rejected with 401: refresh unless the cached token is already a
   * different (newer) one. Concurrent callers with the same stale token share one refresh.
   */
  stale?: string;
}

/** Where the transport gets credentials from (implemented by the token manager). */
export interface TokenSource {
  /** A current skypetoken (refreshed ahead of expiry). */
  skypeToken(options?: TokenRequestOptions): Promise<string>;
  /** A current access token for a resource audience (`https://…`) or a consumer scope (`service::…`). */
  accessToken(audience: string, options?: TokenRequestOptions): Promise<string>;
  /**
   * Origins (`scheme://host[:port]`) that may receive a credential: the sign-in root, the Teams
   * root and every regionGtms host of the session.
   */
  trustedOrigins(): Iterable<string>;
}
