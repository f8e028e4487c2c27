import type { Command } from "commander";
import type { App } from "../../app.js";
import type { AppFor } from "../../shared/command.js";

export interface ReadOptions {
  chat: string;
  /** Instead of marking read: mark unread from this message on (number or id). */
  unread?: string;
}

export function register(program: Command, appFor: AppFor): void {
  program
    .command("read")
    .description("mark a chat as read (or, with --unread <msg>, unread from that message on)")
    .argument("<chat>", "chat number from `teams chats`, part of its title, or its id")
    .option("--unread <msg>", "mark unread from this message (number from `teams messages`, or id)")
    .action(async (chat: string, opts: { unread?: string }, cmd: Command) => {
      await run(appFor(cmd), { chat, ...opts });
    });
}

export async function run(app: App, opts: ReadOptions): Promise<void> {
  const id = await app.chatId(opts.chat);
  const client = await app.session();
  if (opts.unread !== undefined) {
    const messageId = app.messageId(id, opts.unread);
    await app.out.spin("Marking unread…", client.chat.markUnread(id, messageId));
    if (app.out.json) app.out.printJson({ conversationId: id, unreadFrom: messageId });
    else app.out.success("Marked unread.");
    return;
  }
  const upTo = await app.out.spin("Marking read…", client.chat.setConsumptionHorizon(id));
  if (app.out.json) app.out.printJson({ conversationId: id, readUpTo: upTo ?? null });
  else app.out.success(upTo ? "Marked read." : "Nothing to read: the chat is empty.");
}
