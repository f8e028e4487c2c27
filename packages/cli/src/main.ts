import { Command, Option } from "commander";
import { App, type GlobalOptions } from "./app.js";
import { registerCommands } from "./commands/index.js";
import { describeError, EXIT, exitCodeFor, UsageError } from "./errors.js";
import { closePagers } from "./render/pager.js";
import { redact } from "./render/redact.js";
import { oneLine } from "./render/sanitize.js";
import { installTerminalGuards, restoreTerminal } from "./terminal.js";
import { VERSION } from "./version.js";

export const CLOUDS = ["enterprise", "consumer", "emulator"] as const;

/** The command tree. `makeApp` turns the parsed global options into the app context a command runs with. */
export function buildProgram(makeApp: (globals: GlobalOptions) => App = (g) => new App(g)): Command {
  const program = new Command("teams")
    .description("Microsoft Teams in the terminal. Run without arguments for the interactive app.")
    .version(VERSION, "-v, --version", "print the version")
    .addOption(
      new Option("--cloud <cloud>", "which Teams to talk to").choices(CLOUDS).env("TEAMS_CLOUD").default(undefined),
    )
    .addOption(
      new Option("--account <name>", "use this account's session (see `teams accounts`)")
        .env("TEAMS_ACCOUNT")
        .default(undefined),
    )
    .option("--json", "print JSON (the default when stdout is not a terminal)")
    .addOption(
      new Option("--format <format>", "json, or table: the human table even when piped (through $PAGER on a terminal)")
        .choices(["json", "table"])
        .default(undefined),
    )
    .option("--no-color", "no colours (also NO_COLOR)")
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      outputError: (text, write) => write(`teams: ${text.replace(/^error: /, "")}`),
    });

  const appFor = (cmd: Command): App => makeApp(cmd.optsWithGlobals() as GlobalOptions);
  registerCommands(program, appFor);

  program.allowExcessArguments(true).action(async (_opts, cmd: Command) => {
    const [unknown] = cmd.args;
    if (unknown !== undefined) {
      const names = program.commands.map((c) => c.name());
      const near = names.find((n) => n.startsWith(unknown.slice(0, 3)) || unknown.startsWith(n));
      throw new UsageError(
        `Unknown command "${oneLine(unknown)}"${near ? `; did you mean \`teams ${near}\`?` : "; see `teams --help`."}`,
      );
    }
    const app = appFor(cmd);
    if (!process.stdin.isTTY || !process.stdout.isTTY) {
      program.outputHelp();
      return;
    }
    const { runInteractive } = await import("./interactive/loop.js");
    await runInteractive(app);
  });
  // Every subcommand reports usage errors the same way and never exits by itself.
  for (const cmd of allCommands(program)) {
    cmd.exitOverride().configureOutput({
      outputError: (text, write) => write(`teams: ${text.replace(/^error: /, "")}`),
    });
  }
  return program;
}

function allCommands(cmd: Command): Command[] {
  return cmd.commands.flatMap((c) => [c, ...allCommands(c)]);
}

/** Runs one invocation; resolves to the exit code. Never throws and never prints a stack trace unless TEAMS_DEBUG=1. */
export async function main(argv: readonly string[]): Promise<number> {
  installTerminalGuards();
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.ok;
  } catch (err) {
    return reportError(err);
  } finally {
    await closePagers();
    restoreTerminal();
  }
}

/**
 * Prints a failure as one line on stderr — the error's own sentence, sanitized, credentials
 * redacted, no stack unless TEAMS_DEBUG=1 — and returns the exit code for it.
 */
export function reportError(err: unknown, stderr: { write(s: string): unknown } = process.stderr): number {
  const code = exitCodeFor(err);
  // Commander has already printed its own usage message (or the help/version it was asked for).
  if ((err as Error | undefined)?.name === "CommanderError") return code;
  if (process.env.TEAMS_DEBUG === "1" && err instanceof Error && err.stack) {
    stderr.write(`${redact(err.stack)}\n`);
  }
  stderr.write(`teams: ${describeError(err)}\n`);
  return code;
}
