import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { aadstsAnswer } from "../services/login/aadsts.js";
import { BODY_LIMITS, parseJsonLimited, readBody, serializeJson } from "./body.js";
import { errorBody } from "./errors.js";
import type { FaultController } from "./faults.js";
import { type EmuRequest, type EmuResponse, HttpError, type Mount, type Route, type ServiceKind } from "./types.js";

export interface HttpCoreOptions {
  routes: () => readonly Route[];
  /** URL prefixes owned by each service, longest first wins; the rest belongs to `fallbackService`. */
  mounts: readonly Mount[];
  fallbackService: ServiceKind;
  faults: FaultController;
  /** Access log sink; silent when undefined. */
  log?: (line: string) => void;
  /** Largest accepted request body. */
  maxBodyBytes?: number;
}

/**
 * One middleware chain for every service: request id → access log → fault injection → routing →
 * handler → error mapper in the owning service's real shape. Unknown endpoints answer like the real
 * service, with a clear "not emulated" message — never a silent 200.
 */
export function createHttpCore(options: HttpCoreOptions): Server {
  const maxBody = options.maxBodyBytes ?? BODY_LIMITS.maxBytes;

  const serviceFor = (path: string): ServiceKind => {
    let best: Mount | undefined;
    for (const m of options.mounts) {
      if (
        (path === m.prefix || path.startsWith(m.prefix.endsWith("/") ? m.prefix : `${m.prefix}/`)) &&
        (!best || m.prefix.length > best.prefix.length)
      ) {
        best = m;
      }
    }
    return best?.service ?? options.fallbackService;
  };

  const send = (res: ServerResponse, requestId: string, answer: EmuResponse, service?: ServiceKind): void => {
    if (res.headersSent || res.destroyed) return;
    let out = answer;
    const headers: Record<string, string> = { "x-ms-request-id": requestId, ...out.headers };
    if (out.body instanceof Readable) {
      // A streamed body (AMS views): the handler sets Content-Length; bytes flow with backpressure.
      const stream = out.body;
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
        out = errorResponse(service ?? options.fallbackService, requestId, new Error("unserializable answer"));
        payload = JSON.stringify(out.body);
      }
      if (!Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) {
        headers["Content-Type"] = "application/json; charset=utf-8";
      }
    }
    headers["Content-Length"] = String(payload === undefined ? 0 : Buffer.byteLength(payload));
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
    const url = new URL(raw.url ?? "/", `http://${raw.headers.host ?? "127.0.0.1"}`);
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      path = url.pathname;
    }
    const service = serviceFor(path);
    res.on("finish", () => {
      options.log?.(`${method} ${url.pathname} ${res.statusCode} ${(performance.now() - started).toFixed(1)}ms`);
    });

    let rawBody: Buffer;
    // Routes that stream their body (AMS uploads) read `req.raw` themselves.
    const streams = options.routes().some((r) => r.streamBody && r.method === method && r.pattern.test(path));
    try {
      rawBody = streams ? Buffer.alloc(0) : await readBody(raw, maxBody);
    } catch (err) {
      send(
        res,
        requestId,
        errorResponse(
          service,
          requestId,
          err instanceof HttpError ? err : new HttpError(400, "The request body could not be read."),
        ),
      );
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
    const matches = options.routes().filter((r) => r.pattern.test(path));
    const route = matches.find((r) => r.method === method);
    if (!route) {
      out = errorResponse(
        service,
        requestId,
        matches.length
          ? new HttpError(405, `Method ${method} is not allowed on ${url.pathname}.`)
          : new HttpError(404, `${method} ${url.pathname} is not emulated by teams-emulator.`),
      );
    } else {
      const params: Record<string, string> = { ...(route.pattern.exec(path)?.groups ?? {}) };
      const req: EmuRequest = {
        id: requestId,
        method,
        url,
        path,
        headers: lowerHeaders,
        rawBody,
        params,
        raw,
        json<T>(): T {
          return parseJsonLimited<T>(rawBody.toString("utf8"));
        },
        form() {
          return new URLSearchParams(rawBody.toString("utf8"));
        },
      };
      try {
        out = await route.handler(req);
      } catch (err) {
        out = errorResponse(route.service, requestId, err);
      }
    }
    if (fault && fault.phase === "after" && answerFault()) return;
    send(res, requestId, out, service);
  };

  // Nothing a request does may end the process: a failure outside the handlers is logged and the
  // request answered 500 (or its connection dropped when the answer had begun).
  return createServer((raw, res) => {
    handle(raw, res).catch((err: unknown) => {
      options.log?.(`request failed: ${err instanceof Error ? err.stack : String(err)}`);
      if (!res.headersSent) send(res, "", errorResponse(options.fallbackService, "", err));
      else res.destroy();
    });
  });
}
