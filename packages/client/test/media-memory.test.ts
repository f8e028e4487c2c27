/**
 * A 200 MB upload streams with the client process's resident memory under 100 MB at its peak
 * (issue 8), and a download grows it by less than 100 MB (measured in a child process with
 * process.memoryUsage, sampled on every progress callback and every 20 ms — not timed). Buffering
 * the file would cost at least its 200 MB. The child runs as one bundled JS file, so the numbers are
 * the library's, not the TypeScript loader's. The emulator runs here and stores the bytes on disk.
 *
 * Of the upload's peak, about 23 MB is not the upload's: V8 compiles the HTTP parser of Node's own
 * fetch (undici's llhttp, WebAssembly) with its optimizing tier a few seconds after the first
 * request, and that lands during the transfer (gone with `--liftoff-only`).
 */
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Emulator } from "@teams-api/emulator";
import { emulator } from "./auth-helpers.js";

const SIZE = 200 * 1024 * 1024;
const LIMIT = 100 * 1024 * 1024;
const CHILD = fileURLToPath(new URL("./fixtures/upload-rss.ts", import.meta.url));

async function writeBigFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  const out = createWriteStream(path);
  const chunk = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < SIZE / chunk.length; i++) {
    chunk.fill(i % 251);
    hash.update(chunk);
    if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
  return hash.digest("hex");
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * The child as one plain JS file: run under tsx it would carry the TypeScript loader's own ~70 MB,
 * which is not the library's memory.
 */
async function bundleChild(dir: string): Promise<string> {
  const esbuild = await import("esbuild");
  const outfile = join(dir, "child.mjs");
  await esbuild.build({
    entryPoints: [CHILD],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile,
    conditions: ["source"],
    external: ["@napi-rs/keyring", "playwright-core"],
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    logLevel: "silent",
  });
  return outfile;
}

let child = "";

async function runChild(args: string[]): Promise<{ before: number; peak: number; result: Record<string, unknown> }> {
  const { stdout } = await promisify(execFile)(process.execPath, [child, ...args], { maxBuffer: 1024 * 1024 });
  return JSON.parse(stdout.trim().split("\n").at(-1)!);
}

describe("media: 200 MB streams in bounded memory", { timeout: 300_000 }, () => {
  let emu: Emulator;
  let dir: string;
  let digest: string;
  let objectId: string;

  before(async () => {
    emu = await emulator();
    dir = await mkdtemp(join(tmpdir(), "teams-media-rss-"));
    digest = await writeBigFile(join(dir, "big.bin"));
    child = await bundleChild(dir);
  });
  after(async () => {
    await emu.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("uploads 200 MB with the process's RSS under 100 MB at its peak", async (t) => {
    const r = await runChild([emu.origin, "upload", join(dir, "big.bin")]);
    objectId = String(r.result.objectId);
    assert.equal(r.result.size, SIZE);
    const said = `RSS ${(r.before / 1048576).toFixed(1)} MB before, ${(r.peak / 1048576).toFixed(1)} MB at the peak`;
    t.diagnostic(said);
    assert.ok(r.peak < LIMIT, said);
    const stored = emu.context.media.get(objectId)?.content;
    assert.equal(stored?.length, SIZE);
    assert.equal(await hashFile(stored!.file), digest);
  });

  it("downloads it again with RSS growing by less than 100 MB, byte for byte", async (t) => {
    const out = await mkdtemp(join(dir, "out-"));
    const r = await runChild([emu.origin, "download", objectId, out]);
    assert.equal(r.result.size, SIZE);
    const said = `RSS ${(r.before / 1048576).toFixed(1)} MB before, ${(r.peak / 1048576).toFixed(1)} MB at the peak`;
    t.diagnostic(said);
    assert.ok(r.peak - r.before < LIMIT, said);
    assert.equal((await stat(String(r.result.path))).size, SIZE);
    assert.equal(await hashFile(String(r.result.path)), digest);
  });
});
