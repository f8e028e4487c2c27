/**
 * Pure auth pieces: cloud roots, account profiles, scope strings, the three authz answer shapes,
 * the service error shapes, the one-sentence sign-in errors and pasted redirect parsing.
 */
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  CLIENT_IDS,
  CONSUMER_MT_SCOPE,
  CONSUMER_SPACES_SCOPE,
  CONSUMER_TENANT_ID,
  parseSignInForm,
} from "@teams-api/protocol";
import { parseAuthzResponse } from "../src/auth/authz.js";
import { callbackParams } from "../src/auth/login.js";
import { SPA_ORIGIN_MISSING, tokenEndpointError } from "../src/auth/messages.js";
import {
  accountProfile,
  kindFromTenant,
  resolveCloud,
  resolveRoots,
  scopeForAudience,
  spaClientFor,
} from "../src/auth/profiles.js";
import { parseSession, serializeSession } from "../src/auth/session.js";
import { AuthenticationError, ProtocolError } from "../src/errors.js";
import { apiErrorFromResponse, parseServiceError } from "../src/http/error-map.js";
import { Redactor } from "../src/http/redact.js";

const SAMPLES = join(import.meta.dirname, "../../../../shared/protocol/samples");
// biome-ignore lint/suspicious/noExplicitAny: sample files are free-form JSON read by tests
type Json = any;
const sample = (name: string): Json => JSON.parse(readFileSync(join(SAMPLES, name), "utf8"));
const request = { method: "POST", url: "https://login.example/common/oauth2/v2.0/token" };

describe("clouds and roots", () => {
  it("picks the cloud from the option, then TEAMS_CLOUD, then enterprise", () => {
    assert.equal(resolveCloud("consumer", { TEAMS_CLOUD: "emulator" }), "consumer");
    assert.equal(resolveCloud(undefined, { TEAMS_CLOUD: "Emulator" }), "emulator");
    assert.equal(resolveCloud(undefined, { TEAMS_CLOUD: "mars" }), "enterprise");
    assert.equal(resolveCloud(undefined, {}), "enterprise");
  });

  it("uses the real roots, by account kind, for real clouds", () => {
    assert.deepEqual(resolveRoots("enterprise", "enterprise", {}, {}), {
      loginUrl: "https://login.microsoftonline.com",
      baseUrl: "https://teams.microsoft.com",
    });
    // A consumer account detected under the enterprise cloud moves to teams.live.com.
    assert.equal(resolveRoots("enterprise", "consumer", {}, {}).baseUrl, "https://teams.live.com");
    assert.equal(resolveRoots("consumer", undefined, {}, {}).baseUrl, "https://teams.live.com");
  });

  it("reads the emulator roots from options, then env, then the default port", () => {
    assert.deepEqual(resolveRoots("emulator", "consumer", {}, {}), {
      loginUrl: "http://127.0.0.1:4380/login",
      baseUrl: "http://127.0.0.1:4380",
    });
    const env = { TEAMS_LOGIN_URL: "http://127.0.0.1:9/login/", TEAMS_BASE_URL: "http://127.0.0.1:9" };
    assert.deepEqual(resolveRoots("emulator", "enterprise", {}, env), {
      loginUrl: "http://127.0.0.1:9/login",
      baseUrl: "http://127.0.0.1:9",
    });
    assert.equal(
      resolveRoots("emulator", "enterprise", { baseUrl: "http://127.0.0.1:7" }, env).baseUrl,
      "http://127.0.0.1:7",
    );
  });
});

