/**
 * Issue 12: the emulator survives malformed, oversized and deeply nested bodies on every route.
 * fast-check picks a route, a path matching it, a method, credentials and a hostile body; every
 * answer must be an HTTP answer below 500 (a 5xx here is a handler that crashed). Afterwards the
 * health check answers and every demo chat still reads normally. CI runs 10,000 cases
 * (FC_NUM_RUNS); locally fewer. The control plane (`/_emulator/*`) is the tests' own harness, not
 * an emulated service, so it is left out: a fuzzed fault or reset would only test the fuzzer.
 */
import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DEMO_CHAT_IDS } from "@teams-api/emulator";
import fc from "fast-check";
import type { MountedRoute as Route } from "../src/hosts.js";
import { ALICE, ChatWorld, messagesPath } from "./chat-helpers.js";

const numRuns = Number(process.env.FC_NUM_RUNS ?? 300);

/** A generator of decoded paths matching a route (lookaheads dropped, then checked by the real pattern). */
function pathsFor(route: Route): fc.Arbitrary<string> {
  const source = route.pattern.source.replace(/\(\?[!=](?:[^()]|\([^()]*\))*\)/g, "");
  return fc.stringMatching(new RegExp(source, route.pattern.flags)).filter((p) => route.pattern.test(p));
}

/** Encodes a decoded path for the wire, one segment at a time (the server decodes it back). */
const encodePath = (path: string): string => path.split("/").map(encodeURIComponent).join("/");

const nested = (depth: number, open: string, close: string): string => open.repeat(depth) + close.repeat(depth);

/** Bodies a careless or hostile client sends. */
const bodies: fc.Arbitrary<string | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.string({ maxLength: 200 }),
  fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v)),
  fc.integer({ min: 50, max: 5000 }).map((d) => nested(d, "[", "]")),
  fc
    .integer({ min: 50, max: 5000 })
    .map((d) => `{"content":"x","messagetype":"Text","properties":${'{"a":'.repeat(d)}1${"}".repeat(d)}}`),
  fc.integer({ min: 10, max: 3000 }).map((d) => `${"[".repeat(d)}`),
  fc
    .record(
      {
        content: fc.oneof(
          fc.string(),
          fc.integer({ min: 20_000, max: 120_000 }).map((n) => "x".repeat(n)),
        ),
        messagetype: fc.constantFrom("RichText/Html", "Text", "Control/Typing", "", "x"),
        clientmessageid: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
        properties: fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.string()),
        members: fc.array(fc.record({ id: fc.string(), role: fc.string() }), { maxLength: 3 }),
        topic: fc.string(),
      },
      { requiredKeys: [] },
    )
    .map((r) => JSON.stringify(r)),
  fc.string({ maxLength: 100 }).map((s) => `grant_type=${encodeURIComponent(s)}&code=${s}&client_id=x`),
);

describe("fuzz: hostile bodies on every route", { timeout: 600_000 }, () => {
  let world: ChatWorld;
  let routes: readonly Route[];
  before(async () => {
    world = await ChatWorld.start();
    routes = world.emu.routes().filter((r) => r.service !== "control");
  });
  after(async () => {
    await world.close();
  });

  it(`${numRuns} cases: every answer is below 500, then the emulator still serves every demo chat`, async () => {
    assert.ok(routes.length > 20, `only ${routes.length} routes`);
    const token = world.token(ALICE);
    const request = fc.integer({ min: 0, max: routes.length - 1 }).chain((i) =>
      fc.record({
        route: fc.constant(routes[i]!),
        path: pathsFor(routes[i]!),
        method: fc.oneof(
          { weight: 9, arbitrary: fc.constant(routes[i]!.method) },
          { weight: 1, arbitrary: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH") },
        ),
        auth: fc.constantFrom("skypetoken", "bearer", "none", "garbage"),
        contentType: fc.constantFrom("application/json", "application/x-www-form-urlencoded", "text/plain", ""),
        body: bodies,
      }),
    );
    await fc.assert(
      fc.asyncProperty(request, async ({ path, method, auth, contentType, body }) => {
        const headers: Record<string, string> = {};
        if (contentType) headers["content-type"] = contentType;
        if (auth === "skypetoken") headers.authentication = `skypetoken=${token}`;
        if (auth === "bearer") headers.authorization = `Bearer ${token}`;
        if (auth === "garbage") headers.authentication = "skypetoken=eyJ.garbage";
        const sendsBody = body !== undefined && method !== "GET";
        const res = await fetch(`${world.origin}${encodePath(path)}`, {
          method,
          headers,
          redirect: "manual",
          ...(sendsBody ? { body } : {}),
        });
        const text = await res.text();
        assert.ok(res.status >= 200 && res.status < 500, `${method} ${path} → ${res.status}: ${text.slice(0, 300)}`);
      }),
      { numRuns },
    );

    const health = await fetch(`${world.origin}/_emulator/health`);
    assert.equal(health.status, 200);
    await health.arrayBuffer();
    // Every demo chat, read by each of its members as a client would: the list, then the messages.
    const read = new Set<string>();
    world.forgetTokens();
    for (const user of world.emu.users) {
      const list = await world.call("GET", "/v1/users/ME/conversations?pageSize=200", { as: user.mri });
      assert.equal(list.status, 200, `${user.mri}: ${list.text.slice(0, 200)}`);
      for (const c of list.json.conversations as Array<{ id: string }>) {
        const page = await world.call("GET", `${messagesPath(c.id)}?pageSize=50`, { as: user.mri });
        assert.equal(page.status, 200, `${c.id}: ${page.text.slice(0, 200)}`);
        assert.ok(Array.isArray(page.json.messages));
        read.add(c.id);
      }
    }
    for (const id of Object.values(DEMO_CHAT_IDS)) assert.ok(read.has(id), `demo chat ${id} was not read`);
  });
});
