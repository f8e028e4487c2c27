import { Agent, request } from "node:http";
import { startEmulator } from "@teams-api/emulator";
import { alternate, type Benchmark, median, signedInBench, time } from "./lib.js";

const SENDS = 2000;

const bench: Benchmark = {
  name: "send",
  description: `${SENDS} sends through TeamsClient.sendMessage against the same POSTs through bare fetch (emulator on loopback)`,
  async run({ runs }) {
    const emulator = await startEmulator({ port: 0 });
    try {
      const { user: alice, client, skypeToken: token, messagesUrl } = await signedInBench(emulator);
      const conversationId = "48:notes";
      // The baseline speaks the wire protocol with a skypetoken minted for the same user: exactly the
      // request the library sends, minus everything the library adds around it.
      const url = messagesUrl(conversationId);
      let n = 0;
      const bare = async () => {
        for (let i = 0; i < SENDS; i++) {
          const res = await fetch(url, {
            method: "POST",
            headers: { Authentication: `skypetoken=${token}`, "Content-Type": "application/json" },
            body: JSON.stringify({
              content: `<p>bench message ${n++}</p>`,
              messagetype: "RichText/Html",
              contenttype: "text",
              clientmessageid: `${Date.now()}${n}`,
              imdisplayname: alice.displayName,
            }),
          });
          if (res.status !== 201) throw new Error(`bare send answered ${res.status}`);
          await res.json();
        }
      };
      // The leanest client possible: node:http on a kept-alive connection (the library's own fetch is
      // on node:http too, so this shows what it adds over the wire work itself).
      const agent = new Agent({ keepAlive: true });
      const postHttp = (body: string): Promise<void> =>
        new Promise((resolve, reject) => {
          const req = request(
            url,
            {
              method: "POST",
              agent,
              headers: { Authentication: `skypetoken=${token}`, "Content-Type": "application/json" },
            },
            (res) => {
              let text = "";
              res.setEncoding("utf8").on("data", (d: string) => {
                text += d;
              });
              res.on("end", () => {
                if (res.statusCode !== 201) return reject(new Error(`bare node:http send answered ${res.statusCode}`));
                JSON.parse(text);
                resolve();
              });
            },
          );
          req.on("error", reject);
          req.end(body);
        });
      const bareHttp = async () => {
        for (let i = 0; i < SENDS; i++) {
          await postHttp(
            JSON.stringify({
              content: `<p>bench message ${n++}</p>`,
              messagetype: "RichText/Html",
              contenttype: "text",
              clientmessageid: `${Date.now()}${n}`,
              imdisplayname: alice.displayName,
            }),
          );
        }
      };
      const viaClient = async () => {
        for (let i = 0; i < SENDS; i++) await client.sendMessage(conversationId, `bench message ${n++}`);
      };
      const { baselineMs, subjectMs } = await alternate(runs, bare, viaClient);
      await bareHttp();
      const httpMs: number[] = [];
      for (let i = 0; i < runs; i++) httpMs.push(await time(bareHttp));
      agent.destroy();
      return {
        baseline: { name: `${SENDS}× bare fetch`, samplesMs: baselineMs },
        subject: { name: `${SENDS}× sendMessage`, samplesMs: subjectMs },
        target: 1.15,
        notes: {
          "messages sent": String(n),
          "bare node:http instead of fetch": `${median(httpMs).toFixed(2)} ms (sendMessage is ${(median(subjectMs) / median(httpMs)).toFixed(3)}× that)`,
        },
      };
    } finally {
      await emulator.close();
    }
  },
};
export default bench;
