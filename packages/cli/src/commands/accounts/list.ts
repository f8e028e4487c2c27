import type { Command } from "commander";
import type { App } from "../../app.js";
import { oneLine } from "../../render/sanitize.js";
import type { AppFor } from "../../shared/command.js";

export type AccountsOptions = Record<string, never>;

export function register(accounts: Command, appFor: AppFor): void {
  accounts
    .command("list", { isDefault: true })
    .description("the signed-in accounts (the current one marked)")
    .action(async (_opts: AccountsOptions, cmd: Command) => {
      await run(appFor(cmd), {});
    });
}

export async function run(app: App, _opts: AccountsOptions): Promise<void> {
  const client = app.client();
  const entries = client.accounts?.list() ?? [];
  const current = client.account;
  if (app.out.json) {
    app.out.printJson(
      entries.map((e) => ({
        name: e.name,
        current: e.name === current,
        username: e.username ?? null,
        displayName: e.displayName ?? null,
        cloud: e.cloud ?? null,
        tenantId: e.tenantId ?? null,
        expired: e.expired ?? null,
      })),
    );
    return;
  }
  if (entries.length === 0) {
    app.out.status("No accounts yet. Sign in with `teams login` (add `--account <name>` for more than one).");
    return;
  }
  app.out.table({
    head: ["", "account", "user", "cloud", "state"],
    rows: entries.map((e) => [
      e.name === current ? "*" : "",
      oneLine(e.name),
      oneLine(`${e.displayName ?? ""}${e.username ? ` <${e.username}>` : ""}`),
      oneLine(e.cloud ?? ""),
      e.expired ? `sign in again (${oneLine(e.expired)})` : "signed in",
    ]),
  });
}
