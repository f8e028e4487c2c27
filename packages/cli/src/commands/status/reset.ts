import type { Command } from "commander";
import type { App } from "../../app.js";
import type { AppFor } from "../../shared/command.js";

export function register(status: Command, appFor: AppFor): void {
  status
    .command("reset")
    .description("go back to the automatic status (from your devices and activity)")
    .action(async (_opts: unknown, cmd: Command) => {
      await run(appFor(cmd));
    });
}

export async function run(app: App): Promise<void> {
  const client = await app.session();
  await app.out.spin("Resetting your status…", client.presence.resetStatus());
  if (app.out.json) app.out.printJson({ availability: "automatic" });
  else app.out.success("Your status is automatic again.");
}
