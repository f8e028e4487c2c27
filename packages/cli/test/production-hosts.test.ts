/**
 * The client's real cloud configurations against the emulator answering as Microsoft (issue 7):
 * `teams-emulator --tls --production-hosts` is the HTTPS proxy (`HTTPS_PROXY`), its local CA is
 * trusted through `NODE_EXTRA_CA_CERTS`, and the terminal app and the library run with
 * `TEAMS_CLOUD=enterprise` / `consumer` — no emulator URL anywhere in their configuration. They
 * sign in, list chats, read a chat over two pages, send, reply, react, edit, delete and say who is
 * signed in.
 *
 * Fails when: a tunnel is asked for a host the emulator does not answer as (a request that would
 * reach anything but the emulator), a child resolves a hostname itself (a direct connection; a
 * preloaded guard refuses and logs every lookup), a response of the run names the emulator's own
 * address, or the library's second page was not fetched by following `backwardLink`.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import type { ObservedResponse, RequestRecord } from "@teams-api/emulator";
import { CLOUDS, PUSH_ROOTS, TROUTER_HOST_SUFFIXES } from "@teams-api/protocol";
import { findSecret, ROOT, type RunResult, runTs, type Sandbox, sandbox } from "./helpers/cli.js";

interface MessageRow {
  number: number;
  id: string;
  text: string;
  isDeleted: boolean;
  editedAt: string | null;
  reactions: Array<{ key: string }>;
}

function ok(r: RunResult, what: string): RunResult {
  assert.equal(r.code, 0, `${what} exited ${r.code}: ${r.stderr}`);
  assert.equal(findSecret(r.stdout + r.stderr), undefined, `${what}: token in output`);
  return r;
}
const json = <T>(r: RunResult): T => JSON.parse(r.stdout) as T;

describe("the real enterprise and consumer configurations through teams-emulator --tls --production-hosts", {
  timeout: 900_000,
}, () => {
  let sb: Sandbox;
  let dataDir: string;
  const responses: ObservedResponse[] = [];
  const requests: RequestRecord[] = [];
  const tunnels = new Set<string>();
  const refused: string[] = [];

  let dnsLog: string;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "teams-emulator-ca-"));
    dnsLog = join(dataDir, "direct-dns.log");
    writeFileSync(dnsLog, "");
    sb = await sandbox({
      productionHosts: true,
      tls: { dataDir },
      onRequest: (r) => requests.push(r),
      observe: {
        response: (r) => responses.push(r),
        connect: (target, allowed) => (allowed ? tunnels.add(target) : refused.push(target)),
      },
    });
    // Not client configuration: a guard in every child that refuses (and logs) any direct lookup.
    sb.env.NODE_OPTIONS = `--import ${pathToFileURL(join(ROOT, "packages/cli/test/fixtures/no-direct-dns.mjs")).href}`;
    sb.env.NO_DIRECT_DNS_LOG = dnsLog;
  });
  after(async () => {
    await sb.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("the guard refuses a direct lookup (so the last test can trust its log)", () => {
    const probe = spawnSync(
      process.execPath,
      ["-e", "require('node:dns').lookup('teams.microsoft.com', (e) => process.exit(e ? 3 : 0))"],
      { env: { ...sb.env, NO_DIRECT_DNS_LOG: join(dataDir, "guard-check.log") } },
    );
    assert.equal(probe.status, 3);
    assert.equal(readFileSync(join(dataDir, "guard-check.log"), "utf8"), "teams.microsoft.com\n");
  });

  it("hands the client only the real configuration: the cloud, the proxy and the CA", () => {
    assert.equal(sb.env.TEAMS_CLOUD, "enterprise");
    assert.equal(sb.env.HTTPS_PROXY, sb.emulator.origin);
    assert.match(String(sb.env.NODE_EXTRA_CA_CERTS), /ca\.pem$/);
    assert.equal(sb.env.TEAMS_LOGIN_URL, undefined);
    assert.equal(sb.env.TEAMS_BASE_URL, undefined);
  });

  it("enterprise: sign in, whoami, chats, send, reply, react, edit, messages, delete", async () => {
    const login = ["login", "--username", "alice@contoso.com", "--password-stdin"];
    ok(await runWith(sb, sb.env, login, { input: `${sb.emulator.password}\n` }), "login");
    const me = json<{ mri: string; displayName: string }>(ok(await runWith(sb, sb.env, ["whoami"]), "whoami"));
    assert.equal(me.displayName, "Alice Example");
    const chats = json<Array<{ title: string }>>(ok(await runWith(sb, sb.env, ["chats", "-n", "50"]), "chats"));
    assert.ok(
      chats.some((c) => c.title === "Bob Example"),
      "the 1:1 with Bob is listed",
    );

    // `-n` tops out at the service's largest page (200), so the terminal app reads one page; the
    // library below reads in pages of 5 and so follows `backwardLink`.
    await roundTrip(sb, sb.env, "Bob Example", responses);
    assert.ok(
      messagePages(responses).some((p) => p.host === "emea.ng.msg.teams.microsoft.com"),
      "messages came from the home region's chat host named by the service map",
    );
  });

  it("consumer: the personal-account demo user, with TEAMS_CLOUD=consumer", async () => {
    const env = { ...sb.envFor("grace@outlook.com"), TEAMS_CLOUD: "consumer" };
    const login = await runWith(sb, env, ["login", "--username", "grace@outlook.com", "--password-stdin"], {
      input: `${sb.emulator.password}\n`,
    });
    ok(login, "consumer login");
    const me = json<{ displayName: string }>(ok(await runWith(sb, env, ["whoami"]), "whoami"));
    assert.equal(me.displayName, "Grace Lin");
    const chats = json<Array<{ title: string }>>(ok(await runWith(sb, env, ["chats"]), "chats"));
    assert.ok(
      chats.some((c) => c.title === "Alice Example"),
      `Grace's chat with Alice: ${JSON.stringify(chats)}`,
    );
    await roundTrip(sb, env, "Alice Example", responses);
    assert.ok(
      responses.some((r) => r.host === "msgapi.teams.live.com"),
      "the consumer chat service answered on its own host",
    );
  });

  it("the library: the same steps for both clouds, reading in pages of 5", async () => {
    for (const [cloud, user, chat] of [
      ["enterprise", "bob@contoso.com", "Alice Example"],
      ["consumer", "grace@outlook.com", "Alice Example"],
    ] as const) {
      const pagesBefore = messagePages(responses).length;
      const r = await library(sb, { ...sb.env, TEAMS_CLOUD: cloud }, user, chat);
      ok(r, `library (${cloud})`);
      const seen = JSON.parse(r.stdout) as Record<string, unknown>;
      assert.equal(seen.read, 10, `${cloud}: two pages of 5`);
      const pages = messagePages(responses).slice(pagesBefore);
      assert.ok(
        pages.some((p) => /syncState=/.test(p.target)),
        `${cloud}: the second page followed backwardLink (${pages.map((p) => p.host + p.target).join(", ")})`,
      );
      assert.equal(seen.replied, true);
      assert.deepEqual(seen.reactions, ["like"]);
      assert.equal(seen.edited, "library through the proxy (edited)");
      assert.equal(seen.deleted, true);
      assert.equal(seen.pushed, true, `${cloud}: the send came back as a Trouter push through the proxy`);
      assert.deepEqual(seen.refusals, ["untrusted_destination", "untrusted_destination"]);
    }
  });

  it("nothing left the emulator, and no response named its own address", () => {
    assert.deepEqual(refused, [], "every tunnel the clients asked for was a host the emulator answers as");
    assert.equal(readFileSync(dnsLog, "utf8"), "", "no child resolved a name itself (a direct connection)");
    const allowed = credentialHosts(responses);
    const carried = requests.filter((r) => r.credentials.length > 0);
    assert.ok(carried.length > 20, `credentials were sent (${carried.length} requests)`);
    for (const r of carried) {
      assert.ok(allowed(r.host), `a credential went to ${r.host}, outside the clouds and the service map`);
    }
    assert.ok(tunnels.has("login.microsoftonline.com:443"));
    assert.ok(tunnels.has("teams.microsoft.com:443"));
    assert.ok(tunnels.has("teams.live.com:443"));
    // Realtime went through the proxy too: allocate on go.trouter…, the socket on a Trouter socket host.
    assert.ok(tunnels.has("go.trouter.teams.microsoft.com:443"));
    assert.ok(tunnels.has("go.trouter.skype.com:443"));
    assert.ok([...tunnels].some((t) => /^trouter2-[a-z]+-a\.trouter\.(teams\.microsoft|skype)\.com:443$/.test(t)));
    assert.ok(responses.length > 50, `the run was observed (${responses.length} responses)`);
    const own = [new URL(sb.emulator.origin).host, `localhost:${sb.emulator.port}`];
    for (const r of responses) {
      const text = `${JSON.stringify(r.headers)}\n${r.body ?? ""}`;
      for (const needle of own) {
        assert.ok(!text.includes(needle), `${r.method} https://${r.host}${r.target} names the emulator (${needle})`);
      }
    }
  });
});

/**
 * The hosts a client may send a credential to: its clouds' sign-in and Teams roots, the push roots,
 * Trouter's own hosts, and every host of a service map (`regionGtms`) the run handed out.
 */
