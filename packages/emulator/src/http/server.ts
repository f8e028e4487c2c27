import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { type Duplex, Readable } from "node:stream";
import type { HostEntry, HostTable, Mount } from "../hosts.js";
import { aadstsAnswer } from "../services/login/aadsts.js";
import { BODY_LIMITS, parseJsonLimited, readBody, serializeJson } from "./body.js";
import { errorBody } from "./errors.js";
import type { FaultController } from "./faults.js";
import {
  type AuthSpec,
  type Caller,
  type EmuRequest,
  type EmuResponse,
  HttpError,
  type MountInfo,
  type Route,
  type ServiceKind,
} from "./types.js";

export interface RequestListenerOptions {
  /** The host table in force (replaced on reset). */
  hosts: () => HostTable;
  /** The auth stage: checks a route's declaration, returns the caller or throws HttpError(401). */
  authenticate: (spec: AuthSpec, req: EmuRequest) => Caller | undefined;
  faults: FaultController;
  /** Access log sink; silent when undefined. */
  log?: (line: string) => void;
  /** Every answered request, for tests and benchmarks that count or replay them (never credentials). */
  onRequest?: (record: RequestRecord) => void;
  /** Every answer as sent, headers and body (tests scan them); streamed bodies are not captured. */
  observe?: (response: ObservedResponse) => void;
  /** Largest accepted request body. */
  maxBodyBytes?: number;
}

/** One answered request: what a test counts and a benchmark replays. Header names only, no values. */
export interface RequestRecord {
  /** The `Host` the request named (production mode routes by it). */
  host: string;
  method: string;
  /** Path and query as sent. */
  target: string;
  service: ServiceKind;
  status: number;
  /** The request body as text ("" when none or streamed). */
  body: string;
  /** Lower-cased names of the credential headers it carried (`authentication`, `authorization`, `x-skypetoken`). */
  credentials: string[];
}

/** One answer as sent: what the address scan of production mode reads. */
export interface ObservedResponse {
  /** The `Host` the request named. */
  host: string;
  method: string;
  /** Path and query as sent. */
  target: string;
  status: number;
  headers: Readonly<Record<string, string>>;
  /** The body as text ("" for none; a streamed body is not captured). */
  body: string;
}

/** The `Host` a request names, lower-cased, without a trailing dot. */
export function hostOf(raw: IncomingMessage): string {
  return (raw.headers.host ?? "").trim().toLowerCase().replace(/\.$/, "");
}

/** The mount owning a path on a host: the longest prefix that matches whole segments. */
export function mountFor(entry: HostEntry, path: string): { mount: Mount; rest: string } | undefined {
  let best: Mount | undefined;
  for (const m of entry.mounts) {
    const p = m.prefix;
    if ((p === "" || path === p || path.startsWith(`${p}/`)) && (!best || p.length > best.prefix.length)) best = m;
  }
  if (!best) return undefined;
  return { mount: best, rest: path.slice(best.prefix.length) || "/" };
}

function decodePath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

/** A plain-text 404 for a host or path no emulated service owns (never a service-shaped error). */
const plainNotFound = (message: string): EmuResponse => ({
  status: 404,
  headers: { "Content-Type": "text/plain; charset=utf-8" },
  body: `${message}\n`,
});

/**
 * The request listener (Azurite's request-listener-factory shape): one middleware chain for every
 * service — request id → access log → Host → mount → fault injection → route → auth → query
 * validation → handler → error mapper in the owning service's real shape. Unknown endpoints answer
 * like the real service, with a clear "not emulated" message — never a silent 200. The same listener
 * serves plain HTTP, HTTPS and tunnels opened with CONNECT.
 */
