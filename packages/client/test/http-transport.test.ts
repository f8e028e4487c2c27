/**
 * The transport over real loopback HTTP: retries (Retry-After, 5xx, resets, non-idempotent POSTs and
 * delivery checks), user aborts, timeouts, the credential host policy and typed errors. Faults come
 * from the emulator's control plane; a tiny local server covers what the emulator cannot produce
 * (malformed JSON, HTML 401 pages, hanging sockets).
 */
import * as assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { Emulator } from "@teams-api/emulator";
import { AUDIENCES } from "@teams-api/protocol";
import { Redactor } from "../src/http/redact.js";
import { createTransport } from "../src/http/transport.js";
import {
  AbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  NotFoundError,
  PermissionDeniedError,
  ProtocolError,
  RateLimitError,
  ServerError,
  type TeamsClient,
  TeamsError,
  TimeoutError,
} from "../src/index.js";
import { ALICE, clientFor, control, countingFetch, emulator, FETCHES, localServer, PASSWORD } from "./auth-helpers.js";

const PROPS = /\/v1\/users\/ME\/properties$/;
const AUTHZ_PATH = "^/api/authsvc/";

describe("transport against the emulator", { timeout: 120_000 }, () => {
  let emu: Emulator;
  let counting: ReturnType<typeof countingFetch>;
  let client: TeamsClient;
  let chat: string;

  const properties = (options: { signal?: AbortSignal; timeout?: number; maxRetries?: number } = {}) =>
    client.context.transport.request<Record<string, unknown>>({
      method: "GET",
      url: `${chat}/v1/users/ME/properties`,
      auth: { kind: "skypetoken" },
      ...options,
    });
  /** A non-idempotent POST that the emulator answers 200 (authz), with the spaces bearer. */
  const post = (extra: { confirmDelivered?: () => Promise<boolean> } = {}) =>
    client.context.transport.request({
      method: "POST",
      url: `${emu.baseUrl}/api/authsvc/v1.0/authz`,
      auth: { kind: "bearer", audience: AUDIENCES.spaces },
      ...extra,
    });

  before(async () => {
    emu = await emulator();
  });
  after(async () => {
    await emu.close();
  });
  beforeEach(async () => {
    await control(emu, "/faults", undefined, "DELETE");
    counting = countingFetch();
    // Zero jitter: backoff waits 0 ms, so only Retry-After makes the client wait.
    client = clientFor(emu, { fetch: counting.fetch, testHooks: { random: () => 0 } });
    await client.signInWithPassword(ALICE, PASSWORD);
    chat = (await client.context.endpoints()).chatService;
    counting.reset();
  });

  it("obeys Retry-After on 429 (the retry waits at least 1 s)", async () => {
    await control(emu, "/faults", { status: 429, retryAfter: 1, count: 1, path: "/properties$" });
    const res = await properties();
    assert.equal(res.status, 200);
    const calls = counting.calls.filter((c) => PROPS.test(c.url.pathname));
    assert.equal(calls.length, 2);
    assert.ok(calls[1]!.at - calls[0]!.at >= 1000, `waited ${Math.round(calls[1]!.at - calls[0]!.at)} ms`);
  });

  it("surfaces RateLimitError with retryAfterMs when retries run out or the wait is too long", async () => {
    await control(emu, "/faults", { status: 429, retryAfter: 1, count: 1, path: "/properties$" });
    await assert.rejects(properties({ maxRetries: 0 }), (err: Error) => {
      assert.ok(err instanceof RateLimitError);
      assert.equal(err.retryAfterMs, 1000);
      assert.equal(err.serviceCode, 429);
      assert.ok(err.requestId);
      return true;
    });
    await control(emu, "/faults", { status: 429, retryAfter: 120, count: 1, path: "/properties$" });
    await assert.rejects(properties(), (err: Error) => err instanceof RateLimitError && err.retryAfterMs === 120_000);
    assert.equal(counting.count("GET", PROPS), 2, "no retry for a two-minute Retry-After");
  });

  it("retries a GET after 503s and after a reset connection", async () => {
    await control(emu, "/faults", { status: 503, count: 2, path: "/properties$" });
    assert.equal((await properties()).status, 200);
    assert.equal(counting.count("GET", PROPS), 3);
    counting.reset();
    await control(emu, "/faults", { reset: true, count: 1, path: "/properties$" });
    assert.equal((await properties()).status, 200);
    assert.equal(counting.count("GET", PROPS), 2);
  });

  it("gives up after maxRetries with a ServerError carrying the request id and service code", async () => {
    await control(emu, "/faults", { status: 503, count: 4, path: "/properties$" });
    await assert.rejects(properties(), (err: Error) => {
      assert.ok(err instanceof ServerError);
      assert.equal(err.status, 503);
      assert.equal(err.serviceCode, 503);
      assert.match(err.requestId ?? "", /^[0-9a-f-]{36}$/);
      assert.equal(err.request?.method, "GET");
      return true;
    });
    assert.equal(counting.count("GET", PROPS), 4);
  });

  it("retries a non-idempotent POST after 429 (not processed), but not after an ambiguous 503", async () => {
    await control(emu, "/faults", { status: 429, retryAfter: 0, count: 1, path: AUTHZ_PATH });
    assert.equal((await post()).status, 200);
    assert.equal(counting.count("POST", /\/authz$/), 2);

    counting.reset();
    await control(emu, "/faults", { status: 503, count: 1, path: AUTHZ_PATH, phase: "after" });
    await assert.rejects(post(), ServerError);
    assert.equal(counting.count("POST", /\/authz$/), 1);
  });

  it("asks confirmDelivered after an ambiguous failure: retries when it did not land, stops when it did", async () => {
    let asked = 0;
    await control(emu, "/faults", { status: 503, count: 1, path: AUTHZ_PATH, phase: "before" });
    const retried = await post({
      confirmDelivered: async () => {
        asked++;
        return false;
      },
    });
    assert.equal(retried.status, 200);
    assert.equal(asked, 1);
    assert.equal(counting.count("POST", /\/authz$/), 2);

    counting.reset();
    await control(emu, "/faults", { status: 503, count: 1, path: AUTHZ_PATH, phase: "after" });
    const echoed = await post({ confirmDelivered: async () => true });
    assert.equal(echoed.confirmedByEcho, true);
    assert.equal(counting.count("POST", /\/authz$/), 1);

    counting.reset();
    await control(emu, "/faults", { reset: true, count: 1, path: AUTHZ_PATH });
    await assert.rejects(post(), ConnectionError);
    assert.equal(counting.count("POST", /\/authz$/), 1);
  });

  it("never retries a user abort", async () => {
    await control(emu, "/faults", { latencyMs: 3000, count: 1, path: "/properties$" });
    const controller = new AbortController();
    counting.events.on("call", (c: { url: URL }) => {
      if (PROPS.test(c.url.pathname)) controller.abort();
    });
    await assert.rejects(properties({ signal: controller.signal }), AbortError);
    assert.equal(counting.count("GET", PROPS), 1);
  });

  it("times out an attempt and retries it", async () => {
    await control(emu, "/faults", { latencyMs: 2000, count: 1, path: "/properties$" });
    const res = await properties({ timeout: 300 });
    assert.equal(res.status, 200);
    assert.equal(counting.count("GET", PROPS), 2);
  });

  it("maps the emulator's 404 to NotFoundError with the chat error code", async () => {
    await assert.rejects(
      client.context.transport.request({
        method: "GET",
        url: `${chat}/v1/users/ME/conversations/${encodeURIComponent("19:nope@thread.v2")}`,
        auth: { kind: "skypetoken" },
      }),
      (err: Error) => {
        assert.ok(err instanceof NotFoundError);
        assert.equal(err.status, 404);
        assert.notEqual(err.serviceCode, undefined);
        assert.ok(err.requestId);
        return true;
      },
    );
  });

  it("sends a credential only to configured hosts, and never over plain http elsewhere", async () => {
    const foreign = await localServer((_req, res) => res.end("{}"));
    try {
      for (const auth of [
        { kind: "skypetoken" } as const,
        { kind: "bearer", audience: AUDIENCES.spaces } as const,
        { kind: "bearer+skypetoken", audience: AUDIENCES.spaces } as const,
      ]) {
        await assert.rejects(
          client.context.transport.request({ method: "GET", url: `${foreign.origin}/v1/users/ME/properties`, auth }),
          (err: Error) => err instanceof TeamsError && err.code === "untrusted_destination",
        );
      }
      assert.equal(foreign.hits, 0, "nothing reached the foreign host");
      await assert.rejects(
        client.context.transport.request({
          method: "GET",
          url: "http://teams.example.invalid/x",
          auth: { kind: "skypetoken" },
        }),
        (err: Error) => err instanceof TeamsError && err.code === "insecure_destination",
      );
      await assert.rejects(
        client.context.transport.request({
          method: "GET",
          url: "https://evil.example.invalid/x",
          auth: { kind: "skypetoken" },
        }),
        (err: Error) => err instanceof TeamsError && err.code === "untrusted_destination",
      );
      // Without credentials a foreign host is fine.
      const open = await client.context.transport.request({
        method: "GET",
        url: foreign.origin,
        auth: { kind: "none" },
      });
      assert.equal(open.status, 200);
      assert.equal(foreign.hits, 1);
      assert.equal(open.body && typeof open.body, "object");
    } finally {
      await foreign.close();
    }
  });

  it("sends the auth headers each scheme asks for", async () => {
    const mt = (await client.context.endpoints()).middleTier;
    await client.context.transport.request({
      method: "GET",
      url: `${mt}/beta/users/tenants`,
      auth: { kind: "bearer+skypetoken", audience: AUDIENCES.spaces },
    });
    const call = counting.calls.find((c) => c.url.pathname.endsWith("/users/tenants"))!;
    assert.match(call.headers.get("authorization") ?? "", /^Bearer ./);
    assert.ok((call.headers.get("x-skypetoken") ?? "").length > 10);
    await properties();
    const chatCall = counting.calls.find((c) => PROPS.test(c.url.pathname))!;
    assert.match(chatCall.headers.get("authentication") ?? "", /^skypetoken=./);
    assert.equal(chatCall.headers.get("authorization"), null);
  });
});

