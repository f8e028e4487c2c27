import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { HttpError } from "../src/http/types.js";
import { membershipsOf } from "../src/services/login/memberships.js";
import {
  createTokenService,
  type EmulatorTokenService,
  parseScopeParam,
  resourceOfScope,
  skypeTokenFromHeaders,
} from "../src/services/login/tokens.js";
import { Directory } from "../src/state/directory.js";

const LIFETIMES = {
  accessTokenSec: 3599,
  spaRefreshTokenSec: 86400,
  refreshTokenSec: 90 * 86400,
  skypeTokenSec: 86400,
};

async function setup(start = 1_718_200_000_000) {
  let now = start;
  const directory = new Directory();
  const tokens = await createTokenService({
    urls: { login: "http://127.0.0.1:1/login" },
    directory,
    now: () => now,
    lifetimes: LIFETIMES,
  });
  const alice = directory.byLogin("alice@contoso.com")!;
  const grace = directory.byLogin("grace@outlook.com")!;
  return { tokens, directory, alice, grace, advance: (ms: number) => (now += ms) };
}

function payloadOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8")) as Record<string, unknown>;
}

function status401(fn: () => unknown): boolean {
  try {
    fn();
    return false;
  } catch (err) {
    return err instanceof HttpError && err.status === 401;
  }
}

function spacesToken(tokens: EmulatorTokenService, directory: Directory, login: string, scope: string): string {
  const user = directory.byLogin(login)!;
  const membership = membershipsOf(directory, user)[0]!;
  const { grant } = parseScopeParam(scope, user.kind === "consumer");
  return tokens.mintAccessToken({ user, membership, clientId: "1fec8e78-bce4-4aaf-ab1b-5451cc387264", grant }).token;
}

describe("token service", () => {
  it("maps scopes to audiences", () => {
    assert.deepEqual(resourceOfScope("https://api.spaces.skype.com/.default", false), {
      audience: "https://api.spaces.skype.com",
      scp: "user_impersonation",
    });
    assert.equal(
      resourceOfScope("service::api.fl.spaces.skype.com::MBI_SSL", true).audience,
      "service::api.fl.spaces.skype.com::MBI_SSL",
    );
    assert.equal(
      resourceOfScope("https://mtsvc.fl.teams.microsoft.com/teams.mt.readwrite", true).audience,
      "https://mtsvc.fl.teams.microsoft.com/teams.mt.readwrite",
    );
    assert.throws(
      () =>
        parseScopeParam("https://api.spaces.skype.com/.default https://presence.teams.microsoft.com/.default", false),
      (e: unknown) => e instanceof HttpError && e.extra.aadCode === 28000,
    );
  });

  it("mints skypetokens with the §1.9 claims and verifies them", async () => {
    const { tokens, alice, grace } = await setup();
    const ent = tokens.mintSkypeToken(alice);
    assert.equal(ent.expiresIn, 86400);
    const claims = payloadOf(ent.token);
    assert.deepEqual(Object.keys(claims).sort(), ["aat", "cid", "csi", "exp", "iat", "rgn", "scp", "skypeid", "tid"]);
    assert.equal(claims.scp, 780);
    assert.equal(claims.skypeid, alice.skypeId);
    assert.equal((claims.exp as number) - (claims.iat as number), 86400);
    assert.equal(typeof claims.csi, "string");
    const id = tokens.verifySkypeToken(ent.token);
    assert.equal(id.mri, alice.mri);

    const con = payloadOf(tokens.mintSkypeToken(grace).token);
    assert.equal(con.scp, 956);
    assert.equal(con.tid, undefined);
    assert.equal(con.skypeid, "live:.cid.1a2b3c4d5e6f7081");
  });

  it("rejects expired, tampered, foreign and missing skypetokens with 401", async () => {
    const { tokens, alice, advance } = await setup();
    const { token } = tokens.mintSkypeToken(alice);
    assert.ok(status401(() => tokens.verifySkypeToken("")));
    const [h, p, s] = token.split(".") as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ ...payloadOf(token), skypeid: "orgid:someone-else" })).toString(
      "base64url",
    );
    assert.ok(status401(() => tokens.verifySkypeToken(`${h}.${forged}.${s}`)));
    assert.ok(status401(() => tokens.verifySkypeToken(`${h}.${p}`)));
    // A token minted by another emulator instance (same process key) is not accepted.
    const other = await setup();
    assert.ok(status401(() => other.tokens.verifySkypeToken(token)));
    // Expiry follows the injected clock.
    advance(86_399_000);
    assert.equal(tokens.verifySkypeToken(token).user.oid, alice.oid);
    advance(1000);
    assert.ok(status401(() => tokens.verifySkypeToken(token)));
  });

  it("verifies bearer audience and kind", async () => {
    const { tokens, directory } = await setup();
    const spaces = spacesToken(tokens, directory, "alice@contoso.com", "https://api.spaces.skype.com/.default");
    const id = tokens.verifyBearer(spaces, "https://api.spaces.skype.com");
    assert.equal(id.user.login, "alice@contoso.com");
    assert.deepEqual(id.scopes, ["user_impersonation"]);
    assert.ok(status401(() => tokens.verifyBearer(spaces, "https://presence.teams.microsoft.com")));
    assert.ok(status401(() => tokens.verifyBearer("", "https://api.spaces.skype.com")));
    // A skypetoken is not a bearer token and vice versa.
    const alice = directory.byLogin("alice@contoso.com")!;
    assert.ok(status401(() => tokens.verifyBearer(tokens.mintSkypeToken(alice).token, "https://api.spaces.skype.com")));
    assert.ok(status401(() => tokens.verifySkypeToken(spaces)));
    const claims = payloadOf(spaces);
    for (const k of ["iss", "aud", "tid", "oid", "name", "upn", "preferred_username", "scp", "azp", "appid"]) {
      assert.ok(k in claims, `claim ${k}`);
    }
    assert.equal(claims.iss, `http://127.0.0.1:1/login/${alice.tenantId}/v2.0`);
  });

  it("expireAll expires everything issued so far but not what comes after", async () => {
    const { tokens, alice } = await setup();
    const before = tokens.mintSkypeToken(alice).token;
    tokens.expireAll();
    const after = tokens.mintSkypeToken(alice).token;
    assert.ok(status401(() => tokens.verifySkypeToken(before)));
    assert.equal(tokens.verifySkypeToken(after).mri, alice.mri);
  });

  it("reads skypetokens from both header forms", () => {
    assert.equal(skypeTokenFromHeaders({ "x-skypetoken": "abc" }), "abc");
    assert.equal(skypeTokenFromHeaders({ authentication: "skypetoken=abc" }), "abc");
    assert.equal(skypeTokenFromHeaders({}), "");
  });
});
