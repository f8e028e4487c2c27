import type { Command } from "commander";
import type { Contact } from "teams-api";
import type { App } from "../../app.js";
import { activityCell, presenceCell, presenceJson } from "../../render/presence.js";
import { oneLine, truncate } from "../../render/sanitize.js";
import type { AppFor } from "../../shared/command.js";

export interface ContactsOptions {
  /** Skip reading presence. */
  presence: boolean;
}

export function register(program: Command, appFor: AppFor): void {
  program
    .command("contacts")
    .description("list your contacts (your contact list and the people you chat with), with their presence")
    .option("--no-presence", "do not read presence")
    .action(async (opts: ContactsOptions, cmd: Command) => {
      await run(appFor(cmd), opts);
    });
}

export async function run(app: App, opts: ContactsOptions): Promise<Contact[]> {
  const client = await app.session();
  const contacts = await app.out.spin(
    "Loading contacts…",
    client.contacts.getAllContacts({ withPresence: opts.presence !== false }),
  );
  if (app.out.json) {
    app.out.printJson(
      contacts.map((c) => ({
        mri: c.mri,
        displayName: c.displayName,
        group: c.group ?? null,
        sources: c.sources,
        presence: c.presence ? presenceJson(c.presence) : null,
      })),
    );
    return contacts;
  }
  if (contacts.length === 0) {
    app.out.status("No contacts yet.");
    return contacts;
  }
  const c = app.out.c;
  const withPresence = contacts.some((x) => x.presence);
  app.out.table({
    head: ["Name", ...(withPresence ? ["Status", "Activity"] : []), "Group"],
    rows: contacts.map((x) => [
      truncate(oneLine(x.displayName), 28),
      ...(withPresence && x.presence
        ? [presenceCell(x.presence, c), activityCell(x.presence)]
        : withPresence
          ? ["", ""]
          : []),
      oneLine(x.group ?? (x.sources.includes("conversation") ? "Chats" : "")),
    ]),
  });
  return contacts;
}
