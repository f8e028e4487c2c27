/**
 * Live updates for an open chat: new messages, edits, deletions, reactions and typing. Through
 * push when the client has it; otherwise by polling the newest page (which also catches edits and
 * reactions on recent messages), and the status line says so.
 */
import type { Message } from "teams-api";
import type { Ctx } from "./context.js";

export const POLL_MS = 3_000;

export interface LiveHandlers {
  /** New or changed messages of the conversation. */
  messages(messages: Message[]): void;
  /** Someone started typing. */
  typing?(mri: string): void;
  /** A poll failed (shown, then retried). */
  error?(err: unknown): void;
}

export interface LiveFeed {
  readonly mode: "push" | "polling";
  /** Why push is not in use (shown in the status line). */
  readonly reason?: string;
  stop(): void;
}

/** Polls the newest page every `intervalMs`; stops on `stop()`. */
export function pollConversation(
  ctx: Ctx,
  conversationId: string,
  handlers: LiveHandlers,
  reason: string,
  intervalMs = POLL_MS,
): LiveFeed {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const tick = async (): Promise<void> => {
    try {
      const newestFirst = await ctx.client.chat.getMessages(conversationId, {
        count: 30,
        signal: controller.signal,
      });
      if (!controller.signal.aborted) handlers.messages([...newestFirst].reverse());
    } catch (err) {
      if (!controller.signal.aborted) handlers.error?.(err);
    }
    if (!controller.signal.aborted) timer = setTimeout(tick, intervalMs);
  };
  timer = setTimeout(tick, intervalMs);
  return {
    mode: "polling",
    reason,
    stop() {
      controller.abort();
      if (timer) clearTimeout(timer);
    },
  };
}

/** The best live feed available for a conversation. */
export function watchConversation(ctx: Ctx, conversationId: string, handlers: LiveHandlers): LiveFeed {
  return pollConversation(ctx, conversationId, handlers, "push is not available in this version");
}
