import type { Emulator, User } from "@teams-api/emulator";
import { CHAT_PATHS, chatPath } from "@teams-api/protocol";
import { TeamsClient } from "teams-api";
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
  /** Absolute targets beside the ratio (a latency percentile, a memory ceiling); `--check` counts them too. */
  checks?: Array<{ name: string; value: string; ok: boolean }>;
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

/**
 * A demo user signed in to the emulator through its real sign-in page (no token store), and the
 * chat-service messages URL of a conversation with a skypetoken minted for the same user: what the
 * bare baselines send, minus everything the library adds around it.
 */
export async function signedInBench(
  emulator: Emulator,
  login = "alice@contoso.com",
): Promise<{
  user: User;
  client: TeamsClient;
  skypeToken: string;
  messagesUrl: (conversationId: string) => string;
}> {
  const user = emulator.users.find((u) => u.login === login)!;
  const client = new TeamsClient({
    cloud: "emulator",
    loginUrl: emulator.loginUrl,
    baseUrl: emulator.baseUrl,
    tokenStore: false,
  });
  await client.signInWithPassword(user.login, emulator.password);
  const { token } = emulator.context.tokens.mintSkypeToken(user);
  // `<chatService>/v1` + the protocol's path template: the URL the library's chat service builds.
  const v1 = `${emulator.context.regionGtms("enterprise").chatService.replace(/\/+$/, "")}/v1`;
  return {
    user,
    client,
    skypeToken: token,
    messagesUrl: (conversationId) => v1 + chatPath(CHAT_PATHS.messages, { conversationId }),
  };
}
