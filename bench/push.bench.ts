import { loadavg } from "node:os";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { type RealtimeEvent, TeamsClient } from "teams-api";
import { WebSocket, WebSocketServer } from "ws";
import { type Child, Children } from "./fixtures/fork.js";
import type { EmulatorCommand, EmulatorReply, SenderCommand, SenderReply } from "./fixtures/push-ipc.js";
import { type Benchmark, median } from "./lib.js";

/**
 * The emulator, the sender (Alice) and the listener (Bob, in this process) each run in their own
 * process, as they do in reality: in one process the other parties' garbage collections stall the
 * listener (the tail of the latency), and the listener's heap is not its own to measure.
 */
const MESSAGES = 2000;
const MEMORY_EVENTS = 100_000;
/** Synthetic pushes per feed command: the next chunk waits until the listener has them all (the hub redelivers unACKed pushes). */
const FEED_CHUNK = 1000;
/** A feed that makes no progress for this long fails the bench instead of hanging it. */
const STALL_MS = 60_000;

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};

/** A raw `ws` echo round trip on loopback: the floor any push can reach. */
async function rawRoundTrips(count: number): Promise<number[]> {
  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  wss.on("connection", (ws) => ws.on("message", (d) => ws.send(d.toString())));
  await new Promise<void>((r) => wss.once("listening", () => r()));
  const port = (wss.address() as { port: number }).port;
  const ws = new WebSocket(`ws://127.0.0.1:${port}`);
  await new Promise<void>((r) => ws.once("open", () => r()));
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await new Promise<void>((r) => {
      ws.once("message", () => r());
      ws.send(`3:::{"id":${i},"status":200,"body":""}`);
    });
    out.push(performance.now() - t0);
  }
  ws.close();
  await new Promise<void>((r) => wss.close(() => r()));
  return out;
}

/**
 * The emulator's clock minus this process's (`performance.timeOrigin + performance.now()` in each:
 * two processes' origins need not agree, so the offset is measured rather than assumed), from the
 * IPC ping with the shortest round trip, so right within half of that round trip.
 */
async function clockOffset(emulator: Child<EmulatorCommand, EmulatorReply>): Promise<{ ms: number; errorMs: number }> {
  let best = { ms: 0, errorMs: Number.POSITIVE_INFINITY };
  for (let i = 0; i < 20; i++) {
    const t0 = performance.timeOrigin + performance.now();
    const { at } = await emulator.request({ type: "clock" }, "clock");
    const t1 = performance.timeOrigin + performance.now();
    if ((t1 - t0) / 2 < best.errorMs) best = { ms: at - (t0 + t1) / 2, errorMs: (t1 - t0) / 2 };
  }
  return best;
}

