import { formatBytes, isAmsObjectId } from "@teams-api/protocol";
import type { Command } from "commander";
import type { DownloadedFile } from "teams-api";
import type { App } from "../../app.js";
import { UsageError } from "../../errors.js";
import { oneLine } from "../../render/sanitize.js";
import type { AppFor } from "../../shared/command.js";

export interface DownloadOptions {
  /** An AMS object id, or a message (number from `teams messages`, or its id). */
  target: string;
  /** Folder to save into. @default "." */
  dir?: string;
  /** The chat of a message reference. @default the chat `teams messages` showed last */
  chat?: string;
}

export function register(program: Command, appFor: AppFor): void {
  program
    .command("download")
    .description("save a message's file or image (never replacing an existing file)")
    .argument("<message|object>", "message number from `teams messages`, a message id, or a file's object id")
    .argument("[dir]", "folder to save into", ".")
    .option("--chat <chat>", "the message's chat (default: the one `teams messages` showed last)")
    .action(async (target: string, dir: string, opts: { chat?: string }, cmd: Command) => {
      await run(appFor(cmd), { target, dir, ...opts });
    });
}

/** What to download: an object id as is, else the message a reference names. */
async function resolveTarget(app: App, opts: DownloadOptions) {
  const ref = opts.target.trim();
  if (isAmsObjectId(ref)) return ref;
  let chat: string | undefined;
  if (opts.chat) chat = await app.chatId(opts.chat);
  else chat = Object.keys(app.listings.read().messages).at(-1);
  if (!chat) {
    throw new UsageError("Say which chat the message is in (--chat <chat>), or run `teams messages <chat>` first.");
  }
  const client = await app.session();
  return client.chat.getMessage(chat, app.messageId(chat, ref));
}

export async function run(app: App, opts: DownloadOptions): Promise<DownloadedFile> {
  const target = await app.out.spin("Finding the file…", resolveTarget(app, opts));
  const client = await app.session();
  let bar: ReturnType<App["out"]["progress"]> | undefined;
  let got: DownloadedFile;
  try {
    got = await client.media.downloadFile(target, opts.dir ?? ".", {
      onProgress: (p) => {
        bar ??= app.out.progress("Downloading", p.total);
        bar.update(p.bytes);
      },
    });
  } finally {
    bar?.done();
  }
  if (app.out.json) {
    app.out.printJson({ path: got.path, objectId: got.objectId, size: got.size, suggestedName: got.suggestedName });
  } else {
    app.out.line(oneLine(got.path));
    app.out.success(`Saved ${formatBytes(got.size)}.`);
  }
  return got;
}
