import { startEmulator } from "@teams-api/emulator";
import { alternate, type Benchmark, signedInBench } from "./lib.js";

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
      const viaClient = async () => {
        for (let i = 0; i < SENDS; i++) await client.sendMessage(conversationId, `bench message ${n++}`);
      };
      const { baselineMs, subjectMs } = await alternate(runs, bare, viaClient);
      return {
        baseline: { name: `${SENDS}× bare fetch`, samplesMs: baselineMs },
        subject: { name: `${SENDS}× sendMessage`, samplesMs: subjectMs },
        target: 1.15,
        notes: { "messages sent": String(n) },
      };
    } finally {
      await emulator.close();
    }
  },
};
export default bench;
