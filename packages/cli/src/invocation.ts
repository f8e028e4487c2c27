/**
 * How hints name this program: as the user can actually run it. After `npm ci` only `npx teams`
 * works; `teams` alone works once `node_modules/.bin` is on the PATH (the README's step). The rule:
 * started by npm (`npx teams`, `npm run demo`) or by a path (`node …/bin.ts`) → `npx teams`;
 * started as `teams` from the PATH → `teams`.
 */
import { basename } from "node:path";

export function commandName(
  env: NodeJS.ProcessEnv = process.env,
  script: string | undefined = process.argv[1],
): string {
  if (env.npm_command || env.npm_lifecycle_event) return "npx teams";
  return script !== undefined && basename(script) === "teams" ? "teams" : "npx teams";
}

/** Names the program in a hint (ours or the library's `` `teams login` ``) the way it was started. */
export function hint(text: string, name: string = commandName()): string {
  return name === "teams" ? text : text.replace(/`teams(?=[ `])/g, `\`${name}`);
}
