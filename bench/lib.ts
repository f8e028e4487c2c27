/** Shared pieces of the benchmark harness: every benchmark compares a subject with a baseline measured in the same run. */

export interface Series {
  /** What was timed. */
  name: string;
  /** One sample per run, in milliseconds. */
  samplesMs: number[];
}

export interface BenchOutcome {
  baseline: Series;
  subject: Series;
  /** The largest acceptable subject/baseline ratio of medians, if the benchmark has a target. */
  target?: number;
  /** Extra figures worth printing (throughput, counts). */
  notes?: Record<string, string>;
}

export interface Benchmark {
  name: string;
  description: string;
  run(options: { runs: number }): Promise<BenchOutcome>;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Times one call of `fn` in milliseconds. */
export async function time(fn: () => unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/**
 * Runs baseline and subject alternately `runs` times (after one warm-up of each), so drift in the
 * machine's load hits both sides alike.
 */
export async function alternate(
  runs: number,
  baseline: () => unknown,
  subject: () => unknown,
): Promise<{ baselineMs: number[]; subjectMs: number[] }> {
  await baseline();
  await subject();
  const baselineMs: number[] = [];
  const subjectMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      baselineMs.push(await time(baseline));
      subjectMs.push(await time(subject));
    } else {
      subjectMs.push(await time(subject));
      baselineMs.push(await time(baseline));
    }
  }
  return { baselineMs, subjectMs };
}
