import type { Command } from "commander";
import type { App } from "../../app.js";
import type { AppFor } from "../../shared/command.js";

export interface LogoutOptions {
  /** `--all`: sign every account out. */
  all?: boolean;
}

export function register(program: Command, appFor: AppFor): void {
  program
    .command("logout")
    .description("sign out and forget the saved session (--all: every account)")
    .option("--all", "sign out of every account")
    .action(async (opts: LogoutOptions, cmd: Command) => {
      await run(appFor(cmd), opts);
    });
}

export async function run(app: App, opts: LogoutOptions): Promise<void> {
  const client = app.client();
  await client.logout({ all: Boolean(opts.all) });
  app.listings.clear();
  if (app.out.json) app.out.printJson({ signedOut: true, ...(opts.all ? { all: true } : { account: client.account }) });
  else app.out.success(opts.all ? "Signed out of every account." : "Signed out.");
}
