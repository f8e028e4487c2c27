import type { IncomingMessage, ServerResponse } from "node:http";

/** Which real service a route belongs to: decides the error body shape (PROTOCOL.md §9.2). */
export type ServiceKind = "login" | "authsvc" | "chat" | "mt" | "presence" | "ams" | "search" | "trouter" | "control";

/** A parsed request as handlers see it. */
export interface EmuRequest {
  readonly id: string;
  readonly method: string;
  /** Full URL (origin + path + query) as the client sent it. */
  readonly url: URL;
  /** Path with percent-escapes decoded, so `19%3A…%40thread.v2` routes like `19:…@thread.v2` (§9.5). */
  readonly path: string;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Raw body bytes (empty when none). */
  readonly rawBody: Buffer;
  /** Named regex groups of the matched route, already decoded. */
  readonly params: Readonly<Record<string, string>>;
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

export type Handler = (req: EmuRequest) => EmuResponse | Promise<EmuResponse>;

export interface Route {
  readonly method: string;
  /** Matched against the decoded path (anchored). Use named groups for params. */
  readonly pattern: RegExp;
  readonly service: ServiceKind;
  readonly handler: Handler;
  /** The handler reads the body from `req.raw` as a stream; `rawBody` stays empty (AMS uploads). */
  readonly streamBody?: boolean;
}

/** A prefix of the URL space owned by one service: unmatched paths under it get that service's 404. */
export interface Mount {
  readonly prefix: string;
  readonly service: ServiceKind;
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
