import { type Command, InvalidArgumentError } from "commander";
import type { App } from "../../app.js";
import { availabilityLabel } from "../../render/presence.js";
import type { AppFor } from "../../shared/command.js";
import { formatDuration, parseDuration } from "../../shared/duration.js";

type Settable = "Available" | "Busy" | "DoNotDisturb" | "BeRightBack" | "Away" | "Offline";

const ALIASES: Readonly<Record<string, Settable>> = {
  available: "Available",
  busy: "Busy",
  donotdisturb: "DoNotDisturb",
  dnd: "DoNotDisturb",
  berightback: "BeRightBack",
  brb: "BeRightBack",
  away: "Away",
  offline: "Offline",
  appearoffline: "Offline",
};

/** `Busy`, `do-not-disturb`, `dnd`, `brb`, `appear-offline`… (any case). */
export function parseAvailability(value: string): Settable {
  const key = value.toLowerCase().replace(/[\s_-]/g, "");
  const found = ALIASES[key];
  if (!found) throw new InvalidArgumentError("expected Available, Busy, DoNotDisturb, BeRightBack, Away or Offline.");
  return found;
}

export interface StatusSetOptions {
  availability: Settable;
  /** Milliseconds until the status ends by itself. */
  for?: number;
}

export function register(status: Command, appFor: AppFor): void {
  status
    .command("set")
    .description("show a status of your choice (Available, Busy, DoNotDisturb, BeRightBack, Away, Offline)")
    .argument("<status>", "Available, Busy, DoNotDisturb (dnd), BeRightBack (brb), Away or Offline", parseAvailability)
    .option("--for <duration>", "only for this long (30m, 1h, 1h30m); then back to automatic", parseDuration)
    .action(async (availability: Settable, opts: { for?: number }, cmd: Command) => {
      await run(appFor(cmd), { availability, ...opts });
    });
}

export async function run(app: App, opts: StatusSetOptions): Promise<void> {
  const client = await app.session();
  await app.out.spin(
    "Setting your status…",
    client.presence.setStatus(opts.availability, opts.for !== undefined ? { expiresIn: opts.for } : {}),
  );
  const until = opts.for !== undefined ? new Date(Date.now() + opts.for) : undefined;
  if (app.out.json) {
    app.out.printJson({ availability: opts.availability, expiresAt: until?.toISOString() ?? null });
    return;
  }
  const label = availabilityLabel(opts.availability);
  app.out.success(
    until
      ? `Your status is ${label} for ${formatDuration(opts.for!)}, then automatic again.`
      : `Your status is ${label} until you reset it (\`teams status reset\`).`,
  );
}
