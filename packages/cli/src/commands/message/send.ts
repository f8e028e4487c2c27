import type { Command } from "commander";
import type { SentMessage } from "teams-api";
import type { App } from "../../app.js";
import type { AppFor } from "../../shared/command.js";
import { messageText, sending, sentJson } from "../../shared/send.js";

export interface SendOptions {
  chat: string;
  /** The message; `-` reads it from stdin. */
  text: string;
  /** Send as HTML (RichText/Html) as given instead of plain text. */
  html?: boolean;
}

export function register(program: Command, appFor: AppFor): void {
  program
    .command("send")
    .description("send a message to a chat")
    .argument("<chat>", "chat number from `teams chats`, part of its title, or its id")
    .argument("<text>", "the message, or - to read it from stdin")
    .option("--html", "the text is HTML")
    .action(async (chat: string, text: string, opts: { html?: boolean }, cmd: Command) => {
      await run(appFor(cmd), { chat, text, ...opts });
    });
}

export async function run(app: App, opts: SendOptions): Promise<SentMessage> {
  const text = await messageText(app, opts.text);
  const id = await app.chatId(opts.chat);
  const client = await app.session();
  // Typed text is text even when it starts with "<"; --html sends it as Teams HTML.
  const sent = await sending(app, () => client.chat.sendMessage(id, text, { format: opts.html ? "html" : "text" }));
  if (app.out.json) app.out.printJson(sentJson(sent));
  else app.out.success("Sent.");
  return sent;
}
