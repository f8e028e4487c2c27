import type { Command } from "commander";
import type { App } from "../../app.js";
import { resolvePeople } from "../../people.js";
import { oneLine } from "../../render/sanitize.js";
import type { AppFor } from "../../shared/command.js";

export interface MembersRemoveOptions {
  chat: string;
  /** Names of members, or email addresses. */
  people: string[];
}

export function register(members: Command, appFor: AppFor): void {
  members
    .command("remove")
    .description("remove people from a group chat")
    .argument("<chat>", "chat number from `teams chats`, part of its title, or its id")
    .argument("<people...>", "members' names or email addresses")
    .action(async (chat: string, people: string[], _opts: unknown, cmd: Command) => {
      await run(appFor(cmd), { chat, people });
    });
}

export async function run(app: App, opts: MembersRemoveOptions): Promise<void> {
  const id = await app.chatId(opts.chat);
  const client = await app.session();
  const roster = await app.out.spin("Loading members…", client.chat.threadMembers(id));
  const people = await resolvePeople(client, opts.people, { pool: roster });
  for (const p of people) {
    await app.out.spin(`Removing ${oneLine(p.displayName)}…`, client.chat.removeMember(id, p.mri));
  }
  if (app.out.json) {
    app.out.printJson({ conversationId: id, removed: people.map((p) => ({ mri: p.mri, displayName: p.displayName })) });
  } else app.out.success(`Removed ${people.map((p) => oneLine(p.displayName)).join(", ")}.`);
}
