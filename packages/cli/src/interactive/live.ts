/**
 * Live updates for an open chat: new messages, edits, deletions, reactions and typing. Through
 * push when the client has it; otherwise by polling the newest page (which also catches edits and
 * reactions on recent messages), and the status line says so.
 */
import type { Message, RealtimeEvent } from "teams-api";
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

/** What a live feed does: handle pushed events, or poll (one round) when push is not there. */
export interface FeedSpec {
  onEvent(e: RealtimeEvent): void;
  poll(signal: AbortSignal): Promise<void>;
  intervalMs: number;
  /** A poll round failed (shown, then retried). */
  error?(err: unknown): void;
  /** The feed's mode or reason changed (redraw the status line). */
  changed?(): void;
  /** Catch up once after switching from polling to push. */
  resync?(): void;
}

/** Runs `spec.poll` every `intervalMs` until `stop()`. */
function poller(spec: FeedSpec, reason: string): LiveFeed {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const tick = async (): Promise<void> => {
    try {
      await spec.poll(controller.signal);
    } catch (err) {
      if (!controller.signal.aborted) spec.error?.(err);
    }
    if (!controller.signal.aborted) timer = setTimeout(tick, spec.intervalMs);
  };
  timer = setTimeout(tick, spec.intervalMs);
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

/**
 * The best live feed: push when connected; otherwise polling (with the reason shown), switching to
 * push as soon as it connects.
 */
export function liveFeed(ctx: Pick<Ctx, "push">, spec: FeedSpec): LiveFeed {
  const push = ctx.push;
  if (push.listener) return { mode: "push", stop: push.listener.subscribe((e) => spec.onEvent(e)) };
  let stopped = false;
  let off: (() => void) | undefined;
  const poll = poller(spec, push.failed ?? "connecting to push…");
  const feed: LiveFeed = {
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
      spec.changed?.();
      return;
    }
    poll.stop();
    off = listener.subscribe((e) => spec.onEvent(e));
    feed.mode = "push";
    spec.changed?.();
    // Anything that arrived while switching.
    spec.resync?.();
  });
  return feed;
}

/** One conversation's messages, edits, deletions, reactions and typing, live. */
export function watchConversation(ctx: Ctx, conversationId: string, handlers: LiveHandlers): LiveFeed {
  return liveFeed(ctx, {
    intervalMs: POLL_MS,
    onEvent(e) {
      if (!("conversationId" in e) || e.conversationId !== conversationId) return;
      if (e.type === "message" || e.type === "edit" || e.type === "delete" || e.type === "reaction") {
        handlers.messages([e.message]);
      } else if (e.type === "typing" && !e.stopped) handlers.typing?.(e.from.mri);
    },
    async poll(signal) {
      const newestFirst = await ctx.client.chat.getMessages(conversationId, { count: 30, signal });
      if (!signal.aborted) handlers.messages([...newestFirst].reverse());
    },
    ...(handlers.error ? { error: handlers.error } : {}),
    ...(handlers.changed ? { changed: handlers.changed } : {}),
    ...(handlers.resync ? { resync: handlers.resync } : {}),
  });
}
