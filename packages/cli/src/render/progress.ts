import { formatBytes } from "@teams-api/protocol";

/** Transfers smaller than this get no bar (they are over before one would help). */
export const PROGRESS_MIN_BYTES = 1024 * 1024;

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(chunk: string): boolean;
}

/**
 * A progress bar on stderr for a transfer of `total` bytes: `label [█████░░░░░] 45%  12 MB / 27 MB`,
 * redrawn in place at most every 100 ms, only on a terminal and only above 1 MB; `done()` clears it.
 */
export function progressBar(
  stream: ProgressStream,
  label: string,
  total: number | undefined,
  now: () => number = Date.now,
): { update(bytes: number): void; done(): void } {
  const active = Boolean(stream.isTTY) && total !== undefined && total > PROGRESS_MIN_BYTES;
  let last = -Infinity;
  let drawn = false;
  const draw = (bytes: number): void => {
    const t = total ?? 0;
    const share = t > 0 ? Math.min(1, bytes / t) : 0;
    const width = Math.max(10, Math.min(30, (stream.columns ?? 80) - label.length - 30));
    const full = Math.round(share * width);
    const bar = `${"█".repeat(full)}${"░".repeat(width - full)}`;
    stream.write(
      `\r\x1b[2K${label} [${bar}] ${String(Math.floor(share * 100)).padStart(3)}%  ${formatBytes(bytes)} / ${formatBytes(t)}`,
    );
    drawn = true;
  };
  return {
    update(bytes: number): void {
      if (!active) return;
      const t = now();
      if (t - last < 100 && bytes < (total ?? 0)) return;
      last = t;
      draw(bytes);
    },
    done(): void {
      if (drawn) stream.write("\r\x1b[2K");
    },
  };
}
