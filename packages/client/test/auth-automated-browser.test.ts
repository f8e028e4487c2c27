/**
 * Automated browser sign-in (seed option A) end to end: playwright-core drives the system Chromium
 * headless to the emulator's sign-in page, fills the form, the code is taken from the redirect and
 * redeemed with PKCE. Also: a refused password ends with the page's own AADSTS code, and without a
 * browser one sentence names the other ways to sign in.
 */
import * as assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Emulator } from "@teams-api/emulator";
import { ProxyAgent, fetch as undiciFetch } from "undici";
import { findBrowser } from "../src/auth/automated-browser.js";
import { AuthenticationError, TeamsClient, TeamsError } from "../src/index.js";
import { ALICE, clientFor, countingFetch, emulator, PASSWORD } from "./auth-helpers.js";

describe("automated browser sign-in (headless Chromium)", { timeout: 120_000 }, () => {
  let emu: Emulator;
  before(async () => {
    emu = await emulator();
  });
  after(() => emu.close());

  it("finds the system Chromium", () => {
    assert.ok(findBrowser(process.env), "no Chromium-family browser found (CI installs Debian chromium)");
    assert.equal(findBrowser({ TEAMS_BROWSER: "/nonexistent/browser" }), undefined);
  });

  it("signs in with the filled form: native client, PKCE S256, code from the redirect, no Origin", async () => {
    const counting = countingFetch();
    const client = clientFor(emu, { fetch: counting.fetch });
    const me = await client.authenticateViaBrowser({ headless: true, fill: { username: ALICE, password: PASSWORD } });
    assert.equal(me.displayName, "Alice Example");
    const redeem = counting.calls.find((c) => c.url.pathname.endsWith("/oauth2/v2.0/token"));
    assert.ok(redeem, "the code was redeemed by the client");
    assert.equal(redeem.headers.get("origin"), null);
    assert.equal((await client.getConversations({ count: 1 })).length, 1);
  });

  it("a wrong password ends with the page's AADSTS50126 in one sentence", async () => {
    const client = clientFor(emu, { loginTimeout: 20_000 });
    await assert.rejects(
      client.authenticateViaBrowser({ headless: true, fill: { username: ALICE, password: "not-it" } }),
      (err: unknown) => {
        assert.ok(err instanceof AuthenticationError, String(err));
        assert.match(err.message, /AADSTS50126/);
        return true;
      },
    );
    assert.equal(client.isSignedIn(), false);
  });

  it("through HTTPS_PROXY to the real sign-in host: teams-emulator --tls --production-hosts as the proxy", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "teams-browser-proxy-"));
    const pages: string[] = [];
    const real = await emulator({
      productionHosts: true,
      tls: { dataDir },
      observe: { response: (r) => void (r.method === "GET" && pages.push(`${r.host}${r.target}`)) },
    });
    try {
      const ca = readFileSync(real.caPath!, "utf8");
      // Node reads NODE_EXTRA_CA_CERTS only at start: this process's own requests trust the CA here.
      const dispatcher = new ProxyAgent({ uri: real.origin, requestTls: { ca } });
      const client = new TeamsClient({
        cloud: "enterprise",
        tokenStore: false,
        env: { ...real.env(), TEAMS_KEYRING: "0" },
        fetch: (input, init) => undiciFetch(input as string, { ...(init as object), dispatcher }) as Promise<Response>,
      });
      const me = await client.authenticateViaBrowser({ headless: true, fill: { username: ALICE, password: PASSWORD } });
      assert.equal(me.displayName, "Alice Example");
      assert.ok(
        pages.some((p) => p.startsWith("login.microsoftonline.com/common/oauth2/v2.0/authorize?")),
        `the browser loaded the sign-in page from the real host through the proxy: ${pages.join(", ")}`,
      );
    } finally {
      await real.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("without a browser, one sentence names the other ways", async () => {
    const client = clientFor(emu, { env: { TEAMS_BROWSER: "/nonexistent/browser" } });
    await assert.rejects(client.authenticateViaBrowser({ headless: true }), (err: unknown) => {
      assert.ok(err instanceof TeamsError);
      assert.equal(err.code, "no_browser");
      assert.match(err.message, /--device-code.*--refresh-token-stdin/);
      assert.equal(err.message.split(". ").length, 1);
      return true;
    });
  });
});
