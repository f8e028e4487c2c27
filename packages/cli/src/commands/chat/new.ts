import type { Command } from "commander";
import type { CreatedChat } from "teams-api";
import type { App } from "../../app.js";
import { resolvePeople } from "../../people.js";
import { oneLine } from "../../render/sanitize.js";
import type { AppFor } from "../../shared/command.js";

export interface ChatNewOptions {
  /** Email addresses, or names of people you share a chat with. */
  people: string[];
  topic?: string;
  /** A first message (what creates a new 1:1 chat). */
  message?: string;
}

export function register(chat: Command, appFor: AppFor): void {
  chat
    .command("new")
    .description("start a chat with one or more people (by email, or by name if you share a chat)")
    .argument("<people...>", "email addresses or names")
    .option("-t, --topic <topic>", "name the chat (makes it a group chat)")
    .option("-m, --message <text>", "send a first message")
    .action(async (people: string[], opts: Omit<ChatNewOptions, "people">, cmd: Command) => {
      await run(appFor(cmd), { people, ...opts });
    });
}

export async function run(app: App, opts: ChatNewOptions): Promise<CreatedChat> {
  const client = await app.session();
  const people = await app.out.spin("Looking people up…", resolvePeople(client, opts.people));
  const created = await app.out.spin(
    "Creating the chat…",
    client.chat.createChat(
      people.map((p) => p.mri),
      {
        ...(opts.topic !== undefined ? { topic: opts.topic } : {}),
        ...(opts.message !== undefined ? { message: opts.message, messageOptions: { format: "text" } } : {}),
      },
    ),
  );
  if (app.out.json) {
    app.out.printJson({
      id: created.id,
      kind: created.kind,
      members: people.map((p) => ({ mri: p.mri, displayName: p.displayName })),
      messageId: created.message?.id ?? null,
    });
  } else {
    const names = people.map((p) => oneLine(p.displayName)).join(", ");
    const title = opts.topic ? `"${oneLine(opts.topic)}" with ${names}` : `with ${names}`;
    app.out.success(`Started a chat ${title}.`);
  }
  return created;
}
