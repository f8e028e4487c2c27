/**
 * Token stores and saved sessions: the 0600 file in a 0700 directory under XDG_CONFIG_HOME, modes
 * tightened when found too open, atomic writes, loadSession round-trips (and refuses malformed or
 * foreign files without crashing), TEAMS_REFRESH_TOKEN, logout deleting the file.
 */
import * as assert from "node:assert/strict";
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Emulator } from "@teams-api/emulator";
import { AutoTokenStore, defaultTokenFile, FileTokenStore, MemoryTokenStore } from "../src/index.js";
import { ALICE, captureLogger, clientFor, countingFetch, emulator, PASSWORD } from "./auth-helpers.js";

const mode = async (path: string): Promise<number> => (await stat(path)).mode & 0o777;

describe("file token store", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "teams-store-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("defaults to $XDG_CONFIG_HOME/teams-api/session.json, TEAMS_TOKEN_FILE wins", () => {
    assert.equal(defaultTokenFile({ XDG_CONFIG_HOME: "/x/cfg", HOME: "/h" }), "/x/cfg/teams-api/session.json");
    assert.equal(defaultTokenFile({ HOME: "/h" }), "/h/.config/teams-api/session.json");
    assert.equal(defaultTokenFile({ TEAMS_TOKEN_FILE: "/t/s.json", XDG_CONFIG_HOME: "/x" }), "/t/s.json");
  });

  it("writes a 0600 file in a 0700 directory, atomically", async () => {
    const file = join(dir, "fresh", "teams-api", "session.json");
    const store = new FileTokenStore(file);
    assert.equal(await store.load(), undefined);
    await store.save('{"a":1}');
    assert.equal(await mode(file), 0o600);
    assert.equal(await mode(join(dir, "fresh", "teams-api")), 0o700);
    assert.equal(await store.load(), '{"a":1}');
    await Promise.all([store.save('{"b":2}'), store.save('{"c":3}')]);
    assert.equal(await store.load(), '{"c":3}');
    assert.deepEqual(await readdir(join(dir, "fresh", "teams-api")), ["session.json"], "no temporary files left");
    await store.clear();
    assert.equal(await store.load(), undefined);
  });

  it("tightens a session file and its teams-api directory found too open", async () => {
    const cfg = join(dir, "open", "teams-api");
    await mkdir(cfg, { recursive: true, mode: 0o755 });
    await chmod(cfg, 0o755);
    const file = join(cfg, "session.json");
    await writeFile(file, "{}", { mode: 0o644 });
    await chmod(file, 0o644);
    const store = new FileTokenStore(file);
    assert.equal(await store.load(), "{}");
    assert.equal(await mode(file), 0o600);
    assert.equal(await mode(cfg), 0o700);
  });

  it("never changes the mode of a directory it does not own by name (e.g. a custom path)", async () => {
    const shared = join(dir, "shared");
    await mkdir(shared, { mode: 0o755 });
    await chmod(shared, 0o755);
    const store = new FileTokenStore(join(shared, "my-session.json"));
    await store.save("{}");
    assert.equal(await mode(join(shared, "my-session.json")), 0o600);
    assert.equal(await mode(shared), 0o755);
  });

  it("uses the file when TEAMS_KEYRING=0, and memory when asked", async () => {
    const auto = new AutoTokenStore({ env: { TEAMS_KEYRING: "0", XDG_CONFIG_HOME: join(dir, "auto") } });
    await auto.save("{}");
    assert.match(auto.description, /^file .*teams-api\/session\.json$/);
    assert.equal(await mode(join(dir, "auto", "teams-api", "session.json")), 0o600);
    if (process.platform === "linux") {
      // No D-Bus session: no Secret Service, and the kernel keyring is not durable — the file it is.
      const noBus = new AutoTokenStore({ env: { XDG_CONFIG_HOME: join(dir, "nobus") } });
      await noBus.resolve();
      assert.match(noBus.description, /^file /);
    }
    const memory = new MemoryTokenStore();
    await memory.save("x");
    assert.equal(await memory.load(), "x");
  });
});

describe("saved sessions", () => {
  let emu: Emulator;
  let dir: string;
  before(async () => {
    emu = await emulator();
    dir = await mkdtemp(join(tmpdir(), "teams-session-"));
  });
  after(async () => {
    await emu.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("round-trips through loadSession under XDG_CONFIG_HOME, reusing cached tokens", async () => {
    const env = { XDG_CONFIG_HOME: join(dir, "xdg") };
    // The default store: keyring off in tests, so the file under XDG_CONFIG_HOME.
    const first = clientFor(emu, { env }, { defaultStore: true });
    const who = await first.signInWithPassword(ALICE, PASSWORD);
    const file = join(dir, "xdg", "teams-api", "session.json");
    assert.equal(await mode(file), 0o600);
    assert.equal(await mode(join(dir, "xdg", "teams-api")), 0o700);
    const saved = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
    assert.deepEqual(Object.keys(saved).sort(), [
      "accessTokens",
      "account",
      "baseUrl",
      "clientId",
      "cloud",
      "kind",
      "loginUrl",
      "refreshToken",
      "skype",
      "tenantId",
      "version",
    ]);

    const counting = countingFetch();
    const second = clientFor(emu, { env, fetch: counting.fetch }, { defaultStore: true });
    assert.equal(await second.loadSession(), true);
    assert.equal(second.isSignedIn(), true);
    assert.deepEqual(await second.whoami(), who);
    assert.equal(counting.calls.length, 0, "cached skypetoken reused, no request");

    await second.logout();
    await assert.rejects(stat(file), { code: "ENOENT" });
    const third = clientFor(emu, { env }, { defaultStore: true });
    assert.equal(await third.loadSession(), false);
  });

  it("treats a malformed or foreign session file as no session, never a crash", async () => {
    const file = join(dir, "bad", "session.json");
    await mkdir(join(dir, "bad"), { recursive: true });
    const { logger, lines } = captureLogger();
    for (const content of ["", "{not json", "[]", '{"version":1,"refreshToken":42}', "\u0000\u0001binary"]) {
      await writeFile(file, content);
      const client = clientFor(emu, { tokenFile: file, logger });
      assert.equal(await client.loadSession(), false, JSON.stringify(content));
      assert.equal(client.isSignedIn(), false);
    }
    assert.ok(lines.some((l) => /not valid/.test(l)));

    // A session for another emulator (another port) is not used against this one.
    const good = join(dir, "good.json");
    await clientFor(emu, { tokenFile: good }).signInWithPassword(ALICE, PASSWORD);
    const foreign = JSON.parse(await readFile(good, "utf8")) as Record<string, string>;
    foreign.baseUrl = "http://127.0.0.1:1";
    await writeFile(file, JSON.stringify(foreign));
    assert.equal(await clientFor(emu, { tokenFile: file }).loadSession(), false);
  });

  it("TEAMS_REFRESH_TOKEN overrides the stored refresh token, or signs in without a stored session", async () => {
    const good = join(dir, "env.json");
    await clientFor(emu, { tokenFile: good }).signInWithPassword(ALICE, PASSWORD);
    const refreshToken = (JSON.parse(await readFile(good, "utf8")) as { refreshToken: string }).refreshToken;

    const empty = join(dir, "nothing-here.json");
    const client = clientFor(emu, { tokenFile: empty, env: { TEAMS_REFRESH_TOKEN: refreshToken } });
    assert.equal(await client.loadSession(), true);
    assert.equal((await client.whoami()).email, ALICE);
    await assert.rejects(stat(empty), { code: "ENOENT" }, "an env token is not written to disk");
  });
});
