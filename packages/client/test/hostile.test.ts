/**
 * Issue 12 against a hostile server: answers that never end and compression bombs stop at the size
 * cap with a ProtocolError; endless throttling cannot outlast the call's deadline; an abort wins
 * while waiting out Retry-After; escape-laden errors arrive sanitized; endless paging ends; a
 * sign-in form that posts elsewhere never receives the password; a session that cannot be saved
 * fails the sign-in; a symlinked session file is refused and its target left alone.
 */
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmod, mkdtemp, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { Emulator } from "@teams-api/emulator";
import { Redactor } from "../src/http/redact.js";
import { createTransport, DEFAULT_DEADLINE_MS } from "../src/http/transport.js";
import type { RetryWait } from "../src/http/types.js";
import {
  AbortError,
  BadRequestError,
  FileTokenStore,
  ProtocolError,
  RateLimitError,
  TeamsClient,
  TeamsError,
  TimeoutError,
} from "../src/index.js";
import { ALICE, clientFor, countingFetch, emulator, FETCHES, libraryFetch, PASSWORD } from "./auth-helpers.js";
import { ESCAPE_LADEN, type HostileServer, hostileServer, MiB } from "./hostile-server.js";

const here = dirname(fileURLToPath(import.meta.url));
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

for (const [fetchName, fetchImpl] of FETCHES) {
  describe(`hostile server on ${fetchName}: bounded answers, deadlines, sanitized errors`, { timeout: 300_000 }, () => {
    let hostile: HostileServer;
    const transport = (extra: Partial<Parameters<typeof createTransport>[0]> = {}) =>
      createTransport({ fetch: fetchImpl, redactor: new Redactor(), maxRetries: 0, ...extra });
    const get = (t: ReturnType<typeof transport>, path: string, extra: Record<string, unknown> = {}) =>
      t.request({ method: "GET", url: `${hostile.origin}${path}`, auth: { kind: "none" }, ...extra });

    before(async () => {
      hostile = await hostileServer();
    });
    after(async () => {
      await hostile.close();
    });

    const tooLarge = (err: unknown): boolean => {
      assert.ok(err instanceof ProtocolError, `expected ProtocolError, got ${String(err)}`);
      assert.match(err.message, /too large/);
      return true;
    };

    it("stops an answer that never ends at the default cap", async () => {
      await assert.rejects(get(transport(), "/endless"), tooLarge);
    });

    it("counts inflated bytes: a 1 GiB gzip bomb stops at the cap", async () => {
      await assert.rejects(get(transport(), "/gzip-bomb"), tooLarge);
    });

    it("counts inflated bytes for deflate and br too, under a configured cap", async () => {
      const t = transport({ maxResponseBytes: 8 * MiB });
      await assert.rejects(get(t, "/deflate-bomb"), tooLarge);
      await assert.rejects(get(t, "/br-bomb"), tooLarge);
      // The per-call cap wins over the transport's.
      await assert.rejects(get(transport(), "/deflate-bomb", { maxResponseBytes: MiB }), tooLarge);
      assert.deepEqual((await get(t, "/small")).body, { ok: true });
    });

    it("refuses a declared length over the cap before reading, and caps raw exchanges", async () => {
      await assert.rejects(get(transport(), "/declared-huge"), tooLarge);
      await assert.rejects(transport().raw({ method: "GET", url: `${hostile.origin}/endless` }), tooLarge);
    });

    it("keeps peak RSS of one call under 300 MB (endless body, 1 GiB gzip bomb), in a child process", async () => {
      for (const path of ["/endless", "/gzip-bomb"]) {
        const out = await runChild(join(here, "fixtures", "rss-child.ts"), `${hostile.origin}${path}`);
        const result = JSON.parse(out) as { error: string; peakRss: number };
        assert.equal(result.error, "ProtocolError", `${path}: ${out}`);
        assert.ok(result.peakRss < 300 * 1e6, `${path}: peak RSS ${(result.peakRss / 1e6).toFixed(0)} MB`);
      }
    });

    it("ends endless Retry-After: 59 within the call's deadline, as a RateLimitError", async () => {
      // A virtual clock: every wait moves it, so the test does not wait 59 s.
      let clock = 1_000_000;
      const waits: number[] = [];
      const t = transport({
        maxRetries: 3,
        now: () => clock,
        sleep: async (ms) => {
          waits.push(ms);
          clock += ms;
        },
      });
      const started = clock;
      await assert.rejects(get(t, "/throttle", { maxRetries: 3 }), (err: Error) => {
        assert.ok(err instanceof RateLimitError);
        assert.equal(err.retryAfterMs, 59_000);
        return true;
      });
      assert.ok(clock - started <= DEFAULT_DEADLINE_MS, `the call waited ${clock - started} ms`);
      assert.deepEqual(waits, [59_000, 59_000], "two waits fit in the deadline, the third does not");
    });

    it("a short deadline ends a call whose attempts would each take longer", async () => {
      const t = transport({ maxRetries: 3, timeout: 60_000 });
      await assert.rejects(get(t, "/hang", { deadline: 300, maxRetries: 3 }), (err: Error) => {
        assert.ok(err instanceof TimeoutError);
        assert.match(err.message, /deadline/);
        return true;
      });
      const raw = t.raw({ method: "GET", url: `${hostile.origin}/hang`, deadline: 300 });
      await assert.rejects(raw, TimeoutError);
    });

    it("announces each wait, and an abort wins while waiting out Retry-After", async () => {
      const controller = new AbortController();
      const seen: RetryWait[] = [];
      const t = transport({
        maxRetries: 3,
        onRetryWait: (w) => {
          seen.push(w);
          controller.abort();
        },
      });
      await assert.rejects(get(t, "/throttle", { signal: controller.signal, maxRetries: 3 }), AbortError);
      assert.equal(seen.length, 1);
      assert.deepEqual(
        { reason: seen[0]!.reason, delayMs: seen[0]!.delayMs, retryAfter: seen[0]!.retryAfter, retry: seen[0]!.retry },
        { reason: "rate_limited", delayMs: 59_000, retryAfter: true, retry: 1 },
      );
      assert.equal(hostile.hits("/throttle") > 0, true);
    });

    it("an abort wins during a backoff wait too", async () => {
      const controller = new AbortController();
      const t = transport({ maxRetries: 3, random: () => 0.99, onRetryWait: () => controller.abort() });
      await assert.rejects(get(t, "/fail", { signal: controller.signal, maxRetries: 3 }), AbortError);
    });

    it("error messages carry no escape sequences, bidi overrides or hidden characters", async () => {
      for (const path of ["/escape-error", "/escape-error-aad"]) {
        await assert.rejects(get(transport(), path), (err: Error) => {
          assert.ok(err instanceof BadRequestError, path);
          assert.doesNotMatch(err.message, TERMINAL_UNSAFE, `${path}: ${JSON.stringify(err.message)}`);
          assert.match(err.message, /paypal/);
          return true;
        });
      }
      // Every TeamsError, whoever builds it.
      assert.doesNotMatch(new TeamsError("internal", ESCAPE_LADEN).message, TERMINAL_UNSAFE);
    });
  });
}

