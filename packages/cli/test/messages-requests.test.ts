/**
 * `teams messages <chat>` is one library call plus rendering: against the emulator's request log, a
 * listing after `teams chats` costs one request for the page and at most one batched profile lookup,
 * and every person it shows (senders, the people who reacted) is named, never an MRI.
 */
import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { RequestRecord } from "@teams-api/emulator";
import { findSecret, type RunResult, runInPty, type Sandbox, sandbox } from "./helpers/cli.js";

interface Named {
  mri: string;
  displayName: string;
}
interface MessageRow {
  number: number;
  from: Named;
  isSystem: boolean;
  reactions: Array<{ key: string; users: Named[] }>;
}

function ok(r: RunResult, what: string): RunResult {
  assert.equal(r.code, 0, `${what} exited ${r.code}: ${r.stderr}`);
  assert.equal(findSecret(r.stdout + r.stderr), undefined, what);
  return r;
}

const MRI = /\b\d+:[a-z]*:?[0-9a-f-]{8,}|\b8:orgid:|\b8:live:/i;

describe("teams messages: requests per listing", { timeout: 240_000 }, () => {
  let sb: Sandbox;
  const log: RequestRecord[] = [];
  let chatNumber = 0;

  before(async () => {
    sb = await sandbox({ onRequest: (r) => log.push(r) });
    await sb.login();
    const chats = JSON.parse(ok(await sb.run(["chats", "--count", "20", "--json"]), "chats").stdout) as Array<{
      number: number;
      kind: string;
    }>;
    // A group chat: several senders, and the seed's reactions come from its members.
    chatNumber = chats.find((c) => c.kind === "group")?.number ?? 1;
  });
  after(async () => {
    await sb?.close();
  });

  /** The requests one CLI run made, as "METHOD service path". */
  async function requestsOf(run: () => Promise<RunResult>, what: string): Promise<{ r: RunResult; made: string[] }> {
    log.length = 0;
    const r = ok(await run(), what);
    return { r, made: log.map((x) => `${x.method} ${x.service} ${x.target.split("?")[0]}`) };
  }

  function assertBudget(made: string[], what: string): void {
    const pages = made.filter((m) => /^GET chat .*\/messages$/.test(m));
    const profiles = made.filter((m) => m.startsWith("POST mt ") && m.includes("fetchShortProfile"));
    assert.equal(pages.length, 1, `${what}: one page request, got ${JSON.stringify(made)}`);
    assert.ok(profiles.length <= 1, `${what}: at most one batched profile request, got ${JSON.stringify(made)}`);
    assert.equal(made.length, pages.length + profiles.length, `${what}: nothing else, got ${JSON.stringify(made)}`);
  }

  it("--json: one page request, at most one profile batch; every person named", async () => {
    const { r, made } = await requestsOf(
      () => sb.run(["messages", String(chatNumber), "-n", "30", "--json"]),
      "messages --json",
    );
    assertBudget(made, "messages --json");
    const rows = JSON.parse(r.stdout) as MessageRow[];
    assert.ok(rows.length > 0);
    const people = rows.flatMap((m) => [...(m.isSystem ? [] : [m.from]), ...m.reactions.flatMap((x) => x.users)]);
    assert.ok(
      rows.some((m) => m.reactions.length > 0),
      "the chat has reactions (the test would not see their names otherwise)",
    );
    for (const p of people) {
      assert.match(p.mri, /^\d+:/);
      assert.ok(p.displayName !== "" && p.displayName !== "Unknown user", `unnamed ${p.mri}`);
      assert.doesNotMatch(p.displayName, MRI);
    }
  });

  it("on a terminal: the same budget, the header titled from the listing, names not MRIs", async () => {
    const { r, made } = await requestsOf(
      () => runInPty(["messages", String(chatNumber), "-n", "30"], { env: sb.env, discardStderr: true }),
      "messages (tty)",
    );
    assertBudget(made, "messages (tty)");
    assert.match(r.stdout, /─── .+ ───/);
    assert.doesNotMatch(r.stdout, MRI);
  });

  it("a chat named by id, not from the listing, still names everyone (the header may cost a lookup)", async () => {
    const rows = JSON.parse(ok(await sb.run(["chats", "--count", "20", "--json"]), "chats").stdout) as Array<{
      number: number;
      id: string;
    }>;
    const id = rows.find((c) => c.number === chatNumber)!.id;
    const { r, made } = await requestsOf(() => sb.run(["messages", id, "-n", "5", "--json"]), "messages <id>");
    assertBudget(made, "messages <id> --json");
    assert.equal((JSON.parse(r.stdout) as MessageRow[]).length, 5);
  });
});
