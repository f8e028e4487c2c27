import { escapeJsonForTerminal } from "@teams-api/protocol";
import { type Colors, colorEnabled, colors } from "./colors.js";
import { withSpinner } from "./spinner.js";
import { renderTable, type TableOptions } from "./table.js";

export interface OutputOptions {
  /** `--json`: machine output even on a terminal. */
  json?: boolean;
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
  readonly json: boolean;
  /** Colours for stdout. */
  readonly c: Colors;
  /** Colours for stderr. */
  readonly ec: Colors;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;

  constructor(options: OutputOptions = {}) {
    this.stdout = options.stdout ?? process.stdout;
    this.stderr = options.stderr ?? process.stderr;
    this.json = Boolean(options.json) || !this.stdout.isTTY;
    const env = { noColor: Boolean(options.noColor), env: options.env ?? process.env };
    this.c = colors(!this.json && colorEnabled(this.stdout, env));
    this.ec = colors(colorEnabled(this.stderr, env));
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
    this.stderr.write(`${text}\n`);
  }

  success(text: string): void {
    this.status(`${this.ec.green("✓")} ${text}`);
  }

  spin<T>(label: string, work: Promise<T> | (() => Promise<T>)): Promise<T> {
    return withSpinner(label, work, this.stderr);
  }
}
