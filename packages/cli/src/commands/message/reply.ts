import type { Command } from "commander";
import type { SentMessage } from "teams-api";
import type { App } from "../../app.js";
import type { AppFor } from "../../shared/command.js";
import { messageText, sending, sentJson } from "../../shared/send.js";

export interface ReplyOptions {
  chat: string;
  /** Message number from the last `teams messages` of the chat, or its id. */
  message: string;
  /** The reply; `-` reads it from stdin. */
  text: string;
}

export function register(program: Command, appFor: AppFor): void {
  program
    .command("reply")
    .description("reply to a message (quoting it)")
    .argument("<chat>", "chat number from `teams chats`, part of its title, or its id")
    .argument("<msg>", "message number from `teams messages <chat>`, or its id")
    .argument("<text>", "the reply, or - to read it from stdin")
    .action(async (chat: string, message: string, text: string, _opts: unknown, cmd: Command) => {
      await run(appFor(cmd), { chat, message, text });
    });
}

export async function run(app: App, opts: ReplyOptions): Promise<SentMessage> {
  const text = await messageText(app, opts.text);
  const id = await app.chatId(opts.chat);
  const messageId = app.messageId(id, opts.message);
  const client = await app.session();
  const sent = await sending(app, () => client.chat.sendReply(id, messageId, text, { format: "text" }));
  if (app.out.json) app.out.printJson(sentJson(sent));
  else app.out.success("Replied.");
  return sent;
}
