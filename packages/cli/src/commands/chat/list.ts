import type { Command } from "commander";
import type { Conversation, Message } from "teams-api";
import type { App } from "../../app.js";
import { conversationJson } from "../../render/json.js";
import { oneLine, truncate } from "../../render/sanitize.js";
import { shortTime } from "../../render/time.js";
import { KIND_LABELS } from "../../shared/chat-kinds.js";
import { type AppFor, parseCount } from "../../shared/command.js";

export interface ChatsOptions {
  /** How many chats, most recent first. @default 25 */
  count: number;
}

export function register(program: Command, appFor: AppFor): void {
  program
    .command("chats")
    .description("list recent chats, numbered for use as <chat> in other commands")
    .option("-n, --count <n>", "how many chats", parseCount, 25)
    .action(async (opts: ChatsOptions, cmd: Command) => {
      await run(appFor(cmd), opts);
    });
}

export async function run(app: App, opts: ChatsOptions): Promise<Conversation[]> {
  const convs = await app.out.spin("Loading chats…", app.conversations(opts.count));
  app.listings.saveChats(
    convs.map((c) => c.id),
    convs.map((c) => c.title),
  );
  if (app.out.json) {
    app.out.printJson(convs.map((c, i) => conversationJson(c, i + 1)));
    return convs;
  }
  if (convs.length === 0) {
    app.out.status("No chats yet. Start one with `teams chat new <person>`.");
    return convs;
  }
  const client = await app.session();
  const me = (await client.whoami()).mri.toLowerCase();
  const sender = (m: Message): string =>
    m.from.mri.toLowerCase() === me
      ? "You"
      : oneLine(m.from.displayName || client.names.peek(m.from.mri)).split(" ")[0]!;
  const preview = (m: Message | undefined): string => {
    if (!m) return "";
    if (m.isSystem) return oneLine(m.text);
    return `${sender(m)}: ${m.isDeleted ? "(deleted)" : oneLine(m.text)}`;
  };
  const c = app.out.c;
  const width = app.out.width;
  const previewWidth = Math.max(20, width - 72);
  app.out.table({
    head: ["#", "Chat", "Kind", "Last activity", "", "Last message"],
    rows: convs.map((conv, i) => {
      const title = truncate(oneLine(conv.title), 28);
      return [
        String(i + 1),
        conv.isUnread ? c.bold(title) : title,
        KIND_LABELS[conv.kind] ?? conv.kind,
        shortTime(conv.lastActivityAt ?? conv.lastMessage?.arrivedAt),
        conv.isUnread ? c.cyan("●") : "",
        truncate(preview(conv.lastMessage), previewWidth),
      ];
    }),
  });
  return convs;
}
