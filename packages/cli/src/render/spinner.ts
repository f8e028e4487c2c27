/**
 * A stderr spinner for waits that last: nothing is drawn for the first 150 ms (most calls finish
 * sooner and a flash of spinner is noise), nothing at all when stderr is not a terminal. It never
 * touches raw mode or the cursor's visibility, so an interrupted spinner cannot leave the terminal
 * in a bad state; it only clears its own line.
 */
const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
export const SPINNER_DELAY_MS = 150;

export interface SpinnerStream {
  isTTY?: boolean;
  write(chunk: string): boolean;
}

/**
 * Shows `label` with a spinner while `work` runs. `note` is asked on every frame for a word on
 * what the wait is about ("rate limited — retrying in 28 s"), shown after the label.
 */
export async function withSpinner<T>(
  label: string,
  work: Promise<T> | (() => Promise<T>),
  stream: SpinnerStream = process.stderr,
  note?: () => string | undefined,
): Promise<T> {
  const promise = typeof work === "function" ? work() : work;
  if (!stream.isTTY) return promise;
  let frame = 0;
  let drawn = false;
  let interval: NodeJS.Timeout | undefined;
  const draw = (): void => {
    drawn = true;
    const extra = note?.();
    stream.write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${label}${extra ? ` — ${extra}` : ""}`);
  };
  const delay = setTimeout(() => {
    draw();
    interval = setInterval(draw, 80);
  }, SPINNER_DELAY_MS);
  try {
    return await promise;
  } finally {
    clearTimeout(delay);
    if (interval) clearInterval(interval);
    if (drawn) stream.write("\r\x1b[2K");
  }
}