describe("hostile server: paging, sign-in form, session file", { timeout: 300_000 }, () => {
  let emu: Emulator;
  let hostile: HostileServer;
  let dir: string;

  before(async () => {
    emu = await emulator();
    hostile = await hostileServer();
    dir = await mkdtemp(join(tmpdir(), "teams-hostile-"));
  });
  after(async () => {
    await hostile.close();
    await emu.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** A client whose message-list reads of `19:<kind>@thread.v2` go to the hostile server. */
  const pagingClient = (): TeamsClient =>
    clientFor(emu, {
      fetch: (input, init) => {
        const url = new URL(String(input));
        if (/(endless|same)%40thread\.v2\/messages$/.test(url.pathname)) {
          return libraryFetch(`${hostile.origin}${url.pathname}${url.search}`, init);
        }
        return libraryFetch(input, init);
      },
    });

  it("an ever-new next-page link with new items ends at the page cap", async () => {
    const client = pagingClient();
    await client.signInWithPassword(ALICE, PASSWORD);
    const messages = await client.getMessages("19:endless@thread.v2", { count: Infinity, resolveNames: false });
    const hits = hostile.hits("/v1/users/ME/conversations/19%3Aendless%40thread.v2/messages");
    assert.ok(hits > 0 && hits <= 500, `${hits} pages read`);
    assert.equal(messages.length, hits);
  });

  it("an ever-new link that brings nothing new ends the walk", async () => {
    const client = pagingClient();
    await client.signInWithPassword(ALICE, PASSWORD);
    const messages = await client.getMessages("19:same@thread.v2", { count: Infinity, resolveNames: false });
    assert.equal(messages.length, 1);
  });

  it("never sends the password to a form action on another origin or over plain http", async () => {
    const thief = await hostileServer();
    try {
      for (const [action, code] of [
        [`${thief.origin}/steal`, "untrusted_destination"],
        ["http://teams-sign-in.example/steal", "insecure_destination"],
      ] as const) {
        const form = await hostileServer({ formAction: action });
        const counting = countingFetch();
        const client = new TeamsClient({
          cloud: "emulator",
          loginUrl: `${form.origin}/login`,
          baseUrl: form.origin,
          tokenStore: false,
          fetch: counting.fetch,
          env: { TEAMS_KEYRING: "0" },
        });
        await assert.rejects(client.signInWithPassword(ALICE, "s3cret-password"), (err: Error) => {
          assert.ok(err instanceof TeamsError);
          assert.equal(err.code, code);
          assert.match(err.message, /password/);
          return true;
        });
        assert.equal(counting.calls.filter((c) => c.method === "POST").length, 0, `${action}: a POST left`);
        await form.close();
      }
      assert.equal(thief.hits("/steal"), 0);
    } finally {
      await thief.close();
    }
  });

  it("a sign-in whose session cannot be saved fails with a sentence naming the file", async () => {
    const blocker = join(dir, "not-a-dir");
    await writeFile(blocker, "x");
    const tokenFile = join(blocker, "session.json");
    const client = clientFor(emu, { tokenFile });
    await assert.rejects(client.signInWithPassword(ALICE, PASSWORD), (err: Error) => {
      assert.ok(err instanceof TeamsError);
      assert.equal(err.code, "session_not_saved");
      assert.ok(err.message.includes(tokenFile), err.message);
      return true;
    });
  });

  it("refuses a symlinked session file and never changes its target's mode", async () => {
    const target = join(dir, "elsewhere.txt");
    await writeFile(target, "{}");
    await chmod(target, 0o644);
    const link = join(dir, "session.json");
    await symlink(target, link);
    await assert.rejects(new FileTokenStore(link).load(), (err: Error) => {
      assert.ok(err instanceof TeamsError);
      assert.equal(err.code, "session_file_symlink");
      return true;
    });
    const client = clientFor(emu, { tokenFile: link });
    assert.equal(await client.loadSession(), false);
    assert.equal((await stat(target)).mode & 0o777, 0o644);
  });
});

/** Runs a fixture under tsx and returns its stdout (its last line). */
function runChild(file: string, arg: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", file, arg], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`child exited ${code}: ${err}`));
      else resolve(out.trim().split("\n").pop() ?? "");
    });
  });
}
