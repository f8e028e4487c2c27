import { input, Separator, select } from "@inquirer/prompts";
import type { Conversation, Message } from "teams-api";
import type { App } from "../app.js";
import { loadMessages } from "../commands/message/list.js";
import { describeError } from "../errors.js";
import { messageLines, senderColumnWidth } from "../render/messages.js";
import { oneLine, truncate } from "../render/sanitize.js";
import { cancellable, noteCursorMayBeHidden } from "../terminal.js";

/**
 * The interactive app: pick a chat with the arrow keys, read it, type to send. Ctrl+C cancels the
 * current step — a wait or a prompt — and goes back one level; at the top it leaves. Every prompt
 * restores the terminal when it ends, however it ends.
 */

export const HELP_LINE = "Type a message and press Enter to send. Commands: /refresh  /back  /quit";
const MESSAGES_SHOWN = 20;

type ViewResult = "back" | "quit";

function isPromptExit(err: unknown): boolean {
  const name = (err as Error | undefined)?.name;
  return name === "ExitPromptError" || name === "AbortPromptError" || name === "CancelPromptError";
}

function isAbort(err: unknown): boolean {
  const e = err as { name?: string; code?: string } | undefined;
  return e?.name === "AbortError" || e?.code === "aborted" || e?.code === "ABORT_ERR";
}

export function breadcrumb(app: App, ...parts: string[]): string {
  const text = ["Main Menu", ...parts.map(oneLine)].join(" > ");
  return app.out.c.bold(app.out.c.cyan(`─── ${text} ───`));
}

export interface InteractiveOptions {
  /** Printed once above the first menu. */
  banner?: string;
}

export async function runInteractive(app: App, options: InteractiveOptions = {}): Promise<void> {
  noteCursorMayBeHidden();
  const out = app.out;
  await app.session();
  if (options.banner) out.line(options.banner);
  for (;;) {
    out.line("");
    out.line(breadcrumb(app));
    let convs: Conversation[];
    try {
      convs = await cancellable((signal) => out.spin("Loading chats…", app.conversations(25, signal)));
    } catch (err) {
      if (isAbort(err)) return;
      throw err;
    }
    let choice: string;
    try {
      choice = await select<string>({
        message: "Pick a chat",
        pageSize: 15,
        loop: false,
        choices: [
          ...convs.map((c) => ({
            value: c.id,
            name: `${c.isUnread ? out.c.cyan("●") : " "} ${truncate(oneLine(c.title), 40)}`,
            description: c.lastMessage ? truncate(oneLine(c.lastMessage.text), 70) : "",
          })),
          new Separator(),
          { value: ":refresh", name: "  Refresh" },
          { value: ":quit", name: "  Quit" },
        ],
      });
    } catch (err) {
      if (isPromptExit(err)) return;
      throw err;
    }
    if (choice === ":quit") return;
    if (choice === ":refresh") continue;
    const conv = convs.find((c) => c.id === choice);
    if (!conv) continue;
    const result = await chatView(app, conv);
    if (result === "quit") return;
  }
}

/** One chat: recent messages, then a prompt. Returns when the user goes back or quits. */
export async function chatView(app: App, conv: Conversation): Promise<ViewResult> {
  const out = app.out;
  const title = oneLine(conv.title);
  out.line("");
  out.line(breadcrumb(app, "Chat", title));
  out.line("");
  let shown: Message[] = [];
  // Columns stay put across batches: the time column fits "MM/DD HH:MM", the sender column is
  // measured on the first batch (and never narrower than "You").
  let senderWidth: number | undefined;

  /** Prints messages newer than the last shown (all of them the first time). */
  const show = async (): Promise<boolean> => {
    try {
      const { messages, name, selfMri } = await cancellable((signal) =>
        out.spin("Loading messages…", loadMessages(app, conv.id, MESSAGES_SHOWN, signal)),
      );
      const seen = new Set(shown.map((m) => `${m.id}`));
      const fresh = shown.length === 0 ? messages : messages.filter((m) => !seen.has(m.id));
      if (shown.length === 0 && messages.length === 0) out.line(out.c.dim("  No messages yet."));
      const nameOf = (mri: string): string =>
        mri.toLowerCase() === selfMri.toLowerCase() ? "You" : oneLine(name(mri));
      senderWidth ??= Math.max(8, senderColumnWidth(messages, nameOf));
      for (const line of messageLines(fresh, name, {
        colors: out.c,
        numbers: false,
        width: out.stdout.columns ?? 100,
        selfMri,
        senderWidth,
        timeWidth: 11,
      })) {
        out.line(`  ${line}`);
      }
      shown = [...shown, ...fresh];
      return fresh.length > 0;
    } catch (err) {
      if (isAbort(err)) {
        out.status("Cancelled.");
        return false;
      }
      out.status(out.ec.red(`✗ ${describeError(err)}`));
      return false;
    }
  };

  await show();
  out.line("");
  out.line(out.c.dim(HELP_LINE));
  for (;;) {
    let line: string;
    try {
      line = await input({ message: ">", theme: { prefix: "" } });
    } catch (err) {
      if (isPromptExit(err)) return "back";
      throw err;
    }
    const text = line.trim();
    if (text === "") continue;
    if (text === "/back") return "back";
    if (text === "/quit" || text === "/exit") return "quit";
    if (text === "/refresh") {
      if (!(await show())) out.line(out.c.dim("  No new messages."));
      continue;
    }
    if (text === "/help") {
      out.line(out.c.dim(HELP_LINE));
      continue;
    }
    if (/^\/[a-z]+$/i.test(text)) {
      out.status(`Unknown command ${text}. ${HELP_LINE.slice(HELP_LINE.indexOf("Commands:"))}`);
      continue;
    }
    try {
      const client = await app.session();
      await cancellable((signal) =>
        out.spin("Sending…", client.chat.sendMessage(conv.id, line, { format: "text", signal })),
      );
      await show();
    } catch (err) {
      if (isAbort(err)) out.status("Cancelled; the message may not have been sent.");
      else out.status(out.ec.red(`✗ ${describeError(err)}`));
    }
  }
}
