import type { Command } from "commander";
import type { App } from "../../app.js";
import { resolvePeople } from "../../people.js";
import { oneLine } from "../../render/sanitize.js";
import type { AppFor } from "../../shared/command.js";

export interface MembersAddOptions {
  chat: string;
  /** Email addresses, or names of people you share a chat with. */
  people: string[];
  /** Add them as owners. */
  owner?: boolean;
}

export function register(members: Command, appFor: AppFor): void {
  members
    .command("add")
    .description("add people to a group chat")
    .argument("<chat>", "chat number from `teams chats`, part of its title, or its id")
    .argument("<people...>", "email addresses or names")
    .option("--owner", "add them as owners")
    .action(async (chat: string, people: string[], opts: { owner?: boolean }, cmd: Command) => {
      await run(appFor(cmd), { chat, people, ...opts });
    });
}

export async function run(app: App, opts: MembersAddOptions): Promise<void> {
  const id = await app.chatId(opts.chat);
  const client = await app.session();
  const people = await app.out.spin("Looking people up…", resolvePeople(client, opts.people));
  for (const p of people) {
    await app.out.spin(
      `Adding ${oneLine(p.displayName)}…`,
      client.chat.addMember(id, p.mri, opts.owner ? "Admin" : "User"),
    );
  }
  if (app.out.json) {
    app.out.printJson({ conversationId: id, added: people.map((p) => ({ mri: p.mri, displayName: p.displayName })) });
  } else app.out.success(`Added ${people.map((p) => oneLine(p.displayName)).join(", ")}.`);
}
