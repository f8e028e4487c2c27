/**
 * The client's own fetch (node:http / node:https) against a local server: it must answer as
 * Node's fetch would for everything the transport relies on — inflated bodies, every header line,
 * lengths, null bodies, redirects left alone, an abort's reason as the failure before and after
 * the answer — and reuse its connections.
 */
import * as assert from "node:assert/strict";
import type { IncomingMessage, ServerResponse } from "node:http";
import { after, before, describe, it } from "node:test";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { createNodeFetch } from "../src/http/node-fetch.js";
import { TimeoutError } from "../src/index.js";
import { localServer } from "./auth-helpers.js";

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

  it("keeps every header line, Set-Cookie included", async () => {
    const res = await fetch(`${server.origin}/cookies`);
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
  });

  it("an answer no Response can carry, or an unreachable host, rejects as fetch would (a TypeError or a coded error)", async () => {
    await assert.rejects(fetch(`${server.origin}/bad-status`), TypeError);
    const gone = await localServer(() => {});
    const origin = gone.origin;
    await gone.close();
    await assert.rejects(fetch(`${origin}/`), { code: "ECONNREFUSED" });
    await assert.rejects(fetch("ftp://example.com/file"), TypeError);
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
});