describe("account profiles", () => {
  it("detects the consumer tenant", () => {
    assert.equal(kindFromTenant(CONSUMER_TENANT_ID), "consumer");
    assert.equal(kindFromTenant("5c3e9a1d-8f2b-4d7a-9e61-0b4f2c8d7a10"), "enterprise");
    assert.equal(kindFromTenant(undefined), "enterprise");
  });

  it("enterprise: tenant token endpoint, spaces scope, authsvc, the issuing client", () => {
    const tid = "5c3e9a1d-8f2b-4d7a-9e61-0b4f2c8d7a10";
    const p = accountProfile("enterprise", tid, CLIENT_IDS.teamsNative);
    assert.equal(p.tenant, tid);
    assert.equal(p.clientId, CLIENT_IDS.teamsNative);
    assert.equal(p.origin, undefined);
    assert.equal(p.spacesAudience, "https://api.spaces.skype.com");
    assert.equal(p.authzPath, "/api/authsvc/v1.0/authz");
    assert.equal(p.middleTierAudience, "https://api.spaces.skype.com");
    // SPA-issued: redeem as that SPA, with its Origin.
    const web = accountProfile("enterprise", tid, CLIENT_IDS.teamsWeb);
    assert.equal(web.origin, "https://teams.microsoft.com");
    assert.equal(accountProfile("enterprise", undefined, CLIENT_IDS.teamsNative).tenant, "common");
  });

  it("consumer: consumers endpoint, consumer web client with Origin, MBI_SSL scope, consumer authz", () => {
    const p = accountProfile("consumer", CONSUMER_TENANT_ID, CLIENT_IDS.teamsConsumerWeb);
    assert.equal(p.tenant, "consumers");
    assert.equal(p.clientId, CLIENT_IDS.teamsConsumerWeb);
    assert.equal(p.origin, "https://teams.live.com");
    assert.equal(p.spacesAudience, CONSUMER_SPACES_SCOPE);
    assert.equal(p.authzPath, "/api/auth/v1.0/authz/consumer");
    assert.equal(p.authzHeaders.origin, "https://teams.live.com");
    assert.equal(p.middleTierAudience, CONSUMER_MT_SCOPE);
  });

  it("builds scopes from audiences", () => {
    assert.equal(scopeForAudience("https://api.spaces.skype.com"), "https://api.spaces.skype.com/.default");
    assert.equal(
      scopeForAudience("https://presence.teams.microsoft.com/"),
      "https://presence.teams.microsoft.com/.default",
    );
    assert.equal(scopeForAudience(CONSUMER_SPACES_SCOPE), CONSUMER_SPACES_SCOPE);
    assert.equal(scopeForAudience(CONSUMER_MT_SCOPE), CONSUMER_MT_SCOPE);
    assert.equal(scopeForAudience("https://x.example/.default"), "https://x.example/.default");
  });

  it("knows each cloud's single-page-app client for the paste flow", () => {
    assert.deepEqual(spaClientFor("enterprise"), {
      clientId: CLIENT_IDS.teamsWeb,
      redirectUri: "https://teams.microsoft.com/v2",
      origin: "https://teams.microsoft.com",
    });
    assert.equal(spaClientFor("consumer").redirectUri, "https://teams.live.com/v2");
  });
});

describe("authz answers", () => {
  const now = 1_000_000;
  it("reads the enterprise sample", () => {
    const s = parseAuthzResponse(sample("auth-authz-enterprise.json").response.body, now);
    assert.equal(s.expiresAt, now + 86_400_000);
    assert.equal(s.regionGtms.chatService, "https://emea.ng.msg.teams.microsoft.com");
    assert.equal(s.skypeId, "orgid:2b7e4f10-6c1d-4e8a-a3f5-9d0c1b2e3f41"); // from the token's claims
    assert.equal(s.region, "emea");
  });

  it("reads all three consumer shapes", () => {
    const body = sample("auth-authz-consumer.json").response.body;
    const objectShape = parseAuthzResponse(body, now);
    assert.equal(objectShape.skypeId, "live:.cid.1a2b3c4d5e6f7081");
    assert.equal(objectShape.signinName, "alice@outlook.com");
    assert.equal(objectShape.expiresAt, now + 86_372_000);
    const tokensShape = parseAuthzResponse(
      { tokens: { skypeToken: "opaque-skype", expiresIn: 100 }, regionGtms: body.regionGtms },
      now,
    );
    assert.equal(tokensShape.expiresAt, now + 100_000);
    const flat = parseAuthzResponse(
      { skypeToken: "opaque-skype", skypeTokenExpiresIn: 50, regionGtms: body.regionGtms },
      now,
    );
    assert.equal(flat.expiresAt, now + 50_000);
    assert.equal(flat.regionGtms.middleTier, "https://teams.live.com/api/mt");
  });

  it("refuses answers without a token or a service map, without echoing them", () => {
    assert.throws(() => parseAuthzResponse("nope", now), ProtocolError);
    assert.throws(() => parseAuthzResponse({ regionGtms: { chatService: "x" } }, now), ProtocolError);
    assert.throws(
      () => parseAuthzResponse({ skypeToken: "secret-value-here" }, now),
      (e: Error) => {
        assert.ok(e instanceof ProtocolError);
        assert.ok(!e.message.includes("secret-value-here"));
        return true;
      },
    );
  });
});

