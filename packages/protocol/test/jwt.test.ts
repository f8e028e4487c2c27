import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeJwtPayload } from "../src/index.js";

const part = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString("base64url");

describe("decodeJwtPayload", { timeout: 10_000 }, () => {
  it("reads the claims of a compact JWS without verifying it", () => {
    const claims = { skypeid: "orgid:abc", exp: 1_900_000_000, name: "Zoë ✓" };
    assert.deepEqual(decodeJwtPayload(`${part({ alg: "RS256" })}.${part(claims)}.sig`), claims);
  });

  it("refuses what is not a JWT with a JSON object payload", () => {
    for (const bad of ["", "a.b", "a.b.c.d.e", `x.${part([1, 2])}.s`, `x.${part("s")}.s`, "x.###.s", "x.e30=.s"]) {
      assert.throws(() => decodeJwtPayload(bad), `${bad} should be refused`);
    }
    assert.deepEqual(decodeJwtPayload("x.e30.s"), {});
  });
});
