/**
 * The chat view: the log (PgUp/PgDn scroll; PgUp at the top loads older pages), a typing line, and
 * the input line at the bottom. Live updates redraw the log without touching what is being typed.
 * Ctrl+C cancels a running load first (the typed line stays); with nothing running it clears a
 * typed line (↑ brings it back), and on an empty line it goes back.
 */

import type { Message } from "teams-api";

export { MAX_MESSAGE_BYTES };

import { MAX_MESSAGE_BYTES, messageSize } from "@teams-api/protocol";
import { newClientMessageId } from "teams-api";
import { describeError } from "../../errors.js";
import { oneLine } from "../../render/sanitize.js";
import { type Ctx, explain } from "../context.js";
import { InputLine } from "../input-line.js";
import { isCtrlC, type Key, printable } from "../keys.js";
import { type LiveFeed, watchConversation } from "../live.js";
import { completePath } from "../paths.js";
import { isCancel, type Rendered, type View } from "../ui.js";
import { truncateToWidth, wrapToWidth } from "../width.js";
import { runCommand } from "./commands.js";
import { ChatModel, type PendingSend } from "./model.js";
import { LogRenderer } from "./render.js";

/** A page of history: what opening the chat and each PgUp load. */
export const PAGE_SIZE = 50;
const TYPING_SHOWN_MS = 8_000;

export interface ChatTarget {
  id: string;
  title: string;
}

export class ChatView implements View {
  readonly crumbs: readonly string[];
  readonly ctx: Ctx;
  readonly conv: ChatTarget;
  readonly model = new ChatModel();
  readonly input = new InputLine();
  readonly #renderer = new LogRenderer();
  /** Lines scrolled up from the bottom. */
  #scroll = 0;
  #unseen = 0;
  /** An info panel above the input (/help, /members…); Esc closes it. */
  panel: string[] | undefined;
  /** /reply N or /edit N without text: the next Enter replies to / replaces this message. */
  mode: { kind: "reply" | "edit"; message: Message } | undefined;
  #live: LiveFeed | undefined;
  #loadingOlder = false;
  #closed = false;
  #lastHeight = 20;
  readonly #done: () => void;

  constructor(ctx: Ctx, conv: ChatTarget, crumbs: readonly string[], done: () => void) {
    this.ctx = ctx;
    this.conv = conv;
    this.crumbs = crumbs;
    this.#done = done;
    this.input.completer = (text) => {
      const m = /^\/file\s+(.*)$/.exec(text);
      const done = m ? completePath(m[1]!) : undefined;
      return done === undefined ? undefined : `/file ${done}`;
    };
  }

  get ui() {
    return this.ctx.ui;
  }

  hint(): string {
    return "Enter send · Alt+Enter new line · PgUp/PgDn scroll · /help commands · Ctrl+C back";
  }

  status(): string {
    const c = this.ui.c;
    const live = this.#live;
    const scroll =
      this.#scroll > 0 ? c.yellow(`  ↑ scrolled${this.#unseen ? ` · ${this.#unseen} new below` : ""} (PgDn)`) : "";
    if (!live) return scroll;
    if (live.mode === "push") return `${c.green("●")} ${c.dim("live")}${scroll}`;
    return `${c.yellow(`! Live updates by polling every 3 s (${live.reason ?? "no push"})`)}${scroll}`;
  }

