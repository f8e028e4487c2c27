/** What the sending commands (`send`, `reply`, `upload`) share: the message text, the send under a spinner, its JSON. */
import { type SentMessage, TeamsError } from "teams-api";
import type { App } from "../app.js";
import { EXIT, UsageError } from "../errors.js";
import { readStdin } from "../stdin.js";
import { onInterrupt, restoreTerminal } from "../terminal.js";

/** The message text, from the argument or stdin for `-`; never empty. */
export async function messageText(app: App, text: string): Promise<string> {
  const body = text === "-" ? await readStdin(app.stdin) : text;
  if (body.trim() === "") throw new UsageError("The message is empty.");
  return body;
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
    app.out.interrupted(`teams: ${MAYBE_SENT}`);
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