export function createRequestListener(
  options: RequestListenerOptions,
): (raw: IncomingMessage, res: ServerResponse) => void {
  const maxBody = options.maxBodyBytes ?? BODY_LIMITS.maxBytes;

  const send = (res: ServerResponse, requestId: string, answer: EmuResponse, service: ServiceKind = "chat"): void => {
    if (res.headersSent || res.destroyed) return;
    const observe = (status: number, headers: Record<string, string>, body: Buffer | string | undefined): void => {
      const req = res.req;
      options.observe?.({
        host: hostOf(req),
        method: (req.method ?? "GET").toUpperCase(),
        target: req.url ?? "/",
        status,
        headers,
        body: body === undefined ? "" : body.toString(),
      });
    };
    let out = answer;
    const headers: Record<string, string> = { "x-ms-request-id": requestId, ...out.headers };
    if (out.body instanceof Readable) {
      // A streamed body (AMS views): the handler sets Content-Length; bytes flow with backpressure.
      const stream = out.body;
      observe(out.status, headers, undefined);
      res.writeHead(out.status, headers);
      stream.on("error", () => res.destroy());
      res.on("close", () => stream.destroy());
      stream.pipe(res);
      return;
    }
    let payload: Buffer | string | undefined;
    if (out.body === undefined || out.body === null) payload = undefined;
    else if (Buffer.isBuffer(out.body) || typeof out.body === "string") payload = out.body;
    else {
      payload = serializeJson(out.body);
      if (payload === undefined) {
        // An answer that cannot be serialized: a 500 in the service's shape; the process lives on.
        out = errorResponse(service, requestId, new Error("unserializable answer"));
        payload = JSON.stringify(out.body);
      }
      if (!Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) {
        headers["Content-Type"] = "application/json; charset=utf-8";
      }
    }
    headers["Content-Length"] = String(payload === undefined ? 0 : Buffer.byteLength(payload));
    observe(out.status, headers, payload);
    res.writeHead(out.status, headers);
    res.end(payload);
  };

  const errorResponse = (service: ServiceKind, requestId: string, err: unknown): EmuResponse => {
    if (err instanceof HttpError) {
      return {
        status: err.status,
        headers: err.extra.headers ?? {},
        body: err.extra.body ?? errorBody(service, err.status, err.message, err.extra, requestId),
      };
    }
    options.log?.(`[${requestId}] handler crashed: ${err instanceof Error ? err.stack : String(err)}`);
    return { status: 500, body: errorBody(service, 500, "Internal server error.", {}, requestId) };
  };

  const handle = async (raw: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    const started = performance.now();
    const method = (raw.method ?? "GET").toUpperCase();
    const host = hostOf(raw);
    const table = options.hosts();
    const entry = table.lookup(host);
    const url = new URL(raw.url ?? "/", `${entry?.origin ?? "http://unknown.invalid"}`);
    const path = decodePath(url.pathname);
    // The owning service and body, once known, for `onRequest`.
    let recordedService: ServiceKind = entry?.fallback ?? "chat";
    let recordedBody = "";
    res.on("finish", () => {
      const where = table.mode === "production" ? `${host}${url.pathname}` : url.pathname;
      options.log?.(`${method} ${where} ${res.statusCode} ${(performance.now() - started).toFixed(1)}ms`);
      options.onRequest?.({
        host,
        method,
        target: url.pathname + url.search,
        service: recordedService,
        status: res.statusCode,
        body: recordedBody,
        credentials: ["authentication", "authorization", "x-skypetoken"].filter((h) => raw.headers[h] !== undefined),
      });
    });
    if (!entry) {
      raw.resume();
      send(res, requestId, plainNotFound(`teams-emulator does not emulate the host '${host || "(none)"}'.`));
      return;
    }
    const found = mountFor(entry, path);
    if (!found && !entry.fallback) {
      raw.resume();
      send(res, requestId, plainNotFound(`teams-emulator does not emulate ${method} ${url.pathname} on '${host}'.`));
      return;
    }
    const service: ServiceKind = found?.mount.table.service ?? (entry.fallback as ServiceKind);
    recordedService = service;

    const rest = found?.rest ?? path;
    const routes: readonly Route[] = found?.mount.table.routes ?? [];
    const matches = routes.filter((r) => r.pattern.test(rest));
    const route = matches.find((r) => r.method === method);

    let rawBody: Buffer;
    try {
      // Routes that stream their body (AMS uploads) read `req.raw` themselves.
      rawBody = route?.streamBody ? Buffer.alloc(0) : await readBody(raw, maxBody);
      if (options.onRequest) recordedBody = rawBody.toString("utf8");
    } catch (err) {
      const error = err instanceof HttpError ? err : new HttpError(400, "The request body could not be read.");
      send(res, requestId, errorResponse(service, requestId, error), service);
      return;
    }

    const fault = options.faults.take(method, path);
    if (fault?.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs));
    const answerFault = (): boolean => {
      if (!fault) return false;
      if (fault.reset) {
        raw.socket.destroy();
        return true;
      }
      if (fault.aadsts !== undefined) {
        send(res, requestId, aadstsAnswer(fault.aadsts, requestId));
        return true;
      }
      if (fault.status === undefined) return false;
      const headers: Record<string, string> = {};
      if (fault.retryAfter !== undefined) headers["Retry-After"] = String(fault.retryAfter);
      const message =
        fault.status === 429
          ? "API calls quota exceeded! maximum admitted 200 per 60s."
          : `Service temporarily unavailable (injected fault ${fault.id}).`;
      send(res, requestId, {
        status: fault.status,
        headers,
        body: errorBody(service, fault.status, message, {}, requestId),
      });
      return true;
    };
    if (fault && fault.phase !== "after" && answerFault()) return;

    const lowerHeaders: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(raw.headers))
      lowerHeaders[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;

    let out: EmuResponse;
    if (!route) {
      out = errorResponse(
        service,
        requestId,
        matches.length
          ? new HttpError(405, `Method ${method} is not allowed on ${url.pathname}.`)
          : new HttpError(404, `${method} ${url.pathname} is not emulated by teams-emulator.`),
      );
    } else {
      const mount: MountInfo = {
        origin: entry.origin,
        base: `${entry.origin}${found?.mount.prefix ?? ""}`,
        params: found?.mount.params ?? {},
      };
      const req: EmuRequest = {
        id: requestId,
        method,
        url,
        path: rest,
        headers: lowerHeaders,
        rawBody,
        params: { ...(route.pattern.exec(rest)?.groups ?? {}) },
        mount,
        raw,
        json<T>(): T {
          return parseJsonLimited<T>(rawBody.toString("utf8"));
        },
        form() {
          return new URLSearchParams(rawBody.toString("utf8"));
        },
      };
      try {
        const caller = options.authenticate(route.auth, req);
        if (route.query) {
          for (const name of url.searchParams.keys()) {
            if (!route.query.includes(name)) {
              throw new HttpError(
                400,
                `Query parameter '${name}' is not supported on ${url.pathname} (not emulated by teams-emulator).`,
              );
            }
          }
        }
        out = await route.handler(req, caller);
      } catch (err) {
        out = errorResponse(service, requestId, err);
      }
    }
    if (fault && fault.phase === "after" && answerFault()) return;
    send(res, requestId, out, service);
  };

  // Nothing a request does may end the process: a failure outside the handlers is logged and the
  // request answered 500 (or its connection dropped when the answer had begun).
  return (raw, res) => {
    handle(raw, res).catch((err: unknown) => {
      options.log?.(`request failed: ${err instanceof Error ? err.stack : String(err)}`);
      if (!res.headersSent) send(res, "", errorResponse("chat", "", err));
      else res.destroy();
    });
  };
}

/** The `upgrade` listener: WebSocket upgrades go to the service owning the path on that host. */
export function createUpgradeListener(
  hosts: () => HostTable,
): (raw: IncomingMessage, socket: Duplex, head: Buffer) => void {
  return (raw, socket, head) => {
    const entry = hosts().lookup(hostOf(raw));
    const path = decodePath(new URL(raw.url ?? "/", "http://upgrade.invalid").pathname);
    const found = entry ? mountFor(entry, path) : undefined;
    const upgrade = found?.mount.table.upgrade;
    if (!entry || !found || !upgrade) {
      socket.end("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      return;
    }
    upgrade(
      raw,
      socket,
      head,
      { origin: entry.origin, base: `${entry.origin}${found.mount.prefix}`, params: found.mount.params ?? {} },
      found.rest,
    );
  };
}
