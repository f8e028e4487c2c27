import type { Command } from "commander";
import type { Presence } from "teams-api";
import type { App } from "../../app.js";
import { resolvePeople } from "../../people.js";
import { activityCell, presenceCell, presenceJson } from "../../render/presence.js";
import { oneLine, truncate } from "../../render/sanitize.js";
import type { AppFor } from "../../shared/command.js";

export interface PresenceOptions {
  /** Email addresses, MRIs or names of people the user shares a chat with; "me" for the user. */
  people: string[];
}

export function register(program: Command, appFor: AppFor): void {
  program
    .command("presence")
    .description("show whether people are available, busy, away or offline, and their status messages")
    .argument("<people...>", 'email addresses or names ("me" for yourself)')
    .action(async (people: string[], _opts: unknown, cmd: Command) => {
      await run(appFor(cmd), { people });
    });
}

export async function run(app: App, opts: PresenceOptions): Promise<Presence[]> {
  const client = await app.session();
  const me = await client.whoami();
  const wantsMe = opts.people.some((p) => p.trim().toLowerCase() === "me");
  const others = opts.people.filter((p) => p.trim().toLowerCase() !== "me");
  const people = [
    ...(wantsMe ? [{ mri: me.mri, displayName: me.displayName || (await client.names.displayName(me.mri)) }] : []),
    ...(others.length ? await app.out.spin("Looking people up…", resolvePeople(client, others)) : []),
  ];
  const presences = await app.out.spin("Reading presence…", client.presence.getPresence(people.map((p) => p.mri)));
  const byMri = new Map(presences.map((p) => [p.mri.toLowerCase(), p]));
  const rows = people.map((person) => ({ person, presence: byMri.get(person.mri.toLowerCase())! }));
  if (app.out.json) {
    app.out.printJson(
      rows.map(({ person, presence }) => ({
        mri: person.mri,
        displayName: person.displayName,
        ...presenceJson(presence),
      })),
    );
    return presences;
  }
  const c = app.out.c;
  app.out.table({
    head: ["Person", "Status", "Activity", "Message"],
    rows: rows.map(({ person, presence }) => [
      truncate(oneLine(person.displayName), 28),
      presenceCell(presence, c),
      activityCell(presence),
      presence.statusMessage ? truncate(oneLine(presence.statusMessage.text), 40) : "",
    ]),
  });
  return presences;
}
