import { escapeJsonForTerminal } from "@teams-api/protocol";
import type { RetryWait } from "teams-api";
import { hint } from "../invocation.js";
import { type Colors, colorEnabled, colors } from "./colors.js";
import { pagedStdout, pagerCommand } from "./pager.js";
import { progressBar } from "./progress.js";
import { withSpinner } from "./spinner.js";
import { renderTable, type TableOptions } from "./table.js";

/** What a retry wait is about, as the spinner says it. */
const WAIT_REASONS: Record<RetryWait["reason"], string> = {
  rate_limited: "rate limited",
  server_error: "the service failed",
  timeout: "no answer",
  connection: "connection lost",
};

export interface OutputOptions {
  /** `--json`: machine output even on a terminal. */
  json?: boolean;
  /** `--format`: json, or table (the human rendering even when piped; through the pager on a terminal). */
  format?: "json" | "table" | undefined;
  /** `--no-color`. */
  noColor?: boolean;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  env?: NodeJS.ProcessEnv;
}

/**
 * Where everything a command prints goes: data on stdout (JSON when asked or when stdout is not a
 * terminal), status and progress on stderr. Callers hand it sanitized text only.
 */
export class Output {
  #wait: { reason: RetryWait["reason"]; until: number } | undefined;
  readonly json: boolean;
  /** Colours for stdout. */
  readonly c: Colors;
  /** Colours for stderr. */
  readonly ec: Colors;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;

  constructor(options: OutputOptions = {}) {
    const stdout = options.stdout ?? process.stdout;
    this.stderr = options.stderr ?? process.stderr;
    this.json = Boolean(options.json) || options.format === "json" || (options.format !== "table" && !stdout.isTTY);
    const env = { noColor: Boolean(options.noColor), env: options.env ?? process.env };
    this.c = colors(!this.json && colorEnabled(stdout, env));
    const pager = options.format === "table" && stdout.isTTY ? pagerCommand(env.env) : undefined;
    this.stdout = pager ? pagedStdout(pager, env.env, stdout) : stdout;
    this.ec = colors(colorEnabled(this.stderr, env));
  }

  /** Columns of the terminal stdout writes to (100 when it is not a terminal). */
  get width(): number {
    return this.stdout.columns || 100;
  }

  /** Whether status goes to a terminal (QR codes, progress bars, in-place lines). */
  get statusIsTerminal(): boolean {
    return Boolean((this.stderr as { isTTY?: boolean }).isTTY);
  }

  /** A progress bar on stderr (drawn only on a terminal). */
  progress(label: string, total: number | undefined): { update(bytes: number): void; done(): void } {
    return progressBar(this.stderr, label, total);
  }

  /** A menu on stderr; resolves to the picked choice's value. Only call on a terminal. */
  async select<T>(message: string, choices: ReadonlyArray<{ name: string; value: T }>): Promise<T> {
    const { select } = await import("@inquirer/prompts");
    return select({ message, choices: [...choices] }, { output: this.stderr });
  }

  /** A line of text typed on the terminal (required). */
  async input(message: string): Promise<string> {
    const { input } = await import("@inquirer/prompts");
    return input({ message, required: true }, { output: this.stderr });
  }

  /** A secret typed on the terminal, masked. */
  async password(message: string): Promise<string> {
    const { password } = await import("@inquirer/prompts");
    return password({ message, mask: true }, { output: this.stderr });
  }

  /** A line of data. */
  line(text = ""): void {
    this.stdout.write(`${text}\n`);
  }

  /** A value as pretty JSON on stdout. */
  printJson(value: unknown): void {
    this.stdout.write(`${escapeJsonForTerminal(JSON.stringify(value, null, 2))}\n`);
  }

  table(options: Omit<TableOptions, "colors">): void {
    this.line(renderTable({ ...options, colors: this.c }));
  }

  /** Status for humans: stderr. */
  status(text: string): void {
    this.stderr.write(`${hint(text)}\n`);
  }

  success(text: string): void {
    this.status(`${this.ec.green("✓")} ${text}`);
  }

  /** A last word on stderr when the process is interrupted: clears a spinner's line on a terminal first. */
  interrupted(text: string): void {
    if (this.statusIsTerminal) this.stderr.write("\r\x1b[2K");
    this.stderr.write(`${text}\n`);
  }

  spin<T>(label: string, work: Promise<T> | (() => Promise<T>)): Promise<T> {
    return withSpinner(label, work, this.stderr, () => this.waitNote());
  }

  /** The library is about to wait before retrying (its `onRetryWait`): the spinner says so. */
  retryWait(wait: RetryWait): void {
    this.#wait = { reason: wait.reason, until: Date.now() + wait.delayMs };
  }

  /** "rate limited — retrying in 28 s" while a retry wait lasts, else undefined. */
  waitNote(now: number = Date.now()): string | undefined {
    const wait = this.#wait;
    if (!wait || now >= wait.until) return undefined;
    const why = WAIT_REASONS[wait.reason];
    return `${why} — retrying in ${Math.ceil((wait.until - now) / 1000)} s`;
  }
}
