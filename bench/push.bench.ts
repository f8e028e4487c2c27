import { loadavg } from "node:os";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { startEmulator } from "@teams-api/emulator";
import { buildEventMessage } from "@teams-api/protocol";
import { type RealtimeEvent, TeamsClient } from "teams-api";
import { WebSocket, WebSocketServer } from "ws";
import { type Benchmark, median } from "./lib.js";

const MESSAGES = 2000;
const MEMORY_EVENTS = 100_000;
const ALICE_BOB = "19:2b7e4f10-6c1d-4e8a-a3f5-9d0c1b2e3f41_9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d@unq.gbl.spaces";

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

function gcFunction(): () => void {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

const bench: Benchmark = {
  name: "push",
  description: `send-to-receive latency over ${MESSAGES} messages (Alice → Bob's listener) against a raw ws round trip; listener memory over ${MEMORY_EVENTS.toLocaleString("en")} events`,
  async run({ runs }) {
    const emulator = await startEmulator({ port: 0 });
    const client = () =>
      new TeamsClient({ cloud: "emulator", loginUrl: emulator.loginUrl, baseUrl: emulator.baseUrl, tokenStore: false });
    const alice = client();
    const bob = client();
    try {
      await alice.signInWithPassword("alice@contoso.com", emulator.password);
      await bob.signInWithPassword("bob@contoso.com", emulator.password);
      const waiting = new Map<string, (at: number) => void>();
      let received = 0;
      const listener = await bob.startRealtime({
        onEvent: (e: RealtimeEvent) => {
          received++;
          if (e.type === "message") waiting.get(e.message.text)?.(performance.now());
        },
      });
      // Push path only: from the store raising the change to the listener's callback.
      const raisedAt = new Map<string, number>();
      emulator.context.events.on("chat", (e) => {
        const content = (e.event.resource as { content?: string }).content;
        if (content) raisedAt.set(content, performance.now());
      });
      const perRun = Math.ceil(MESSAGES / runs);
      const sendToReceive: number[] = [];
      const pushOnly: number[] = [];
      const baselineMs: number[] = [];
      const subjectMs: number[] = [];
      let n = 0;
      for (let run = 0; run < runs; run++) {
        const raw = await rawRoundTrips(perRun);
        const lat: number[] = [];
        for (let i = 0; i < perRun; i++) {
          const text = `push bench ${n++}`;
          const arrived = new Promise<number>((r) => waiting.set(text, r));
          const t0 = performance.now();
          await alice.sendMessage(ALICE_BOB, text, { format: "text", messageType: "Text" });
          const at = await arrived;
          waiting.delete(text);
          lat.push(at - t0);
          const raised = raisedAt.get(text);
          if (raised !== undefined) pushOnly.push(at - raised);
          raisedAt.delete(text);
        }
        sendToReceive.push(...lat);
        baselineMs.push(median(raw));
        subjectMs.push(median(lat));
      }

      // Memory: 100,000 pushes through Trouter into the listener (unique ids, several chats).
      const gc = gcFunction();
      const endpoint = listener.endpoint!;
      const surl = endpoint.surl;
      const hub = emulator.context.trouter;
      const base = emulator.context.regionGtms("enterprise").chatService;
      const feed = async (count: number): Promise<void> => {
        const target = received + count;
        // Waits on the listener; a push lost for good (a starved loop can miss every redelivery)
        // fails the bench after 60 s without progress instead of hanging it.
        const done = new Promise<void>((resolve, reject) => {
          let seen = received;
          let still = 0;
          const check = setInterval(() => {
            if (received >= target) {
              clearInterval(check);
              resolve();
            } else if (received === seen && ++still > 12_000) {
              clearInterval(check);
              reject(new Error(`the listener stopped at ${received - (target - count)} of ${count} pushed events`));
            } else if (received !== seen) {
              seen = received;
              still = 0;
            }
          }, 5);
        });
        for (let i = 0; i < count; i++) {
          const id = 2_000_000_000_000 + n++;
          const conv = `19:bench${n % 10}@thread.v2`;
          const body = JSON.stringify(
            buildEventMessage({
              id: n,
              resourceType: "NewMessage",
              time: Date.now(),
              resourceLink: `${base}/v1/users/ME/conversations/${conv}/messages/${id}`,
              resource: {
                id: String(id),
                version: String(id),
                conversationid: conv,
                messagetype: "Text",
                content: `m${n}`,
                from: `${base}/v1/users/ME/contacts/8:orgid:2b7e4f10-6c1d-4e8a-a3f5-9d0c1b2e3f41`,
                imdisplayname: "Alice Example",
                originalarrivaltime: new Date().toISOString(),
              },
            }),
          );
          hub.deliver(surl, body);
          if (i % 500 === 499) await new Promise((r) => setImmediate(r));
        }
        await done;
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
          "send → receive p50 / p90 / p99": `${pct(sendToReceive, 50).toFixed(2)} ms / ${pct(sendToReceive, 90).toFixed(2)} ms / ${pct(sendToReceive, 99).toFixed(2)} ms over ${sendToReceive.length} messages`,
          "store event → onMessage p50 / p99": `${pct(pushOnly, 50).toFixed(2)} ms / ${pct(pushOnly, 99).toFixed(2)} ms`,
          "raw ws round trip p50": `${median(baselineMs).toFixed(3)} ms`,
          "machine load (1/5/15 min) at the end": loadavg()
            .map((l) => l.toFixed(2))
            .join(" / "),
          "listener heap growth": `${growthMb.toFixed(2)} MB after ${MEMORY_EVENTS.toLocaleString("en")} events (target < 10 MB, emulator in the same heap)`,
        },
      };
    } finally {
      await bob.stopRealtime();
      await emulator.close();
    }
  },
};
export default bench;
