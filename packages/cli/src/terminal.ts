/**
 * Keeping the terminal usable whatever happens: Ctrl+C goes to whoever is waiting (the interactive
 * loop cancels its current step; a one-shot command ends with 130), and on every way out the
 * terminal leaves raw mode and the cursor is visible again.
 */
type InterruptHandler = () => void;

const handlers: InterruptHandler[] = [];
let installed = false;

export function restoreTerminal(): void {
  const stdin = process.stdin as NodeJS.ReadStream;
  try {
    if (stdin.isTTY && stdin.isRaw) stdin.setRawMode(false);
  } catch {
    // stdin already closed.
  }
  if (process.stdout.isTTY && cursorHidden) {
    process.stdout.write("\x1b[?25h");
    cursorHidden = false;
  }
}

let cursorHidden = false;
/** Interactive prompts hide the cursor while drawing; remember to show it again on exit. */
export function noteCursorMayBeHidden(): void {
  cursorHidden = true;
}

function onSigint(): void {
  const top = handlers.at(-1);
  if (top) {
    top();
    return;
  }
  restoreTerminal();
  if (process.stderr.isTTY) process.stderr.write("\r\x1b[2K");
  process.exit(130);
}

export function installTerminalGuards(): void {
  if (installed) return;
  installed = true;
  process.on("SIGINT", onSigint);
  process.on("exit", restoreTerminal);
}

/** Routes Ctrl+C to `handler` until the returned function is called. */
export function onInterrupt(handler: InterruptHandler): () => void {
  handlers.push(handler);
  return () => {
    const i = handlers.lastIndexOf(handler);
    if (i >= 0) handlers.splice(i, 1);
  };
}

/** Runs `work` with an AbortSignal that Ctrl+C fires. */
export async function cancellable<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const off = onInterrupt(() => controller.abort());
  try {
    return await work(controller.signal);
  } finally {
    off();
  }
}
