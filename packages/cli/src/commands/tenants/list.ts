import type { Command } from "commander";
import type { TenantInfo } from "teams-api";
import type { App } from "../../app.js";
import { oneLine } from "../../render/sanitize.js";
import type { AppFor } from "../../shared/command.js";

export function register(program: Command, appFor: AppFor): void {
  program
    .command("tenants")
    .description("list the organizations your account belongs to (home and guest)")
    .action(async (_opts: unknown, cmd: Command) => {
      await run(appFor(cmd));
    });
}

export async function run(app: App): Promise<TenantInfo[]> {
  const client = await app.session();
  const [tenants, me] = await app.out.spin(
    "Loading organizations…",
    Promise.all([client.middleTier.getTenants(), client.whoami()]),
  );
  if (app.out.json) {
    app.out.printJson(tenants.map(({ raw: _raw, ...t }) => ({ ...t, current: t.tenantId === me.tenantId })));
    return tenants;
  }
  if (tenants.length === 0) {
    app.out.status("This account belongs to no organization (a personal account).");
    return tenants;
  }
  const c = app.out.c;
  app.out.table({
    head: ["", "Organization", "Role", "Country", "Invitation"],
    rows: tenants.map((t) => [
      t.tenantId === me.tenantId ? c.green("●") : "",
      oneLine(t.tenantName),
      oneLine(t.userType),
      oneLine(t.countryLetterCode ?? ""),
      t.isInvitationRedeemed ? "accepted" : c.yellow("pending"),
    ]),
  });
  return tenants;
}
