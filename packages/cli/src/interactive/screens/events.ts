/**
 * Live events: the real-time listener as a screen. Messages, edits, deletions, reactions, typing
 * and presence from every chat appear as human lines (names, never raw ids; all server text through
 * the one sanitizer) until Esc, Ctrl+C or Enter on "← Back" returns to the main menu.
 */
import type { RealtimeEvent, RealtimeListener } from "teams-api";
import { colors } from "../../render/colors.js";
import { oneLine } from "../../render/sanitize.js";
import { shortTime } from "../../render/time.js";
import { humanLine, Names } from "../../shared/watch-format.js";
import type { Ctx } from "../context.js";
import { isCtrlC, type Key } from "../keys.js";
import type { Rendered, View } from "../ui.js";
import { wrapToWidth } from "../width.js";

/** Lines kept for scrolling back (older ones are dropped). */
const KEPT = 500;
const PLAIN = colors(false);

export class EventsView implements View {
  readonly crumbs = ["Live events"];
  /** Plain (sanitized) text of each event line, oldest first. */
  readonly lines: string[] = [];
  #state = "connecting to push…";
  readonly #ctx: Ctx;
  readonly #done: () => void;

  constructor(ctx: Ctx, done: () => void) {
    this.#ctx = ctx;
    this.#done = done;
  }

  hint(): string {
    return "Esc/Ctrl+C/Enter ← Back";
  }

  status(): string {
    const c = this.#ctx.ui.c;
    if (this.#state === "live") return `${c.green("●")} ${c.dim("live — events appear as they happen")}`;
    return c.yellow(`! ${this.#state}`);
  }

  /** Connection state for the status line. */
  set state(text: string) {
    this.#state = oneLine(text);
    this.#ctx.ui.render();
  }

  add(text: string, at = new Date()): void {
    for (const l of text.split("\n")) this.lines.push(`${shortTime(at).padEnd(5)}  ${oneLine(l)}`);
    if (this.lines.length > KEPT) this.lines.splice(0, this.lines.length - KEPT);
    this.#ctx.ui.render();
  }

  onKey(key: Key): void {
    if (isCtrlC(key) || key.name === "escape" || key.name === "return" || key.name === "enter" || key.name === "left") {
      this.#done();
    }
  }

  render(width: number, height: number): Rendered {
    const c = this.#ctx.ui.c;
    const head = [c.bold("Live events from all your chats"), ""];
    const room = Math.max(0, height - head.length - 2);
    const body = room > 0 ? this.lines.flatMap((l) => wrapToWidth(l, width)).slice(-room) : [];
    if (this.lines.length === 0)
      body.push(c.dim("  Waiting for events… (messages, edits, reactions, typing, presence)"));
    return { lines: [...head, ...body, ...Array(Math.max(0, room - body.length)).fill(""), "", c.cyan("❯ ← Back")] };
  }
}

/** Shows live events until the user goes back; unsubscribes on the way out. */
export async function eventsScreen(ctx: Ctx): Promise<void> {
  let off: (() => void) | undefined;
  let closed = false;
  await new Promise<void>((resolve) => {
    const view = new EventsView(ctx, resolve);
    ctx.ui.show(view);
    const names = new Names(ctx.client);
    // Lines in arrival order: names are looked up one event at a time.
    let chain = Promise.resolve();
    const print = async (e: RealtimeEvent): Promise<void> => {
      if (e.type === "state") {
        view.state = e.state === "connected" ? "live" : `push ${e.state}${e.reason ? ` (${e.reason})` : ""}…`;
        return;
      }
      if (e.type === "message") ctx.client.names.rememberMessages([e.message]);
      if (e.type === "typing") ctx.client.names.remember(e.from.mri, e.from.displayName);
      await names.prepare(e);
      const line = humanLine(e, names, PLAIN);
      if (line && !closed) view.add(line, "message" in e ? e.message.arrivedAt : new Date());
    };
    const attach = (listener: RealtimeListener | undefined): void => {
      if (closed) return;
      if (!listener) {
        view.state = `Live events need push, which is unavailable (${ctx.push.failed ?? "not connected"})`;
        return;
      }
      view.state = "live";
      off = listener.subscribe((e) => {
        chain = chain.then(() => print(e)).catch(() => {});
      });
    };
    if (ctx.push.listener) attach(ctx.push.listener);
    else void ctx.push.ready.then(attach);
  });
  closed = true;
  off?.();
}
