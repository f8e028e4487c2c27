#!/usr/bin/env node
// The `teams` entry point. `--version` answers before anything heavy loads (cold start is
// benchmarked against bare `node -e 0`); every other invocation imports the command tree.
import { VERSION } from "./version.js";

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")) {
  process.stdout.write(`${VERSION}\n`);
} else {
  const { main } = await import("./main.js");
  process.exitCode = await main(argv);
}
