/**
 * A real terminal for tests: a private tmux server (its own socket, so no user session is touched)
 * running a plain bash with a recognisable prompt. Tests type into it and wait — by polling the
 * screen against a deadline, never by sleeping — for what should appear.
 */
import { execFileSync } from "node:child_process";
import { setTimeout as delay } from "node:timers/promises";

let counter = 0;
export const PROMPT = "TESTSHELL$ ";

export class Tmux {
  readonly socket: string;
  readonly session = "t";
  #closed = false;

  private constructor(socket: string) {
    this.socket = socket;
  }

  /** Starts bash in a 120×40 terminal with `env` (plus PATH/HOME) and waits for its prompt. */
  static async start(env: NodeJS.ProcessEnv, cwd: string): Promise<Tmux> {
    const t = new Tmux(`teams-cli-test-${process.pid}-${++counter}`);
    const childEnv: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TERM: "xterm-256color",
      ...env,
    };
    delete childEnv.TMUX;
    execFileSync(
      "tmux",
      [
        "-L",
        t.socket,
        "-f",
        "/dev/null",
        "new-session",
        "-d",
        "-s",
        t.session,
        "-x",
        "120",
        "-y",
        "40",
        "-c",
        cwd,
        `PS1='${PROMPT}' exec bash --norc --noprofile -i`,
      ],
      { env: childEnv, stdio: "ignore" },
    );
    await t.waitFor((s) => s.includes(PROMPT.trim()), 10_000, "the shell prompt");
    return t;
  }

  #tmux(args: string[]): string {
    return execFileSync("tmux", ["-L", this.socket, ...args], { encoding: "utf8" });
  }

  /** Keys by tmux name: "Enter", "Down", "C-c"… */
  keys(...keys: string[]): void {
    this.#tmux(["send-keys", "-t", this.session, ...keys]);
  }

  /** Literal text (no key-name interpretation). */
  type(text: string): void {
    this.#tmux(["send-keys", "-t", this.session, "-l", text]);
  }

  /** Runs a shell command line. */
  run(line: string): void {
    this.type(line);
    this.keys("Enter");
  }

  /** The visible screen plus scrollback, wrapped lines joined. */
  screen(): string {
    return this.#tmux(["capture-pane", "-p", "-J", "-t", this.session, "-S", "-2000"]);
  }

  /** Only what the pane shows now (the app draws on the alternate screen, which has no scrollback). */
  visible(): string {
    return this.#tmux(["capture-pane", "-p", "-t", this.session]);
  }

  /** Resizes the terminal (the app gets SIGWINCH). */
  resize(columns: number, rows: number): void {
    this.#tmux(["resize-window", "-t", this.session, "-x", String(columns), "-y", String(rows)]);
  }

  /** The pane's size as tmux has it. */
  size(): { columns: number; rows: number } {
    const [w, h] = this.#tmux(["display-message", "-p", "-t", this.session, "#{pane_width} #{pane_height}"])
      .trim()
      .split(" ")
      .map(Number);
    return { columns: w ?? 0, rows: h ?? 0 };
  }

  /** Raw screen including escape sequences (to prove none come from server text). */
  screenWithEscapes(): string {
    return this.#tmux(["capture-pane", "-p", "-e", "-J", "-t", this.session, "-S", "-2000"]);
  }

  async waitFor(
    condition: RegExp | string | ((screen: string) => boolean),
    timeoutMs = 20_000,
    what = String(condition),
  ): Promise<string> {
    const test =
      typeof condition === "function"
        ? condition
        : typeof condition === "string"
          ? (s: string) => s.includes(condition)
          : (s: string) => condition.test(s);
    const deadline = Date.now() + timeoutMs;
    let last = "";
    while (Date.now() < deadline) {
      last = this.screen();
      if (test(last)) return last;
      await delay(50);
    }
    throw new Error(`timed out waiting for ${what}; the screen was:\n${last}`);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#tmux(["kill-server"]);
    } catch {
      // Already gone.
    }
  }
}
