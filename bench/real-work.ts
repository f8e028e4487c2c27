/**
 * Real work from a cold start: one `teams` command with a saved session (a fresh process each time,
 * the compiled bin) against a bare node script that makes the same requests with the same token.
 *
 * The requests are those the command itself made: one run of the command is recorded through the
 * emulator's request hook (method, path and query, body), and `bare-replay.mjs` replays them with
 * the session file's cached tokens — the first request alone, the rest concurrently (a listing,
 * then its lookups), which is the least any client could do for the same answer.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type RequestRecord, startEmulator } from "@teams-api/emulator";
import { AUDIENCES } from "@teams-api/protocol";
import { type BenchOutcome, median } from "./lib.js";

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, "..", "packages", "cli", "bin", "teams.cjs");
const replay = join(here, "bare-replay.mjs");
/** Spawns per run and side; a run's sample is their median. */
const SPAWNS_PER_RUN = 5;

/** What the replay script sends: the request, and which cached credential goes in which header. */
export interface ReplayRequest {
  method: string;
  url: string;
  body: string;
  /** Header → `skypetoken` or `bearer:<audience>` (filled from the session file). */
  credentials: Record<string, string>;
}

/** Runs `node <args>` (asynchronously: the emulator answers in this same process) and times it. */
function run(
  args: string[],
  env: NodeJS.ProcessEnv,
  input = "",
): Promise<{ ms: number; code: number | null; stderr: string }> {
  const start = performance.now();
  const child = spawn(process.execPath, args, { env, stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stdout.resume();
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
  });
  child.stdin.end(input);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ ms: performance.now() - start, code, stderr }));
  });
}

async function spawnMs(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const r = await run(args, env);
  if (r.code !== 0) throw new Error(`node ${args[0]} … exited ${r.code}: ${r.stderr.slice(0, 300)}`);
  return r.ms;
}

function toReplay(origin: string, r: RequestRecord): ReplayRequest {
  const credentials: Record<string, string> = {};
  for (const h of r.credentials) {
    credentials[h] = h === "authorization" ? `bearer:${AUDIENCES.spaces}` : "skypetoken";
  }
  return { method: r.method, url: origin + r.target, body: r.body, credentials };
}

/** Times `teams <args>` against the bare replay of the requests it makes, alternating the two. */
export async function realWork(
  args: (chatIds: Record<string, string>) => string[],
  runs: number,
): Promise<BenchOutcome> {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run npm run build first`);
  const recorded: RequestRecord[] = [];
  let recording = false;
  const emulator = await startEmulator({ port: 0, onRequest: (r) => recording && recorded.push(r) });
  const dir = mkdtempSync(join(tmpdir(), "teams-bench-"));
  try {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: dir,
      NO_COLOR: "1",
      ...emulator.env(),
      TEAMS_TOKEN_FILE: join(dir, "session.json"),
      TEAMS_KEYRING: "0",
    };
    const login = await run(
      [bin, "login", "--username", "alice@contoso.com", "--password-stdin"],
      env,
      `${emulator.password}\n`,
    );
    if (login.code !== 0) throw new Error(`teams login failed: ${login.stderr.slice(0, 300)}`);
    const { DEMO_CHAT_IDS } = await import("@teams-api/emulator");
    const command = [bin, ...args(DEMO_CHAT_IDS as Record<string, string>)];
    // Warm once (listings saved, names cached in the session where the CLI keeps them), then record.
    await spawnMs(command, env);
    recording = true;
    await spawnMs(command, env);
    recording = false;
    const requests = recorded.filter((r) => r.status < 400).map((r) => toReplay(emulator.origin, r));
    const plan = join(dir, "requests.json");
    writeFileSync(plan, JSON.stringify(requests));
    const bare = [replay, env.TEAMS_TOKEN_FILE!, plan];
    const bareHttp = [...bare, "--node-http"];
    await spawnMs(bare, env);
    await spawnMs(bareHttp, env);

    const baselineMs: number[] = [];
    const subjectMs: number[] = [];
    const httpMs: number[] = [];
    for (let r = 0; r < runs; r++) {
      const b: number[] = [];
      const s: number[] = [];
      const h: number[] = [];
      for (let i = 0; i < SPAWNS_PER_RUN; i++) {
        b.push(await spawnMs(bare, env));
        s.push(await spawnMs(command, env));
        h.push(await spawnMs(bareHttp, env));
      }
      baselineMs.push(median(b));
      subjectMs.push(median(s));
      httpMs.push(median(h));
    }
    return {
      baseline: { name: `node bare-replay (${requests.length} requests)`, samplesMs: baselineMs },
      subject: {
        name: `teams ${command
          .slice(1)
          .join(" ")
          .replace(/19:\S+/, "<chat>")}`,
        samplesMs: subjectMs,
      },
      target: 1.5,
      notes: {
        requests: requests
          .map((r) => `${r.method} ${new URL(r.url).pathname.replace(/19:[^/]+|19%3A[^/]+/gi, "<chat>")}`)
          .join(", "),
        spawns: `${runs * SPAWNS_PER_RUN} per side`,
        "bare replay on node:http instead of fetch": `${median(httpMs).toFixed(2)} ms (the command is ${(median(subjectMs) / median(httpMs)).toFixed(3)}× that)`,
      },
    };
  } finally {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
