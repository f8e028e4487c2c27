import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { SkypeIdentity } from "../context.js";
import type { VerifiedBearer } from "../services/login/tokens.js";
import type { User } from "../state/directory.js";

/** Which real service a route belongs to: decides the error body shape (PROTOCOL.md §9.2). */
export type ServiceKind =
  | "login"
  | "authsvc"
  | "chat"
  | "mt"
  | "csa"
  | "presence"
  | "ams"
  | "search"
  | "trouter"
  | "control";

/**
 * What a route demands of the caller, checked in one stage before the handler runs (http/auth.ts),
 * so every 401 body comes from one place in the service's real shape:
 * - `"none"`: nothing (sign-in pages, discovery, control plane);
 * - `"skypetoken"`: `Authentication: skypetoken=…` or `X-Skypetoken` (§2.2, §9.5);
 * - `{ bearer }`: `Authorization: Bearer` with one of these audiences (§1.4);
 * - `{ bearer, skypetoken: true }`: either; a skypetoken sent alongside wins (the AFD chat path);
 * - `"ams"`: AMS's forms (§5.1): `Authorization: skype_token <t>`, the `skypetoken_asm` cookie, or
 *   an IC3 bearer with `x-ms-migration: True`;
 * - `{ presence }`: unified presence (§3.1, §1.4): a bearer of these audiences — a sound token of
 *   another audience is 401 sub-status 40102 — or a consumer account's skypetoken.
 */
export type AuthSpec =
  | "none"
  | "skypetoken"
  | "ams"
  | { readonly bearer: readonly string[]; readonly skypetoken?: boolean }
  | { readonly presence: readonly string[] };

/** The authenticated caller of a route whose auth is not `"none"`. */
export interface Caller {
  readonly user: User;
  /** Set when the caller authenticated with a skypetoken. */
  readonly skype?: SkypeIdentity;
  /** Set when the caller authenticated with a bearer token. */
  readonly bearer?: VerifiedBearer;
}

/** Where the request came in: the public root of the service it reached, as clients see it. */
export interface MountInfo {
  /** `https://emea.ng.msg.teams.microsoft.com`, `https://teams.microsoft.com/api/mt`, `http://127.0.0.1:4380/login`… */
  readonly base: string;
  /** The public origin (`https://teams.microsoft.com`, or the emulator's own in loopback mode). */
  readonly origin: string;
  /** Values the host table fixes for this mount, e.g. `region` of a regional chat host. */
  readonly params: Readonly<Record<string, string>>;
}

/** A parsed request as handlers see it. */
export interface EmuRequest {
  readonly id: string;
  readonly method: string;
  /** Full URL (origin + path + query) as the client sent it. */
  readonly url: URL;
  /** Path below the mount, percent-escapes decoded, so `19%3A…%40thread.v2` routes like `19:…@thread.v2` (§9.5). */
  readonly path: string;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Raw body bytes (empty when none). */
  readonly rawBody: Buffer;
  /** Named regex groups of the matched route, already decoded. */
  readonly params: Readonly<Record<string, string>>;
  readonly mount: MountInfo;
  readonly raw: IncomingMessage;
  /** Parses the body as JSON; throws an HttpError(400) in the service's shape when it is not. */
  json<T = unknown>(): T;
  /** Parses an `application/x-www-form-urlencoded` body. */
  form(): URLSearchParams;
}

/** What a handler returns. `body` objects are sent as JSON with `Content-Type: application/json; charset=utf-8`. */
export interface EmuResponse {
  status: number;
  headers?: Record<string, string>;
  /**
   * object → JSON; string → as is (set Content-Type yourself); Buffer → bytes; a node Readable →
   * streamed (set Content-Length yourself); undefined → empty body.
   */
  body?: unknown;
}

export type Handler<C = Caller | undefined> = (req: EmuRequest, caller: C) => EmuResponse | Promise<EmuResponse>;

/** A caller authenticated by a skypetoken. */
export interface SkypeCaller extends Caller {
  readonly skype: SkypeIdentity;
}

/** A caller authenticated by a bearer token. */
export interface BearerCaller extends Caller {
  readonly bearer: VerifiedBearer;
}

/** The caller type a handler receives for an auth declaration. */
export type CallerFor<A extends AuthSpec> = A extends "none"
  ? undefined
  : A extends "skypetoken"
    ? SkypeCaller
    : A extends "ams" | { readonly presence: readonly string[] }
      ? Caller
      : A extends { readonly skypetoken: true }
        ? Caller
        : BearerCaller;

export interface Route {
  readonly method: string;
  /** Matched against the decoded path below the mount (anchored). Use named groups for params. */
  readonly pattern: RegExp;
  readonly auth: AuthSpec;
  /**
   * The query parameters the route knows. When set, a request with any other parameter is refused
   * with 400 in the service's shape (strict, GUIDE §4); when unset the route reads what it needs.
   */
  readonly query?: readonly string[];
  readonly handler: Handler;
  /** The handler reads the body from `req.raw` as a stream; `rawBody` stays empty (AMS uploads). */
  readonly streamBody?: boolean;
}

export interface RouteOptions {
  /** Known query parameters (see Route.query). */
  readonly query?: readonly string[];
  /** The handler streams the body from `req.raw` (see Route.streamBody). */
  readonly streamBody?: boolean;
}

/** Declares a route; the handler's `caller` is typed by the auth declaration. */
export function route<A extends AuthSpec>(
  method: string,
  pattern: RegExp,
  auth: A,
  handler: Handler<CallerFor<A>>,
  options: RouteOptions = {},
): Route {
  return {
    method,
    pattern,
    auth,
    handler: handler as Handler,
    ...(options.query ? { query: options.query } : {}),
    ...(options.streamBody ? { streamBody: true } : {}),
  };
}

/** A service's route table: its routes, and the service whose error shape they answer in. */
export interface ServiceTable {
  readonly service: ServiceKind;
  readonly routes: readonly Route[];
  /** WebSocket upgrades on this service (Trouter's socket.io). */
  readonly upgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer, mount: MountInfo, path: string) => void;
}

/** Throw from a handler to answer with an error in the route's service shape. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: {
      /** Replaces the default body shape entirely. */
      body?: unknown;
      headers?: Record<string, string>;
      /** For AAD errors: the `error` field (e.g. invalid_grant). */
      aadError?: string;
      /** For AAD errors: numeric AADSTS code. */
      aadCode?: number;
      /** For authsvc: string `errorCode`. */
      code?: string | number;
    } = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export type RawHandler = (req: IncomingMessage, res: ServerResponse) => void;
