// Bundles the installed `teams` command: packages/cli/src/main.ts with the library and protocol it
// uses, into a few ES modules under <outdir> (default packages/cli/dist/bundle). Why: a cold
// `teams messages` spent most of its start-up resolving and reading ~300 small modules; one bundle
// (code loaded only by some commands — prompts, the interactive app — in chunks of their own)
// starts ~100 ms sooner. Tests and the demo still run the TypeScript sources.
//
//   node scripts/bundle-cli.mjs [outdir]
//
// Left out of the bundle and resolved at run time, from the installed tree: the native keyring
// binding and the optional browser driver (both optional dependencies of teams-api), and the
// emoji data, which protocol reads with require() on first use only.
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Builds the bundle into `outdir`; resolves to the output file names. */
export async function bundleCli(outdir = join(root, "packages", "cli", "dist", "bundle")) {
  const result = await build({
    entryPoints: { main: join(root, "packages", "cli", "src", "main.ts") },
    absWorkingDir: root,
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20.19",
    // Workspace packages resolve to their TypeScript sources, as in tests.
    conditions: ["source"],
    external: ["@napi-rs/keyring", "playwright-core", "unicode-emoji-json", "bufferutil", "utf-8-validate"],
    // Bundled CommonJS dependencies call require() for Node built-ins.
    banner: {
      js: 'import { createRequire as __teamsRequire } from "node:module";\nconst require = __teamsRequire(import.meta.url);',
    },
    chunkNames: "chunk-[hash]",
    // Error classes keep their names (commander and our exit-code mapping read `err.name`).
    keepNames: true,
    legalComments: "none",
    metafile: true,
    logLevel: "warning",
  });
  return Object.keys(result.metafile.outputs);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ? resolve(process.argv[2]) : undefined;
  const files = await bundleCli(out);
  process.stdout.write(`bundled ${files.length} files\n`);
}
