/**
 * Conversations (sorted by last activity, unread first and marked; pushed activity reorders it
 * while shown, or polling with a notice when push is unavailable), Read messages, and Send a message.
 */
import type { Conversation } from "teams-api";
import { describeError } from "../../errors.js";
import { oneLine } from "../../render/sanitize.js";
import { shortTime } from "../../render/time.js";
import { ChatModel } from "../chat/model.js";
import { LogRenderer } from "../chat/render.js";
import { chatScreen, MAX_MESSAGE_BYTES } from "../chat/view.js";
import { type Ctx, explain } from "../context.js";
import { liveFeed } from "../live.js";
import { type MenuItem, MenuView, menu } from "../menu.js";
import { prompt } from "../prompt.js";
import { BACK, type Back } from "../ui.js";

/** Polling interval when push is unavailable. */
export const LIST_REFRESH_MS = 5_000;
/** Pushed events within this window reload the list once. */
const LIST_DEBOUNCE_MS = 150;
/** Events that change a chat's place or unread mark. */
const LIST_EVENTS = new Set(["message", "edit", "delete", "reaction", "read", "conversation", "thread"]);
const CHATS_SHOWN = 50;

/** Unread first, then newest activity first. */
export function sortConversations(list: readonly Conversation[]): Conversation[] {
  const at = (c: Conversation): number => (c.lastActivityAt ?? c.lastMessage?.arrivedAt)?.getTime() ?? 0;
  return [...list].sort((a, b) => Number(b.isUnread) - Number(a.isUnread) || at(b) - at(a));
}

function conversationItem(ctx: Ctx, conv: Conversation): MenuItem<Conversation> {
  const c = ctx.ui.c;
  const last = conv.lastMessage;
  let preview = "";
  if (last) {
    const who =
      last.from.mri.toLowerCase() === ctx.me.mri.toLowerCase()
        ? "You"
        : oneLine(last.from.displayName || ctx.client.names.peek(last.from.mri)).split(" ")[0];
    preview = last.isSystem ? oneLine(last.text) : `${who}: ${last.isDeleted ? "(deleted)" : oneLine(last.text)}`;
  }
  const when = shortTime(conv.lastActivityAt ?? last?.arrivedAt);
  return {
    label: oneLine(conv.title) || "(untitled chat)",
    value: conv,
    mark: conv.isUnread ? c.cyan("●") : " ",
    strong: conv.isUnread,
    detail: `${when.padEnd(11)} ${preview}`,
  };
}

async function loadConversations(ctx: Ctx): Promise<Conversation[]> {
  const list = await ctx.ui.task("Loading chats…", (signal) =>
    ctx.client.chat.getConversations({ count: CHATS_SHOWN, signal }),
  );
  return sortConversations(list);
}

/** Picks a conversation; the list refreshes itself while shown. */
export async function pickConversation(
  ctx: Ctx,
  crumbs: readonly string[],
  title: string,
): Promise<Conversation | Back> {
  let list: Conversation[];
  try {
    list = await loadConversations(ctx);
  } catch (err) {
    explain(ctx, err);
    return BACK;
  }
  let view: MenuView<Conversation> | undefined;
  const controller = new AbortController();
  const reload = async (signal: AbortSignal): Promise<void> => {
    const fresh = sortConversations(await ctx.client.chat.getConversations({ count: CHATS_SHOWN, signal }));
    if (!controller.signal.aborted && view) {
      view.setItems(fresh.map((c) => conversationItem(ctx, c)));
      ctx.ui.render();
    }
  };
  // Pushed activity reloads the list (a burst of events, once); without push it is polled.
  let pending: NodeJS.Timeout | undefined;
  const soon = (): void => {
    pending ??= setTimeout(() => {
      pending = undefined;
      reload(controller.signal).catch(() => {});
    }, LIST_DEBOUNCE_MS);
  };
  const feed = liveFeed(ctx, {
    intervalMs: LIST_REFRESH_MS,
    onEvent(e) {
      if (LIST_EVENTS.has(e.type)) soon();
    },
    poll: reload,
    changed: () => ctx.ui.render(),
    resync: soon,
  });
  try {
    return await new Promise<Conversation | Back>((resolve) => {
      view = new MenuView(
        ctx.ui,
        {
          crumbs,
          title,
          items: list.map((c) => conversationItem(ctx, c)),
          empty: `No chats yet. Start one with "New chat".`,
          sameItem: (a, b) => a.id === b.id,
          status: () =>
            feed.mode === "push"
              ? `${ctx.ui.c.green("●")} ${ctx.ui.c.dim("live — new activity moves a chat to the top")}`
              : ctx.ui.c.yellow(`! Refreshing every ${LIST_REFRESH_MS / 1000} s (${feed.reason ?? "no push"})`),
        },
        resolve,
      );
      ctx.ui.show(view);
    });
  } finally {
    controller.abort();
    feed.stop();
    if (pending) clearTimeout(pending);
  }
}

