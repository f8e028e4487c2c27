import { PassThrough, Writable } from "node:stream";
import { startEmulator } from "@teams-api/emulator";
import { DEFAULT_MESSAGES_VIEW } from "@teams-api/protocol";
import { App } from "../packages/cli/src/app.js";
import { ChatView, PAGE_SIZE } from "../packages/cli/src/interactive/chat/view.js";
import { Term } from "../packages/cli/src/interactive/term.js";
import { Ui } from "../packages/cli/src/interactive/ui.js";
import { colors } from "../packages/cli/src/render/colors.js";
import { alternate, type Benchmark, signedInBench } from "./lib.js";

const MESSAGES = 5000;

/** A 120×40 terminal that keeps what was drawn. */
class Screen extends Writable {
  isTTY = true;
  columns = 120;
  rows = 40;
  drawn = "";
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.drawn += chunk.toString();
    cb();
  }
}

const bench: Benchmark = {
  name: "app-open-chat",
  description: `opening a chat of ${MESSAGES} messages in the app until its last screen is drawn, against a bare fetch of the same page`,
  async run({ runs }) {
    const emulator = await startEmulator({ port: 0 });
    try {
      const { user: alice, client, skypeToken: token, messagesUrl } = await signedInBench(emulator);
      const bob = emulator.users.find((u) => u.login === "bob@contoso.com")!;
      const me = await client.whoami();
      const chat = await client.chat.createChat([bob.mri], { topic: "Five thousand" });
      const base = messagesUrl(chat.id);
      const headers = { Authentication: `skypetoken=${token}`, "Content-Type": "application/json" };
      for (let i = 0; i < MESSAGES; i += 10) {
        await Promise.all(
          Array.from({ length: 10 }, async (_, k) => {
            const res = await fetch(base, {
              method: "POST",
              headers,
              body: JSON.stringify({
                content: `<p>message <b>${i + k}</b> of the history</p>`,
                messagetype: "RichText/Html",
                contenttype: "text",
                clientmessageid: `${i + k + 1}`,
                imdisplayname: alice.displayName,
              }),
            });
            if (res.status !== 201) throw new Error(`seeding answered ${res.status}`);
            await res.arrayBuffer();
          }),
        );
      }
      const pageUrl = `${base}?view=${encodeURIComponent(DEFAULT_MESSAGES_VIEW)}&pageSize=${PAGE_SIZE}&startTime=1`;
      const bare = async () => {
        const res = await fetch(pageUrl, { headers });
        const body = (await res.json()) as { messages: unknown[] };
        if (body.messages.length !== PAGE_SIZE) throw new Error(`bare page had ${body.messages.length}`);
      };
      const app = new App({ cloud: "emulator" }, { client });
      const last = `message ${MESSAGES - 1} of the history`;
      const open = async () => {
        const screen = new Screen();
        const ui = new Ui(
          new Term({
            stdin: new PassThrough() as unknown as NodeJS.ReadStream,
            stdout: screen as unknown as NodeJS.WriteStream,
          }),
          colors(true),
        );
        ui.start();
        const view = new ChatView(
          { app, ui, client, me, push: { ready: Promise.resolve(undefined), failed: "not used here" } },
          { id: chat.id, title: "Five thousand" },
          ["Chat"],
          () => {},
        );
        ui.show(view);
        await view.open();
        ui.renderNow();
        view.close();
        ui.stop();
        if (!screen.drawn.includes(last)) throw new Error("the last message was not drawn");
      };
      const { baselineMs, subjectMs } = await alternate(runs, bare, open);
      return {
        baseline: { name: `bare fetch of the newest ${PAGE_SIZE}`, samplesMs: baselineMs },
        subject: { name: "open the chat, last screen drawn", samplesMs: subjectMs },
        notes: { history: `${MESSAGES} messages` },
      };
    } finally {
      await emulator.close();
    }
  },
};
export default bench;
