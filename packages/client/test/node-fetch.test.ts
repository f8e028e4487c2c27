/**
 * The client's own fetch (node:http / node:https) against a local server: it must answer as
 * Node's fetch would for everything the transport relies on — inflated bodies, every header line,
 * lengths, null bodies, redirects left alone, an abort's reason as the failure before and after
 * the answer — and reuse its connections.
 */
import * as assert from "node:assert/strict";
import { getEventListeners, once } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { type AddressInfo, createServer as createTcpServer, type Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { createNodeFetch } from "../src/http/node-fetch.js";
import { type ReusingBody, WRITE_REUSING } from "../src/http/upload.js";
import { TimeoutError } from "../src/index.js";
import { localServer } from "./auth-helpers.js";
import { startProxy } from "./counting-proxy.js";

const JSON_BODY = JSON.stringify({ hello: "wörld", n: [1, 2, 3] });

function route(req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? "/").split("?")[0];
  let received = "";
  req.setEncoding("utf8").on("data", (d: string) => {
    received += d;
  });
  req.on("end", () => {
    switch (path) {
      case "/echo":
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            method: req.method,
            body: received,
            length: req.headers["content-length"] ?? null,
            chunked: req.headers["transfer-encoding"] ?? null,
            acceptEncoding: req.headers["accept-encoding"] ?? null,
            acceptLanguage: req.headers["accept-language"] ?? null,
            fetchMode: req.headers["sec-fetch-mode"] ?? null,
            accept: req.headers.accept ?? null,
            userAgent: req.headers["user-agent"] ?? null,
            custom: req.headers["x-custom"] ?? null,
            remotePort: req.socket.remotePort,
          }),
        );
        return;
      case "/gzip":
        res.writeHead(200, { "content-encoding": "gzip" }).end(gzipSync(JSON_BODY));
        return;
      case "/x-gzip":
        res.writeHead(200, { "content-encoding": " X-GZIP " }).end(gzipSync(JSON_BODY));
        return;
      case "/gzip-no-trailer":
        // The 8-byte CRC and length trailer cut off, as some servers do: fetch still reads it.
        res.writeHead(200, { "content-encoding": "gzip" }).end(gzipSync(JSON_BODY).subarray(0, -8));
        return;
      case "/deflate-no-trailer":
        res.writeHead(200, { "content-encoding": "deflate" }).end(deflateSync(JSON_BODY).subarray(0, -4));
        return;
      case "/identity":
        res.writeHead(200, { "content-encoding": "identity" }).end(JSON_BODY);
        return;
      case "/unknown-coding":
        res.writeHead(200, { "content-encoding": "zstd" }).end("raw bytes");
        return;
      case "/deflate":
        res.writeHead(200, { "content-encoding": "deflate" }).end(deflateSync(JSON_BODY));
        return;
      case "/br":
        res.writeHead(200, { "content-encoding": "br" }).end(brotliCompressSync(JSON_BODY));
        return;
      case "/cookies":
        res.writeHead(200, [
          ["set-cookie", "a=1; Path=/"],
          ["set-cookie", "b=2; Path=/"],
          ["x-request-id", "rid-7"],
        ]);
        res.end("ok");
        return;
      case "/no-content":
        res.writeHead(204).end();
        return;
      case "/redirect":
        res.writeHead(302, { location: "/echo" }).end("moved");
        return;
      case "/bad-status":
        // A status no Response can carry; written raw so Node's server does not refuse it.
        res.socket?.end("HTTP/1.1 999 Odd\r\ncontent-length: 0\r\n\r\n");
        return;
      case "/hang":
        return; // never answers
      case "/hang-body":
        res.writeHead(200, { "content-type": "application/json" });
        res.write("[");
        return; // never ends
      default:
        res.writeHead(404).end();
    }
  });
}

