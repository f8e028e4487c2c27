import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Emulator, startEmulator } from "../src/emulator.js";

/**
 * Strict by default (GUIDE §4): an unknown endpoint under each service's mount answers 404 in that
 * service's own error shape with a clear "not emulated" message, and a known path with the wrong
 * method answers 405 — never a silent 200.
 */

type Shape = (body: Record<string, unknown>, status: number) => void;

const aad: Shape = (body) => {
  assert.equal(typeof body.error, "string");
  assert.match(String(body.error_description), /^AADSTS\d+: /);
  assert.ok(Array.isArray(body.error_codes));
  for (const k of ["timestamp", "trace_id", "correlation_id"]) assert.equal(typeof body[k], "string", k);
};
const authsvc: Shape = (body, status) => {
  const s = body.status as { code: number; text: string };
  assert.equal(typeof s, "object");
  assert.equal(Math.floor(s.code / 100), status);
  assert.equal(typeof s.text, "string");
};
const mt: Shape = (body) => {
  assert.equal(typeof body.errorCode, "string");
  assert.equal(typeof body.message, "string");
};
const numeric: Shape = (body, status) => {
  assert.equal(body.errorCode, status);
  assert.equal(typeof body.message, "string");
};

const CASES: Array<{ mount: string; unknown: string; wrongMethod?: [string, string]; shape: Shape }> = [
  {
    mount: "/login",
    unknown: "/login/common/oauth2/v2.0/nope",
    wrongMethod: ["GET", "/login/common/oauth2/v2.0/token"],
    shape: aad,
  },
  {
    mount: "/api/authsvc",
    unknown: "/api/authsvc/v1.0/nope",
    wrongMethod: ["GET", "/api/authsvc/v1.0/authz"],
    shape: authsvc,
  },
  {
    mount: "/api/auth",
    unknown: "/api/auth/v1.0/authz/nope",
    wrongMethod: ["PUT", "/api/auth/v1.0/authz/consumer"],
    shape: authsvc,
  },
  {
    mount: "/api/mt",
    unknown: "/api/mt/emea/beta/nope",
    wrongMethod: ["DELETE", "/api/mt/part/emea-02/beta/users/tenants"],
    shape: mt,
  },
  {
    mount: "/api/mt (GET on a POST-only endpoint)",
    unknown: "/api/mt/beta/users/tenants/extra/segments",
    wrongMethod: ["GET", "/api/mt/emea/beta/users/fetchShortProfile"],
    shape: mt,
  },
  {
    mount: "/_emulator",
    unknown: "/_emulator/nope",
    wrongMethod: ["DELETE", "/_emulator/health"],
    shape: numeric,
  },
  { mount: "/ (chat service root)", unknown: "/definitely/not/a/teams/endpoint", shape: numeric },
];

describe("strictness", () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ port: 0 });
  });
  after(() => emu.close());

  for (const c of CASES) {
    it(`${c.mount}: unknown path → 404, wrong method → 405, in the service's shape`, async () => {
      const res = await fetch(`${emu.origin}${c.unknown}`, { method: "POST", body: "{}" });
      assert.equal(res.status, 404, c.unknown);
      assert.equal(res.headers.get("content-type"), "application/json; charset=utf-8");
      const body = (await res.json()) as Record<string, unknown>;
      c.shape(body, 404);
      assert.match(JSON.stringify(body), /not emulated/);
      if (c.wrongMethod) {
        const [method, path] = c.wrongMethod;
        const wrong = await fetch(`${emu.origin}${path}`, { method });
        assert.equal(wrong.status, 405, `${method} ${path}`);
        assert.equal(wrong.headers.get("content-type"), "application/json; charset=utf-8");
        c.shape((await wrong.json()) as Record<string, unknown>, 405);
      }
    });
  }
});
