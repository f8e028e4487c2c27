import type { Command } from "commander";
import type { App } from "../../app.js";
import type { AppFor } from "../../shared/command.js";

export interface DeleteOptions {
  chat: string;
  /** Message number from the last `teams messages` of the chat, or its id. */
  message: string;
}

export function register(program: Command, appFor: AppFor): void {
  program
    .command("delete")
    .description("delete one of your messages")
    .argument("<chat>", "chat number from `teams chats`, part of its title, or its id")
    .argument("<msg>", "message number from `teams messages <chat>`, or its id")
    .action(async (chat: string, message: string, _opts: unknown, cmd: Command) => {
      await run(appFor(cmd), { chat, message });
    });
}

export async function run(app: App, opts: DeleteOptions): Promise<void> {
  const id = await app.chatId(opts.chat);
  const messageId = app.messageId(id, opts.message);
  const client = await app.session();
  await app.out.spin("Deleting…", client.chat.deleteMessage(id, messageId));
  if (app.out.json) app.out.printJson({ conversationId: id, id: messageId, deleted: true });
  else app.out.success("Deleted.");
}