export async function conversationsScreen(ctx: Ctx): Promise<void> {
  for (;;) {
    const conv = await pickConversation(ctx, ["Conversations"], "Open a chat (unread ● first)");
    if (conv === BACK) return;
    await chatScreen(ctx, conv, ["Conversations", conv.title]);
  }
}

/** Read messages: the newest screenful of a chat, then open it or go back. */
export async function readScreen(ctx: Ctx): Promise<void> {
  for (;;) {
    const conv = await pickConversation(ctx, ["Read messages"], "Whose messages?");
    if (conv === BACK) return;
    const crumbs = ["Read messages", conv.title];
    const model = new ChatModel();
    try {
      const newestFirst = await ctx.ui.task("Loading messages…", (signal) =>
        ctx.client.chat.getMessages(conv.id, { count: 50, signal }),
      );
      model.upsert([...newestFirst].reverse());
      void ctx.client.chat.setConsumptionHorizon(conv.id, model.newest?.id).catch(() => {});
    } catch (err) {
      explain(ctx, err);
      continue;
    }
    const renderer = new LogRenderer();
    const width = ctx.ui.term.columns;
    const content = renderer.tail(
      model,
      { width, colors: ctx.ui.c, nameOf: (m) => ctx.client.names.peek(m), selfMri: ctx.me.mri },
      Math.max(1, ctx.ui.term.rows - 11),
    ).lines;
    if (model.messages.length === 0) content.push(ctx.ui.c.dim("No messages yet."));
    content.push("");
    const next = await menu(ctx.ui, {
      crumbs,
      title: "Next",
      content,
      items: [{ label: "Open this chat", value: "open" as const }],
    });
    if (next === "open") await chatScreen(ctx, conv, ["Conversations", conv.title]);
  }
}

/** Send a message: pick a chat, type, send; the result is said in the status line. */
export async function sendScreen(ctx: Ctx): Promise<void> {
  const conv = await pickConversation(ctx, ["Send a message"], "Send to which chat?");
  if (conv === BACK) return;
  const crumbs = ["Send a message", conv.title];
  for (;;) {
    const text = await prompt(ctx.ui, {
      crumbs,
      id: `send:${conv.id}`,
      question: `Message to ${oneLine(conv.title)}:`,
    });
    if (text === BACK) return;
    const bytes = Buffer.byteLength(text, "utf8");
    if (bytes > MAX_MESSAGE_BYTES) {
      ctx.ui.drafts.set(`send:${conv.id}`, text);
      ctx.ui.notice(
        `Not sent: ${Math.ceil(bytes / 1024)} KB is over Teams' limit of about 28 KB; send it as a file.`,
        "error",
      );
      continue;
    }
    try {
      await ctx.ui.task("Sending…", () => ctx.client.chat.sendMessage(conv.id, text, { format: "text" }), {
        foreground: false,
      });
      ctx.ui.notice(`Sent to ${oneLine(conv.title)}.`, "ok");
      return;
    } catch (err) {
      ctx.ui.drafts.set(`send:${conv.id}`, text);
      ctx.ui.notice(`Not sent: ${describeError(err)} Your text is kept; Enter tries again.`, "error");
    }
  }
}
