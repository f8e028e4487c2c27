import type { Command } from "commander";
import type { RealtimeEvent } from "teams-api";
import type { App } from "../../app.js";
import { oneLine } from "../../render/sanitize.js";
import type { AppFor } from "../../shared/command.js";
import { eventJson, humanLine, Names } from "../../shared/watch-format.js";
import { cancellable } from "../../terminal.js";

export interface WatchOptions {
  /** Chat references (numbers from `teams chats`, title fragments or ids); all chats when empty. */
  chats: string[];
}

export function register(program: Command, appFor: AppFor): void {
  program
    .command("watch")
    .description("stream live messages, edits, reactions and typing until Ctrl+C (NDJSON when piped)")
    .argument("[chats...]", "only these chats: numbers from `teams chats`, parts of titles, or ids")
    .action(async (chats: string[], _opts: unknown, cmd: Command) => {
      await run(appFor(cmd), { chats });
    });
}

/** Streams events until Ctrl+C (or the listener closes); exits cleanly, deleting the registration. */
export async function run(app: App, opts: WatchOptions, signal?: AbortSignal): Promise<void> {
  const client = await app.session();
  const ids: string[] = [];
  for (const ref of opts.chats) ids.push(await app.chatId(ref));
  const names = new Names(client);
  const out = app.out;
  // Events are printed strictly in arrival order: name lookups are awaited one event at a time.
  let chain = Promise.resolve();
  const print = async (e: RealtimeEvent): Promise<void> => {
    if (e.type === "message") client.names.rememberMessages([e.message]);
    if (e.type === "typing") client.names.remember(e.from.mri, e.from.displayName);
    await names.prepare(e);
    if (out.json) {
      const obj = eventJson(e, names);
      if (obj) out.line(JSON.stringify(obj));
      return;
    }
    if (e.type === "state") {
      if (e.state === "reconnecting")
        out.status(out.ec.dim(`Connection lost (${oneLine(e.reason ?? "")}); reconnecting…`));
      if (e.state === "connected") out.status(out.ec.dim("Connected. Waiting for messages (Ctrl+C to stop)…"));
      return;
    }
    if (e.type === "resumed") {
      if (e.replayed > 0)
        out.status(out.ec.dim(`Caught up on ${e.replayed} missed event${e.replayed === 1 ? "" : "s"}.`));
      return;
    }
    const line = humanLine(e, names, out.c);
    if (line) out.line(line);
  };
  const work = async (abort: AbortSignal): Promise<void> => {
    await client.startRealtime({
      onEvent: (e) => {
        chain = chain.then(() => print(e)).catch(() => {});
      },
      ...(ids.length ? { conversations: ids } : {}),
    });
    await new Promise<void>((resolve) => {
      if (abort.aborted) return resolve();
      abort.addEventListener("abort", () => resolve(), { once: true });
    });
    await client.stopRealtime();
    await chain;
  };
  if (signal) await work(signal);
  else await cancellable(work);
}