describe("service error shapes", () => {
  const examples = sample("errors.json").examples as Array<{ service: string; status: number; body: unknown }>;
  it("reads chat, presence and AAD bodies from the samples", () => {
    for (const ex of examples) {
      const parsed = parseServiceError(ex.body);
      assert.notEqual(parsed.serviceCode, undefined, ex.service);
    }
    const aad = examples.find((e) => e.service === "aad")!;
    assert.equal(parseServiceError(aad.body).serviceCode, "AADSTS9002327");
    assert.equal(parseServiceError(aad.body).oauthError, "invalid_request");
  });
  it("reads authsvc string codes and the legacy status shape", () => {
    for (const ex of sample("auth-authz-enterprise.json").error_examples as Array<{ body: unknown }>) {
      assert.notEqual(parseServiceError(ex.body).serviceCode, undefined);
    }
    assert.equal(parseServiceError({ status: { code: 40120, text: "expired" } }).serviceCode, 40120);
    assert.equal(
      parseServiceError({ errorCode: "GuestUserNotRedeemed", message: "m" }).serviceCode,
      "GuestUserNotRedeemed",
    );
  });
  it("maps statuses to typed errors with request id and Retry-After", () => {
    const r = new Redactor();
    const err = apiErrorFromResponse(
      {
        status: 429,
        headers: new Headers({ "retry-after": "7", "ms-cv": "cv1" }),
        body: examples[0]!.body,
        request: { method: "GET", url: "https://h.example/v1/x" },
      },
      r,
    );
    assert.equal(err.name, "RateLimitError");
    assert.equal((err as { retryAfterMs?: number }).retryAfterMs, 7000);
    assert.equal(err.requestId, "cv1");
    assert.equal(err.serviceCode, 429);
    const html = apiErrorFromResponse(
      {
        status: 401,
        headers: new Headers(),
        body: undefined,
        html: true,
        request: { method: "GET", url: "https://h.example/" },
      },
      r,
    );
    assert.equal(html.name, "AuthenticationError");
    assert.match(html.message, /web page/);
  });
});

