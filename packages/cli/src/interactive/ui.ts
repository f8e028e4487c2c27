/**
 * The app's controller: one current view drawn inside the shared frame, a status line with spinners
 * that say what they wait for, notices, and Ctrl+C routing — a running foreground task is cancelled
 * first (its screen stays, with whatever was typed); otherwise the view decides (one level up).
 */
import type { Colors } from "../render/colors.js";
import { oneLine } from "../render/sanitize.js";
import { isCtrlC, type Key } from "./keys.js";
import { bodyHeight, composeFrame } from "./layout.js";
import type { Term } from "./term.js";

export const BACK: unique symbol = Symbol("back");
export type Back = typeof BACK;

/** A foreground wait the user cancelled with Ctrl+C. */
export class CancelledError extends Error {
  override name = "CancelledError";
  constructor() {
    super("Cancelled.");
  }
}

export function isCancel(err: unknown): boolean {
  const e = err as { name?: string; code?: string } | undefined;
  return err instanceof CancelledError || e?.name === "AbortError" || e?.code === "aborted" || e?.code === "ABORT_ERR";
}

export interface Rendered {
  lines: string[];
  /** Cursor position within the body. */
  cursor?: { row: number; col: number } | undefined;
}

export interface View {
  crumbs: readonly string[];
  render(width: number, height: number): Rendered;
  onKey(key: Key): void;
  /** Key hints for the bottom line. */
  hint(): string;
  /** A standing status (e.g. "live" / "polling") shown when no task or notice is. */
  status?(): string;
}

export type NoticeKind = "info" | "ok" | "warn" | "error";

interface Task {
  label: string;
  controller: AbortController;
  foreground: boolean;
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
/** Waits shorter than this show no spinner. */
export const SPINNER_DELAY_MS = 150;

export class Ui {
  readonly term: Term;
  readonly c: Colors;
  who = "";
  /** What a running call waits for besides its own work (e.g. "rate limited — retrying in 28 s"). */
  waitNote: () => string | undefined = () => undefined;
  #view: View | undefined;
  readonly #tasks: Task[] = [];
  #notice: { text: string; kind: NoticeKind } | undefined;
  #frame = 0;
  #spinTimer: NodeJS.Timeout | undefined;
  #scheduled = false;
  /** Text typed into prompts, kept by prompt id when the user backs out. */
  readonly drafts = new Map<string, string>();

  constructor(term: Term, colors: Colors) {
    this.term = term;
    this.c = colors;
  }

  start(): void {
    this.term.onKey((key) => this.#onKey(key));
    this.term.onResize(() => this.renderNow());
    this.term.start();
  }

  stop(): void {
    if (this.#spinTimer) clearInterval(this.#spinTimer);
    this.#spinTimer = undefined;
    for (const t of this.#tasks) t.controller.abort();
    this.term.stop();
  }

  get view(): View | undefined {
    return this.#view;
  }

  show(view: View): void {
    this.#view = view;
    this.renderNow();
  }

  /** Redraws soon (several changes in one tick draw once). */
  render(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.renderNow();
    });
  }

  renderNow(): void {
    const view = this.#view;
    if (!view || !this.term.running) return;
    const width = this.term.columns;
    const height = this.term.rows;
    const body = view.render(width, bodyHeight(height));
    const lines = composeFrame(
      {
        width,
        height,
        who: this.who,
        crumbs: view.crumbs,
        body: body.lines,
        status: this.#status(view),
        hint: view.hint(),
      },
      this.c,
    );
    this.term.draw({
      lines,
      cursor: body.cursor ? { row: body.cursor.row + 3, col: body.cursor.col } : undefined,
    });
  }

  #status(view: View): string {
    const shown = [...this.#tasks].reverse().find((t) => t.foreground);
    const note = this.#tasks.length ? this.waitNote() : undefined;
    if (shown && (this.#spinTimer || note)) {
      const why = note ? ` ${this.c.yellow(oneLine(note))}` : "";
      return `${this.c.cyan(FRAMES[this.#frame % FRAMES.length]!)} ${shown.label}${why}  ${this.c.dim("(Ctrl+C cancels)")}`;
    }
    if (note) return `${this.c.cyan(FRAMES[this.#frame % FRAMES.length]!)} ${this.c.yellow(oneLine(note))}`;
    if (this.#notice) {
      const { text, kind } = this.#notice;
      const paint = { info: this.c.dim, ok: this.c.green, warn: this.c.yellow, error: this.c.red }[kind];
      const mark = { info: "", ok: "✓ ", warn: "! ", error: "✗ " }[kind];
      return paint(`${mark}${text}`);
    }
    return view.status?.() ?? "";
  }

  /** A one-line message in the status line until the next notice or key. Text is sanitized here. */
  notice(text: string, kind: NoticeKind = "info"): void {
    this.#notice = { text: oneLine(text), kind };
    this.render();
  }

  clearNotice(): void {
    if (!this.#notice) return;
    this.#notice = undefined;
    this.render();
  }

  /** Is a foreground wait running (Ctrl+C would cancel it)? */
  get busy(): boolean {
    return this.#tasks.some((t) => t.foreground);
  }

  /**
   * Runs `work` with a spinner saying `label` (after 150 ms). Foreground tasks are what Ctrl+C
   * cancels (the promise then rejects with CancelledError); background ones only show when asked.
   * `relabel` lets the work say what it waits for now (e.g. a rate-limit countdown).
   */
  async task<T>(
    label: string,
    work: (signal: AbortSignal, relabel: (label: string) => void) => Promise<T>,
    options: { foreground?: boolean } = {},
  ): Promise<T> {
    const task: Task = { label, controller: new AbortController(), foreground: options.foreground ?? true };
    this.#tasks.push(task);
    const delay = setTimeout(() => this.#spin(), SPINNER_DELAY_MS);
    try {
      const result = await Promise.race([
        work(task.controller.signal, (l) => {
          task.label = l;
          this.render();
        }),
        new Promise<never>((_, reject) => {
          task.controller.signal.addEventListener("abort", () => reject(new CancelledError()), { once: true });
        }),
      ]);
      return result;
    } catch (err) {
      if (task.controller.signal.aborted) throw new CancelledError();
      throw err;
    } finally {
      clearTimeout(delay);
      const i = this.#tasks.indexOf(task);
      if (i >= 0) this.#tasks.splice(i, 1);
      if (this.#tasks.length === 0 && this.#spinTimer) {
        clearInterval(this.#spinTimer);
        this.#spinTimer = undefined;
      }
      this.render();
    }
  }

  #spin(): void {
    // Background tasks keep the timer too: a retry wait they hit counts down in the status line.
    if (this.#spinTimer || this.#tasks.length === 0) return;
    this.#spinTimer = setInterval(() => {
      this.#frame++;
      this.render();
    }, 80);
    this.render();
  }

  #onKey(key: Key): void {
    if (isCtrlC(key)) {
      const task = [...this.#tasks].reverse().find((t) => t.foreground);
      if (task) {
        task.controller.abort();
        return;
      }
    }
    this.#notice = undefined;
    this.#view?.onKey(key);
    this.render();
  }
}
