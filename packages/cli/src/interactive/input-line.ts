/**
 * The editable input line: a small, pure editing model (no terminal IO) so it can be tested on its
 * own. Multi-line (Alt+Enter, or Enter inside a paste), history (↑/↓ at the edges), word moves,
 * Ctrl+U/K/W, and a Tab completion hook. The view asks it for lines to draw and the cursor.
 */
import type { Key } from "./keys.js";
import { printable } from "./keys.js";
import { displayWidth, graphemes, graphemeWidth } from "./width.js";

export type Completer = (text: string) => string | undefined;

export type InputResult = { kind: "submit"; text: string } | { kind: "handled" } | { kind: "ignored" };

export class InputLine {
  #chars: string[] = [];
  #cursor = 0;
  readonly #history: string[] = [];
  /** Position in history while browsing (history.length = the draft). */
  #browse = 0;
  #draft: string[] = [];
  completer: Completer | undefined;

  get text(): string {
    return this.#chars.join("");
  }

  get cursor(): number {
    return this.#cursor;
  }

  set(text: string): void {
    this.#chars = graphemes(text);
    this.#cursor = this.#chars.length;
  }

  clear(): void {
    this.set("");
  }

  /** Remembers a line for ↑ without submitting it (a line Ctrl+C cleared, a failed send). */
  remember(text: string): void {
    if (text.trim() === "" || this.#history.at(-1) === text) return;
    this.#history.push(text);
    this.#browse = this.#history.length;
  }

  get history(): readonly string[] {
    return this.#history;
  }

  insert(text: string): void {
    const gs = graphemes(text.replace(/\r\n?/g, "\n").replace(/\t/g, "  "));
    this.#chars.splice(this.#cursor, 0, ...gs);
    this.#cursor += gs.length;
  }

  /** Start and end (exclusive) of the logical line the cursor is on. */
  #lineBounds(at = this.#cursor): [number, number] {
    let start = at;
    while (start > 0 && this.#chars[start - 1] !== "\n") start--;
    let end = at;
    while (end < this.#chars.length && this.#chars[end] !== "\n") end++;
    return [start, end];
  }

  #wordLeft(): number {
    let i = this.#cursor;
    while (i > 0 && /\s/.test(this.#chars[i - 1]!)) i--;
    while (i > 0 && !/\s/.test(this.#chars[i - 1]!)) i--;
    return i;
  }

  #wordRight(): number {
    let i = this.#cursor;
    while (i < this.#chars.length && /\s/.test(this.#chars[i]!)) i++;
    while (i < this.#chars.length && !/\s/.test(this.#chars[i]!)) i++;
    return i;
  }

  #historyMove(delta: number): void {
    if (this.#history.length === 0) return;
    if (this.#browse === this.#history.length) this.#draft = [...this.#chars];
    const next = Math.min(this.#history.length, Math.max(0, this.#browse + delta));
    if (next === this.#browse) return;
    this.#browse = next;
    this.#chars = next === this.#history.length ? [...this.#draft] : graphemes(this.#history[next]!);
    this.#cursor = this.#chars.length;
  }

  /** Moves the cursor one logical line up or down; false at the first/last line. */
  #verticalMove(delta: -1 | 1): boolean {
    const [start, end] = this.#lineBounds();
    const column = this.#cursor - start;
    if (delta < 0) {
      if (start === 0) return false;
      const [ps, pe] = this.#lineBounds(start - 1);
      this.#cursor = Math.min(pe, ps + column);
    } else {
      if (end >= this.#chars.length) return false;
      const [ns, ne] = this.#lineBounds(end + 1);
      this.#cursor = Math.min(ne, ns + column);
    }
    return true;
  }

  handle(key: Key): InputResult {
    const name = key.name;
    if ((name === "return" || name === "enter") && (key.meta || key.pasted)) {
      this.insert("\n");
      return { kind: "handled" };
    }
    if (name === "return" || name === "enter") {
      const text = this.text;
      if (text.trim() !== "") {
        if (this.#history.at(-1) !== text) this.#history.push(text);
      }
      this.#browse = this.#history.length;
      this.clear();
      return { kind: "submit", text };
    }
    const typed = printable(key);
    if (typed !== undefined && !(key.name === "tab")) {
      this.insert(typed);
      return { kind: "handled" };
    }
    if (key.ctrl && !key.meta) {
      switch (name) {
        case "a":
          this.#cursor = this.#lineBounds()[0];
          return { kind: "handled" };
        case "e":
          this.#cursor = this.#lineBounds()[1];
          return { kind: "handled" };
        case "u": {
          const [start] = this.#lineBounds();
          this.#chars.splice(start, this.#cursor - start);
          this.#cursor = start;
          return { kind: "handled" };
        }
        case "k": {
          const [, end] = this.#lineBounds();
          this.#chars.splice(this.#cursor, end - this.#cursor);
          return { kind: "handled" };
        }
        case "w": {
          const to = this.#wordLeft();
          this.#chars.splice(to, this.#cursor - to);
          this.#cursor = to;
          return { kind: "handled" };
        }
        case "left":
          this.#cursor = this.#wordLeft();
          return { kind: "handled" };
        case "right":
          this.#cursor = this.#wordRight();
          return { kind: "handled" };
        default:
          return { kind: "ignored" };
      }
    }
    if (key.meta && (name === "b" || name === "f")) {
      this.#cursor = name === "b" ? this.#wordLeft() : this.#wordRight();
      return { kind: "handled" };
    }
    switch (name) {
      case "backspace":
        if (this.#cursor > 0) {
          this.#chars.splice(this.#cursor - 1, 1);
          this.#cursor--;
        }
        return { kind: "handled" };
      case "delete":
        this.#chars.splice(this.#cursor, 1);
        return { kind: "handled" };
      case "left":
        this.#cursor = Math.max(0, this.#cursor - 1);
        return { kind: "handled" };
      case "right":
        this.#cursor = Math.min(this.#chars.length, this.#cursor + 1);
        return { kind: "handled" };
      case "home":
        this.#cursor = this.#lineBounds()[0];
        return { kind: "handled" };
      case "end":
        this.#cursor = this.#lineBounds()[1];
        return { kind: "handled" };
      case "up":
        if (!this.#verticalMove(-1)) this.#historyMove(-1);
        return { kind: "handled" };
      case "down":
        if (!this.#verticalMove(1)) this.#historyMove(1);
        return { kind: "handled" };
      case "tab": {
        const completed = this.completer?.(this.text);
        if (completed !== undefined) this.set(completed);
        return { kind: "handled" };
      }
      default:
        return { kind: "ignored" };
    }
  }

  /**
   * The text laid out in `width` columns behind `prompt` (continuation lines indented to match),
   * hard-wrapped so no line is wider than `width`, with the cursor's row and column.
   */
  render(width: number, prompt: string): { lines: string[]; row: number; col: number } {
    const promptWidth = displayWidth(prompt);
    const indent = " ".repeat(promptWidth);
    const room = Math.max(1, width - promptWidth);
    const lines: string[] = [];
    let line = "";
    let lineW = 0;
    let row = 0;
    let col = 0;
    const flush = (): void => {
      lines.push((lines.length === 0 ? prompt : indent) + line);
      line = "";
      lineW = 0;
    };
    for (let i = 0; i <= this.#chars.length; i++) {
      if (i === this.#cursor) {
        if (lineW >= room) flush();
        row = lines.length;
        col = promptWidth + lineW;
      }
      if (i === this.#chars.length) break;
      const g = this.#chars[i]!;
      if (g === "\n") {
        flush();
        continue;
      }
      const gw = graphemeWidth(g);
      if (lineW + gw > room) flush();
      line += g;
      lineW += gw;
    }
    flush();
    return { lines, row, col };
  }
}
