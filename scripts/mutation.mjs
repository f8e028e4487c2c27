// Mutation testing of the core modules with StrykerJS 9 (its command runner over each module's
// fast tests). Not part of CI: run it before a release and after changing a core module.
//
//   npm run mutation              every module, one after another
//   npm run mutation -- retry     one module (retry, sanitize, map, send)
//
// Runs one module at a time with concurrency 1 (the machine is shared); each report lands in
// reports/mutation/<module>.html and the score is printed at the end. The table of scores and the
// equivalent mutants are in docs/mutation.md.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const node = `node --conditions=source --import tsx --test --test-timeout=60000 --test-force-exit --test-concurrency=1`;

/** Each module: the files mutated and the fast tests that must notice. */
export const MODULES = {
  retry: {
    mutate: ["packages/client/src/http/retry.ts"],
    tests: ["packages/client/test/http-retry.test.ts"],
  },
  sanitize: {
    mutate: ["packages/protocol/src/sanitize.ts"],
    tests: ["packages/protocol/test/sanitize.test.ts"],
  },
  map: {
    mutate: ["packages/client/src/services/map.ts"],
    tests: ["packages/client/test/models.test.ts"],
  },
  send: {
    mutate: ["packages/client/src/http/delivery.ts", "packages/client/src/services/chat/send.ts"],
    tests: ["packages/client/test/delivery-rule.test.ts"],
  },
};

const wanted = process.argv.slice(2);
const names = wanted.length ? wanted : Object.keys(MODULES);
for (const name of names) {
  if (!MODULES[name]) {
    console.error(`unknown module ${name}; one of ${Object.keys(MODULES).join(", ")}`);
    process.exit(2);
  }
}

const scores = [];
for (const name of names) {
  const m = MODULES[name];
  const config = {
    $schema: "./node_modules/@stryker-mutator/core/schema/stryker-schema.json",
    testRunner: "command",
    // Small property runs: a mutant is either caught by the examples or by the first cases.
    commandRunner: { command: `FC_NUM_RUNS=100 ${node} ${m.tests.join(" ")}` },
    mutate: m.mutate,
    concurrency: 1,
    coverageAnalysis: "off",
    timeoutMS: 30000,
    reporters: ["clear-text", "html", "json", "progress"],
    htmlReporter: { fileName: `reports/mutation/${name}.html` },
    jsonReporter: { fileName: `reports/mutation/${name}.json` },
    tempDirName: ".stryker-tmp",
    cleanTempDir: true,
    ignorePatterns: ["reports", ".test-output", "**/dist", "bench"],
  };
  mkdirSync(join(root, "reports", "mutation"), { recursive: true });
  const file = join(root, "reports", "mutation", `${name}.config.json`);
  writeFileSync(file, JSON.stringify(config, null, 2));
  console.log(`\n▶ mutation: ${name} (${m.mutate.join(", ")})`);
  const run = spawnSync("npx", ["stryker", "run", file], { cwd: root, stdio: "inherit" });
  if (run.status !== 0) {
    console.error(`stryker failed for ${name} (exit ${run.status})`);
    process.exit(run.status ?? 1);
  }
  const report = JSON.parse(readFileSync(join(root, "reports", "mutation", `${name}.json`), "utf8"));
  const counts = { killed: 0, survived: 0, timeout: 0, noCoverage: 0, other: 0 };
  for (const f of Object.values(report.files)) {
    for (const mutant of f.mutants) {
      const s = mutant.status;
      if (s === "Killed") counts.killed++;
      else if (s === "Survived") counts.survived++;
      else if (s === "Timeout") counts.timeout++;
      else if (s === "NoCoverage") counts.noCoverage++;
      else counts.other++;
    }
  }
  const detected = counts.killed + counts.timeout;
  const valid = detected + counts.survived + counts.noCoverage;
  scores.push({ name, ...counts, score: valid ? ((100 * detected) / valid).toFixed(1) : "n/a" });
}
console.log("\n| module | killed | timeout | survived | score |\n| --- | --- | --- | --- | --- |");
for (const s of scores) console.log(`| ${s.name} | ${s.killed} | ${s.timeout} | ${s.survived} | ${s.score} % |`);
