import type { Command } from "commander";
import type { SearchResult } from "teams-api";
import type { App } from "../../app.js";
import { oneLine } from "../../render/sanitize.js";
import { shortTime } from "../../render/time.js";
import { type AppFor, parseCount } from "../../shared/command.js";

export interface SearchOptions {
  query: string;
  /** Only messages from this person (name, address or MRI). */
  from?: string;
  /** Only messages in this chat (number, title fragment or id). */
  in?: string;
  /** At most this many results. @default 20 */
  count: number;
}

export function register(program: Command, appFor: AppFor): void {
  program
    .command("search")
    .description('search the messages of your chats (words all match; "quoted phrases" as written)')
    .argument("<query>", "what to look for")
    .option("--from <person>", "only messages from this person (name or address)")
    .option("--in <chat>", "only messages in this chat (number from `teams chats`, part of its title, or its id)")
    .option("-n, --count <n>", "how many results", parseCount, 20)
    .action(async (query: string, opts: Omit<SearchOptions, "query">, cmd: Command) => {
      await run(appFor(cmd), { ...opts, query });
    });
}

export function searchResultJson(r: SearchResult, chatTitle: string | undefined): Record<string, unknown> {
  return {
    conversationId: r.conversationId,
    chat: chatTitle ?? null,
    messageId: r.messageId ?? null,
    from: { mri: r.from.mri || null, displayName: r.from.displayName, address: r.fromAddress ?? null },
    sentAt: r.sentAt?.toISOString() ?? null,
    text: r.text,
    highlights: r.highlights,
  };
}

export async function run(app: App, opts: SearchOptions): Promise<SearchResult[]> {
  const inId = opts.in ? await app.chatId(opts.in) : undefined;
  const client = await app.session();
  const [results, conversations] = await app.out.spin(
    "Searching…",
    Promise.all([
      client.search.searchMessages(opts.query, {
        limit: opts.count,
        ...(opts.from ? { from: opts.from } : {}),
        ...(inId ? { in: inId } : {}),
      }),
      // Chat titles for the results; a search still answers when they cannot be had.
      app.conversations(100).catch(() => []),
    ]),
  );
  const titles = new Map(conversations.map((c) => [c.id, oneLine(c.title)]));
  const titleOf = (r: SearchResult): string | undefined =>
    titles.get(r.conversationId) ??
    (r.channelName ? oneLine([r.teamName, r.channelName].filter(Boolean).join(" › ")) : undefined);
  if (app.out.json) {
    app.out.printJson(results.map((r) => searchResultJson(r, titleOf(r))));
    return results;
  }
  if (results.length === 0) {
    app.out.status("No messages match.");
    return results;
  }
  const c = app.out.c;
  for (const r of results) {
    const text = r.highlights.map((p) => (p.hit ? c.bold(c.yellow(oneLine(p.text))) : oneLine(p.text))).join("");
    const where = titleOf(r) ?? "a chat";
    app.out.line(
      `${c.dim(shortTime(r.sentAt))}  ${c.bold(oneLine(r.from.displayName) || "Someone")} ${c.dim(`in ${where}`)}`,
    );
    app.out.line(`  ${text}`);
  }
  return results;
}