describe("the client's own fetch on node:http", { timeout: 30_000 }, () => {
  let server: Awaited<ReturnType<typeof localServer>>;
  const fetch = createNodeFetch({});
  before(async () => {
    server = await localServer(route);
  });
  after(async () => {
    await server.close();
  });

  it("sends a whole body with its Content-Length, headers as given, and the defaults Node's fetch adds", async () => {
    const res = await fetch(`${server.origin}/echo`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-custom": "yes" },
      body: JSON_BODY,
    });
    assert.equal(res.status, 200);
    const seen = (await res.json()) as Record<string, unknown>;
    assert.equal(seen.method, "POST");
    assert.equal(seen.body, JSON_BODY);
    assert.equal(seen.length, String(Buffer.byteLength(JSON_BODY)));
    assert.equal(seen.chunked, null);
    assert.equal(seen.custom, "yes");
    assert.equal(seen.acceptEncoding, "gzip, deflate");
    assert.equal(seen.acceptLanguage, "*");
    assert.equal(seen.fetchMode, "cors");
    assert.equal(seen.accept, "*/*");
    assert.equal(seen.userAgent, "node");
    const own = await fetch(`${server.origin}/echo`, { headers: { accept: "application/json", "user-agent": "me" } });
    const mine = (await own.json()) as Record<string, unknown>;
    assert.deepEqual([mine.accept, mine.userAgent], ["application/json", "me"], "a header the caller sets wins");
  });

  it("inflates gzip, deflate and br answers", async () => {
    for (const coding of ["gzip", "deflate", "br"]) {
      const res = await fetch(`${server.origin}/${coding}`);
      assert.equal(res.headers.get("content-encoding"), coding);
      assert.equal(await res.text(), JSON_BODY, coding);
    }
  });

  it("inflates x-gzip (any case and spacing), and a gzip or deflate answer without its trailer", async () => {
    for (const path of ["x-gzip", "gzip-no-trailer", "deflate-no-trailer"]) {
      assert.equal(await (await fetch(`${server.origin}/${path}`)).text(), JSON_BODY, path);
    }
  });

  it("passes identity and unknown codings through as they came", async () => {
    assert.equal(await (await fetch(`${server.origin}/identity`)).text(), JSON_BODY);
    assert.equal(await (await fetch(`${server.origin}/unknown-coding`)).text(), "raw bytes");
  });

  it("keeps every header line, Set-Cookie included, and the status text", async () => {
    const res = await fetch(`${server.origin}/cookies`);
    assert.equal(res.statusText, "OK");
    assert.deepEqual(
      [...res.headers.keys()].filter((k) => k !== "date" && k !== "connection" && k !== "keep-alive"),
      ["set-cookie", "set-cookie", "transfer-encoding", "x-request-id"],
    );
    assert.deepEqual(res.headers.getSetCookie(), ["a=1; Path=/", "b=2; Path=/"]);
    assert.equal(res.headers.get("x-request-id"), "rid-7");
    assert.equal(await res.text(), "ok");
  });

  it("a 204 and a HEAD have no body", async () => {
    const none = await fetch(`${server.origin}/no-content`, { method: "DELETE" });
    assert.equal(none.status, 204);
    assert.equal(none.body, null);
    const head = await fetch(`${server.origin}/echo`, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.body, null);
  });

  it("leaves redirects to its caller", async () => {
    const res = await fetch(`${server.origin}/redirect`, { redirect: "manual" });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get("location"), "/echo");
    assert.equal(await res.text(), "moved");
  });

  it("reuses one connection for requests one after another", async () => {
    const ports = new Set<unknown>();
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${server.origin}/echo`);
      ports.add(((await res.json()) as { remotePort: unknown }).remotePort);
    }
    assert.equal(ports.size, 1);
  });

  it("fails with the signal's reason before the answer and while reading the body", async () => {
    const early = AbortSignal.timeout(100);
    await assert.rejects(fetch(`${server.origin}/hang`, { signal: early }), (err: Error) => {
      assert.equal(err.name, "TimeoutError");
      return true;
    });
    const controller = new AbortController();
    const res = await fetch(`${server.origin}/hang-body`, { signal: controller.signal });
    assert.equal(res.status, 200);
    const reading = res.text();
    controller.abort(new TimeoutError("No answer within 1 ms."));
    await assert.rejects(reading, TimeoutError);
    const already = new AbortController();
    already.abort();
    await assert.rejects(fetch(`${server.origin}/echo`, { signal: already.signal }), { name: "AbortError" });
    const plain = new AbortController();
    const pending = fetch(`${server.origin}/hang`, { signal: plain.signal });
    plain.abort("not an Error");
    await assert.rejects(pending, { name: "AbortError", message: "This operation was aborted" });
  });

  it("an answer no Response can carry, or an unreachable host, rejects as fetch would (a TypeError or a coded error)", async () => {
    await assert.rejects(fetch(`${server.origin}/bad-status`), {
      name: "TypeError",
      message: "The server answered with HTTP 999, which is not a valid status.",
    });
    const gone = await localServer(() => {});
    const origin = gone.origin;
    await gone.close();
    await assert.rejects(fetch(`${origin}/`), { code: "ECONNREFUSED" });
    await assert.rejects(fetch("ftp://example.com/file"), { name: "TypeError", message: "Cannot fetch a ftp: URL." });
  });

  it("streams an async-iterable body chunk by chunk", async () => {
    async function* chunks(): AsyncGenerator<Uint8Array> {
      for (const part of ["one,", "two,", "three"]) yield Buffer.from(part);
    }
    const res = await fetch(`${server.origin}/echo`, {
      method: "PUT",
      body: chunks() as never,
      duplex: "half",
    } as never);
    const seen = (await res.json()) as Record<string, unknown>;
    assert.equal(seen.body, "one,two,three");
    assert.equal(seen.chunked, "chunked");
  });

  it("sends every whole body kind with its length, and refuses one it cannot send", async () => {
    const cases: Array<[string, unknown, string]> = [
      ["bytes", new TextEncoder().encode("bytes body"), "bytes body"],
      ["array buffer", new TextEncoder().encode("buffer body").buffer, "buffer body"],
      ["form", new URLSearchParams({ a: "1", b: "two" }), "a=1&b=two"],
      ["blob", new Blob(["blob body"]), "blob body"],
    ];
    for (const [name, body, text] of cases) {
      const res = await fetch(`${server.origin}/echo`, { method: "POST", body: body as never });
      const seen = (await res.json()) as Record<string, unknown>;
      assert.deepEqual([seen.body, seen.length, seen.chunked], [text, String(text.length), null], name);
    }
    // Node adds no Content-Length to a DELETE's end(data) by itself: without ours the body is lost.
    const removal = await fetch(`${server.origin}/echo`, { method: "DELETE", body: '{"emotions":"like"}' });
    const removed = (await removal.json()) as Record<string, unknown>;
    assert.deepEqual([removed.body, removed.length], ['{"emotions":"like"}', "19"]);
    const none = (await (await fetch(`${server.origin}/echo`, { method: "POST" })).json()) as Record<string, unknown>;
    assert.equal(none.body, "");
    await assert.rejects(fetch(`${server.origin}/echo`, { method: "POST", body: 42 as never }), {
      name: "TypeError",
      message: "This body cannot be sent.",
    });
  });

  it("a reusing body writes itself chunk by chunk under its declared Content-Length", async () => {
    const parts = ["first,", "second,", "third"];
    const body: ReusingBody = {
      size: parts.join("").length,
      async [WRITE_REUSING](write) {
        for (const p of parts) await write(Buffer.from(p));
      },
    };
    const res = await fetch(`${server.origin}/echo`, { method: "PUT", body: body as never });
    const seen = (await res.json()) as Record<string, unknown>;
    assert.deepEqual([seen.body, seen.length, seen.chunked], ["first,second,third", "18", null]);
    const declared = await fetch(`${server.origin}/echo`, {
      method: "PUT",
      headers: { "content-length": "5" },
      body: "12345",
    });
    assert.equal(((await declared.json()) as Record<string, unknown>).length, "5");
  });

  it("lets go of the abort listener once an exchange is over, answered or failed", async () => {
    const signal = new AbortController().signal;
    await (await fetch(`${server.origin}/echo`, { signal })).text();
    assert.equal(getEventListeners(signal, "abort").length, 0, "after an answer was read");
    const gone = await localServer(() => {});
    const origin = gone.origin;
    await gone.close();
    await assert.rejects(fetch(`${origin}/`, { signal }));
    assert.equal(getEventListeners(signal, "abort").length, 0, "after a failure");
  });

  it("closes an idle kept-alive connection after 4 s, before servers usually do", async () => {
    const sockets: Socket[] = [];
    const idle = await localServer((_req, res) => res.end("ok"));
    idle.server.keepAliveTimeout = 60_000;
    idle.server.on("connection", (s: Socket) => sockets.push(s));
    await (await fetch(`${idle.origin}/`)).text();
    const done = performance.now();
    assert.equal(sockets.length, 1);
    await once(sockets[0]!, "close");
    const idleMs = performance.now() - done;
    await idle.close();
    assert.ok(idleMs >= 3_500 && idleMs < 4_900, `closed after ${Math.round(idleMs)} ms (Node's own agent: 5 s)`);
  });

  it("goes through HTTP_PROXY when the environment names one", async () => {
    const proxy = await startProxy();
    try {
      const proxied = createNodeFetch({ HTTP_PROXY: proxy.url });
      const res = await proxied(`${server.origin}/echo`);
      assert.equal(res.status, 200);
      await res.text();
      assert.equal(proxy.tunnels, 1);
    } finally {
      await proxy.close();
    }
  });

  it("speaks TLS to an https URL", async () => {
    const first: Buffer[] = [];
    const tcp = createTcpServer((s) => {
      s.once("data", (d: Buffer) => {
        first.push(d);
        s.destroy();
      });
    });
    await new Promise<void>((resolve) => tcp.listen(0, "127.0.0.1", () => resolve()));
    try {
      await assert.rejects(fetch(`https://127.0.0.1:${(tcp.address() as AddressInfo).port}/`));
      assert.equal(first[0]?.[0], 0x16, "the first byte is a TLS handshake record");
    } finally {
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    }
  });
});