function credentialHosts(all: readonly ObservedResponse[]): (host: string) => boolean {
  const hosts = new Set<string>();
  for (const c of Object.values(CLOUDS)) for (const u of Object.values(c)) hosts.add(new URL(u).hostname);
  for (const r of Object.values(PUSH_ROOTS)) for (const u of Object.values(r)) hosts.add(new URL(u).hostname);
  for (const r of all) {
    if (!/\/authz/.test(r.target) || r.status !== 200) continue;
    const gtms = (JSON.parse(r.body) as { regionGtms?: Record<string, unknown> }).regionGtms ?? {};
    for (const v of Object.values(gtms)) if (typeof v === "string" && /^https:/.test(v)) hosts.add(new URL(v).hostname);
  }
  return (host) => hosts.has(host) || TROUTER_HOST_SUFFIXES.some((s) => host.endsWith(s));
}

/** GETs of a messages list, in order. */
function messagePages(all: readonly ObservedResponse[]): ObservedResponse[] {
  return all.filter((r) => r.method === "GET" && /\/conversations\/[^/]+\/messages(?:\?|$)/.test(r.target));
}

function runWith(sb: Sandbox, env: NodeJS.ProcessEnv, args: readonly string[], o: { input?: string } = {}) {
  return sb.run(args, { ...o, env, timeoutMs: 120_000 });
}