describe("transport edge cases (local server)", { timeout: 60_000 }, () => {
  let emu: Emulator;
  let client: TeamsClient;
  const canary = `CANARY${"-"}TOKEN-${Math.random().toString(36).slice(2)}`;
  const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString("base64url");
  const jwt = `${b64({ alg: "none" })}.${b64({ n: Math.random() })}.sig`;
  let server: Awaited<ReturnType<typeof localServer>>;

  before(async () => {
    emu = await emulator();
    client = clientFor(emu, { testHooks: { random: () => 0 } });
    server = await localServer((req, res) => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      if (path === "/malformed") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(`{"refresh_token":"${canary}", "cut`);
      } else if (path === "/html401") {
        res.writeHead(401, { "content-type": "text/html" });
        res.end(`<html><body><h1>401 Unauthorized</h1><p>${canary}</p></body></html>`);
      } else if (path === "/hang") {
        // never answers
      } else if (path === "/hang-body") {
        res.writeHead(200, { "content-type": "application/json" });
        res.write('{"partial":');
      } else if (/^\/\d{3}$/.test(path)) {
        const status = Number(path.slice(1));
        res.writeHead(status, { "content-type": "application/json", "request-id": `rid-${status}` });
        res.end(JSON.stringify({ errorCode: status * 10, message: `Status ${status} for token ${jwt}` }));
      } else {
        res.end("{}");
      }
    });
  });
  after(async () => {
    await server.close();
    await emu.close();
  });

  const get = (path: string, extra: { timeout?: number; maxRetries?: number } = {}) =>
    client.context.transport.request({
      method: "GET",
      url: `${server.origin}${path}`,
      auth: { kind: "none" },
      ...extra,
    });

  it("turns malformed JSON on a 2xx into a ProtocolError without echoing the body", async () => {
    await assert.rejects(get("/malformed"), (err: Error) => {
      assert.ok(err instanceof ProtocolError);
      assert.ok(!JSON.stringify({ m: err.message, e: err }).includes(canary), "body echoed");
      assert.ok(!err.message.includes("refresh_token"));
      return true;
    });
  });

  it("handles a 401 that is an HTML page", async () => {
    await assert.rejects(get("/html401"), (err: Error) => {
      assert.ok(err instanceof AuthenticationError);
      assert.equal(err.status, 401);
      assert.match(err.message, /web page/);
      assert.ok(!err.message.includes("<"), "no HTML in the message");
      assert.ok(!JSON.stringify(err).includes(canary));
      return true;
    });
  });

  it("maps statuses to typed errors with request id, service code and a scrubbed message", async () => {
    const cases: Array<[number, new (...a: never[]) => Error]> = [
      [400, BadRequestError],
      [401, AuthenticationError],
      [403, PermissionDeniedError],
      [404, NotFoundError],
      [409, ConflictError],
      [500, ServerError],
    ];
    for (const [status, Type] of cases) {
      await assert.rejects(get(`/${status}`, { maxRetries: 0 }), (err: Error & Record<string, unknown>) => {
        assert.ok(err instanceof Type, `${status} → ${Type.name}`);
        assert.equal(err.status, status);
        assert.equal(err.requestId, `rid-${status}`);
        assert.equal(err.serviceCode, status * 10);
        assert.match(err.message, new RegExp(`Status ${status}`));
        assert.ok(!`${err.message}${JSON.stringify(err)}`.includes(jwt), "a JWT in the service message survived");
        return true;
      });
    }
  });

  it("times out a hanging socket per attempt and a hanging body", async () => {
    const before = server.hits;
    await assert.rejects(get("/hang", { timeout: 150, maxRetries: 1 }), TimeoutError);
    assert.equal(server.hits - before, 2, "one retry after the timeout");
    await assert.rejects(get("/hang-body", { timeout: 150, maxRetries: 0 }), TimeoutError);
  });

  for (const [fetchName, fetchImpl] of FETCHES) {
    it(`raw exchanges (token endpoint, sign-in pages) time out a hanging body too, on ${fetchName}`, async () => {
      const raw = createTransport({ fetch: fetchImpl, redactor: new Redactor(), timeout: 150 });
      await assert.rejects(raw.raw({ method: "GET", url: `${server.origin}/hang-body`, maxRetries: 0 }), TimeoutError);
      const ok = await raw.raw({ method: "GET", url: `${server.origin}/404`, maxRetries: 0 });
      assert.equal(ok.status, 404);
      assert.equal(ok.headers.get("request-id"), "rid-404");
      assert.equal(((await ok.json()) as { errorCode: number }).errorCode, 4040);
    });
  }

  it("reports an unreachable host as a ConnectionError after its retries", async () => {
    const gone = await localServer(() => {});
    const origin = gone.origin;
    await gone.close();
    await assert.rejects(
      client.context.transport.request({ method: "GET", url: origin, auth: { kind: "none" }, maxRetries: 1 }),
      ConnectionError,
    );
  });
});
