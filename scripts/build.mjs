// Compiles each package to dist/ in dependency order. Tests and the demo run the TypeScript
// sources directly (the "source" export condition); dist/ is what the installed bins and the
// benchmarks run; the `teams` bin runs the bundle built last.
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
let tsc;
try {
  tsc = require.resolve("typescript/bin/tsc");
} catch {
  // `npm ci --omit=dev` installs no compiler; nothing to build then.
  process.exit(0);
}
for (const pkg of ["protocol", "client", "emulator", "cli"]) {
  const dir = join(root, "packages", pkg);
  rmSync(join(dir, "dist"), { recursive: true, force: true });
  execFileSync(process.execPath, [tsc, "-p", join(dir, "tsconfig.build.json")], { stdio: "inherit" });
}
// The installed `teams` runs one bundle of the command tree (see bundle-cli.mjs).
const { bundleCli } = await import("./bundle-cli.mjs");
await bundleCli();
