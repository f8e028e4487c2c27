/** Search messages (results open their chat) and Upload a file (path completion, progress). */
import type { SearchResult } from "teams-api";
import { oneLine } from "../../render/sanitize.js";
import { shortTime } from "../../render/time.js";
import { chatScreen } from "../chat/view.js";
import { type Ctx, explain } from "../context.js";
import { menu } from "../menu.js";
import { completePath, expandHome } from "../paths.js";
import { prompt } from "../prompt.js";
import { BACK } from "../ui.js";
import { pickConversation } from "./chats.js";

function resultItem(ctx: Ctx, r: SearchResult) {
  const mine =
    (r.from.mri && r.from.mri.toLowerCase() === ctx.me.mri.toLowerCase()) ||
    (r.fromAddress && ctx.me.email && r.fromAddress.toLowerCase() === ctx.me.email.toLowerCase());
  const who = mine
    ? "You"
    : oneLine(r.from.displayName || (r.from.mri ? ctx.client.names.peek(r.from.mri) : (r.fromAddress ?? "")));
  const where = r.channelName ? ` · ${oneLine(r.teamName ?? "")} / ${oneLine(r.channelName)}` : "";
  return {
    label: `${who}: ${oneLine(r.text)}`,
    value: r,
    detail: `${shortTime(r.sentAt)}${where}`,
  };
}

export async function searchScreen(ctx: Ctx): Promise<void> {
  const crumbs = ["Search messages"];
  for (;;) {
    const query = await prompt(ctx.ui, { crumbs, id: "search", question: "Search messages for:" });
    if (query === BACK) return;
    let results: SearchResult[];
    try {
      results = await ctx.ui.task(`Searching for “${oneLine(query)}”…`, (signal) =>
        ctx.client.search.searchMessages(query, { limit: 25, signal }),
      );
    } catch (err) {
      ctx.ui.drafts.set("search", query);
      explain(ctx, err);
      continue;
    }
    if (results.length === 0) {
      ctx.ui.drafts.set("search", query);
      ctx.ui.notice(`No messages match “${oneLine(query)}”.`, "warn");
      continue;
    }
    for (;;) {
      const pick = await menu(ctx.ui, {
        crumbs: [...crumbs, oneLine(query)],
        title: `${results.length} result${results.length === 1 ? "" : "s"} — Enter opens the chat`,
        items: results.map((r) => resultItem(ctx, r)),
      });
      if (pick === BACK) break;
      try {
        const details = await ctx.ui.task("Opening the chat…", (signal) =>
          ctx.client.chat.getConversationDetails(pick.conversationId, { signal }),
        );
        await chatScreen(ctx, { id: details.id, title: oneLine(details.title) }, ["Search", oneLine(details.title)]);
      } catch (err) {
        explain(ctx, err);
      }
    }
  }
}

/** Uploads a file to a chat with a progress label; resolves to whether it was sent. */
export async function uploadTo(ctx: Ctx, conversationId: string, title: string, path: string): Promise<boolean> {
  const full = expandHome(path.trim());
  try {
    const sent = await ctx.ui.task(`Uploading ${oneLine(full)}…`, (signal, relabel) =>
      ctx.client.media.uploadFile(conversationId, full, {
        signal,
        onProgress: (p) => {
          const pct = p.total ? ` ${Math.floor((100 * p.bytes) / p.total)}%` : ` ${Math.round(p.bytes / 1024)} KB`;
          relabel(`Uploading ${oneLine(full)} —${pct}`);
        },
      }),
    );
    ctx.ui.notice(
      `Sent ${oneLine(sent.fileName)} (${Math.max(1, Math.round(sent.size / 1024))} KB) to ${oneLine(title)}.`,
      "ok",
    );
    return true;
  } catch (err) {
    explain(ctx, err, "Not uploaded: ");
    return false;
  }
}

export async function uploadScreen(ctx: Ctx): Promise<void> {
  const conv = await pickConversation(ctx, ["Upload a file"], "Upload to which chat?");
  if (conv === BACK) return;
  const crumbs = ["Upload a file", conv.title];
  for (;;) {
    const path = await prompt(ctx.ui, {
      crumbs,
      id: "upload-path",
      question: `File to send to ${oneLine(conv.title)} (Tab completes the path):`,
      complete: (text) => completePath(text),
    });
    if (path === BACK) return;
    if (await uploadTo(ctx, conv.id, conv.title, path)) return;
    ctx.ui.drafts.set("upload-path", path);
  }
}
