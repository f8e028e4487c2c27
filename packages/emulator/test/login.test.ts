import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CONSUMER_TENANT_ID } from "@teams-api/protocol";
import { type Emulator, startEmulator } from "../src/emulator.js";
import {
  authorizeUrl,
  CONSUMER_SCOPE,
  CONSUMER_WEB,
  expectAadError,
  getCode,
  jwtPayload,
  NATIVE,
  NATIVE_REDIRECT,
  parseForm,
  pkce,
  redirectParams,
  refresh,
  SPACES_SCOPE,
  sample,
  signIn,
  submitForm,
  tokenCall,
  WEB,
} from "./identity-helpers.js";

const CONTOSO = "5c3e9a1d-8f2b-4d7a-9e61-0b4f2c8d7a10";
const FABRIKAM = "e1d2c3b4-a596-4788-9a0b-1c2d3e4f5a6b";

describe("login: authorize and the sign-in form", () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ port: 0 });
  });
  after(() => emu.close());

  it("serves a self-contained, accessible HTML form carrying the request", async () => {
    const { challenge } = pkce();
    const res = await fetch(authorizeUrl(emu, { challenge, loginHint: "alice@contoso.com", state: "s&<1>" }));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/html; charset=utf-8");
    assert.equal(res.headers.get("cache-control"), "no-store, no-cache");
    const html = await res.text();
    assert.match(html, /^<!DOCTYPE html>/);
    assert.doesNotMatch(html, /<script|<link|src=|https?:\/\/[^"]*\.(css|js)/i, "no external assets or scripts");
    assert.match(html, /<label for="login">/);
    assert.match(html, /<label for="passwd">/);
    assert.match(html, /<input id="login"[^>]*autocomplete="username"/);
    const form = parseForm(html);
    assert.equal(form.action, "../../login", "the form posts relative to the page");
    assert.equal(new URL(form.action, res.url).pathname, "/login/common/login");
    assert.equal(form.fields.get("login"), "alice@contoso.com", "login_hint prefills the name");
    assert.equal(form.fields.get("state"), "s&<1>", "hidden fields escape and round-trip");
    assert.equal(form.fields.get("code_challenge"), challenge);
    assert.equal(form.fields.get("client_id"), WEB);
    assert.doesNotMatch(html, /<1>/, "values are HTML-escaped");
  });

  it("re-renders the form with the AADSTS50126 message on a wrong password", async () => {
    const page = await fetch(authorizeUrl(emu, { challenge: pkce().challenge }));
    const res = await submitForm(page.url, await page.text(), "alice@contoso.com", "wrong");
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /Your account or password is incorrect\./);
    assert.match(html, /role="alert"/);
    assert.match(html, /AADSTS50126/);
    assert.equal(parseForm(html).fields.get("login"), "alice@contoso.com", "the name stays filled in");
    const unknown = await submitForm(res.url, html, "nobody@contoso.com", emu.password);
    assert.equal(unknown.status, 200);
    assert.match(await unknown.text(), /Your account or password is incorrect\./);
  });

  it("enforces tenant restrictions on the form", async () => {
    const cases: Array<[tenant: string, login: string, ok: boolean]> = [
      ["consumers", "alice@contoso.com", false],
      ["consumers", "grace@outlook.com", true],
      ["organizations", "grace@outlook.com", false],
      ["organizations", "alice@contoso.com", true],
      [CONTOSO, "alice@contoso.com", true],
      ["contoso.com", "bob@contoso.com", true],
      [FABRIKAM, "bob@contoso.com", false],
      [FABRIKAM, "alice@contoso.com", true], // guest membership
      ["common", "grace@outlook.com", true],
      ["common", "alice@contoso.com", true],
    ];
    for (const [tenant, login, ok] of cases) {
      const page = await fetch(authorizeUrl(emu, { tenant, clientId: NATIVE, challenge: pkce().challenge }));
      assert.equal(page.status, 200, `${tenant} page`);
      const res = await submitForm(page.url, await page.text(), login, emu.password);
      if (ok) {
        assert.equal(res.status, 302, `${login} at ${tenant}`);
      } else {
        assert.equal(res.status, 200, `${login} at ${tenant}`);
        const html = await res.text();
        assert.match(html, /role="alert"/);
        assert.match(html, /AADSTS50020/, `${login} at ${tenant}`);
      }
    }
  });

  it("rejects unknown client ids, tenants and unregistered redirect URIs with an error page", async () => {
    const unknownClient = await fetch(
      authorizeUrl(emu, { clientId: "00000000-1111-2222-3333-444444444444", challenge: pkce().challenge }),
    );
    assert.equal(unknownClient.status, 400);
    assert.equal(unknownClient.headers.get("content-type"), "text/html; charset=utf-8");
    assert.match(await unknownClient.text(), /AADSTS700016: Application with identifier/);

    const badRedirect = await fetch(
      authorizeUrl(emu, { redirectUri: "https://evil.example/cb", challenge: "x".repeat(43) }),
    );
    assert.equal(badRedirect.status, 400);
    assert.equal(badRedirect.headers.get("location"), null, "never redirects to an unregistered URI");
    assert.match(await badRedirect.text(), /AADSTS50011/);

    const unknownTenant = await fetch(authorizeUrl(emu, { tenant: "nowhere.example", challenge: pkce().challenge }));
    assert.equal(unknownTenant.status, 400);
    assert.match(await unknownTenant.text(), /AADSTS90002/);
  });

  it("accepts RFC 8252 loopback redirects on any port for the native client only", async () => {
    for (const uri of ["http://localhost:53682/callback", "http://127.0.0.1:9/", "http://localhost/"]) {
      const res = await fetch(authorizeUrl(emu, { clientId: NATIVE, redirectUri: uri, challenge: pkce().challenge }));
      assert.equal(res.status, 200, uri);
    }
    const web = await fetch(
      authorizeUrl(emu, { clientId: WEB, redirectUri: "http://localhost:53682/callback", challenge: pkce().challenge }),
    );
    assert.equal(web.status, 400);
    assert.match(await web.text(), /AADSTS50011/);
    const https = await fetch(
      authorizeUrl(emu, { clientId: NATIVE, redirectUri: "https://localhost:53682/", challenge: pkce().challenge }),
    );
    assert.equal(https.status, 400);
  });

  it("redirects protocol errors back once the redirect URI is trusted", async () => {
    const noPkce = await fetch(authorizeUrl(emu, { clientId: WEB, challenge: null }), { redirect: "manual" });
    assert.equal(noPkce.status, 302);
    const p = redirectParams(noPkce.headers.get("location")!);
    assert.equal(p.get("error"), "invalid_request");
    assert.match(p.get("error_description")!, /^AADSTS9002325: /);
    assert.equal(p.get("state"), "st-123");
    assert.ok(noPkce.headers.get("location")!.startsWith("https://teams.microsoft.com/v2?"));

    const implicit = await fetch(
      authorizeUrl(emu, { clientId: NATIVE, challenge: null, extra: { response_type: "token" } }),
      { redirect: "manual" },
    );
    assert.equal(redirectParams(implicit.headers.get("location")!).get("error"), "unsupported_response_type");

    const plain = await fetch(
      authorizeUrl(emu, {
        clientId: NATIVE,
        challenge: null,
        responseMode: "fragment",
        extra: { code_challenge: "a".repeat(43), code_challenge_method: "plain" },
      }),
      { redirect: "manual" },
    );
    assert.equal(redirectParams(plain.headers.get("location")!, "fragment").get("error"), "invalid_request");

    const silent = await fetch(authorizeUrl(emu, { challenge: pkce().challenge, extra: { prompt: "none" } }), {
      redirect: "manual",
    });
    assert.equal(redirectParams(silent.headers.get("location")!).get("error"), "login_required");
  });

  it("puts code and state in the fragment for response_mode=fragment", async () => {
    const c = await getCode(emu, "alice@contoso.com", { responseMode: "fragment", state: "frag-state" });
    assert.equal(c.state, "frag-state");
  });
});

