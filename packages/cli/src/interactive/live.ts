/**
 * Live updates for an open chat: new messages, edits, deletions, reactions and typing. Through
 * push when the client has it; otherwise by polling the newest page (which also catches edits and
 * reactions on recent messages), and the status line says so.
 */
import type { Message, RealtimeEvent, RealtimeListener } from "teams-api";
import { describeError } from "../errors.js";
import type { Ctx, PushState } from "./context.js";

export const POLL_MS = 3_000;

export interface LiveHandlers {
  /** New or changed messages of the conversation. */
  messages(messages: Message[]): void;
  /** Someone started typing. */
  typing?(mri: string): void;
  /** A poll failed (shown, then retried). */
  error?(err: unknown): void;
  /** The feed's mode or reason changed (redraw the status line). */
  changed?(): void;
  /** Fetch the newest page once (after switching feeds). */
  resync?(): void;
}

export interface LiveFeed {
  mode: "push" | "polling";
  /** Why push is not in use (shown in the status line). */
  reason?: string;
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

/** Starts live push for the app; never rejects (the reason is kept for the status line). */
export function startPush(ctx: Pick<Ctx, "client">): PushState {
  const state: PushState = { ready: Promise.resolve(undefined) };
  state.ready = ctx.client
    .startRealtime({ includeOwn: true })
    .then((listener) => {
      state.listener = listener;
      return listener;
    })
    .catch((err: unknown) => {
      state.failed = `push failed: ${describeError(err)}`;
      return undefined;
    });
  return state;
}

/** Delivers one conversation's pushed events to the handlers; returns the unsubscribe. */
function subscribe(listener: RealtimeListener, conversationId: string, handlers: LiveHandlers): () => void {
  return listener.subscribe((e: RealtimeEvent) => {
    if (!("conversationId" in e) || e.conversationId !== conversationId) return;
    if (e.type === "message" || e.type === "edit" || e.type === "delete" || e.type === "reaction") {
      handlers.messages([e.message]);
    } else if (e.type === "typing" && !e.stopped) handlers.typing?.(e.from.mri);
  });
}

/**
 * The best live feed for a conversation: push when connected; otherwise polling (with the reason
 * shown), switching to push as soon as it connects.
 */
export function watchConversation(ctx: Ctx, conversationId: string, handlers: LiveHandlers): LiveFeed {
  const push = ctx.push;
  if (push.listener) {
    const off = subscribe(push.listener, conversationId, handlers);
    return { mode: "push", stop: off };
  }
  let stopped = false;
  let off: (() => void) | undefined;
  let poll = pollConversation(ctx, conversationId, handlers, push.failed ?? "connecting to push…");
  const feed: { mode: "push" | "polling"; reason?: string; stop(): void } = {
    mode: "polling",
    reason: poll.reason ?? "",
    stop() {
      stopped = true;
      poll.stop();
      off?.();
    },
  };
  void push.ready.then((listener) => {
    if (stopped) return;
    if (!listener) {
      feed.reason = push.failed ?? "push is not available";
      handlers.changed?.();
      return;
    }
    poll.stop();
    poll = { mode: "polling", stop() {} };
    off = subscribe(listener, conversationId, handlers);
    feed.mode = "push";
    handlers.changed?.();
    // Anything that arrived while switching.
    handlers.resync?.();
  });
  return feed;
}
