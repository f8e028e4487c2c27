/**
 * Proxies from the environment: with HTTP(S)_PROXY set, the default fetch goes through undici's
 * EnvHttpProxyAgent; NO_PROXY exempts hosts. A tiny local proxy (CONNECT tunnels and absolute-form
 * forwarding) counts what passes through it.
 */
import * as assert from "node:assert/strict";
import { createServer, request as httpRequest, type Server } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { after, before, describe, it } from "node:test";
import type { Emulator } from "@teams-api/emulator";
import { proxyFromEnv } from "../src/http/fetch.js";
import { ALICE, clientFor, emulator, PASSWORD } from "./auth-helpers.js";

interface CountingProxy {
  url: string;
  /** CONNECT tunnels opened. */
  tunnels: number;
  /** HTTP requests seen: forwarded ones plus request lines inside tunnels. */
  requests: number;
  close(): Promise<void>;
}

async function startProxy(): Promise<CountingProxy> {
  const counts = { tunnels: 0, requests: 0 };
  const sockets = new Set<{ destroy(): void }>();
  const server: Server = createServer((req, res) => {
    // Absolute-form request: forward it.
    counts.requests++;
    const target = new URL(req.url ?? "");
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: req.method,
        headers: req.headers,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  server.on("connect", (req, socket, head) => {
    counts.tunnels++;
    sockets.add(socket);
    // The tunnel carries plain HTTP to the emulator: count its request lines.
    socket.on("data", (chunk: Buffer) => {
      counts.requests +=
        chunk.toString("latin1").match(/(?:^|\r\n)(?:GET|POST|PUT|DELETE|PATCH) \/\S* HTTP\/1\.1\r\n/g)?.length ?? 0;
    });
    const [host, port] = (req.url ?? "").split(":");
    const upstream = connect(Number(port), host ?? "127.0.0.1", () => {
      sockets.add(upstream);
      socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    const drop = (): void => {
      upstream.destroy();
      socket.destroy();
    };
    upstream.on("error", drop);
    socket.on("error", drop);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get tunnels() {
      return counts.tunnels;
    },
    get requests() {
      return counts.requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe("proxy from the environment", () => {
  let emu: Emulator;
  let proxy: CountingProxy;
  before(async () => {
    emu = await emulator();
    proxy = await startProxy();
  });
  after(async () => {
    await proxy.close();
    await emu.close();
  });

  it("reads HTTPS_PROXY / HTTP_PROXY / NO_PROXY in either case", () => {
    assert.equal(proxyFromEnv({}), undefined);
    assert.deepEqual(proxyFromEnv({ https_proxy: "http://p:1", NO_PROXY: "a,b" }), {
      httpsProxy: "http://p:1",
      noProxy: "a,b",
    });
    assert.deepEqual(proxyFromEnv({ HTTP_PROXY: " http://p:2 " }), { httpProxy: "http://p:2" });
  });

  it("sends every request through the proxy when HTTP_PROXY is set", async () => {
    const before = proxy.requests;
    const client = clientFor(emu, { env: { HTTP_PROXY: proxy.url } });
    const who = await client.signInWithPassword(ALICE, PASSWORD);
    assert.equal(who.displayName, "Alice Example");
    // sign-in page, form post, token redemption, authz: four requests through the proxy
    assert.ok(proxy.tunnels >= 1, "a CONNECT tunnel");
    assert.equal(proxy.requests - before, 4);
  });

  it("honours NO_PROXY", async () => {
    const before = { requests: proxy.requests, tunnels: proxy.tunnels };
    const client = clientFor(emu, { env: { HTTP_PROXY: proxy.url, NO_PROXY: "127.0.0.1" } });
    await client.signInWithPassword(ALICE, PASSWORD);
    assert.deepEqual({ requests: proxy.requests, tunnels: proxy.tunnels }, before);
  });
});
