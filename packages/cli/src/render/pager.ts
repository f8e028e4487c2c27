/**
 * `--format table` on a terminal: the human table through the user's pager ($PAGER, else `less`
 * with LESS=FRX — colours kept, no screen switch, quits when it fits). What reaches the pager is
 * the same sanitized text a terminal would get: only SGR colour codes, which `less -R` passes.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { Writable } from "node:stream";

/** The pager's command line, or undefined for none (PAGER set empty or to `cat`). */
export function pagerCommand(env: NodeJS.ProcessEnv): string | undefined {
  const p = (env.PAGER ?? "less").trim();
  return p === "" || p === "cat" ? undefined : p;
}

const closers = new Set<() => Promise<void>>();

/** Ends every pager's input and waits until the user quit it (or it printed everything and quit). */
export async function closePagers(): Promise<void> {
  const all = [...closers];
  closers.clear();
  await Promise.all(all.map((close) => close()));
}

/**
 * A stdout that starts the pager on its first write (a command that prints nothing starts none)
 * and ends the pager's input at the end of the process (closePagers). Behaves as a terminal of the
 * real stdout's width.
 */
export function pagedStdout(command: string, env: NodeJS.ProcessEnv, tty: NodeJS.WriteStream): NodeJS.WriteStream {
  let child: ChildProcess | undefined;
  let closed: Promise<void> = Promise.resolve();
  const start = (): ChildProcess => {
    const c = spawn(command, {
      shell: true,
      stdio: ["pipe", "inherit", "inherit"],
      env: { ...env, LESS: env.LESS ?? "FRX" },
    });
    // The user may quit the pager before everything is written: the rest is dropped quietly.
    c.stdin?.on("error", () => {});
    c.on("error", () => {});
    closed = new Promise<void>((resolve) => c.on("close", () => resolve()));
    return c;
  };
  const stream = new Writable({
    write(chunk, _encoding, done) {
      child ??= start();
      if (child.stdin?.writable) child.stdin.write(chunk, () => done());
      else done();
    },
    final(done) {
      child?.stdin?.end();
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(stream, { isTTY: true, columns: tty.columns, rows: tty.rows });
  closers.add(async () => {
    await new Promise<void>((resolve) => stream.end(() => resolve()));
    await closed;
  });
  return stream;
}
