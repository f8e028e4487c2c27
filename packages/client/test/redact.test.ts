/**
 * The one redactor: secret keys in objects, headers, URL queries and fragments; token shapes in any
 * string; registered secret values anywhere. Assertions never print the secrets they look for.
 */
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isSecretKey, REDACTED, Redactor } from "../src/http/redact.js";

const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString("base64url");
/** A JWT-shaped string built at run time (never a literal in output). */
const fakeJwt = (): string =>
  `${b64({ alg: "RS256", typ: "JWT" })}.${b64({ sub: "x", n: Math.random() })}.c2lnbmF0dXJl`;
const fakeRefresh = (): string => `0.EMU${"A1b2C3d4".repeat(6)}`;

/** Asserts `text` does not contain `secret`, without echoing either. */
function hidden(text: string, secret: string, what: string): void {
  assert.ok(!text.includes(secret), `${what}: a secret survived redaction`);
}

describe("redactor", () => {
  const r = new Redactor();

  it("knows which keys are secret, and which code-like keys are public", () => {
    for (const k of [
      "access_token",
      "refresh_token",
      "Authorization",
      "Cookie",
      "Set-Cookie",
      "X-Skypetoken",
      "code",
      "code_verifier",
      "client_secret",
      "password",
      "passwd",
      "client_assertion",
      "Authentication",
    ]) {
      assert.equal(isSecretKey(k), true, k);
    }
    for (const k of ["errorCode", "errorSubCode", "error_codes", "code_challenge_method", "message", "state"]) {
      assert.equal(isSecretKey(k), false, k);
    }
  });

  it("scrubs JWTs, refresh tokens and header credentials from free text", () => {
    const jwt = fakeJwt();
    const rt = fakeRefresh();
    const text = `token ${jwt} and rt=${rt} with Bearer abc.def-ghi and skypetoken=xyz123 end`;
    const out = r.string(text);
    hidden(out, jwt, "jwt");
    hidden(out, rt, "refresh token");
    hidden(out, "abc.def-ghi", "bearer value");
    hidden(out, "xyz123", "skypetoken value");
    assert.match(out, /end$/);
    assert.match(out, /Bearer \[redacted\]/);
  });

  it("scrubs MSA-style refresh tokens and opaque access tokens", () => {
    const msa = `M.C552_BAY.0.U.-${"Cq7xyz!".repeat(5)}`;
    const opaque = `EwA${"BcDeFgHiJk".repeat(6)}`;
    const out = r.string(`${msa} ${opaque}`);
    hidden(out, msa, "msa refresh");
    hidden(out, opaque, "opaque access");
  });

  it("leaves ordinary text, ids and version strings alone", () => {
    const text =
      "Conversation 19:abc@thread.v2 not found; client 27/1.0.0.2023052414; message 1718200000123; errorCode=404";
    assert.equal(r.string(text), text);
  });

  it("redacts secret query and fragment parameters of URLs", () => {
    const url =
      "https://login.example/cb?code=SECRETCODE&state=s1&session_state=abc#access_token=FRAG&id_token=ID2&state=s2";
    const out = r.url(url);
    hidden(out, "SECRETCODE", "query code");
    hidden(out, "FRAG", "fragment token");
    hidden(out, "ID2", "fragment id token");
    assert.match(out, /state=s1/);
    assert.match(out, /code=\[redacted\]/);
  });

  it("redacts headers by name and scrubs values", () => {
    const jwt = fakeJwt();
    const out = r.headers(
      new Headers({ authorization: `Bearer ${jwt}`, "x-skypetoken": jwt, accept: "application/json" }),
    );
    assert.equal(out.authorization, REDACTED);
    assert.equal(out["x-skypetoken"], REDACTED);
    assert.equal(out.accept, "application/json");
  });

  it("deep-redacts objects and keeps public codes", () => {
    const jwt = fakeJwt();
    const out = r.value({
      errorCode: "UserLicenseNotPresentForbidden",
      status: { code: 40120, text: `bad ${jwt}` },
      tokens: { skypeToken: jwt, expiresIn: 86400 },
      list: [{ refresh_token: "x".repeat(30) }],
      password: "hunter22",
    }) as Record<string, unknown>;
    const json = JSON.stringify(out);
    hidden(json, jwt, "nested jwt");
    hidden(json, "hunter22", "password");
    assert.equal(out.errorCode, "UserLicenseNotPresentForbidden");
    assert.equal((out.status as { code: number }).code, 40120);
    assert.equal(out.tokens, REDACTED);
  });

  it("scrubs registered secrets of any shape, everywhere", () => {
    const red = new Redactor();
    const canary = `CANARY${"-"}TOKEN-${Math.random().toString(36).slice(2)}`;
    red.addSecret(canary);
    const out = red.string(`failed with ${canary} inside`);
    hidden(out, canary, "registered secret");
    hidden(red.url(`https://x.example/p/${canary}`), canary, "in a URL path");
    hidden(JSON.stringify(red.value({ note: canary })), canary, "in a value");
  });

  it("never throws on odd input", () => {
    assert.equal(typeof r.url("not a url ?code=abc"), "string");
    assert.ok(!r.url("not a url ?code=abcdef").includes("abcdef"));
    const cyclicish: Record<string, unknown> = {};
    let cur = cyclicish;
    for (let i = 0; i < 100; i++) {
      const next: Record<string, unknown> = {};
      cur.n = next;
      cur = next;
    }
    assert.doesNotThrow(() => r.value(cyclicish));
  });
});
