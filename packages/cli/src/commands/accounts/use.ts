import type { Command } from "commander";
import type { App } from "../../app.js";
import { UsageError } from "../../errors.js";
import { oneLine } from "../../render/sanitize.js";
import type { AppFor } from "../../shared/command.js";

export type UseOptions = Record<string, never>;

export function register(accounts: Command, appFor: AppFor): void {
  accounts
    .command("use")
    .description("make an account the one commands use")
    .argument("<name>", "the account (see `teams accounts`)")
    .action(async (name: string, _opts: UseOptions, cmd: Command) => {
      await run(appFor(cmd), name);
    });
}

export async function run(app: App, name: string): Promise<void> {
  const registry = app.client().accounts;
  if (!registry) throw new UsageError("This session is not kept in the token store; there are no accounts to switch.");
  await registry.use(name);
  if (app.out.json) app.out.printJson({ current: name });
  else app.out.success(`Now using the account ${oneLine(name)}.`);
}
