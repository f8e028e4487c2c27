import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { DEMO_CHAT_IDS, startEmulator } from "@teams-api/emulator";
import { AMS_PATHS, amsSkypeTokenAuthorization } from "@teams-api/protocol";
import { alternate, type Benchmark, median, signedInBench } from "./lib.js";

const SIZE = 100 * 1024 * 1024;

const bench: Benchmark = {
  name: "files",
  description:
    "upload then download of a 100 MB file through client.media against bare fetch PUT/GET of the same bytes (emulator on loopback)",
  async run({ runs }) {
    const emulator = await startEmulator({ port: 0 });
    const dir = await mkdtemp(join(tmpdir(), "teams-bench-files-"));
    try {
      const { client, skypeToken: token } = await signedInBench(emulator);
      const source = join(dir, "payload.bin");
      const chunk = Buffer.alloc(1024 * 1024);
      const out = createWriteStream(source);
      for (let i = 0; i < SIZE / chunk.length; i++) {
        chunk.fill(i % 251);
        if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", () => r()));
      }
      await new Promise<void>((r) => out.end(() => r()));

      // The baseline speaks AMS directly with a skypetoken minted for the same user: create the
      // object, PUT the file's bytes (streamed), GET the view into a file — what the library does,
      // minus everything it adds (checks, progress, the message, safe names, the watchdog).
      const auth = amsSkypeTokenAuthorization(token);
      const base = emulator.context.regionGtms("enterprise").ams!;
      const chat = DEMO_CHAT_IDS.projectFalcon;
      const timings = {
        bareUp: [] as number[],
        bareDown: [] as number[],
        upload: [] as number[],
        download: [] as number[],
      };
      let n = 0;

      const bare = async () => {
        const t0 = performance.now();
        const created = await fetch(`${base}${AMS_PATHS.objects}/`, {
          method: "POST",
          headers: { Authorization: auth, "Content-Type": "application/json" },
          body: JSON.stringify({ type: "sharing/file", permissions: { [chat]: ["read"] }, filename: "payload.bin" }),
        });
        const { id } = (await created.json()) as { id: string };
        const put = await fetch(`${base}${AMS_PATHS.content(id, "original")}`, {
          method: "PUT",
          headers: { Authorization: auth, "Content-Type": "application/octet-stream" },
          body: createReadStream(source),
          duplex: "half",
        } as RequestInit);
        if (put.status !== 201) throw new Error(`bare PUT answered ${put.status}`);
        const t1 = performance.now();
        const got = await fetch(`${base}${AMS_PATHS.view(id, "original")}`, { headers: { Authorization: auth } });
        if (got.status !== 200 || !got.body) throw new Error(`bare GET answered ${got.status}`);
        const file = join(dir, `bare-${n++}.bin`);
        await pipeline(Readable.fromWeb(got.body as never), createWriteStream(file));
        timings.bareUp.push(t1 - t0);
        timings.bareDown.push(performance.now() - t1);
        await rm(file);
      };
      const viaClient = async () => {
        const t0 = performance.now();
        const up = await client.media.uploadFile(chat, source);
        const t1 = performance.now();
        const got = await client.media.downloadFile(up.objectId, dir);
        timings.upload.push(t1 - t0);
        timings.download.push(performance.now() - t1);
        await rm(got.path);
      };
      const { baselineMs, subjectMs } = await alternate(runs, bare, viaClient);
      // Per direction, without the warm-up pair.
      const up = median(timings.upload.slice(1)) / median(timings.bareUp.slice(1));
      const down = median(timings.download.slice(1)) / median(timings.bareDown.slice(1));
      const mbps = (ms: number[]) => `${(SIZE / 1048576 / (median(ms.slice(1)) / 1000)).toFixed(0)} MB/s`;
      return {
        baseline: { name: "bare fetch PUT+GET", samplesMs: baselineMs },
        subject: { name: "uploadFile+downloadFile", samplesMs: subjectMs },
        // Throughput at least 0.8 of bare fetch: time at most 1 / 0.8.
        target: 1.25,
        notes: {
          "upload ratio": `${up.toFixed(3)}× (${mbps(timings.upload)} vs ${mbps(timings.bareUp)} bare)`,
          "download ratio": `${down.toFixed(3)}× (${mbps(timings.download)} vs ${mbps(timings.bareDown)} bare)`,
        },
      };
    } finally {
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
export default bench;