  /** Loads the newest page, marks the chat read, starts live updates. */
  async open(): Promise<void> {
    await this.refresh("Loading messages…");
    if (this.#closed) return;
    this.#live = watchConversation(this.ctx, this.conv.id, {
      messages: (ms) => this.#incoming(ms),
      typing: (mri) => {
        this.model.typing.set(mri, Date.now() + TYPING_SHOWN_MS);
        this.ui.render();
        setTimeout(() => this.ui.render(), TYPING_SHOWN_MS + 50).unref();
      },
      error: (err) => this.ui.notice(`Could not check for new messages: ${describeError(err)}`, "warn"),
      changed: () => this.ui.render(),
      resync: () => void this.#fetchNewest(),
    });
    this.ui.render();
  }

  /** Fetches the newest page (a foreground wait: Ctrl+C cancels it, the typed line stays). */
  async refresh(label = "Refreshing…"): Promise<void> {
    try {
      const newestFirst = await this.ui.task(label, (signal) =>
        this.ctx.client.chat.getMessages(this.conv.id, { count: PAGE_SIZE, pageSize: PAGE_SIZE, signal }),
      );
      if (newestFirst.length < PAGE_SIZE && this.model.messages.length === 0) this.model.hasOlder = false;
      this.model.upsert([...newestFirst].reverse());
      this.#markRead();
    } catch (err) {
      explain(this.ctx, err);
    }
    this.ui.render();
  }

  #incoming(messages: Message[]): void {
    if (this.#closed) return;
    const scrolled = this.#scroll > 0;
    const before = scrolled ? this.#logLength() : 0;
    const added = this.model.upsert(messages);
    if (added > 0) {
      // Scrolled up: keep the same lines in view; the new ones arrive below.
      if (scrolled) {
        this.#unseen += added;
        this.#scroll += this.#logLength() - before;
      }
      this.#markRead();
    }
    this.ui.render();
  }

  #logLength(): number {
    return this.#renderer.tail(this.model, this.#logOptions(this.ui.term.columns), Number.POSITIVE_INFINITY).lines
      .length;
  }

  #markRead(): void {
    const newest = this.model.newest;
    if (!newest) return;
    void this.ctx.client.chat.setConsumptionHorizon(this.conv.id, newest.id).catch(() => {});
  }

  close(): void {
    this.#closed = true;
    this.#live?.stop();
  }

  back(): void {
    this.close();
    this.#done();
  }

  async #loadOlder(): Promise<void> {
    const oldest = this.model.oldest;
    if (this.#loadingOlder || !this.model.hasOlder || !oldest) return;
    this.#loadingOlder = true;
    try {
      const newestFirst = await this.ui.task("Loading older messages…", (signal) =>
        this.ctx.client.chat.getMessages(this.conv.id, {
          count: PAGE_SIZE,
          pageSize: PAGE_SIZE,
          endTime: Number(oldest.id),
          signal,
        }),
      );
      const added = this.model.prepend([...newestFirst].reverse());
      if (added === 0 || newestFirst.length < PAGE_SIZE) this.model.hasOlder = false;
      if (added === 0) this.ui.notice("This is the start of the conversation.");
    } catch (err) {
      explain(this.ctx, err);
    } finally {
      this.#loadingOlder = false;
      this.ui.render();
    }
  }

  onKey(key: Key): void {
    if (isCtrlC(key)) {
      if (this.input.text !== "") {
        this.input.remember(this.input.text);
        this.input.clear();
        this.ui.notice("Line cleared — ↑ brings it back. Ctrl+C on an empty line goes back.");
      } else if (this.mode || this.panel) {
        this.mode = undefined;
        this.panel = undefined;
      } else this.back();
      return;
    }
    if (key.name === "escape") {
      this.panel = undefined;
      this.mode = undefined;
      return;
    }
    if (key.name === "pageup") {
      this.#scroll += Math.max(1, this.#lastHeight - 2);
      return;
    }
    if (key.name === "pagedown") {
      this.#scroll = Math.max(0, this.#scroll - Math.max(1, this.#lastHeight - 2));
      if (this.#scroll === 0) this.#unseen = 0;
      return;
    }
    const r = this.input.handle(key);
    if (r.kind === "submit") void this.#submit(r.text);
    else if (printable(key) && !this.input.text.startsWith("/")) {
      void this.ctx.client.chat.sendTypingIndicator(this.conv.id).catch(() => {});
    }
  }

  async #submit(text: string): Promise<void> {
    if (text.trim() === "") return;
    if (/^\/[a-z]/i.test(text.trim())) {
      await runCommand(this, text.trim());
      this.ui.render();
      return;
    }
    const body = text.startsWith("//") ? text.slice(1) : text;
    if (this.mode?.kind === "edit") {
      const target = this.mode.message;
      this.mode = undefined;
      await this.edit(target, body);
      return;
    }
    const replyTo = this.mode?.kind === "reply" ? this.mode.message.id : undefined;
    this.mode = undefined;
    await this.send(body, replyTo);
  }

  /** Refused before sending when over the size limit (the text goes back into the input). */
  tooLong(text: string): boolean {
    // The service counts the HTML it gets; typed text grows a little on the way (escaping, <p>).
    const bytes = messageSize(text);
    if (bytes <= MAX_MESSAGE_BYTES) return false;
    this.input.set(text);
    this.ui.notice(
      `Not sent: ${Math.ceil(bytes / 1024)} KB is over Teams' limit of about 28 KB. Save it to a file and send that instead.`,
      "error",
    );
    return true;
  }

  async send(text: string, replyTo?: string, clientMessageId = newClientMessageId()): Promise<void> {
    if (this.tooLong(text)) return;
    let p = this.model.pending.find((x) => x.clientMessageId === clientMessageId);
    if (!p) {
      p = { clientMessageId, text, replyTo, state: "sending", at: new Date() };
      this.model.pending.push(p);
    }
    p.state = "sending";
    this.#scroll = 0;
    this.ui.render();
    await this.#deliver(p);
  }

  async #deliver(p: PendingSend): Promise<void> {
    const opts = { format: "text" as const, clientMessageId: p.clientMessageId };
    try {
      const sent = await this.ui.task(
        "Sending…",
        () =>
          p.replyTo
            ? this.ctx.client.chat.sendReply(this.conv.id, p.replyTo, p.text, opts)
            : this.ctx.client.chat.sendMessage(this.conv.id, p.text, opts),
        { foreground: false },
      );
      p.state = "sent";
      p.id = sent.id;
      this.ui.render();
      // The message itself replaces the "sent" line as soon as it is fetched (or pushed).
      if (this.#live?.mode !== "push") void this.#fetchNewest();
    } catch (err) {
      p.state = "failed";
      p.reason = describeError(err);
      this.ui.render();
    }
  }

  async #fetchNewest(): Promise<void> {
    try {
      const newestFirst = await this.ctx.client.chat.getMessages(this.conv.id, { count: 10 });
      this.#incoming([...newestFirst].reverse());
    } catch {
      // The next poll picks it up.
    }
  }

  /** Sends the failed message again with the same clientmessageid, so it cannot arrive twice. */
  async retry(): Promise<void> {
    const failed = this.model.pending.filter((p) => p.state === "failed");
    const p = failed.at(-1);
    if (!p) {
      this.ui.notice("Nothing to retry: every message was sent.");
      return;
    }
    await this.send(p.text, p.replyTo, p.clientMessageId);
  }

  async edit(target: Message, text: string): Promise<void> {
    if (this.tooLong(text)) return;
    try {
      await this.ui.task("Saving the edit…", (signal) =>
        this.ctx.client.chat.editMessage(this.conv.id, target.id, text, { format: "text", signal }),
      );
      this.ui.notice("Edited.", "ok");
      await this.#fetchNewest();
    } catch (err) {
      this.input.set(text);
      this.ui.notice(isCancel(err) ? "Cancelled; the edit is back in the input." : describeError(err), "error");
    }
  }

  #logOptions(width: number) {
    return {
      width,
      colors: this.ui.c,
      nameOf: (mri: string) => oneLine(this.ctx.client.names.peek(mri)),
      selfMri: this.ctx.me.mri,
    };
  }

  render(width: number, height: number): Rendered {
    const c = this.ui.c;
    const prompt = this.mode?.kind === "edit" ? "edit> " : this.mode?.kind === "reply" ? "reply> " : "> ";
    const input = this.input.render(width, prompt);
    const inputLines = input.lines.slice(-Math.max(1, Math.floor(height / 2)));
    const cursorRow = input.row - (input.lines.length - inputLines.length);
    const above: string[] = [];
    if (this.panel) {
      above.push(c.dim("─".repeat(width)));
      for (const l of this.panel) for (const w of wrapToWidth(l, width)) above.push(w);
      above.push(c.dim("Esc closes this"));
    }
    if (this.mode) {
      const m = this.mode.message;
      const what = this.mode.kind === "reply" ? "Replying to" : "Editing";
      const who = oneLine(this.ctx.client.names.peek(m.from.mri));
      above.push(
        c.yellow(
          truncateToWidth(`${what} ${this.mode.kind === "reply" ? who : "your message"}: ${oneLine(m.text)}`, width),
        ),
      );
    }
    const typers = this.model.typers(Date.now()).map((m) => oneLine(this.ctx.client.names.peek(m)));
    const typingLine = typers.length
      ? c.dim(c.italic(truncateToWidth(`${typers.join(", ")} ${typers.length === 1 ? "is" : "are"} typing…`, width)))
      : c.dim("─".repeat(width));
    const panel = above.slice(-Math.max(0, height - inputLines.length - 1 - 1));
    const logRoom = Math.max(1, height - inputLines.length - 1 - panel.length);
    this.#lastHeight = logRoom;
    const { lines: log, reachedTop } = this.#renderer.tail(this.model, this.#logOptions(width), logRoom + this.#scroll);
    const maxScroll = Math.max(0, log.length - logRoom);
    if (this.#scroll > maxScroll) {
      this.#scroll = maxScroll;
      if (reachedTop && this.model.hasOlder) void this.#loadOlder();
    }
    const end = log.length - this.#scroll;
    let shown = log.slice(Math.max(0, end - logRoom), end);
    if (shown.length < logRoom) {
      const top =
        reachedTop && !this.model.hasOlder && this.model.messages.length
          ? [c.dim("— start of the conversation —")]
          : this.model.messages.length === 0 && this.model.pending.length === 0
            ? [c.dim("No messages yet. Say hello!")]
            : [];
      shown = [...Array(Math.max(0, logRoom - shown.length - top.length)).fill(""), ...top, ...shown].slice(-logRoom);
    }
    const lines = [...shown, ...panel, typingLine, ...inputLines];
    return {
      lines,
      cursor: { row: shown.length + panel.length + 1 + cursorRow, col: Math.min(width - 1, input.col) },
    };
  }
}

/** Opens a chat and runs it until the user goes back. */
export async function chatScreen(ctx: Ctx, conv: ChatTarget, crumbs: readonly string[]): Promise<void> {
  await new Promise<void>((resolve) => {
    const view = new ChatView(ctx, conv, crumbs, resolve);
    ctx.ui.show(view);
    void view.open();
  });
}