describe("login: token endpoint", () => {
  let emu: Emulator;
  let now = Date.UTC(2025, 0, 6, 9, 0, 0);
  before(async () => {
    emu = await startEmulator({ port: 0, now: () => now });
  });
  after(() => emu.close());

  it("end to end over raw fetch: authorize → form → 302 → token (Origin) → refresh → authz → skypetoken", async () => {
    const { verifier, challenge } = pkce();
    const page = await fetch(authorizeUrl(emu, { challenge, state: "e2e-state", responseMode: "fragment" }));
    assert.equal(page.status, 200);
    const posted = await submitForm(page.url, await page.text(), "alice@contoso.com", emu.password);
    assert.equal(posted.status, 302);
    const location = posted.headers.get("location")!;
    assert.ok(
      location.startsWith("https://teams.microsoft.com/v2#"),
      "back to the registered redirect, in the fragment",
    );
    const back = redirectParams(location, "fragment");
    assert.equal(back.get("state"), "e2e-state");
    const exchange = await tokenCall(emu, {
      client_id: WEB,
      grant_type: "authorization_code",
      code: back.get("code")!,
      redirect_uri: "https://teams.microsoft.com/v2",
      code_verifier: verifier,
      scope: "https://chatsvcagg.teams.microsoft.com/.default openid profile offline_access",
    });
    assert.equal(exchange.status, 200);
    const first = (await exchange.json()) as { access_token: string; refresh_token: string };
    assert.equal(jwtPayload(first.access_token).aud, "https://chatsvcagg.teams.microsoft.com");
    const spaces = await refresh(emu, first.refresh_token, SPACES_SCOPE);
    assert.equal(spaces.status, 200);
    const bearer = ((await spaces.json()) as { access_token: string }).access_token;
    const authz = await fetch(`${emu.baseUrl}/api/authsvc/v1.0/authz`, {
      method: "POST",
      headers: { Authorization: `Bearer ${bearer}` },
    });
    assert.equal(authz.status, 200);
    const skype = ((await authz.json()) as { tokens: { skypeToken: string } }).tokens.skypeToken;
    assert.equal(emu.context.tokens.verifySkypeToken(skype).mri, "8:orgid:2b7e4f10-6c1d-4e8a-a3f5-9d0c1b2e3f41");
  });

  it("runs the full PKCE flow: code → tokens → refresh for a second audience", async () => {
    const c = await getCode(emu, "alice@contoso.com", { nonce: "nonce-1" });
    assert.equal(c.state, "st-123");
    const res = await tokenCall(emu, {
      client_id: WEB,
      grant_type: "authorization_code",
      code: c.code,
      redirect_uri: c.redirectUri,
      code_verifier: c.verifier,
      scope: SPACES_SCOPE,
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/json; charset=utf-8");
    assert.equal(res.headers.get("cache-control"), "no-store, no-cache");
    assert.equal(res.headers.get("access-control-allow-origin"), "https://teams.microsoft.com");
    const body = (await res.json()) as Record<string, unknown>;
    for (const k of [
      "token_type",
      "scope",
      "expires_in",
      "ext_expires_in",
      "access_token",
      "refresh_token",
      "id_token",
      "client_info",
    ]) {
      assert.ok(k in body, `token response has ${k}`);
    }
    assert.equal(body.token_type, "Bearer");
    assert.equal(typeof body.expires_in, "number");
    assert.ok(String(body.refresh_token).startsWith("0.EMU"), "opaque emulator refresh token");
    // The granted scope as a full URI (§9.6), not the requested `.default`.
    assert.match(String(body.scope), /(?:^| )https:\/\/api\.spaces\.skype\.com\/user_impersonation(?: |$)/);
    assert.doesNotMatch(String(body.scope), /\.default/);

    const at = jwtPayload(String(body.access_token));
    assert.equal(at.aud, "https://api.spaces.skype.com");
    assert.equal(at.tid, CONTOSO);
    assert.equal(at.oid, "2b7e4f10-6c1d-4e8a-a3f5-9d0c1b2e3f41");
    assert.equal(at.upn, "alice@contoso.com");
    assert.equal(at.azp, WEB);
    assert.equal(at.iss, `${emu.loginUrl}/${CONTOSO}/v2.0`);
    assert.equal((at.exp as number) - (at.iat as number), body.expires_in);
    const id = jwtPayload(String(body.id_token));
    assert.equal(id.aud, WEB);
    assert.equal(id.nonce, "nonce-1");
    const info = JSON.parse(Buffer.from(String(body.client_info), "base64url").toString("utf8"));
    assert.deepEqual(info, { uid: at.oid, utid: CONTOSO });

    // The same refresh token is redeemable for other audiences (FOCI, §1.3).
    const presence = await refresh(
      emu,
      String(body.refresh_token),
      "https://presence.teams.microsoft.com/.default offline_access",
    );
    assert.equal(presence.status, 200);
    const p = (await presence.json()) as Record<string, unknown>;
    assert.equal(jwtPayload(String(p.access_token)).aud, "https://presence.teams.microsoft.com");
    assert.ok(p.refresh_token && p.refresh_token !== body.refresh_token, "a new refresh token");
    assert.equal(p.id_token, undefined, "no id_token without openid");

    // Substrate's `.default` grants its named permission: the full URI in `scope`, the name in `scp` (§9.6).
    const substrate = await refresh(emu, String(body.refresh_token), "https://substrate.office.com/.default");
    const sub = (await substrate.json()) as Record<string, unknown>;
    assert.equal(sub.scope, "https://substrate.office.com/SubstrateSearch-Internal.ReadWrite");
    assert.equal(jwtPayload(String(sub.access_token)).scp, "SubstrateSearch-Internal.ReadWrite");

    // …and by another client of the family (the native client, without Origin).
    const native = await signIn(emu, "bob@contoso.com", { clientId: NATIVE });
    const asWeb = await refresh(emu, native.refresh_token, SPACES_SCOPE, { clientId: WEB });
    assert.equal(asWeb.status, 200);
    const chat = await refresh(emu, native.refresh_token, "https://chatsvcagg.teams.microsoft.com/.default", {
      clientId: NATIVE,
    });
    assert.equal(chat.status, 200);
  });

  it("rejects a tampered verifier and then the reused code", async () => {
    const c = await getCode(emu, "alice@contoso.com");
    const params = {
      client_id: WEB,
      grant_type: "authorization_code",
      code: c.code,
      redirect_uri: c.redirectUri,
      code_verifier: `${c.verifier.slice(0, -1)}${c.verifier.endsWith("A") ? "B" : "A"}`,
      scope: SPACES_SCOPE,
    };
    await expectAadError(await tokenCall(emu, params), 400, "invalid_grant", 50148);
    await expectAadError(await tokenCall(emu, { ...params, code_verifier: c.verifier }), 400, "invalid_grant", 54005);
  });

  it("rejects a reused code after a successful exchange, and an unknown code", async () => {
    const c = await getCode(emu, "alice@contoso.com");
    const params = {
      client_id: WEB,
      grant_type: "authorization_code",
      code: c.code,
      redirect_uri: c.redirectUri,
      code_verifier: c.verifier,
      scope: SPACES_SCOPE,
    };
    assert.equal((await tokenCall(emu, params)).status, 200);
    await expectAadError(await tokenCall(emu, params), 400, "invalid_grant", 54005);
    await expectAadError(await tokenCall(emu, { ...params, code: "1.EMUnot-a-code" }), 400, "invalid_grant", 70008);
  });

  it("rejects a code redeemed with another redirect_uri", async () => {
    const c = await getCode(emu, "alice@contoso.com");
    const res = await tokenCall(emu, {
      client_id: WEB,
      grant_type: "authorization_code",
      code: c.code,
      redirect_uri: "https://teams.microsoft.com/go",
      code_verifier: c.verifier,
    });
    await expectAadError(res, 400, "invalid_grant", 50011);
  });

  it("applies the SPA Origin rules (§1.5)", async () => {
    const c = await getCode(emu, "alice@contoso.com");
    const params = {
      client_id: WEB,
      grant_type: "authorization_code",
      code: c.code,
      redirect_uri: c.redirectUri,
      code_verifier: c.verifier,
    };
    const missing = await expectAadError(
      await tokenCall(emu, params, { origin: null }),
      400,
      "invalid_request",
      9002327,
    );
    const errors = sample<{ examples: Array<{ service: string; status: number; body: Record<string, unknown> }> }>(
      "errors.json",
    );
    const ex = errors.examples.find((e) => e.service === "aad")!;
    assert.equal(ex.status, 400);
    assert.equal(missing.error, ex.body.error);
    assert.ok(String(missing.error_description).startsWith(String(ex.body.error_description)), "the real description");
    // A missing Origin does not burn the code: the client may retry with it.
    assert.equal((await tokenCall(emu, params)).status, 200);

    const native = await getCode(emu, "bob@contoso.com", { clientId: NATIVE });
    const withOrigin = await tokenCall(
      emu,
      {
        client_id: NATIVE,
        grant_type: "authorization_code",
        code: native.code,
        redirect_uri: NATIVE_REDIRECT,
        code_verifier: native.verifier,
      },
      { origin: "https://teams.microsoft.com" },
    );
    await expectAadError(withOrigin, 400, "invalid_request", 9002326);

    // SPA refresh tokens need the Origin too.
    const spa = await signIn(emu, "alice@contoso.com");
    await expectAadError(
      await refresh(emu, spa.refresh_token, SPACES_SCOPE, { origin: null }),
      400,
      "invalid_request",
      9002327,
    );
  });

  it("follows the redirect for SPA-ness: the native id through https://teams.microsoft.com/v2 (SQ) redeems with Origin", async () => {
    const c = await getCode(emu, "alice@contoso.com", {
      clientId: NATIVE,
      redirectUri: "https://teams.microsoft.com/v2",
    });
    const params = {
      client_id: NATIVE,
      grant_type: "authorization_code",
      code: c.code,
      redirect_uri: "https://teams.microsoft.com/v2",
      code_verifier: c.verifier,
      scope: SPACES_SCOPE,
    };
    await expectAadError(await tokenCall(emu, params), 400, "invalid_request", 9002327);
    const ok = await tokenCall(emu, params, { origin: "https://teams.microsoft.com" });
    assert.equal(ok.status, 200);
    const t = (await ok.json()) as { refresh_token: string };
    await expectAadError(
      await refresh(emu, t.refresh_token, SPACES_SCOPE, { clientId: NATIVE }),
      400,
      "invalid_request",
      9002327,
    );
    const r = await refresh(emu, t.refresh_token, SPACES_SCOPE, {
      clientId: NATIVE,
      origin: "https://teams.microsoft.com",
    });
    assert.equal(r.status, 200);
    // …and PKCE is required on that redirect.
    const noPkce = await fetch(
      authorizeUrl(emu, { clientId: NATIVE, redirectUri: "https://teams.microsoft.com/v2", challenge: null }),
      { redirect: "manual" },
    );
    assert.match(redirectParams(noPkce.headers.get("location")!).get("error_description")!, /^AADSTS9002325: /);
  });

  it("expires SPA refresh tokens 24 h after sign-in, however often they are redeemed", async () => {
    const t0 = now;
    try {
      const spa = await signIn(emu, "alice@contoso.com");
      now += 12 * 3600_000;
      const r1 = await refresh(emu, spa.refresh_token, SPACES_SCOPE);
      assert.equal(r1.status, 200);
      const next = (await r1.json()) as { refresh_token: string; refresh_token_expires_in?: number };
      assert.ok(next.refresh_token_expires_in !== undefined && next.refresh_token_expires_in <= 12 * 3600);
      now += 12 * 3600_000;
      const body = await expectAadError(
        await refresh(emu, next.refresh_token, SPACES_SCOPE),
        400,
        "invalid_grant",
        700082,
      );
      assert.match(String(body.error_description), /1\.00:00:00/);

      // Native refresh tokens live 90 days.
      const native = await signIn(emu, "bob@contoso.com", { clientId: NATIVE });
      now += 89 * 86400_000;
      assert.equal((await refresh(emu, native.refresh_token, SPACES_SCOPE, { clientId: NATIVE })).status, 200);
      now += 2 * 86400_000;
      await expectAadError(
        await refresh(emu, native.refresh_token, SPACES_SCOPE, { clientId: NATIVE }),
        400,
        "invalid_grant",
        700082,
      );
    } finally {
      now = t0;
    }
  });

  it("rejects unknown refresh tokens, unknown clients, missing parameters and other grants in the AAD shape", async () => {
    await expectAadError(await refresh(emu, "0.EMUunknown-token-value", SPACES_SCOPE), 400, "invalid_grant", 9002313);
    await expectAadError(
      await tokenCall(emu, {
        client_id: "00000000-1111-2222-3333-444444444444",
        grant_type: "refresh_token",
        refresh_token: "x",
      }),
      400,
      "unauthorized_client",
      700016,
    );
    await expectAadError(await tokenCall(emu, { client_id: NATIVE }), 400, "invalid_request", 900144);
    await expectAadError(
      await tokenCall(emu, {
        client_id: NATIVE,
        grant_type: "urn:ietf:params:oauth:grant-type:device_code",
        device_code: "x",
      }),
      400,
      "bad_verification_code",
      70018,
    );
    await expectAadError(
      await tokenCall(emu, { client_id: NATIVE, grant_type: "authorization_code" }, { tenant: "nowhere.example" }),
      400,
      "invalid_request",
      90002,
    );
    await expectAadError(
      await tokenCall(emu, { client_id: NATIVE, grant_type: "password", username: "alice@contoso.com", password: "x" }),
      400,
      "unsupported_grant_type",
      70003,
    );
  });

  it("issues consumer tokens with the scope string as audience and the consumer tenant", async () => {
    const t = await signIn(emu, "grace@outlook.com", {
      clientId: CONSUMER_WEB,
      tenant: "consumers",
      scope: CONSUMER_SCOPE,
    });
    const at = jwtPayload(t.access_token);
    assert.equal(at.aud, "service::api.fl.spaces.skype.com::MBI_SSL");
    assert.equal(at.tid, CONSUMER_TENANT_ID);
    assert.equal(at.upn, undefined);
    assert.equal(at.preferred_username, "grace@outlook.com");
    const mt = await refresh(
      emu,
      t.refresh_token,
      "https://mtsvc.fl.teams.microsoft.com/teams.mt.readwrite offline_access",
      {
        clientId: CONSUMER_WEB,
        tenant: "consumers",
      },
    );
    assert.equal(mt.status, 200);
    const mtToken = (await mt.json()) as { access_token: string };
    assert.equal(jwtPayload(mtToken.access_token).aud, "https://mtsvc.fl.teams.microsoft.com/teams.mt.readwrite");
  });

  it("re-acquires against a guest tenant's authority with that tenant's tid", async () => {
    const t = await signIn(emu, "alice@contoso.com", { clientId: NATIVE });
    const guest = await refresh(emu, t.refresh_token, SPACES_SCOPE, { clientId: NATIVE, tenant: FABRIKAM });
    assert.equal(guest.status, 200);
    const at = jwtPayload(((await guest.json()) as { access_token: string }).access_token);
    assert.equal(at.tid, FABRIKAM);
    assert.equal(at.oid, "44556677-8899-4aab-bccd-deeff0011223");
    const bob = await signIn(emu, "bob@contoso.com", { clientId: NATIVE });
    await expectAadError(
      await refresh(emu, bob.refresh_token, SPACES_SCOPE, { clientId: NATIVE, tenant: FABRIKAM }),
      400,
      "invalid_grant",
      50020,
    );
  });
});

describe("login: device code flow (§1.6)", () => {
  let emu: Emulator;
  let now = Date.UTC(2025, 0, 6, 9, 0, 0);
  before(async () => {
    emu = await startEmulator({ port: 0, now: () => now });
  });
  after(() => emu.close());

  const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
  const start = async (tenant = "organizations") => {
    const res = await fetch(`${emu.loginUrl}/${tenant}/oauth2/v2.0/devicecode`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ client_id: NATIVE, scope: SPACES_SCOPE }),
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/json; charset=utf-8");
    return (await res.json()) as Record<string, unknown>;
  };
  const poll = (deviceCode: string, tenant = "organizations") =>
    tokenCall(emu, { client_id: NATIVE, grant_type: DEVICE_GRANT, device_code: deviceCode }, { tenant });

  /** The person's side: open the verification page, enter the code, sign in. */
  const approve = async (verificationUri: string, code: string, login: string, password: string) => {
    const first = await fetch(verificationUri);
    assert.equal(first.status, 200);
    const codeForm = parseForm(await first.text());
    assert.ok(codeForm.fields.has("otc"));
    const entered = await fetch(new URL(codeForm.action, first.url), {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ otc: code.toLowerCase() }),
    });
    assert.equal(entered.status, 200);
    return submitForm(entered.url, await entered.text(), login, password);
  };

  it("answers the v2 devicecode fields with numbers as numbers", async () => {
    const dc = await start();
    assert.equal(typeof dc.user_code, "string");
    assert.equal(typeof dc.device_code, "string");
    assert.equal(dc.verification_uri, `${emu.loginUrl}/devicelogin`);
    assert.equal(dc.expires_in, 900);
    assert.equal(dc.interval, 5);
    assert.ok(String(dc.message).includes(String(dc.user_code)));
  });

  it("polls pending (the errors.json sample), then issues tokens once the person signs in", async () => {
    const dc = await start();
    const pending = await expectAadError(await poll(String(dc.device_code)), 400, "authorization_pending", 70016);
    const errors = sample<{ examples: Array<{ service: string; status: number; body: Record<string, unknown> }> }>(
      "errors.json",
    );
    const ex = errors.examples.find((e) => e.service === "aad-devicecode")!;
    assert.equal(pending.error, ex.body.error);
    assert.ok(String(pending.error_description).startsWith(String(ex.body.error_description).replace(/\.$/, "")));

    const wrong = await approve(String(dc.verification_uri), String(dc.user_code), "alice@contoso.com", "nope");
    assert.equal(wrong.status, 200);
    assert.match(await wrong.text(), /AADSTS50126/);
    now += 5000; // polls at the interval (sooner answers slow_down)
    await expectAadError(await poll(String(dc.device_code)), 400, "authorization_pending", 70016);

    const ok = await approve(String(dc.verification_uri), String(dc.user_code), "alice@contoso.com", emu.password);
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /You have signed in/);
    now += 5000;
    const res = await poll(String(dc.device_code));
    assert.equal(res.status, 200);
    const body = (await res.json()) as { access_token: string; refresh_token: string };
    assert.equal(jwtPayload(body.access_token).aud, "https://api.spaces.skype.com");
    assert.ok(body.refresh_token.startsWith("0.EMU"));
    await expectAadError(await poll(String(dc.device_code)), 400, "invalid_grant", 54005);
  });

  it("rejects a bad user code on the page, consumer accounts at organizations, and expires after 15 minutes", async () => {
    const bad = await fetch(`${emu.loginUrl}/devicelogin`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ otc: "NOTACODE1" }),
    });
    assert.equal(bad.status, 200);
    assert.match(await bad.text(), /That code didn.*t work/);

    const dc = await start();
    const consumer = await approve(
      String(dc.verification_uri),
      String(dc.user_code),
      "grace@outlook.com",
      emu.password,
    );
    assert.equal(consumer.status, 200);
    assert.match(await consumer.text(), /AADSTS50020/);

    const t0 = now;
    now += 901_000;
    try {
      await expectAadError(await poll(String(dc.device_code)), 400, "expired_token", 70019);
    } finally {
      now = t0;
    }
  });
});