/** send → reply → react → edit → delete in one chat, each checked by reading it back. */
async function roundTrip(
  sb: Sandbox,
  env: NodeJS.ProcessEnv,
  chat: string,
  responses: readonly ObservedResponse[],
): Promise<void> {
  // Messages by id (every subcommand takes one), so one listing checks them all: lean on spawns.
  const sent = json<{ id: string }>(ok(await runWith(sb, env, ["send", chat, "through the proxy"]), "send"));
  const reply = json<{ id: string }>(ok(await runWith(sb, env, ["reply", chat, sent.id, "a reply"]), "reply"));
  ok(await runWith(sb, env, ["react", chat, sent.id, "like"]), "react");
  ok(await runWith(sb, env, ["edit", chat, sent.id, "through the proxy, edited"]), "edit");
  const rows = json<MessageRow[]>(ok(await runWith(sb, env, ["messages", chat, "-n", "30"]), `messages ${chat}`));
  assert.ok(rows.length >= 3, "the listing has the chat's history");
  const edited = rows.find((m) => m.id === sent.id);
  assert.equal(edited?.text, "through the proxy, edited");
  assert.deepEqual(
    edited?.reactions.map((r) => r.key),
    ["like"],
  );
  assert.ok(
    rows.some((m) => m.id === reply.id && /a reply/.test(m.text)),
    "the reply is listed",
  );
  ok(await runWith(sb, env, ["delete", chat, sent.id]), "delete");
  const deleted = responses.filter((r) => r.method === "DELETE" && r.target.endsWith(`/messages/${sent.id}`));
  assert.deepEqual(
    deleted.map((r) => r.status),
    [200],
    "the chat service deleted it",
  );
}

/** The library fixture in a child process with the given environment (password on stdin). */
function library(sb: Sandbox, env: NodeJS.ProcessEnv, user: string, chat: string): Promise<RunResult> {
  const script = join(ROOT, "packages", "cli", "test", "fixtures", "library-run.ts");
  return runTs(script, [user, chat], { env, input: `${sb.emulator.password}\n`, timeoutMs: 180_000 });
}