function gcFunction(): () => void {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

const bench: Benchmark = {
  name: "push",
  description: `send-to-receive latency over ${MESSAGES} messages (Alice → Bob's listener) against a raw ws round trip; listener memory over ${MEMORY_EVENTS.toLocaleString("en")} events`,
  async run({ runs }) {
    const children = new Children();
    let bob: TeamsClient | undefined;
    try {
      const emulator = children.fork<EmulatorCommand, EmulatorReply>(
        "the emulator",
        new URL("./fixtures/push-emulator.ts", import.meta.url),
      );
      const { loginUrl, baseUrl, password } = await emulator.next("ready");
      const sender = children.fork<SenderCommand, SenderReply>(
        "the sender",
        new URL("./fixtures/push-sender.ts", import.meta.url),
      );
      const signedIn = sender.request({ type: "sign-in", loginUrl, baseUrl, password }, "ready");
      bob = new TeamsClient({ cloud: "emulator", loginUrl, baseUrl, tokenStore: false });
      await Promise.all([signedIn, bob.signInWithPassword("bob@contoso.com", password)]);
      const waiting = new Map<string, (at: number) => void>();
      let received = 0;
      const listener = await bob.startRealtime({
        onEvent: (e: RealtimeEvent) => {
          received++;
          if (e.type === "message") waiting.get(e.message.text)?.(performance.now());
        },
      });
      const perRun = Math.ceil(MESSAGES / runs);
      const sendToReceive: number[] = [];
      const pushOnly: number[] = [];
      const offsets: { ms: number; errorMs: number }[] = [];
      const baselineMs: number[] = [];
      const subjectMs: number[] = [];
      let n = 0;
      for (let run = 0; run < runs; run++) {
        const raw = await rawRoundTrips(perRun);
        const lat: number[] = [];
        const arrivedAt: [string, number][] = [];
        for (let i = 0; i < perRun; i++) {
          const text = `push bench ${n++}`;
          const arrived = new Promise<number>((r) => waiting.set(text, r));
          const sent = sender.next("sent");
          // From the command leaving this process (the IPC hop included: no clock crosses processes).
          const t0 = performance.now();
          sender.send({ type: "send", text });
          const [at] = await Promise.all([children.within(arrived, STALL_MS, `the push of "${text}"`), sent]);
          waiting.delete(text);
          lat.push(at - t0);
          arrivedAt.push([text, performance.timeOrigin + at]);
        }
        // Push path only: from the store raising the change (the emulator's clock, brought onto this
        // process's by the measured offset) to the listener's callback.
        const offset = await clockOffset(emulator);
        offsets.push(offset);
        const raisedAt = new Map((await emulator.request({ type: "raised" }, "raised")).at);
        for (const [text, at] of arrivedAt) {
          const raised = raisedAt.get(text);
          if (raised !== undefined) pushOnly.push(at - (raised - offset.ms));
        }
        sendToReceive.push(...lat);
        baselineMs.push(median(raw));
        subjectMs.push(median(lat));
      }

      // Memory: 100,000 pushes through Trouter into the listener (unique ids, several chats), fed by
      // the emulator's process in chunks the listener has to catch up with.
      const gc = gcFunction();
      const surl = listener.endpoint!.surl;
      /** Waits on the listener; a push lost for good fails the bench after STALL_MS without progress. */
      const caughtUp = (target: number, count: number): Promise<void> =>
        new Promise<void>((resolve, reject) => {
          let seen = received;
          let since = performance.now();
          const check = setInterval(() => {
            if (received >= target) {
              clearInterval(check);
              resolve();
            } else if (children.failure) {
              clearInterval(check);
              reject(children.failure);
            } else if (received !== seen) {
              seen = received;
              since = performance.now();
            } else if (performance.now() - since > STALL_MS) {
              clearInterval(check);
              reject(new Error(`the listener stopped at ${received - (target - count)} of ${count} pushed events`));
            }
          }, 5);
        });
      const feed = async (count: number): Promise<void> => {
        for (let done = 0; done < count; done += FEED_CHUNK) {
          const chunk = Math.min(FEED_CHUNK, count - done);
          const fed = emulator.request({ type: "feed", surl, first: n, count: chunk }, "fed").then((r) => {
            if (r.dropped) throw new Error(`the hub dropped ${r.dropped} of ${chunk} pushes (no open socket)`);
          });
          n += chunk;
          await Promise.all([fed, caughtUp(received + chunk, chunk)]);
        }
      };
      await feed(10_000);
      gc();
      const before = process.memoryUsage().heapUsed;
      await feed(MEMORY_EVENTS);
      gc();
      const growthMb = (process.memoryUsage().heapUsed - before) / 1024 / 1024;

      return {
        baseline: { name: "raw ws round trip (p50)", samplesMs: baselineMs },
        subject: { name: "send → onMessage (p50)", samplesMs: subjectMs },
        notes: {
          "send → receive p50 / p90 / p99": `${pct(sendToReceive, 50).toFixed(2)} ms / ${pct(sendToReceive, 90).toFixed(2)} ms / ${pct(sendToReceive, 99).toFixed(2)} ms over ${sendToReceive.length} messages (from the IPC command to the sender)`,
          "store event → onMessage p50 / p99": `${pct(pushOnly, 50).toFixed(2)} ms / ${pct(pushOnly, 99).toFixed(2)} ms over ${pushOnly.length} messages (compares clocks across processes: the emulator's, corrected by IPC pings, against the listener's)`,
          "emulator clock offset (per-run median, worst error)": `${median(offsets.map((o) => o.ms)).toFixed(3)} ms ± ${Math.max(...offsets.map((o) => o.errorMs)).toFixed(3)} ms`,
          "raw ws round trip p50": `${median(baselineMs).toFixed(3)} ms`,
          "machine load (1/5/15 min) at the end": loadavg()
            .map((l) => l.toFixed(2))
            .join(" / "),
          "listener heap growth": `${growthMb.toFixed(2)} MB after ${MEMORY_EVENTS.toLocaleString("en")} events (target < 10 MB, the listener's process alone)`,
          processes: "emulator, sender and listener each in their own",
        },
        checks: [
          {
            name: "send → receive p99 ≤ 10 ms",
            value: `${pct(sendToReceive, 99).toFixed(2)} ms`,
            ok: pct(sendToReceive, 99) <= 10,
          },
          {
            name: `listener heap growth after ${MEMORY_EVENTS.toLocaleString("en")} events < 10 MB`,
            value: `${growthMb.toFixed(2)} MB`,
            ok: growthMb < 10,
          },
        ],
      };
    } finally {
      try {
        await bob?.stopRealtime();
      } finally {
        await children.killAll();
      }
    }
  },
};
export default bench;
