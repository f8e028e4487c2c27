import type { Command } from "commander";
import type { Message } from "teams-api";
import type { App } from "../../app.js";
import { messageJson } from "../../render/json.js";
import { messageLines } from "../../render/messages.js";
import { oneLine } from "../../render/sanitize.js";
import { type AppFor, parseCount } from "../../shared/command.js";

export interface MessagesOptions {
  chat: string;
  /** How many of the newest messages. @default 20 */
  count: number;
}

export function register(program: Command, appFor: AppFor): void {
  program
    .command("messages")
    .description("show a chat's recent messages, oldest first, numbered for use as <msg>")
    .argument("<chat>", "chat number from `teams chats`, part of its title, or its id")
    .option("-n, --count <n>", "how many messages", parseCount, 20)
    .action(async (chat: string, opts: Omit<MessagesOptions, "chat">, cmd: Command) => {
      await run(appFor(cmd), { ...opts, chat });
    });
}

/**
 * One library call — the newest messages with every person in them already named — then rendering.
 * The header's title comes from the last `teams chats` listing; only a chat not in it costs a lookup.
 */
export async function run(app: App, opts: MessagesOptions): Promise<Message[]> {
  const id = await app.chatId(opts.chat);
  const client = await app.session();
  const newestFirst = await app.out.spin("Loading messages…", client.chat.getMessages(id, { count: opts.count }));
  const messages = [...newestFirst].reverse();
  app.listings.saveMessages(
    id,
    messages.map((m) => m.id),
  );
  if (app.out.json) {
    app.out.printJson(messages.map((m, i) => messageJson(m, i + 1)));
    return messages;
  }
  if (messages.length === 0) {
    app.out.status("No messages yet.");
    return messages;
  }
  const title = await chatTitle(app, id);
  if (title) app.out.line(app.out.c.bold(`─── ${oneLine(title)} ───`));
  const selfMri = (await client.whoami()).mri;
  for (const line of messageLines(messages, { colors: app.out.c, width: app.out.width, selfMri })) app.out.line(line);
  return messages;
}

/** The chat's title as the last listing showed it, else from the service ("" when it cannot say). */
async function chatTitle(app: App, id: string): Promise<string> {
  const listed = app.listings.read().titles[id];
  if (listed) return listed;
  const client = await app.session();
  const details = await client.chat.getConversationDetails(id).catch(() => undefined);
  return details?.title ?? "";
}
