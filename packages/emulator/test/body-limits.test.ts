/**
 * Issue 12: no signed-in user can crash the emulator. Bodies nested too deep are 400, bodies too
 * large are 413, a message over the service's ~28 KB limit is 413 (PROTOCOL.md §9.6), all in the
 * chat service's error shape; an answer that cannot be serialized is a 500 and the server lives on.
 */
import * as assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { MAX_MESSAGE_BYTES } from "@teams-api/protocol";
import type { HostEntry } from "../src/hosts.js";
import { jsonDepthExceeds, parseJsonLimited } from "../src/http/body.js";
import { FaultController } from "../src/http/faults.js";
import { createRequestListener } from "../src/http/server.js";
import { HttpError, route, type ServiceTable } from "../src/http/types.js";
import { ALICE, ChatWorld, FALCON, messagePath, messagesPath } from "./chat-helpers.js";

const deep = (n: number): string => `${"[".repeat(n)}${"]".repeat(n)}`;
const deepObject = (n: number): string => `${'{"a":'.repeat(n)}1${"}".repeat(n)}`;

describe("request body limits", { timeout: 300_000 }, () => {
  let world: ChatWorld;
  before(async () => {
    world = await ChatWorld.start();
  });
  after(async () => {
    await world.close();
  });

  const post = (rawBody: string) => world.call("POST", messagesPath(FALCON), { rawBody });
  const assertChatError = (answer: { status: number; json: unknown }, status: number): void => {
    assert.equal(answer.status, status);
    const body = answer.json as { errorCode: unknown; message: unknown };
    assert.equal(body.errorCode, status);
    assert.equal(typeof body.message, "string");
  };

  it("refuses properties nested 5,000 deep with 400, and the chat still reads", async () => {
    const body = `{"content":"hi","messagetype":"RichText/Html","properties":${deepObject(5000)}}`;
    const answer = await post(body);
    assertChatError(answer, 400);
    assert.match((answer.json as { message: string }).message, /deeper than/);
    // The same, JSON-encoded in a string (§9.4 #6), and a deep array anywhere in the body.
    const asString = JSON.stringify({ content: "hi", messagetype: "RichText/Html", properties: deepObject(5000) });
    assertChatError(await post(asString), 400);
    assertChatError(await post(`{"content":"hi","messagetype":"RichText/Html","x":${deep(100)}}`), 400);
    const read = await world.call("GET", `${messagesPath(FALCON)}?pageSize=5`);
    assert.equal(read.status, 200);
  });

  it("a body nested within the limit is still accepted", async () => {
    const props = JSON.parse(deepObject(20));
    const { answer } = await world.send(FALCON, "nested ok", ALICE, { properties: props });
    assert.equal(answer.status, 201);
  });

  it("answers 413 to a body over the size cap", async () => {
    const answer = await post(`{"content":"${"x".repeat(9 * 1024 * 1024)}"}`);
    assertChatError(answer, 413);
  });

  it("refuses a message over the service's size limit with 413, in send and in edit", async () => {
    const big = "x".repeat(MAX_MESSAGE_BYTES + 1);
    const send = await world.call("POST", messagesPath(FALCON), {
      body: { content: big, messagetype: "RichText/Html", contenttype: "text" },
    });
    assertChatError(send, 413);
    assert.match((send.json as { message: string }).message, /Request Entity Too Large/);
    // Properties count too.
    const withProps = await world.call("POST", messagesPath(FALCON), {
      body: {
        content: "x".repeat(MAX_MESSAGE_BYTES - 100),
        messagetype: "RichText/Html",
        properties: { mentions: "m".repeat(200) },
      },
    });
    assertChatError(withProps, 413);
    const { id } = await world.send(FALCON, "x".repeat(MAX_MESSAGE_BYTES - 10));
    const edit = await world.call("PUT", messagePath(FALCON, id), {
      body: { content: big, messagetype: "RichText/Html" },
    });
    assertChatError(edit, 413);
  });
});

describe("the depth scan", () => {
  it("counts brackets outside strings only, with escapes", () => {
    assert.equal(jsonDepthExceeds(deep(64), 64), false);
    assert.equal(jsonDepthExceeds(deep(65), 64), true);
    assert.equal(jsonDepthExceeds(`["${"[".repeat(500)}"]`, 2), false);
    assert.equal(jsonDepthExceeds(`["\\"${"[".repeat(5)}"]`, 2), false);
    assert.equal(jsonDepthExceeds(`["\\\\",[[[]]]]`, 3), true);
    assert.throws(
      () => parseJsonLimited("{"),
      (e: Error) => e instanceof HttpError && e.status === 400,
    );
    assert.deepEqual(parseJsonLimited('{"a":[1]}'), { a: [1] });
  });
});

describe("an answer that cannot be serialized", () => {
  it("is a 500 in the service's shape, and the server goes on answering", async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const table: ServiceTable = {
      service: "chat",
      routes: [
        route("GET", /^\/cyclic$/, "none", () => ({ status: 200, body: cyclic })),
        route("GET", /^\/throws$/, "none", () => {
          throw new Error("boom");
        }),
        route("GET", /^\/ok$/, "none", () => ({ status: 200, body: { ok: true } })),
      ],
    };
    const entry: HostEntry = { origin: "http://127.0.0.1", mounts: [{ prefix: "", table }], fallback: "chat" };
    const server = createServer(
      createRequestListener({
        hosts: () => ({ mode: "loopback", lookup: () => entry }),
        authenticate: () => undefined,
        faults: new FaultController(),
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const path of ["/cyclic", "/throws"]) {
        const res = await fetch(`${origin}${path}`);
        assert.equal(res.status, 500, path);
        assert.deepEqual(await res.json(), { errorCode: 500, message: "Internal server error." });
      }
      const ok = await fetch(`${origin}/ok`);
      assert.deepEqual(await ok.json(), { ok: true });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
