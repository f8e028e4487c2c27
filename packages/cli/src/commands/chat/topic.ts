import type { Command } from "commander";
import type { App } from "../../app.js";
import { oneLine } from "../../render/sanitize.js";
import type { AppFor } from "../../shared/command.js";

export interface TopicOptions {
  chat: string;
  /** The new name; "" removes it. */
  topic: string;
}

export function register(program: Command, appFor: AppFor): void {
  program
    .command("topic")
    .description('rename a group chat ("" removes the name)')
    .argument("<chat>", "chat number from `teams chats`, part of its title, or its id")
    .argument("<topic>", "the new name")
    .action(async (chat: string, topic: string, _opts: unknown, cmd: Command) => {
      await run(appFor(cmd), { chat, topic });
    });
}

export async function run(app: App, opts: TopicOptions): Promise<void> {
  const id = await app.chatId(opts.chat);
  const client = await app.session();
  await app.out.spin("Renaming…", client.chat.setTopic(id, opts.topic));
  if (app.out.json) app.out.printJson({ conversationId: id, topic: opts.topic });
  else app.out.success(opts.topic.trim() ? `Renamed to "${oneLine(opts.topic)}".` : "Removed the chat's name.");
}
