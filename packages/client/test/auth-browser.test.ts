/**
 * The browser sign-in end to end in real headless Chromium: `authenticate()` opens the emulator's
 * sign-in page, the test fills the form like a person, the sign-in service redirects to the
 * client's loopback listener, the code is redeemed with PKCE, and whoami works.
 */
import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Emulator } from "@teams-api/emulator";
import { type Browser, chromium } from "playwright-core";
import { ALICE, clientFor, countingFetch, emulator, PASSWORD } from "./auth-helpers.js";

describe("browser sign-in with a loopback redirect (headless Chromium)", () => {
  let emu: Emulator;
  let browser: Browser;
  before(async () => {
    emu = await emulator();
    browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  });
  after(async () => {
    await browser?.close();
    await emu?.close();
  });

  it("opens the page, the listener receives the code, the session works", async () => {
    const page = await browser.newPage();
    try {
      const counting = countingFetch();
      const client = clientFor(emu, { fetch: counting.fetch });
      let opened: URL | undefined;
      const signingIn = client.authenticate({
        openBrowser: (url) => {
          opened = new URL(url);
          void page.goto(url).catch(() => {});
          return true;
        },
      });
      await page.waitForSelector("input[name=login]");
      await page.fill("input[name=login]", ALICE);
      await page.fill("input[name=passwd]", PASSWORD);
      await Promise.all([page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/\?/), page.click("button[type=submit]")]);
      const who = await signingIn;

      assert.equal(who.displayName, "Alice Example");
      assert.equal((await client.whoami()).mri, who.mri);
      // The native client with an RFC 8252 loopback redirect and PKCE S256.
      assert.ok(opened);
      assert.equal(opened.searchParams.get("client_id"), "1fec8e78-bce4-4aaf-ab1b-5451cc387264");
      assert.match(opened.searchParams.get("redirect_uri") ?? "", /^http:\/\/127\.0\.0\.1:\d+\/$/);
      assert.equal(opened.searchParams.get("code_challenge_method"), "S256");
      assert.ok((opened.searchParams.get("state") ?? "").length >= 20);
      // The native client redeems without an Origin header (AADSTS9002326 otherwise).
      const redeem = counting.calls.find((c) => c.url.pathname.endsWith("/oauth2/v2.0/token"));
      assert.equal(redeem?.headers.get("origin"), null);
      // The tab shows the friendly page.
      assert.match(await page.textContent("h1").then((t) => t ?? ""), /Signed in to Teams/);
      assert.match((await page.textContent("body")) ?? "", /close this tab/);
    } finally {
      await page.close();
    }
  });

  it("keeps waiting on an answer with the wrong state, and times out cleanly", async () => {
    const page = await browser.newPage();
    try {
      const client = clientFor(emu, { loginTimeout: 4000 });
      let openedWith!: (url: string) => void;
      const opened = new Promise<string>((resolve) => {
        openedWith = resolve;
      });
      const signingIn = client.authenticate({
        openBrowser: (url) => {
          openedWith(url);
          return true;
        },
      });
      // Observed from the start: on a busy machine the timeout may fire while the page still loads.
      const timedOut = assert.rejects(signingIn, (err: Error) => {
        assert.equal(err.name, "TimeoutError");
        assert.match(err.message, /teams login/);
        return true;
      });
      // The opener is called once the listener is up; answer it with a forged state.
      const listener = new URL(await opened).searchParams.get("redirect_uri") ?? "";
      const forged = await page.goto(`${listener}?code=forged&state=not-this-one`);
      assert.equal(forged?.status(), 400);
      assert.match((await page.textContent("h1")) ?? "", /not recognised/);
      await timedOut;
      assert.equal(client.isSignedIn(), false);
    } finally {
      await page.close();
    }
  });
});
