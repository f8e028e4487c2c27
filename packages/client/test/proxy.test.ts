/**
 * Proxies from the environment: with HTTP(S)_PROXY set, the default fetch goes through undici's
 * EnvHttpProxyAgent; NO_PROXY exempts hosts. A tiny local proxy (CONNECT tunnels and absolute-form
 * forwarding) counts what passes through it.
 */
import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Emulator } from "@teams-api/emulator";
import { proxyFromEnv } from "../src/http/fetch.js";
import { ALICE, clientFor, emulator, PASSWORD } from "./auth-helpers.js";
import { type CountingProxy, startProxy } from "./counting-proxy.js";

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
