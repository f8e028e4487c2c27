/**
 * A question with a one-line answer (an input line with history and Tab completion). Enter answers;
 * Esc or Ctrl+C goes back and keeps what was typed for the next time the same question is asked.
 */
import { InputLine } from "./input-line.js";
import { isCtrlC, type Key } from "./keys.js";
import { BACK, type Back, type Rendered, type Ui, type View } from "./ui.js";
import { wrapToWidth } from "./width.js";

export interface PromptOptions {
  crumbs: readonly string[];
  /** Kept-text key: the same id brings back what was typed when the user backed out. */
  id: string;
  question: string;
  /** Lines above the question (explanations, results). */
  content?: readonly string[];
  initial?: string;
  /** Accept an empty answer. */
  allowEmpty?: boolean;
  /** Tab completion. */
  complete?: (text: string) => string | undefined;
  /** Hide what is typed (passwords). */
  secret?: boolean;
}

class PromptView implements View {
  readonly crumbs: readonly string[];
  readonly #ui: Ui;
  readonly #opts: PromptOptions;
  readonly #input = new InputLine();
  readonly #done: (value: string | Back) => void;

  constructor(ui: Ui, opts: PromptOptions, done: (value: string | Back) => void) {
    this.#ui = ui;
    this.#opts = opts;
    this.crumbs = opts.crumbs;
    this.#done = done;
    this.#input.set(ui.drafts.get(opts.id) ?? opts.initial ?? "");
    this.#input.completer = opts.complete;
  }

  hint(): string {
    return `Enter ${this.#opts.secret ? "continue" : "send"}${this.#opts.complete ? " · Tab completes" : ""} · Esc/Ctrl+C back (keeps the text)`;
  }

  onKey(key: Key): void {
    if (isCtrlC(key) || key.name === "escape") {
      if (this.#input.text) this.#ui.drafts.set(this.#opts.id, this.#input.text);
      else this.#ui.drafts.delete(this.#opts.id);
      this.#done(BACK);
      return;
    }
    const typed = this.#input.text;
    const r = this.#input.handle(key);
    if (r.kind === "submit") {
      if (r.text.trim() === "" && !this.#opts.allowEmpty) {
        this.#input.set(typed);
        return;
      }
      this.#ui.drafts.delete(this.#opts.id);
      this.#done(r.text);
    }
  }

  render(width: number, height: number): Rendered {
    const c = this.#ui.c;
    const lines = [...(this.#opts.content ?? [])];
    for (const l of wrapToWidth(this.#opts.question, width - 2)) lines.push(c.bold(`? ${l}`));
    const shown = this.#opts.secret ? new InputLine() : this.#input;
    if (this.#opts.secret) shown.set("•".repeat([...this.#input.text].length));
    const r = shown.render(width, "> ");
    const room = Math.max(1, height - r.lines.length);
    const head = lines.slice(Math.max(0, lines.length - room));
    return { lines: [...head, ...r.lines], cursor: { row: head.length + r.row, col: r.col } };
  }
}

export function prompt(ui: Ui, opts: PromptOptions): Promise<string | Back> {
  return new Promise((resolve) => {
    ui.show(new PromptView(ui, opts, resolve));
  });
}
