import type { Command } from "commander";
import type { App } from "../../app.js";
import type { AppFor } from "../../shared/command.js";
import { messageText } from "../../shared/send.js";

export interface EditOptions {
  chat: string;
  /** Message number from the last `teams messages` of the chat, or its id. */
  message: string;
  /** The new text; `-` reads it from stdin. */
  text: string;
}

export function register(program: Command, appFor: AppFor): void {
  program
    .command("edit")
    .description("change the text of one of your messages")
    .argument("<chat>", "chat number from `teams chats`, part of its title, or its id")
    .argument("<msg>", "message number from `teams messages <chat>`, or its id")
    .argument("<text>", "the new text, or - to read it from stdin")
    .action(async (chat: string, message: string, text: string, _opts: unknown, cmd: Command) => {
      await run(appFor(cmd), { chat, message, text });
    });
}

export async function run(app: App, opts: EditOptions): Promise<void> {
  const text = await messageText(app, opts.text);
  const id = await app.chatId(opts.chat);
  const messageId = app.messageId(id, opts.message);
  const client = await app.session();
  await app.out.spin("Saving…", client.chat.editMessage(id, messageId, text, { format: "text" }));
  if (app.out.json) app.out.printJson({ conversationId: id, id: messageId, edited: true });
  else app.out.success("Edited.");
}
