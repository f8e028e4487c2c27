import { reactionKeyFromInput, reactionLabel } from "@teams-api/protocol";
import type { Command } from "commander";
import type { App } from "../../app.js";
import { UsageError } from "../../errors.js";
import { oneLine } from "../../render/sanitize.js";
import type { AppFor } from "../../shared/command.js";

export interface ReactOptions {
  chat: string;
  /** Message number from the last `teams messages` of the chat, or its id. */
  message: string;
  /** `like`, `heart`, `laugh`, `surprised`, `sad`, `angry`, an emoji such as 👍, or a key like `1f525_fire`. */
  reaction: string;
  /** Take the reaction back. */
  remove?: boolean;
}

export function register(program: Command, appFor: AppFor): void {
  program
    .command("react")
    .description("react to a message (like, heart, laugh, surprised, sad, angry, or an emoji)")
    .argument("<chat>", "chat number from `teams chats`, part of its title, or its id")
    .argument("<msg>", "message number from `teams messages <chat>`, or its id")
    .argument("<reaction>", "like, heart, laugh, surprised, sad, angry, 👍…")
    .option("--remove", "take the reaction back")
    .action(async (chat: string, message: string, reaction: string, opts: { remove?: boolean }, cmd: Command) => {
      await run(appFor(cmd), { chat, message, reaction, ...opts });
    });
}

export async function run(app: App, opts: ReactOptions): Promise<void> {
  const key = reactionKeyFromInput(opts.reaction);
  if (key === undefined) {
    throw new UsageError(
      `"${oneLine(opts.reaction)}" is not a reaction: use like, heart, laugh, surprised, sad, angry, an emoji, or a key such as 1f525_fire.`,
    );
  }
  const id = await app.chatId(opts.chat);
  const messageId = app.messageId(id, opts.message);
  const client = await app.session();
  if (opts.remove) await app.out.spin("Removing…", client.chat.removeReaction(id, messageId, key));
  else await app.out.spin("Reacting…", client.chat.addReaction(id, messageId, key));
  if (app.out.json)
    app.out.printJson({ conversationId: id, id: messageId, reaction: key, removed: Boolean(opts.remove) });
  else app.out.success(`${opts.remove ? "Removed" : "Reacted"} ${oneLine(reactionLabel(key))}.`);
}
