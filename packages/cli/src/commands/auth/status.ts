import type { Command } from "commander";
import type { AuthStatus } from "teams-api";
import type { App } from "../../app.js";
import { hint } from "../../invocation.js";
import { oneLine } from "../../render/sanitize.js";
import type { AppFor } from "../../shared/command.js";

export type StatusOptions = Record<string, never>;

export function register(auth: Command, appFor: AppFor): void {
  auth
    .command("status")
    .description("who is signed in, where, and when each token expires (tokens masked)")
    .action(async (_opts: StatusOptions, cmd: Command) => {
      await run(appFor(cmd), {});
    });
}

/** "in 59 min", "in 23 h", "expired 2 h ago". */
function relative(ms: number): string {
  const abs = Math.abs(ms);
  const text = abs < 90 * 60_000 ? `${Math.round(abs / 60_000)} min` : `${Math.round(abs / 3_600_000)} h`;
  return ms >= 0 ? `in ${text}` : `expired ${text} ago`;
}

export async function run(app: App, _opts: StatusOptions): Promise<AuthStatus> {
  const status = await app.client().authStatus();
  if (app.out.json) {
    app.out.printJson({
      ...status,
      tokens: status.tokens.map((t) => ({ ...t, expiresAt: new Date(t.expiresAt).toISOString() })),
    });
  } else {
    const c = app.out.c;
    const row = (k: string, v: string): void => app.out.line(`${c.dim(k.padEnd(9))} ${v}`);
    row("account", oneLine(status.account));
    if (!status.signedIn) {
      app.out.line(hint("Not signed in. Run `teams login`."));
    } else {
      row("user", `${oneLine(status.displayName ?? "")}${status.username ? ` <${oneLine(status.username)}>` : ""}`);
      row("cloud", `${status.cloud} (${status.kind === "consumer" ? "personal account" : "work or school"})`);
      if (status.tenantId) row("tenant", oneLine(status.tenantId));
      row("stored", oneLine(status.store));
      if (status.refreshToken) row("refresh", `${status.refreshToken} (kept until the service refuses it)`);
      if (status.expired)
        row("status", hint(`the service refused the saved session (${oneLine(status.expired)}); run \`teams login\``));
      const now = Date.now();
      for (const t of status.tokens) {
        row(
          "token",
          `${oneLine(t.audience)}  ${new Date(t.expiresAt).toISOString()} (${relative(t.expiresAt - now)})  ${t.masked}`,
        );
      }
    }
  }
  return status;
}
