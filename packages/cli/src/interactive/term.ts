/**
 * The full-screen terminal: raw mode, the alternate screen, bracketed paste, key events, resizes,
 * and drawing whole frames (only the rows that changed are rewritten). `stop()` undoes everything
 * and runs on every way out — normal return, exception, process exit, SIGTERM/SIGHUP — so the
 * terminal is never left in raw mode or on the alternate screen.
 */
import { type Key, listenKeys } from "./keys.js";
import { displayWidth, truncateToWidth } from "./width.js";

export interface Frame {
  /** Exactly the rows to show (extra rows are dropped, missing rows blank). */
  lines: string[];
  /** Where the cursor blinks; hidden when absent. */
  cursor?: { row: number; col: number } | undefined;
}

export interface TermIo {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

export class Term {
  readonly #stdin: NodeJS.ReadStream;
  readonly #stdout: NodeJS.WriteStream;
  #running = false;
  #offKeys: (() => void) | undefined;
  #previous: string[] = [];
  #keyHandler: ((key: Key) => void) | undefined;
  #resizeHandler: (() => void) | undefined;
  readonly #onResize = (): void => {
    this.#previous = [];
    this.#resizeHandler?.();
  };
  readonly #onExit = (): void => this.stop();
  readonly #onSignal = (signal: NodeJS.Signals): void => {
    this.stop();
    process.exit(signal === "SIGTERM" ? 143 : 129);
  };

  constructor(io: TermIo = { stdin: process.stdin, stdout: process.stdout }) {
    this.#stdin = io.stdin;
    this.#stdout = io.stdout;
  }

  get columns(): number {
    return Math.max(20, this.#stdout.columns || 80);
  }

  get rows(): number {
    return Math.max(8, this.#stdout.rows || 24);
  }

  get running(): boolean {
    return this.#running;
  }

  onKey(handler: (key: Key) => void): void {
    this.#keyHandler = handler;
  }

  onResize(handler: () => void): void {
    this.#resizeHandler = handler;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    if (this.#stdin.isTTY) this.#stdin.setRawMode(true);
    this.#stdin.resume();
    this.#stdin.setEncoding("utf8");
    this.#offKeys = listenKeys(this.#stdin, (key) => this.#keyHandler?.(key));
    this.#stdout.on("resize", this.#onResize);
    process.on("exit", this.#onExit);
    process.on("SIGTERM", this.#onSignal);
    process.on("SIGHUP", this.#onSignal);
    // Alternate screen, bracketed paste, cursor hidden until a frame places it.
    this.#stdout.write("\x1b[?1049h\x1b[?2004h\x1b[?25l\x1b[H\x1b[2J");
    this.#previous = [];
  }

  stop(): void {
    if (!this.#running) return;
    this.#running = false;
    this.#offKeys?.();
    this.#stdout.off("resize", this.#onResize);
    process.off("exit", this.#onExit);
    process.off("SIGTERM", this.#onSignal);
    process.off("SIGHUP", this.#onSignal);
    try {
      this.#stdout.write("\x1b[?2004l\x1b[?25h\x1b[?1049l");
    } catch {
      // stdout closed.
    }
    try {
      if (this.#stdin.isTTY) this.#stdin.setRawMode(false);
    } catch {
      // stdin closed.
    }
    this.#stdin.pause();
  }

  /** Draws a frame: rows that differ from the last frame are rewritten, each cut to the width. */
  draw(frame: Frame): void {
    if (!this.#running) return;
    const cols = this.columns;
    const rows = this.rows;
    let out = "\x1b[?25l";
    for (let r = 0; r < rows; r++) {
      let line = frame.lines[r] ?? "";
      if (displayWidth(line) > cols) line = truncateToWidth(line.replace(/\x1b\[[0-9;]*m/g, ""), cols);
      if (this.#previous[r] === line) continue;
      // Erase-to-end only when the line is short: at the last column it would erase that cell.
      out += `\x1b[${r + 1};1H\x1b[0m${line}\x1b[0m${displayWidth(line) < cols ? "\x1b[K" : ""}`;
      this.#previous[r] = line;
    }
    this.#previous.length = rows;
    if (frame.cursor) {
      const row = Math.min(rows - 1, Math.max(0, frame.cursor.row));
      const col = Math.min(cols - 1, Math.max(0, frame.cursor.col));
      out += `\x1b[${row + 1};${col + 1}H\x1b[?25h`;
    }
    this.#stdout.write(out);
  }
}
