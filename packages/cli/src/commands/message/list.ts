import type { Command } from "commander";
import type { Message } from "teams-api";
import type { App } from "../../app.js";
import { messageJson } from "../../render/json.js";
import { messageLines, mrisToName } from "../../render/messages.js";
import { oneLine } from "../../render/sanitize.js";
import { type AppFor, parseCount } from "../types.js";

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

/** The newest `count` messages of a chat, oldest first, with every name they mention resolved. */
export async function loadMessages(
  app: App,
  conversationId: string,
  count: number,
  signal?: AbortSignal,
): Promise<{ messages: Message[]; name: (mri: string) => string; selfMri: string }> {
  const client = await app.session();
  const opts = signal ? { signal } : {};
  const newestFirst = await client.chat.getMessages(conversationId, { count, ...opts });
  const messages = [...newestFirst].reverse();
  client.names.rememberMessages(messages);
  const [names, me] = await Promise.all([client.names.displayNames(mrisToName(messages)), client.whoami()]);
  return { messages, name: (mri) => names.get(mri) ?? client.names.peek(mri), selfMri: me.mri };
}

export async function run(app: App, opts: MessagesOptions): Promise<Message[]> {
  const id = await app.chatId(opts.chat);
  const { messages, name, selfMri } = await app.out.spin("Loading messages…", loadMessages(app, id, opts.count));
  app.listings.saveMessages(
    id,
    messages.map((m) => m.id),
  );
  if (app.out.json) {
    app.out.printJson(messages.map((m, i) => messageJson(m, name, i + 1)));
    return messages;
  }
  if (messages.length === 0) {
    app.out.status("No messages yet.");
    return messages;
  }
  const client = await app.session();
  const conv = await client.chat.getConversationDetails(id).catch(() => undefined);
  if (conv) {
    const title = await client.names.conversationTitle(conv);
    app.out.line(app.out.c.bold(`─── ${oneLine(title)} ───`));
  }
  for (const line of messageLines(messages, name, {
    colors: app.out.c,
    width: process.stdout.columns ?? 100,
    selfMri,
  })) {
    app.out.line(line);
  }
  return messages;
}
