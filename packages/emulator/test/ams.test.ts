/**
 * AMS (PROTOCOL.md §5) replayed from samples/ams-image-upload.json: create → upload → status →
 * download, with the sample's shapes; permissions (no token 401, non-member 403, only the creator
 * uploads); the v2 Bearer form's x-ms-migration rule; bytes streamed to disk and back unchanged.
 */
import * as assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { AMS_PATHS, amsSkypeTokenAuthorization, isAmsObjectId } from "@teams-api/protocol";
import { ALICE, assertShape, BOB, ChatWorld, DANA, FALCON, type Json, sample } from "./chat-helpers.js";
import { signIn } from "./identity-helpers.js";

interface Exchange {
  name: string;
  request: { method: string; url: string; headers?: Record<string, string>; body?: Json };
  response: { status: number; body?: Json; headers?: Record<string, string> };
}
const AMS = sample<{ exchanges: Exchange[] }>("ams-image-upload.json");
const ex = (name: string): Exchange => AMS.exchanges.find((e) => e.name === name)!;

describe("AMS", { timeout: 60_000 }, () => {
  let world: ChatWorld;
  let base: string;
  const auth = (mri: string): Record<string, string> => ({
    Authorization: amsSkypeTokenAuthorization(world.token(mri)),
  });
  const create = async (as: string | null, body: Json): Promise<Response> =>
    fetch(`${base}${AMS_PATHS.objects}/`, {
      method: "POST",
      headers: { ...(as ? auth(as) : {}), "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });

  before(async () => {
    world = await ChatWorld.start();
    base = `${world.origin}/ams`;
  });
  after(() => world.close());

  it("replays the sample: create 201 {id}, upload 201, status ready, download the same bytes", async () => {
    const createEx = ex("create");
    const made = await create(ALICE, createEx.request.body);
    assert.equal(made.status, createEx.response.status);
    const { id } = (await made.json()) as { id: string };
    assert.ok(isAmsObjectId(id), id);
    assertShape({ id }, createEx.response.body);

    const bytes = randomBytes(48_213);
    const put = await fetch(`${base}${AMS_PATHS.content(id, "imgpsh")}`, {
      method: "PUT",
      headers: { ...auth(ALICE), "Content-Type": "application/octet-stream" },
      body: bytes,
    });
    assert.equal(put.status, ex("upload").response.status);

    // Bob is in Project Falcon: he may read.
    const status = await fetch(`${base}${AMS_PATHS.viewStatus(id, "imgpsh_fullsize")}`, { headers: auth(BOB) });
    assert.equal(status.status, 200);
    const s = (await status.json()) as Json;
    assertShape(s, ex("status").response.body);
    assert.equal(s.content_length, bytes.length);
    assert.equal(s.content_state, "ready");
    assert.equal(s.original_filename, "whiteboard.png");
    assert.ok(String(s.view_location).endsWith(AMS_PATHS.view(id, "imgpsh_fullsize")));

    const got = await fetch(`${base}${AMS_PATHS.view(id, "imgo")}`, { headers: auth(BOB) });
    assert.equal(got.status, 200);
    assert.equal(got.headers.get("content-length"), String(bytes.length));
    const back = Buffer.from(await got.arrayBuffer());
    assert.equal(createHash("sha256").update(back).digest("hex"), createHash("sha256").update(bytes).digest("hex"));

    const meta = await fetch(`${base}${AMS_PATHS.object(id)}`, { headers: auth(ALICE) });
    const m = (await meta.json()) as Json;
    assert.equal(m.type, "pish/image");
    assert.deepEqual(m.permissions, { [FALCON]: ["read"] });
  });

  it("no credential → 401; a non-member → 403; only the creator uploads", async () => {
    const made = await create(ALICE, {
      type: "sharing/file",
      permissions: { [FALCON]: ["read"] },
      filename: "plan.pdf",
    });
    const { id } = (await made.json()) as { id: string };
    assert.equal((await create(null, { type: "sharing/file", permissions: {} })).status, 401);
    const anonymous = await fetch(`${base}${AMS_PATHS.view(id, "original")}`);
    assert.equal(anonymous.status, 401);
    const body = (await anonymous.json()) as Json;
    assert.equal(body.errorCode, 401);

    // Dana is not in Project Falcon.
    const dana = await fetch(`${base}${AMS_PATHS.viewStatus(id, "original")}`, { headers: auth(DANA) });
    assert.equal(dana.status, 403);
    const bobPut = await fetch(`${base}${AMS_PATHS.content(id, "original")}`, {
      method: "PUT",
      headers: auth(BOB),
      body: "x",
    });
    assert.equal(bobPut.status, 403);
    // Nor can Dana share an object with a conversation she is not in.
    assert.equal(
      (await create(DANA, { type: "sharing/file", permissions: { [FALCON]: ["read"] }, filename: "x" })).status,
      403,
    );
  });

  it("status before upload says no content; views of the wrong kind and unknown objects are 404", async () => {
    const made = await create(ALICE, { type: "sharing/file", permissions: { [FALCON]: ["read"] }, filename: "a.txt" });
    const { id } = (await made.json()) as { id: string };
    const s = (await (
      await fetch(`${base}${AMS_PATHS.viewStatus(id, "original")}`, { headers: auth(ALICE) })
    ).json()) as Json;
    assert.equal(s.content_state, "no content");
    assert.equal((await fetch(`${base}${AMS_PATHS.view(id, "original")}`, { headers: auth(ALICE) })).status, 404);
    assert.equal((await fetch(`${base}${AMS_PATHS.view(id, "imgo")}`, { headers: auth(ALICE) })).status, 404);
    const put = await fetch(`${base}${AMS_PATHS.content(id, "imgpsh")}`, {
      method: "PUT",
      headers: auth(ALICE),
      body: "x",
    });
    assert.equal(put.status, 400);
    const unknown = `0-weu-d4-${"0".repeat(32)}`;
    assert.equal((await fetch(`${base}${AMS_PATHS.object(unknown)}`, { headers: auth(ALICE) })).status, 404);
    assert.equal((await create(ALICE, { permissions: {} })).status, 400);
  });

  it("AMS v2: a Bearer ic3 token needs x-ms-migration: True (400 without)", async () => {
    const t = await signIn(world.emu, "alice@contoso.com", {
      scope: "https://ic3.teams.office.com/.default openid profile offline_access",
    });
    const body = JSON.stringify({ type: "sharing/file", permissions: { [FALCON]: ["read"] }, filename: "v2.txt" });
    const headers = { Authorization: `Bearer ${t.access_token}`, "Content-Type": "application/json" };
    const without = await fetch(`${base}${AMS_PATHS.objects}`, { method: "POST", headers, body });
    assert.equal(without.status, 400);
    const withIt = await fetch(`${base}${AMS_PATHS.objects}`, {
      method: "POST",
      headers: { ...headers, "x-ms-migration": "True", "x-ms-client-version": "1415/25010000000" },
      body,
    });
    assert.equal(withIt.status, 201);
  });

  it("stores bytes on disk, not in memory, and an upload cut off mid-way leaves no part file", async () => {
    const made = await create(ALICE, {
      type: "sharing/file",
      permissions: { [FALCON]: ["read"] },
      filename: "big.bin",
    });
    const { id } = (await made.json()) as { id: string };
    const controller = new AbortController();
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        sent += 64 * 1024;
        if (sent > 1024 * 1024) {
          controller.abort();
          return;
        }
        c.enqueue(new Uint8Array(64 * 1024));
      },
    });
    await assert.rejects(
      fetch(`${base}${AMS_PATHS.content(id, "original")}`, {
        method: "PUT",
        headers: auth(ALICE),
        body,
        signal: controller.signal,
        duplex: "half",
      } as RequestInit),
    );
    const dir = world.emu.context.media.directory;
    // The server notices the reset asynchronously: wait until the part file is gone.
    for (let i = 0; i < 200 && readdirSync(dir).some((f) => f.endsWith(".part")); i++) {
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setTimeout(r, 5));
    }
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.startsWith(id)),
      [],
    );
    const s = (await (
      await fetch(`${base}${AMS_PATHS.viewStatus(id, "original")}`, { headers: auth(ALICE) })
    ).json()) as Json;
    assert.equal(s.content_state, "no content");
  });
});
