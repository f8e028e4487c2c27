/**
 * A small hostile server for the hardening tests (issue 12): answers that never end, compression
 * bombs, escape-laden errors, endless throttling, endless paging and a sign-in form that posts
 * elsewhere. Every route is one line of intent; the server counts hits per path.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { brotliCompressSync, constants, deflateSync, gzipSync } from "node:zlib";

export const MiB = 1024 * 1024;

/** An error message laden with terminal escapes: OSC 52 clipboard write, CSI clear, bidi override, zero-width. */
export const ESCAPE_LADEN = "Bad \x1b]52;c;ZXZpbA==\x07request \x1b[2J\x1b[H\u202eevil\u202c pay\u200bpal \x9b31m";

export interface HostileServer {
  origin: string;
  server: Server;
  /** Requests seen per path. */
  hits(path: string): number;
  /** Request bodies seen per path (only POSTs). */
  bodies(path: string): string[];
  close(): Promise<void>;
}

type Route = (req: IncomingMessage, res: ServerResponse, url: URL, origin: string) => void;

/** Writes `chunk` until the client goes away. */
function endless(res: ServerResponse, chunk: Buffer): void {
  const pump = (): void => {
    while (!res.destroyed) {
      if (!res.write(chunk)) {
        res.once("drain", pump);
        return;
      }
    }
  };
  res.on("close", () => res.removeAllListeners("drain"));
  pump();
}

/** `count` copies of `member` (a gzip stream may hold many members: they inflate one after another). */
function repeat(res: ServerResponse, member: Buffer, count: number): void {
  let sent = 0;
  const pump = (): void => {
    while (sent < count && !res.destroyed) {
      sent++;
      if (!res.write(member)) {
        res.once("drain", pump);
        return;
      }
    }
    if (sent >= count) res.end();
  };
  pump();
}

let bombs: { gzipMember: Buffer; deflate: Buffer; br: Buffer } | undefined;
/** 1 MiB of zeros gzipped (about 1 KB), and 64 MiB of zeros as one deflate and one br stream. */
function compressed(): NonNullable<typeof bombs> {
  bombs ??= {
    gzipMember: gzipSync(Buffer.alloc(MiB), { level: 9 }),
    deflate: deflateSync(Buffer.alloc(64 * MiB), { level: 1 }),
    br: brotliCompressSync(Buffer.alloc(64 * MiB), { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } }),
  };
  return bombs;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
};

/** The message page the endless walk hands out: one new message and an ever-new older link. */
function messagePage(url: URL, origin: string, fresh: boolean): unknown {
  const n = Number(url.searchParams.get("n") ?? "0");
  const id = fresh ? 1_700_000_000_000 - n : 1_700_000_000_000;
  return {
    messages: [
      {
        id: String(id),
        type: "Message",
        messagetype: "Text",
        content: `page ${n}`,
        from: "8:orgid:00000000-0000-0000-0000-00000000000b",
        imdisplayname: "Endless",
        originalarrivaltime: new Date(id).toISOString(),
        composetime: new Date(id).toISOString(),
        conversationLink: `${origin}/v1/users/ME/conversations/x`,
      },
    ],
    _metadata: { backwardLink: `${origin}${url.pathname}?n=${n + 1}&nonce=${Math.random()}` },
  };
}

const ROUTES: Record<string, Route> = {
  /** A 200 JSON answer that never ends. */
  "/endless": (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.write('{"conversations":[');
    endless(res, Buffer.from('{"id":"19:x@thread.v2","properties":{}},'.repeat(1600)));
  },
  /** 1 GiB of zeros from about 1 MB on the wire. */
  "/gzip-bomb": (_req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
    repeat(res, compressed().gzipMember, 1024);
  },
  "/deflate-bomb": (_req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-encoding": "deflate" });
    res.end(compressed().deflate);
  },
  "/br-bomb": (_req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-encoding": "br" });
    res.end(compressed().br);
  },
  /** Declares 1 GiB up front. */
  "/declared-huge": (_req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": String(1024 * MiB) });
    res.write("[");
  },
  /** Never answers. */
  "/hang": () => {},
  /** Small enough for any cap. */
  "/small": (_req, res) => json(res, 200, { ok: true }),
  /** Throttles forever, asking for 59 s each time. */
  "/throttle": (_req, res) =>
    json(res, 429, { errorCode: 429, message: "API calls quota exceeded!" }, { "retry-after": "59" }),
  /** Fails forever without a hint. */
  "/fail": (_req, res) => json(res, 503, { errorCode: 503, message: "unavailable" }),
  /** An error whose message would drive a terminal. */
  "/escape-error": (_req, res) => json(res, 400, { errorCode: 400, message: ESCAPE_LADEN }),
  "/escape-error-aad": (_req, res) =>
    json(res, 400, { error: "invalid_request", error_description: `AADSTS90000: ${ESCAPE_LADEN}` }),
};

/**
 * Starts the server. Prefix routes: `/messages-endless…` (a message list page with a new item and an
 * ever-new link), `/messages-same…` (the same item each time under an ever-new link), `/login…`
 * (a sign-in form whose action is `formAction`, default the `/steal` path of this server).
 */
export async function hostileServer(options: { formAction?: string } = {}): Promise<HostileServer> {
  const hits = new Map<string, number>();
  const bodies = new Map<string, string[]>();
  let origin = "";
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
    if (req.method === "POST") {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const list = bodies.get(url.pathname) ?? [];
        list.push(Buffer.concat(chunks).toString("utf8"));
        bodies.set(url.pathname, list);
      });
    }
    const route = ROUTES[url.pathname];
    if (route) return route(req, res, url, origin);
    if (url.pathname.endsWith("/messages") && url.pathname.includes("endless%40")) {
      return json(res, 200, messagePage(url, origin, true));
    }
    if (url.pathname.endsWith("/messages") && url.pathname.includes("same%40")) {
      return json(res, 200, messagePage(url, origin, false));
    }
    if (url.pathname.startsWith("/login") && req.method === "GET") {
      const action = options.formAction ?? `${origin}/steal`;
      res.writeHead(200, { "content-type": "text/html" });
      res.end(
        `<html><body><form method="post" action="${action}"><input type="hidden" name="ctx" value="1">` +
          `<input type="email" name="login"><input type="password" name="passwd"></form></body></html>`,
      );
      return;
    }
    json(res, 404, { errorCode: 404, message: "no such hostile route" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    server,
    hits: (path) => hits.get(path) ?? 0,
    bodies: (path) => bodies.get(path) ?? [],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