describe("login: v1 endpoints (resource=)", () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ port: 0 });
  });
  after(() => emu.close());

  const v1 = (path: string, params: Record<string, string>) =>
    fetch(`${emu.loginUrl}/common/oauth2/${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(params),
    });

  it("answers devicecode with verification_url and numbers as strings; polls with code=", async () => {
    const res = await v1("devicecode", { client_id: NATIVE, resource: "https://api.spaces.skype.com" });
    assert.equal(res.status, 200);
    const dc = (await res.json()) as Record<string, unknown>;
    assert.equal(typeof dc.verification_url, "string");
    assert.equal(dc.verification_uri, undefined);
    assert.equal(dc.expires_in, "900");
    assert.equal(dc.interval, "5");
    const poll = await v1("token", { client_id: NATIVE, grant_type: "device_code", code: String(dc.device_code) });
    await expectAadError(poll, 400, "authorization_pending", 70016);
  });

  it("redeems a refresh token for a resource with the v1 token fields", async () => {
    const t = await signIn(emu, "alice@contoso.com", { clientId: NATIVE });
    const res = await v1("token", {
      client_id: NATIVE,
      grant_type: "refresh_token",
      refresh_token: t.refresh_token,
      resource: "https://chatsvcagg.teams.microsoft.com",
    });
    assert.equal(res.status, 200);
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(body.resource, "https://chatsvcagg.teams.microsoft.com");
    for (const k of ["expires_in", "ext_expires_in", "expires_on", "not_before"]) {
      assert.equal(typeof body[k], "string", k);
      assert.match(String(body[k]), /^\d+$/, k);
    }
    assert.equal(body.foci, "1");
    assert.equal(body.token_type, "Bearer");
    assert.ok(String(body.refresh_token).startsWith("0.EMU"));
    assert.equal(jwtPayload(String(body.access_token)).aud, "https://chatsvcagg.teams.microsoft.com");
  });

  it("serves the v1 authorize form (resource= becomes the request's scope)", async () => {
    const q = new URLSearchParams({
      client_id: NATIVE,
      response_type: "code",
      redirect_uri: NATIVE_REDIRECT,
      resource: "https://api.spaces.skype.com",
      state: "v1",
    });
    const page = await fetch(`${emu.loginUrl}/common/oauth2/authorize?${q}`);
    assert.equal(page.status, 200);
    const res = await submitForm(page.url, await page.text(), "bob@contoso.com", emu.password);
    assert.equal(res.status, 302);
    const code = redirectParams(res.headers.get("location")!).get("code")!;
    const tok = await v1("token", {
      client_id: NATIVE,
      grant_type: "authorization_code",
      code,
      redirect_uri: NATIVE_REDIRECT,
      resource: "https://api.spaces.skype.com",
    });
    assert.equal(tok.status, 200);
    assert.equal(((await tok.json()) as Record<string, unknown>).resource, "https://api.spaces.skype.com");
  });
});

describe("login: discovery", () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ port: 0 });
  });
  after(() => emu.close());

  it("serves OIDC metadata and a JWKS that verifies the id token", async () => {
    const meta = await fetch(`${emu.loginUrl}/${CONTOSO}/v2.0/.well-known/openid-configuration`);
    assert.equal(meta.status, 200);
    const m = (await meta.json()) as Record<string, string>;
    assert.equal(m.issuer, `${emu.loginUrl}/${CONTOSO}/v2.0`);
    assert.equal(m.token_endpoint, `${emu.loginUrl}/${CONTOSO}/oauth2/v2.0/token`);
    assert.equal(m.authorization_endpoint, `${emu.loginUrl}/${CONTOSO}/oauth2/v2.0/authorize`);
    const common = (await (
      await fetch(`${emu.loginUrl}/common/v2.0/.well-known/openid-configuration`)
    ).json()) as Record<string, string>;
    assert.equal(common.issuer, `${emu.loginUrl}/{tenantid}/v2.0`);

    const jose = await import("jose");
    const jwks = jose.createRemoteJWKSet(new URL(m.jwks_uri!));
    const t = await signIn(emu, "alice@contoso.com", { tenant: CONTOSO });
    const verified = await jose.jwtVerify(t.id_token!, jwks, { issuer: m.issuer, audience: WEB });
    assert.equal(verified.payload.tid, CONTOSO);
    const keys = (await (await fetch(m.jwks_uri!)).json()) as { keys: Array<Record<string, string>> };
    assert.equal(keys.keys[0]!.kty, "RSA");
    assert.equal(keys.keys[0]!.d, undefined, "never the private part");
  });
});
