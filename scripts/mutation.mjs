// Mutation testing of the core modules with StrykerJS 9 (its command runner over each module's
// fast tests). Not part of CI: run it before a release and after changing a core module.
//
//   npm run mutation              every module, one after another
//   npm run mutation -- retry     one module (retry, sanitize, map, send, fetch)
//
// Runs one module at a time with concurrency 1 (the machine is shared); each report lands in
// reports/mutation/<module>.html and the score is printed at the end. The table of scores and the
// equivalent mutants are in docs/mutation.md.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * The command Stryker runs once per mutant in its sandbox. The instrumented source holds every
 * mutant at once (the active one is chosen by an environment variable), so the module's test files
 * are bundled once per sandbox with esbuild (next to the first test file, so `import.meta.url`
 * paths still hold) and each mutant costs one plain `node` start: no tsx, no `--test` child
 * process. Small property runs: a mutant is caught by the examples or by the first cases.
 * MUTATION=1 lets a test shrink work that only measures scale (the 1 MB floods), which the
 * instrumented code would make take minutes per mutant.
 */
function testCommand(name, tests) {
  const bundle = join(dirname(tests[0]), `.mutation-${name}.mjs`);
  const entry = tests.map((t) => `import "./${t}";`).join(" ");
  const build =
    `node_modules/.bin/esbuild --bundle --platform=node --format=esm --external:@napi-rs/* ` +
    // CommonJS dependencies (ws) call require(); give the ES module bundle one.
    `'--banner:js=import { createRequire } from "node:module"; const require = createRequire(import.meta.url);' ` +
    `--conditions=source --log-level=warning --sourcefile=mutation-entry.ts --outfile=${bundle}`;
  return `(test -f ${bundle} || echo '${entry}' | ${build}) && MUTATION=1 FC_NUM_RUNS=30 node ${bundle}`;
}

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
    tests: ["packages/client/test/models.test.ts", "packages/client/test/map.test.ts"],
  },
  send: {
    mutate: ["packages/client/src/http/delivery.ts", "packages/client/src/services/chat/send.ts"],
    tests: ["packages/client/test/delivery-rule.test.ts"],
  },
  fetch: {
    mutate: ["packages/client/src/http/node-fetch.ts", "packages/client/src/http/upload.ts"],
    tests: ["packages/client/test/node-fetch.test.ts"],
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
    commandRunner: { command: testCommand(name, m.tests) },
    mutate: m.mutate,
    concurrency: 1,
    coverageAnalysis: "off",
    // On top of 1.5 × the initial run: enough for a loaded machine, short for a mutant that loops.
    timeoutMS: 15000,
    reporters: ["clear-text", "html", "json", "progress"],
    htmlReporter: { fileName: `reports/mutation/${name}.html` },
    jsonReporter: { fileName: `reports/mutation/${name}.json` },
    tempDirName: ".stryker-tmp",
    cleanTempDir: true,
    ignorePatterns: ["reports", ".test-output", "**/dist", "bench", "**/.mutation-*.mjs"],
  };
  mkdirSync(join(root, "reports", "mutation"), { recursive: true });
  // Tests find the shared material at ../shared from the repository; a sandbox sits two levels
  // deeper (.stryker-tmp/sandbox-x), so it gets the same view.
  mkdirSync(join(root, ".stryker-tmp"), { recursive: true });
  const shared = join(root, ".stryker-tmp", "shared");
  if (!existsSync(shared) && existsSync(join(root, "..", "shared"))) symlinkSync(join(root, "..", "shared"), shared);
  const file = join(root, "reports", "mutation", `${name}.config.json`);
  writeFileSync(file, JSON.stringify(config, null, 2));
  console.log(`\n▶ mutation: ${name} (${m.mutate.join(", ")})`);
  const started = Date.now();
  const run = spawnSync("npx", ["stryker", "run", file], { cwd: root, stdio: "inherit" });
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
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
  const total = valid + counts.other;
  scores.push({ name, total, ...counts, minutes, score: valid ? ((100 * detected) / valid).toFixed(1) : "n/a" });
}
console.log(
  "\n| module | mutants | killed | timeout | survived | no coverage | ignored/other | score | minutes |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
);
for (const s of scores) {
  console.log(
    `| ${s.name} | ${s.total} | ${s.killed} | ${s.timeout} | ${s.survived} | ${s.noCoverage} | ${s.other} | ${s.score} % | ${s.minutes} |`,
  );
}
