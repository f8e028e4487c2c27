import type { Command } from "commander";
import type { App } from "../../app.js";
import type { AppFor } from "../types.js";

export type LogoutOptions = Record<string, never>;

export function register(program: Command, appFor: AppFor): void {
  program
    .command("logout")
    .description("sign out and forget the saved session")
    .action(async (_opts: LogoutOptions, cmd: Command) => {
      await run(appFor(cmd), {});
    });
}

export async function run(app: App, _opts: LogoutOptions): Promise<void> {
  await app.client().logout();
  app.listings.clear();
  if (app.out.json) app.out.printJson({ signedOut: true });
  else app.out.success("Signed out.");
}
