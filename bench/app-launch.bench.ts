import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startEmulator } from "@teams-api/emulator";
import { TeamsClient } from "teams-api";
import { type Benchmark, median } from "./lib.js";

const bin = join(dirname(fileURLToPath(import.meta.url)), "..", "packages", "cli", "bin", "teams.cjs");
const MENU = "What would you like to do?";
/** Launches per run; the run's sample is their median. */
const LAUNCHES_PER_RUN = 5;

/** Milliseconds from spawning `command` on a pseudo-terminal until `marker` appears in its output. */
function untilShown(command: string, marker: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn("script", ["-q", "-e", "-c", command, "/dev/null"], {
      env: { ...env, TERM: "xterm-256color", COLUMNS: "120", LINES: "40" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let seen = "";
    let done = false;
    const timer = setTimeout(() => finish(new Error(`"${marker}" did not appear: ${seen.slice(-300)}`)), 30_000);
    function finish(err?: Error): void {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const ms = performance.now() - start;
      child.kill("SIGTERM");
      child.once("close", () => (err ? reject(err) : resolve(ms)));
    }
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      seen += d;
      if (seen.includes(marker)) finish();
    });
    child.on("error", (e) => finish(e));
  });
}

const bench: Benchmark = {
  name: "app-launch",
  description:
    "`teams` (compiled bin, signed in) to the interactive main menu on a pty, against bare `node` printing a line",
  async run({ runs }) {
    if (!existsSync(bin)) throw new Error(`${bin} is missing: run npm run build first`);
    const emulator = await startEmulator({ port: 0 });
    const dir = mkdtempSync(join(tmpdir(), "teams-bench-launch-"));
    try {
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ...emulator.env(),
        TEAMS_TOKEN_FILE: join(dir, "session.json"),
        TEAMS_KEYRING: "0",
      };
      const client = new TeamsClient({ cloud: "emulator", env });
      await client.signInWithPassword("alice@contoso.com", emulator.password);
      const node = process.execPath;
      const subject = `${node} ${bin}`;
      const baseline = `${node} -e 'process.stdout.write("node is up\\n")'`;
      await untilShown(baseline, "node is up", env);
      await untilShown(subject, MENU, env);
      const baselineMs: number[] = [];
      const subjectMs: number[] = [];
      for (let r = 0; r < runs; r++) {
        const b: number[] = [];
        const s: number[] = [];
        for (let i = 0; i < LAUNCHES_PER_RUN; i++) {
          b.push(await untilShown(baseline, "node is up", env));
          s.push(await untilShown(subject, MENU, env));
        }
        baselineMs.push(median(b));
        subjectMs.push(median(s));
      }
      return {
        baseline: { name: "node prints a line (pty)", samplesMs: baselineMs },
        subject: { name: "teams → main menu (pty)", samplesMs: subjectMs },
        notes: { launches: `${runs * LAUNCHES_PER_RUN} per side` },
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await emulator.close();
    }
  },
};
export default bench;
