/**
 * npm run bench [-- name…] [--runs N] [--check]
 *
 * Loads every bench/*.bench.ts, runs each, and prints the median of each side, their ratio and the
 * target. With --check, exits 1 when a benchmark misses its target.
 */
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { type Benchmark, median } from "./lib.js";

const here = dirname(fileURLToPath(import.meta.url));
const { values, positionals } = parseArgs({
  options: { runs: { type: "string", default: "7" }, check: { type: "boolean", default: false } },
  allowPositionals: true,
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 5) {
  console.error("--runs must be a whole number of at least 5");
  process.exit(2);
}

const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .sort();
const rows: string[][] = [["benchmark", "baseline", "median", "subject", "median", "ratio", "target", ""]];
let missed = 0;
const checkLines: string[] = [];
for (const file of files) {
  const bench = (await import(pathToFileURL(join(here, file)).href)).default as Benchmark;
  if (positionals.length && !positionals.includes(bench.name)) continue;
  process.stderr.write(`running ${bench.name}: ${bench.description} (${runs} runs)…\n`);
  const out = await bench.run({ runs });
  const b = median(out.baseline.samplesMs);
  const s = median(out.subject.samplesMs);
  const ratio = s / b;
  const ok = out.target === undefined || ratio <= out.target;
  if (!ok) missed++;
  rows.push([
    bench.name,
    out.baseline.name,
    `${b.toFixed(2)} ms`,
    out.subject.name,
    `${s.toFixed(2)} ms`,
    `${ratio.toFixed(3)}×`,
    out.target === undefined ? "—" : `≤ ${out.target}×`,
    out.target === undefined ? "" : ok ? "ok" : "MISSED",
  ]);
  for (const [k, v] of Object.entries(out.notes ?? {})) process.stderr.write(`  ${bench.name} ${k}: ${v}\n`);
  for (const c of out.checks ?? []) {
    if (!c.ok) missed++;
    checkLines.push(`${bench.name}: ${c.name}: ${c.value} — ${c.ok ? "ok" : "MISSED"}`);
  }
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const r of rows)
  console.log(
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd(),
  );
for (const line of checkLines) console.log(line);
if (values.check && missed) process.exit(1);
