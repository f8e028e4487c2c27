import { stat } from "node:fs/promises";
import { basename } from "node:path";
import { formatBytes } from "@teams-api/protocol";
import type { Command } from "commander";
import type { UploadedFile } from "teams-api";
import type { App } from "../../app.js";
import { oneLine } from "../../render/sanitize.js";
import type { AppFor } from "../../shared/command.js";
import { sentJson } from "../../shared/send.js";

export interface UploadOptions {
  chat: string;
  file: string;
  /** Text sent with the file. */
  caption?: string;
}

export function register(program: Command, appFor: AppFor): void {
  program
    .command("upload")
    .description("send a file or an image to a chat")
    .argument("<chat>", "chat number from `teams chats`, part of its title, or its id")
    .argument("<file>", "the file to send")
    .option("--caption <text>", "text to send with it")
    .action(async (chat: string, file: string, opts: { caption?: string }, cmd: Command) => {
      await run(appFor(cmd), { chat, file, ...opts });
    });
}

export function uploadJson(up: UploadedFile): Record<string, unknown> {
  return { objectId: up.objectId, fileName: up.fileName, size: up.size, kind: up.kind, message: sentJson(up.message) };
}

export async function run(app: App, opts: UploadOptions): Promise<UploadedFile> {
  const id = await app.chatId(opts.chat);
  const client = await app.session();
  // The library checks the file (missing, folder, empty); the size only sizes the bar.
  const size = (await stat(opts.file).catch(() => undefined))?.size;
  const name = oneLine(basename(opts.file));
  const bar = app.out.progress(`Uploading ${name}`, size);
  let up: UploadedFile;
  try {
    const work = client.media.uploadFile(id, opts.file, {
      ...(opts.caption ? { caption: opts.caption } : {}),
      onProgress: (p) => bar.update(p.bytes),
    });
    up =
      size !== undefined && size > 1024 * 1024 && app.out.statusIsTerminal
        ? await work
        : await app.out.spin("Uploading…", work);
  } finally {
    bar.done();
  }
  if (app.out.json) app.out.printJson(uploadJson(up));
  else app.out.success(`Sent ${oneLine(up.fileName)} (${formatBytes(up.size)}).`);
  return up;
}
