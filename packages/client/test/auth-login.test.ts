/**
 * Sign-in against the emulator over real loopback HTTP: the form automation, the paste fallback,
 * refresh-token sign-in with kind detection, and every failure's one sentence (wrong password,
 * tampered PKCE verifier, missing SPA Origin, expired session, no license, not automatable).
 */
import * as assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Emulator } from "@teams-api/emulator";
import { AuthenticationError, TeamsError } from "../src/index.js";
import {
  ALICE,
  assertNoSecrets,
  captureLogger,
  clientFor,
  control,
  countingFetch,
  emulator,
  GRACE,
  localServer,
  PASSWORD,
  signInByForm,
} from "./auth-helpers.js";

/** A refused saved session: the reason with its code, and the way out. */
const SESSION_EXPIRED =
  /^Your saved session (has expired|is no longer valid) \(.*AADSTS\d+\); sign in again with `teams login`\.$/;

describe("sign-in against the emulator", () => {
  let emu: Emulator;
  let dir: string;
  before(async () => {
    emu = await emulator();
    dir = await mkdtemp(join(tmpdir(), "teams-login-"));
  });
  after(async () => {
    await emu.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("signs in with a password (enterprise) and knows who signed in", async () => {
    const client = clientFor(emu);
    assert.equal(client.isSignedIn(), false);
    const who = await client.signInWithPassword(ALICE, PASSWORD);
    assert.equal(client.isSignedIn(), true);
    assert.equal(who.mri, "8:orgid:2b7e4f10-6c1d-4e8a-a3f5-9d0c1b2e3f41");
    assert.equal(who.displayName, "Alice Example");
    assert.equal(who.kind, "enterprise");
    assert.equal(who.tenantId, "5c3e9a1d-8f2b-4d7a-9e61-0b4f2c8d7a10");
    assert.equal(who.email, ALICE);
    assert.deepEqual(await client.whoami(), who);
    const gtms = await client.context.endpoints();
    assert.equal(gtms.chatService, emu.origin);
  });

  it("detects a consumer account from the id_token and uses the consumer profile", async () => {
    const counting = countingFetch();
    const client = clientFor(emu, { fetch: counting.fetch });
    const who = await client.signInWithPassword(GRACE, PASSWORD);
    assert.equal(who.kind, "consumer");
    assert.equal(who.mri, "8:live:.cid.1a2b3c4d5e6f7081");
    assert.equal(who.displayName, "Grace Lin");
    // The skypetoken came from the consumer authz, bought with a consumers-endpoint token.
    assert.equal(counting.count("POST", /^\/api\/auth\/v1\.0\/authz\/consumer$/), 1);
    const refresh = counting.calls.find((c) => c.url.pathname === "/login/consumers/oauth2/v2.0/token");
    assert.ok(refresh, "a refresh at the consumers token endpoint");
    assert.equal(refresh.headers.get("origin"), "https://teams.live.com");
    assert.equal(await client.context.middleTierAudience(), "https://mtsvc.fl.teams.microsoft.com/teams.mt.readwrite");
  });

  it("accepts all three consumer authz answer shapes ([DISAGREE] §1.8)", async () => {
    try {
      for (const shape of ["skypeTokenObject", "tokens", "flat"]) {
        await control(emu, "/variants", { consumerAuthzShape: shape }, "PUT");
        const who = await clientFor(emu).signInWithPassword(GRACE, PASSWORD);
        assert.equal(who.mri, "8:live:.cid.1a2b3c4d5e6f7081", shape);
        assert.equal(who.email, GRACE, shape);
      }
    } finally {
      await control(emu, "/variants", { consumerAuthzShape: "skypeTokenObject" }, "PUT");
    }
  });

  it("rejects a wrong password with one sentence", async () => {
    const client = clientFor(emu);
    await assert.rejects(client.signInWithPassword(ALICE, "not-the-password"), (err: Error) => {
      assert.ok(err instanceof AuthenticationError);
      assert.equal(err.message, `The sign-in service rejected the user name or password for ${ALICE}.`);
      assert.equal(err.serviceCode, "AADSTS50126");
      assertNoSecrets(`${err.message} ${JSON.stringify(err)}`, ["not-the-password"], "wrong password error");
      return true;
    });
    assert.equal(client.isSignedIn(), false);
  });

  it("says when an account has no Teams license, and keeps no session", async () => {
    const client = clientFor(emu);
    await assert.rejects(client.signInWithPassword("uma@contoso.com", PASSWORD), (err: Error) => {
      assert.ok(err instanceof AuthenticationError);
      assert.match(
        err.message,
        /^This account has no Microsoft Teams license \(UserLicenseNotPresentForbidden\); ask your administrator/,
      );
      assert.equal(err.serviceCode, "UserLicenseNotPresentForbidden");
      assert.equal(err.status, 403);
      return true;
    });
    assert.equal(client.isSignedIn(), false);
  });

  it("reports a tampered PKCE verifier (AADSTS50148) in one sentence", async () => {
    const client = clientFor(emu, { testHooks: { codeVerifier: (v) => `${v.slice(0, -4)}AAAA` } });
    await assert.rejects(client.signInWithPassword(ALICE, PASSWORD), (err: Error) => {
      assert.ok(err instanceof AuthenticationError);
      assert.equal(
        err.message,
        "The sign-in code did not match its PKCE verifier; start the sign-in again with `teams login`.",
      );
      assert.equal(err.serviceCode, "AADSTS50148");
      return true;
    });
  });

  it("paste fallback: no browser, the pasted redirect address signs in with the SPA client", async () => {
    const counting = countingFetch();
    const client = clientFor(emu, { fetch: counting.fetch });
    let shown = "";
    const who = await client.authenticate({
      openBrowser: () => false,
      readRedirectUrl: async (authorizeUrl) => {
        shown = authorizeUrl;
        return signInByForm(authorizeUrl, ALICE);
      },
    });
    assert.equal(who.displayName, "Alice Example");
    const authorize = new URL(shown);
    assert.equal(authorize.pathname, "/login/common/oauth2/v2.0/authorize");
    assert.equal(authorize.searchParams.get("client_id"), "5e3ce6c0-2b1f-4285-8d4b-75ee78787346");
    assert.equal(authorize.searchParams.get("redirect_uri"), "https://teams.microsoft.com/v2");
    assert.equal(authorize.searchParams.get("code_challenge_method"), "S256");
    const redeem = counting.calls.find((c) => c.url.pathname.endsWith("/oauth2/v2.0/token"));
    assert.equal(redeem?.headers.get("origin"), "https://teams.microsoft.com");
  });

  it("without a desktop session the system opener declines and the paste prompt is used", async () => {
    // The test environment has no DISPLAY/WAYLAND_DISPLAY: xdg-open is not even tried.
    const client = clientFor(emu, { env: { DISPLAY: "", WAYLAND_DISPLAY: "" } });
    let asked = 0;
    const who = await client.authenticate({
      readRedirectUrl: async (url) => {
        asked++;
        return signInByForm(url, ALICE);
      },
    });
    assert.equal(asked, 1);
    assert.equal(who.displayName, "Alice Example");
  });

  it("the consumer cloud with its two roots pointed at the emulator: consumer SPA client, live.com redirect and Origin", async () => {
    const counting = countingFetch();
    const client = clientFor(emu, {
      cloud: "consumer",
      loginUrl: emu.loginUrl,
      baseUrl: emu.baseUrl,
      fetch: counting.fetch,
    });
    let shown = "";
    const who = await client.authenticate({
      openBrowser: () => false,
      readRedirectUrl: async (url) => {
        shown = url;
        return signInByForm(url, GRACE);
      },
    });
    assert.equal(who.kind, "consumer");
    const authorize = new URL(shown);
    assert.equal(authorize.searchParams.get("client_id"), "4b3e8f46-56d3-427f-b1e2-d239b2ea6bca");
    assert.equal(authorize.searchParams.get("redirect_uri"), "https://teams.live.com/v2");
    assert.match(authorize.searchParams.get("scope") ?? "", /^service::api\.fl\.spaces\.skype\.com::MBI_SSL /);
    const redeem = counting.calls.find((c) => c.url.pathname.endsWith("/oauth2/v2.0/token"));
    assert.equal(redeem?.headers.get("origin"), "https://teams.live.com");
    assert.equal(counting.count("POST", /^\/api\/auth\/v1\.0\/authz\/consumer$/), 1);
  });

  it("paste fallback accepts the code in the fragment", async () => {
    const client = clientFor(emu);
    const who = await client.authenticate({
      openBrowser: () => false,
      readRedirectUrl: async (url) => {
        const landed = new URL(await signInByForm(url, ALICE));
        return `${landed.origin}${landed.pathname}#${landed.searchParams.toString()}`;
      },
    });
    assert.equal(who.kind, "enterprise");
  });

  it("paste fallback refuses an answer from another sign-in attempt (state)", async () => {
    const client = clientFor(emu);
    await assert.rejects(
      client.authenticate({
        openBrowser: () => false,
        readRedirectUrl: async (url) => {
          const landed = new URL(await signInByForm(url, ALICE));
          landed.searchParams.set("state", "someone-elses-state");
          return landed.toString();
        },
      }),
      (err: Error) => {
        assert.ok(err instanceof AuthenticationError);
        assert.equal(err.code, "state_mismatch");
        return true;
      },
    );
  });

  it("names AADSTS9002327 when the SPA Origin header is missing, without any token in the error", async () => {
    const { logger, lines } = captureLogger();
    const client = clientFor(emu, { testHooks: { omitOrigin: true }, logger });
    let pastedCode = "";
    await assert.rejects(
      client.authenticate({
        openBrowser: () => false,
        readRedirectUrl: async (url) => {
          const landed = await signInByForm(url, ALICE);
          pastedCode = new URL(landed).searchParams.get("code") ?? "";
          return landed;
        },
      }),
      (err: Error) => {
        assert.ok(err instanceof AuthenticationError);
        assert.equal(
          err.message,
          "The sign-in service refused to redeem a single-page-app token without an Origin header (AADSTS9002327); this is a client bug — please report it.",
        );
        assert.equal(err.serviceCode, "AADSTS9002327");
        assertNoSecrets(`${err.message}\n${JSON.stringify(err)}\n${String(err.stack)}`, [pastedCode], "error");
        return true;
      },
    );
    assert.ok(pastedCode.length > 10);
    assertNoSecrets(lines.join("\n"), [pastedCode], "log");
  });

  it("signs in with a refresh token, detecting enterprise and consumer accounts", async () => {
    for (const [user, kind] of [
      [ALICE, "enterprise"],
      [GRACE, "consumer"],
    ] as const) {
      const file = join(dir, `${kind}.json`);
      const first = clientFor(emu, { tokenFile: file });
      await first.signInWithPassword(user, PASSWORD);
      const refreshToken = (JSON.parse(await readFile(file, "utf8")) as { refreshToken: string }).refreshToken;
      const second = clientFor(emu);
      const who = await second.authenticateWithRefreshToken(refreshToken);
      assert.equal(who.kind, kind);
      assert.equal(who.email, user);
    }
  });

  it("says the saved session expired when the refresh token has", async () => {
    const client = clientFor(emu);
    await client.signInWithPassword(ALICE, PASSWORD);
    await control(emu, "/tokens/expire", { refreshTokens: true });
    const mt = (await client.context.endpoints()).middleTier;
    await assert.rejects(
      client.context.transport.request({
        method: "GET",
        url: `${mt}/beta/users/tenants`,
        auth: { kind: "bearer", audience: "https://api.spaces.skype.com" },
      }),
      (err: Error) => {
        assert.ok(err instanceof AuthenticationError);
        assert.match(err.message, SESSION_EXPIRED);
        assert.match(String(err.serviceCode), /^AADSTS/);
        return true;
      },
    );
  });

  it("refuses to automate a sign-in page without the emulator's form", async () => {
    const page = await localServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<!DOCTYPE html><html><body><div id=app></div><script src=/app.js></script></body></html>");
    });
    try {
      const client = clientFor(emu, { loginUrl: `${page.origin}/login` });
      await assert.rejects(client.signInWithPassword(ALICE, PASSWORD), (err: Error) => {
        assert.ok(err instanceof TeamsError);
        assert.equal(err.code, "not_automatable");
        assert.match(err.message, /browser/);
        return true;
      });
    } finally {
      await page.close();
    }
  });
});
