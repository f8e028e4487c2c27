import { homedir } from "node:os";
import { dirname, join } from "node:path";

/**
 * Where the app keeps its own small state (the last listings, for short numbered references):
 * `TEAMS_CACHE_DIR`, else next to the token file when `TEAMS_TOKEN_FILE` names one (so a test's or
 * a demo's temp dir holds everything), else `$XDG_CACHE_HOME/teams-api` (~/.cache/teams-api).
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TEAMS_CACHE_DIR) return env.TEAMS_CACHE_DIR;
  if (env.TEAMS_TOKEN_FILE) return dirname(env.TEAMS_TOKEN_FILE);
  const base = env.XDG_CACHE_HOME?.startsWith("/") ? env.XDG_CACHE_HOME : join(homedir(), ".cache");
  return join(base, "teams-api");
}
