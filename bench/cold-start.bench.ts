import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Benchmark, median } from "./lib.js";

const bin = join(dirname(fileURLToPath(import.meta.url)), "..", "packages", "cli", "bin", "teams.cjs");
/** Spawns per run; the run's sample is the median of these, to keep one slow fork from deciding it. */
const SPAWNS_PER_RUN = 15;

function spawnMs(args: string[]): number {
  const start = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const bench: Benchmark = {
  name: "cold-start",
  description: "`teams --version` (compiled bin) against bare `node -e 0`",
  async run({ runs }) {
    if (!existsSync(bin)) throw new Error(`${bin} is missing: run npm run build first`);
    const baselineMs: number[] = [];
    const subjectMs: number[] = [];
    spawnMs(["-e", "0"]);
    spawnMs([bin, "--version"]);
    for (let r = 0; r < runs; r++) {
      const b: number[] = [];
      const s: number[] = [];
      for (let i = 0; i < SPAWNS_PER_RUN; i++) {
        b.push(spawnMs(["-e", "0"]));
        s.push(spawnMs([bin, "--version"]));
      }
      baselineMs.push(median(b));
      subjectMs.push(median(s));
    }
    return {
      baseline: { name: "node -e 0", samplesMs: baselineMs },
      subject: { name: "teams --version", samplesMs: subjectMs },
      target: 1.5,
      notes: { spawns: `${runs * SPAWNS_PER_RUN} per side` },
    };
  },
};
export default bench;
