import type { Command } from "commander";
import type { App } from "../../app.js";
import { UsageError } from "../../errors.js";
import { oneLine } from "../../render/sanitize.js";
import type { AppFor } from "../../shared/command.js";
import { formatDuration, parseDuration } from "../../shared/duration.js";

export interface StatusMessageOptions {
  /** The message; omitted with `clear`. */
  text?: string;
  /** Milliseconds until it disappears. */
  for?: number;
  /** Show it when people message you. */
  pin?: boolean;
  clear?: boolean;
}

export function register(status: Command, appFor: AppFor): void {
  status
    .command("message")
    .description("set the status message people see beside your name")
    .argument("[text]", "the message")
    .option("--for <duration>", "clear it after this long (30m, 1h, 2d)", parseDuration)
    .option("--pin", "also show it when people message you")
    .option("--clear", "remove the status message")
    .action(async (text: string | undefined, opts: Omit<StatusMessageOptions, "text">, cmd: Command) => {
      await run(appFor(cmd), { ...(text !== undefined ? { text } : {}), ...opts });
    });
}

export async function run(app: App, opts: StatusMessageOptions): Promise<void> {
  const text = opts.text?.trim() ?? "";
  if (opts.clear && text) throw new UsageError("Give a message or --clear, not both.");
  if (!opts.clear && !text)
    throw new UsageError('Give the message, e.g. teams status message "Out today", or --clear.');
  const client = await app.session();
  if (opts.clear) {
    await app.out.spin("Clearing your status message…", client.presence.clearStatusMessage());
    if (app.out.json) app.out.printJson({ statusMessage: null });
    else app.out.success("Your status message is cleared.");
    return;
  }
  await app.out.spin(
    "Setting your status message…",
    client.presence.setStatusMessage(text, {
      ...(opts.for !== undefined ? { expiresIn: opts.for } : {}),
      pinned: opts.pin === true,
    }),
  );
  const expiresAt = opts.for !== undefined ? new Date(Date.now() + opts.for).toISOString() : null;
  if (app.out.json) {
    app.out.printJson({ statusMessage: { text, pinned: opts.pin === true, expiresAt } });
    return;
  }
  const when = opts.for !== undefined ? ` for ${formatDuration(opts.for)}` : "";
  app.out.success(`Your status message is “${oneLine(text)}”${when}.`);
}
