/**
 * The token manager against the emulator, with an injected clock: refresh ahead of expiry (access
 * tokens and the skypetoken), single-flight under 50 concurrent callers, 401 → refresh → retry once,
 * and sign-out. Requests are counted by a wrapper around the real fetch.
 */
import * as assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { Emulator } from "@teams-api/emulator";
import { AUDIENCES } from "@teams-api/protocol";
import { AuthenticationError, NotSignedInError, type TeamsClient } from "../src/index.js";
import { ALICE, clientFor, control, countingFetch, emulator, PASSWORD } from "./auth-helpers.js";

const TOKEN = /\/oauth2\/v2\.0\/token$/;
const AUTHZ = /^\/api\/authsvc\/v1\.0\/authz$/;
const MT = /^\/api\/mt\//;
const MIN = 60_000;

describe("token manager", () => {
  let emu: Emulator;
  let clock: number;
  let counting: ReturnType<typeof countingFetch>;
  let client: TeamsClient;

  /** A middle-tier call with the spaces bearer token. */
  const tenants = async (c: TeamsClient = client) => {
    const mt = (await c.context.endpoints()).middleTier;
    return c.context.transport.request<{ length?: number }>({
      method: "GET",
      url: `${mt}/beta/users/tenants`,
      auth: { kind: "bearer", audience: AUDIENCES.spaces },
    });
  };

  before(async () => {
    emu = await emulator();
  });
  after(async () => {
    await emu.close();
  });
  beforeEach(async () => {
    await control(emu, "/faults", undefined, "DELETE");
    clock = Date.now();
    counting = countingFetch();
    client = clientFor(emu, { fetch: counting.fetch, now: () => clock });
    await client.signInWithPassword(ALICE, PASSWORD);
    counting.reset();
  });

  it("uses cached tokens while they are fresh, and refreshes 5 minutes ahead of expiry", async () => {
    await tenants();
    assert.equal(counting.count("POST", TOKEN), 0, "fresh token reused");

    const signedInAt = clock;
    clock = signedInAt + 3599_000 - 6 * MIN; // 6 min left: still fresh
    await tenants();
    assert.equal(counting.count("POST", TOKEN), 0);

    clock = signedInAt + 3599_000 - 4 * MIN; // 4 min left: refresh ahead
    await tenants();
    assert.equal(counting.count("POST", TOKEN), 1);
    await tenants();
    assert.equal(counting.count("POST", TOKEN), 1, "the new token is reused");
  });

  it("refreshes the skypetoken ahead of its expiry too", async () => {
    await client.whoami();
    assert.equal(counting.count("POST", AUTHZ), 0);
    clock += 86_400_000 - 4 * MIN;
    const who = await client.whoami();
    assert.equal(who.displayName, "Alice Example");
    assert.equal(counting.count("POST", AUTHZ), 1);
    // The spaces token (1 h) had expired as well: one refresh bought the bearer for authz.
    assert.equal(counting.count("POST", TOKEN), 1);
  });

  it("single-flight: 50 concurrent callers share one refresh per audience", async () => {
    clock += 2 * 3600_000; // every access token stale
    const results = await Promise.all(Array.from({ length: 50 }, () => tenants()));
    assert.equal(results.length, 50);
    for (const r of results) assert.equal(r.status, 200);
    assert.equal(counting.count("POST", TOKEN), 1);
    assert.equal(counting.count("GET", MT), 50);

    clock += 25 * 3600_000; // the skypetoken is stale now too
    counting.reset();
    const who = await Promise.all(Array.from({ length: 50 }, () => client.whoami()));
    assert.equal(new Set(who.map((w) => w.mri)).size, 1);
    assert.equal(counting.count("POST", AUTHZ), 1);
    assert.equal(counting.count("POST", TOKEN), 1);
  });

  it("on 401 refreshes the token it sent and retries once", async () => {
    await tenants();
    counting.reset();
    await control(emu, "/tokens/expire"); // access and skypetokens die server-side; the client cannot know
    const res = await tenants();
    assert.equal(res.status, 200);
    assert.equal(counting.count("GET", MT), 2);
    assert.equal(counting.count("POST", TOKEN), 1);
  });

  it("a rejected skypetoken is re-minted, through authz' own 401 → bearer refresh → retry", async () => {
    await client.whoami();
    counting.reset();
    await control(emu, "/tokens/expire"); // the skypetoken and the spaces bearer die server-side
    const chat = (await client.context.endpoints()).chatService;
    const res = await client.context.transport.request<{ skypeName?: string }>({
      method: "GET",
      url: `${chat}/v1/users/ME/properties`,
      auth: { kind: "skypetoken" },
    });
    assert.equal(res.status, 200);
    assert.equal(counting.count("GET", /\/v1\/users\/ME\/properties$/), 2);
    assert.equal(counting.count("POST", AUTHZ), 2); // 401 with the dead bearer, then success
    assert.equal(counting.count("POST", TOKEN), 1);
    const sent = counting.calls.filter((c) => c.url.pathname.endsWith("/properties"));
    assert.ok(
      sent.every((c) => /^skypetoken=/.test(c.headers.get("authentication") ?? "")),
      "Authentication header",
    );
    assert.notEqual(sent[0]?.headers.get("authentication"), sent[1]?.headers.get("authentication"), "a new skypetoken");
  });

  it("gives up after one retry when the service keeps answering 401", async () => {
    await tenants();
    counting.reset();
    await control(emu, "/faults", { status: 401, count: 2, path: "^/api/mt/" });
    await assert.rejects(tenants(), (err: Error) => {
      assert.ok(err instanceof AuthenticationError);
      assert.equal(err.status, 401);
      return true;
    });
    assert.equal(counting.count("GET", MT), 2);
    assert.equal(counting.count("POST", TOKEN), 1);
  });

  it("logout forgets the session", async () => {
    await client.logout();
    assert.equal(client.isSignedIn(), false);
    await assert.rejects(client.whoami(), NotSignedInError);
    await assert.rejects(tenants(), NotSignedInError);
  });
});
