import type { Command } from "commander";
import type { App } from "../../app.js";
import { identityJson } from "../../render/json.js";
import { oneLine } from "../../render/sanitize.js";
import type { AppFor } from "../../shared/command.js";

export type WhoamiOptions = Record<string, never>;

export function register(program: Command, appFor: AppFor): void {
  program
    .command("whoami")
    .description("show who is signed in")
    .action(async (_opts: WhoamiOptions, cmd: Command) => {
      await run(appFor(cmd), {});
    });
}

export async function run(app: App, _opts: WhoamiOptions): Promise<void> {
  const client = await app.session();
  const me = await app.out.spin("Checking…", client.whoami());
  if (app.out.json) {
    app.out.printJson(identityJson(me));
    return;
  }
  const c = app.out.c;
  app.out.line(`${c.bold(oneLine(me.displayName))}${me.email ? ` <${oneLine(me.email)}>` : ""}`);
  app.out.line(`${c.dim("account")}  ${me.kind === "consumer" ? "personal (Microsoft account)" : "work or school"}`);
  if (me.tenantId) app.out.line(`${c.dim("tenant")}   ${oneLine(me.tenantId)}`);
}