describe("sign-in error sentences", () => {
  const r = new Redactor();
  const aadBody = (code: number, error = "invalid_grant") => ({
    error,
    error_description: `AADSTS${code}: details. Trace ID: t Correlation ID: c Timestamp: now`,
    error_codes: [code],
  });
  const err = (code: number, grant: "code" | "refresh", error?: string) =>
    tokenEndpointError({ status: 400, headers: new Headers(), body: aadBody(code, error), request, grant }, r);

  it("one sentence per known failure, AAD code kept in serviceCode", () => {
    const spa = err(9002327, "code", "invalid_request");
    assert.ok(spa instanceof AuthenticationError);
    assert.equal(spa.message, SPA_ORIGIN_MISSING);
    assert.equal(spa.serviceCode, "AADSTS9002327");
    assert.equal(
      err(50148, "code").message,
      "The sign-in code did not match its PKCE verifier; start the sign-in again with `teams login`.",
    );
    // A refused session: the reason, the code, and `teams login` — for every code and any invalid_grant.
    for (const code of [700082, 70043, 9002313, 99999]) {
      assert.match(
        err(code, "refresh").message,
        new RegExp(
          `^Your saved session (has expired|is no longer valid) \\(.*AADSTS${code}\\); sign in again with \`teams login\`\\.$`,
        ),
      );
    }
    const other = err(12345, "code", "invalid_request");
    assert.match(other.message, /AADSTS12345/);
    for (const e of [spa, other]) {
      assert.equal(e.message.split(/[.;] /).length <= 2, true);
      assert.ok(!/\n|at .*\(/.test(e.message), "no stack in the message");
    }
  });
});

describe("pasted redirects", () => {
  it("reads the code from the query, the fragment or a bare string", () => {
    assert.equal(callbackParams("https://teams.microsoft.com/v2?code=c1&state=s").get("code"), "c1");
    assert.equal(callbackParams("https://teams.microsoft.com/v2#code=c2&state=s").get("code"), "c2");
    assert.equal(callbackParams("  code=c3&state=s ").get("code"), "c3");
    assert.equal(
      callbackParams("https://teams.microsoft.com/v2?error=access_denied&state=s").get("error"),
      "access_denied",
    );
  });
});

describe("stored sessions", () => {
  const session = {
    cloud: "emulator" as const,
    loginUrl: "http://127.0.0.1:1/login",
    baseUrl: "http://127.0.0.1:1",
    kind: "enterprise" as const,
    tenantId: "t",
    clientId: CLIENT_IDS.teamsNative,
    refreshToken: "rt-value-1234567890",
    account: { name: "Alice", username: "alice@contoso.com" },
    accessTokens: { "https://api.spaces.skype.com": { token: "at", expiresAt: 5 } },
    skype: { token: "sk", expiresAt: 6, regionGtms: { chatService: "http://127.0.0.1:1", middleTier: "m" } },
  };
  it("round-trips, and the compact form leaves cached tokens out", () => {
    assert.deepEqual(parseSession(serializeSession(session)), { ...session, skype: { ...session.skype } });
    const compact = parseSession(serializeSession(session, true))!;
    assert.deepEqual(compact.accessTokens, {});
    assert.equal(compact.skype, undefined);
  });
  it("treats malformed data as no session", () => {
    for (const text of [
      "",
      "{",
      "null",
      "[]",
      '{"version":2}',
      JSON.stringify({ ...JSON.parse(serializeSession(session)), refreshToken: 5 }),
      JSON.stringify({ ...JSON.parse(serializeSession(session)), kind: "martian" }),
    ]) {
      assert.equal(parseSession(text), undefined, text.slice(0, 20));
    }
    // Bad cached entries are dropped, the session survives.
    const withJunk = { ...JSON.parse(serializeSession(session)), accessTokens: { a: { token: 1 } }, skype: "x" };
    const parsed = parseSession(JSON.stringify(withJunk))!;
    assert.deepEqual(parsed.accessTokens, {});
    assert.equal(parsed.skype, undefined);
  });
});

describe("sign-in form reading", () => {
  it("finds the action, hidden fields, user name and password fields, and the page's error", () => {
    const form = parseSignInForm(`<!DOCTYPE html><html><body><main>
      <form method="post" action="/login/common/login">
        <p id="error" class="error" role="alert" data-aadsts="50126">Your account or password is <b>incorrect</b>.</p>
        <input id="login" name="login" type="email" value="a@b.c">
        <input id="passwd" name="passwd" type="password">
        <input type="hidden" name="client_id" value="x&amp;y">
        <input type="hidden" name="state" value="s">
        <input type="checkbox" name="remember">
        <button type="submit">Sign in</button>
      </form></main></body></html>`);
    assert.ok(form);
    assert.equal(form.action, "/login/common/login");
    assert.equal(form.method, "POST");
    assert.equal(form.usernameField, "login");
    assert.equal(form.passwordField, "passwd");
    assert.deepEqual(form.fields, [
      ["client_id", "x&y"],
      ["state", "s"],
    ]);
    assert.equal(form.error, "Your account or password is incorrect.");
    assert.equal(form.errorCode, "50126");
  });

  it("answers undefined for script-driven pages, forms without a password, and huge or odd input", () => {
    assert.equal(
      parseSignInForm('<html><body><div id="root"></div><script src="/app.js"></script></body></html>'),
      undefined,
    );
    assert.equal(parseSignInForm('<form action="/search"><input name="q"></form>'), undefined);
    assert.equal(parseSignInForm("<".repeat(600_000)), undefined);
    assert.equal(parseSignInForm(`${"<div>".repeat(20_000)}<form`), undefined);
  });
});
