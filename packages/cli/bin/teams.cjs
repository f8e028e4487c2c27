#!/usr/bin/env node
// The installed `teams` command. CommonJS, so `teams --version` answers before Node starts its ES
// module loader; everything else loads the bundled command tree (dist/bundle, built by
// scripts/bundle-cli.mjs when the package is built). Tests run packages/cli/src/bin.ts instead.
"use strict";
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")) {
  process.stdout.write(`${require("../package.json").version}\n`);
} else {
  import("../dist/bundle/main.js")
    .then(
      ({ main }) => main(argv),
      (err) => {
        process.stderr.write(`teams: cannot load the command tree (${err?.code ?? err}); run \`npm run build\`\n`);
        return 1;
      },
    )
    .then((code) => {
      process.exitCode = code;
    });
}
