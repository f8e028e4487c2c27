/**
 * Runs the real `teams` (TypeScript sources through tsx, as `npm test` does) in a child process
 * against an emulator on a free port, with its session file in a temp dir and no keyring.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Emulator, startEmulator } from "@teams-api/emulator";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");
export const BIN = join(ROOT, "packages", "cli", "src", "bin.ts");
/** The command line that runs the CLI from source. */
export const NODE_ARGS = ["--conditions=source", "--import", "tsx", BIN];

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** Written to stdin, which is then closed (stdin is always a pipe, never a terminal). */
  input?: string;
  /** @default 30000 */
  timeoutMs?: number;
}

/** Environment for a child: no colour, no debug, nothing inherited that would point elsewhere. */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const k of ["PATH", "HOME", "LANG", "TMPDIR", "SystemRoot"]) if (process.env[k]) env[k] = process.env[k];
  return { ...env, NO_COLOR: "1" };
}

export function runCli(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return runTs(BIN, args, options, `teams ${args.join(" ")}`);
}

/** Runs a TypeScript file from the sources (as `npm test` does) in a child, like `runCli`. */
export function runTs(
  script: string,
  args: readonly string[],
  options: RunOptions = {},
  label = `${script} ${args.join(" ")}`,
): Promise<RunResult> {
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", script, ...args], {
    cwd: ROOT,
    env: { ...baseEnv(), ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  return collect(child, label, options.timeoutMs, options.input ?? "");
}

/** Runs plain `node <args>` (no tsx, no source condition) in a child, like `runCli`. */
export function runNode(
  args: readonly string[],
  options: RunOptions = {},
  label = `node ${args.join(" ")}`,
): Promise<RunResult> {
  const child = spawn(process.execPath, [...args], {
    cwd: ROOT,
    env: { ...baseEnv(), ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  return collect(child, label, options.timeoutMs, options.input ?? "");
}

/** Gathers a child's output until it exits; kills it and rejects after `timeoutMs`. */
function collect(
  child: ChildProcessWithoutNullStreams,
  label: string,
  timeoutMs = 30_000,
  input = "",
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${label} did not finish in time; stderr so far: ${stderr.slice(0, 500)}`));
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.on("error", () => {});
    child.stdin.end(input);
  });
}

/** An emulator, a temp dir for the session and listings, and a runner bound to both. */
export interface Sandbox {
  emulator: Emulator;
  dir: string;
  env: NodeJS.ProcessEnv;
  run(args: readonly string[], options?: RunOptions): Promise<RunResult>;
  /** `teams login --username <user> --password-stdin` with the demo password; asserts success. */
  login(user?: string): Promise<RunResult>;
  /** Environment of another user's session (own session file and listings), e.g. Bob's. */
  envFor(user: string): NodeJS.ProcessEnv;
  /** Runs as another user, signing them in first if needed. */
  runAs(user: string, args: readonly string[], options?: RunOptions): Promise<RunResult>;
  close(): Promise<void>;
}

export async function sandbox(options: Parameters<typeof startEmulator>[0] = {}): Promise<Sandbox> {
  const emulator = await startEmulator({ port: 0, ...options });
  const dir = mkdtempSync(join(tmpdir(), "teams-cli-test-"));
  const env: NodeJS.ProcessEnv = { ...emulator.env(), TEAMS_TOKEN_FILE: join(dir, "session.json"), TEAMS_KEYRING: "0" };
  const signedIn = new Set<string>();
  const envFor = (user: string): NodeJS.ProcessEnv => {
    const userDir = join(dir, user.replace(/[^a-z0-9]/gi, "_"));
    mkdirSync(userDir, { recursive: true, mode: 0o700 });
    return { ...env, TEAMS_TOKEN_FILE: join(userDir, "session.json") };
  };
  const run = (args: readonly string[], o: RunOptions = {}): Promise<RunResult> =>
    runCli(args, { ...o, env: { ...env, ...o.env } });
  return {
    emulator,
    dir,
    env,
    run,
    async login(user = "alice@contoso.com") {
      const r = await run(["login", "--username", user, "--password-stdin"], { input: `${emulator.password}\n` });
      if (r.code !== 0) throw new Error(`login as ${user} failed (${r.code}): ${r.stderr}`);
      return r;
    },
    envFor,
    async runAs(user, args, o = {}) {
      const userEnv = envFor(user);
      if (!signedIn.has(user)) {
        const r = await runCli(["login", "--username", user, "--password-stdin"], {
          env: userEnv,
          input: `${emulator.password}\n`,
        });
        if (r.code !== 0) throw new Error(`login as ${user} failed (${r.code}): ${r.stderr}`);
        signedIn.add(user);
      }
      return runCli(args, { ...o, env: { ...userEnv, ...o.env } });
    },
    async close() {
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Shapes that must never appear in anything the CLI prints. */
export const SECRET_SHAPES: readonly RegExp[] = [
  /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}/,
  /\b0\.EMU[A-Za-z0-9_-]{8,}/,
  /CANARY-TOKEN-/,
];

export function findSecret(text: string): string | undefined {
  const hit = SECRET_SHAPES.find((re) => re.test(text));
  return hit ? `output contains something shaped like ${hit.source.slice(0, 12)}…` : undefined;
}

/**
 * Runs the CLI with stdout on a real pseudo-terminal (util-linux `script`), returning every byte it
 * wrote: the human rendering, exactly as a terminal would receive it. stderr shares the terminal
 * unless `discardStderr` (then only stdout's bytes are seen: data, not the spinner).
 */
export function runInPty(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; discardStderr?: boolean } = {},
): Promise<RunResult> {
  const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const line =
    [process.execPath, ...NODE_ARGS, ...args].map(quote).join(" ") + (options.discardStderr ? " 2>/dev/null" : "");
  const child = spawn("script", ["-q", "-e", "-c", line, "/dev/null"], {
    cwd: ROOT,
    env: { ...baseEnv(), COLUMNS: "120", LINES: "40", TERM: "xterm-256color", ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  return collect(child, `teams ${args.join(" ")} (pty)`, options.timeoutMs);
}
