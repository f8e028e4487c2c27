// Runs every test file through node:test with an explicit file list (on Node 20 a quoted glob
// silently finds nothing), fails a run that executed zero tests, and scans the whole run's
// output for anything shaped like a credential: no token may ever reach logs or output.
//
//   npm test                      all tests
//   npm test -- packages/client   only files under that path
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const filters = process.argv.slice(2);

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "dist") continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (name.endsWith(".test.ts")) out.push(relative(root, full));
  }
  return out;
}

const all = [...walk(join(root, "packages"), []), ...walk(join(root, "bench"), [])].sort();
const files = filters.length ? all.filter((f) => filters.some((p) => f.startsWith(p) || f.includes(p))) : all;
if (files.length === 0) {
  console.error(`no test files matched ${filters.join(" ") || "(all)"}`);
  process.exit(1);
}

// Every test runs under a timeout, so a regression that hangs (a lost abort, a timer that never
// fires) fails that test instead of stalling the run; files set tighter ones where they know better.
// --test-force-exit ends a file whose failed test left a socket or timer behind.
const testTimeout = Number(process.env.TEST_TIMEOUT_MS ?? 600_000);
const args = [
  "--conditions=source",
  "--import",
  "tsx",
  "--test",
  "--test-reporter=spec",
  `--test-timeout=${testTimeout}`,
  "--test-force-exit",
  `--test-concurrency=${process.env.TEST_CONCURRENCY ?? "2"}`,
  ...files,
];
const env = { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" };
if (process.env.CI && !env.FC_NUM_RUNS) env.FC_NUM_RUNS = "10000";

const child = spawn(process.execPath, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
let log = "";
child.stdout.on("data", (d) => {
  log += d;
  process.stdout.write(d);
});
child.stderr.on("data", (d) => {
  log += d;
  process.stderr.write(d);
});
const code = await new Promise((resolve) => child.on("close", resolve));

mkdirSync(join(root, ".test-output"), { recursive: true });
writeFileSync(join(root, ".test-output", "test.log"), log);

const count = (label) => Number(log.match(new RegExp(`^ℹ ${label} (\\d+)$`, "m"))?.[1] ?? Number.NaN);
const tests = count("tests");
const failed = count("fail");
const problems = [];
if (!(tests > 0)) problems.push(`the run executed ${Number.isNaN(tests) ? "no" : tests} tests`);

// Credential shapes: compact JWTs (every token the emulator mints is one), emulator refresh
// tokens, and the canary that tests plant on purpose. Report where, never what.
const leaks = [
  [/eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, "a JWT"],
  [/\b0\.EMU[A-Za-z0-9_-]{8,}/g, "an emulator refresh token"],
  [/CANARY-TOKEN-[A-Za-z0-9]+/g, "the canary token"],
];
for (const [re, what] of leaks) {
  for (const m of log.matchAll(re)) {
    const line = log.slice(0, m.index).split("\n").length;
    problems.push(`${what} appears in the test output (.test-output/test.log line ${line})`);
  }
}

if (problems.length) {
  for (const p of problems) console.error(`✖ ${p}`);
  process.exit(1);
}
console.log(`${tests - failed} passed, ${failed} failed`);
process.exit(code ?? 1);
