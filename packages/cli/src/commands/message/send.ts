import type { Command } from "commander";
import { type SentMessage, TeamsError } from "teams-api";
import type { App } from "../../app.js";
import { EXIT, UsageError } from "../../errors.js";
import { readStdin } from "../../stdin.js";
import { onInterrupt, restoreTerminal } from "../../terminal.js";
import type { AppFor } from "../types.js";

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

/** The message text, from the argument or stdin for `-`; never empty. */
export async function messageText(app: App, text: string): Promise<string> {
  const body = text === "-" ? await readStdin(app.stdin) : text;
  if (body.trim() === "") throw new UsageError("The message is empty.");
  return body;
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

/** What Ctrl+C during a send says: once the request may have left, nobody knows whether it landed. */
export const MAYBE_SENT = "Interrupted: the message may have been sent — check before sending again.";

/**
 * Runs a send under the spinner. Ctrl+C says the message may have been sent and exits with the
 * "may have been sent" code; a message over the size limit suggests sending it as a file.
 */
export async function sending(app: App, send: () => Promise<SentMessage>): Promise<SentMessage> {
  const off = onInterrupt(() => {
    restoreTerminal();
    if (app.out.stderr.isTTY) app.out.stderr.write("\r\x1b[2K");
    app.out.stderr.write(`teams: ${MAYBE_SENT}\n`);
    process.exit(EXIT.maybeSent);
  });
  try {
    return await app.out.spin("Sending…", send);
  } catch (err) {
    if (err instanceof TeamsError && err.code === "message_too_large") {
      throw new UsageError(`${err.message.replace(/\.$/, "")}; send it as a file instead.`);
    }
    throw err;
  } finally {
    off();
  }
}

export function sentJson(sent: SentMessage): Record<string, unknown> {
  return {
    id: sent.id,
    clientMessageId: sent.clientMessageId,
    conversationId: sent.conversationId,
    arrivalTime: sent.arrivalTime.toISOString(),
  };
}
