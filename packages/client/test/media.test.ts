/**
 * Files and images between two demo users through the library against the emulator: Alice uploads
 * (AMS create with permissions, streamed bytes, then the message through the chat send path), Bob
 * sees the attachment in the message and downloads the same bytes; bad input; hostile names.
 */
import * as assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import type { Emulator } from "@teams-api/emulator";
import { InvalidArgumentError, PermissionDeniedError, type TeamsClient } from "../src/index.js";
import { toMessage } from "../src/services/map.js";
import { emulator } from "./auth-helpers.js";
import { CHAT, MRI, recordingFetch, signedIn } from "./chat-fixtures.js";

const sha = (b: Buffer): string => createHash("sha256").update(b).digest("hex");

describe("media: upload and download through AMS", { timeout: 120_000 }, () => {
  let emu: Emulator;
  let alice: TeamsClient;
  let bob: TeamsClient;
  let dana: TeamsClient;
  let dir: string;
  const rec = recordingFetch();

  before(async () => {
    emu = await emulator();
    alice = await signedIn(emu, "alice", { fetch: rec.fetch });
    bob = await signedIn(emu, "bob");
    dana = await signedIn(emu, "dana");
    dir = await mkdtemp(join(tmpdir(), "teams-media-test-"));
  });
  after(async () => {
    await emu.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("a file: Alice uploads with a caption, Bob sees 📎 and downloads the same bytes", async () => {
    const bytes = randomBytes(1_300_000);
    const path = join(dir, "report.pdf");
    await writeFile(path, bytes);
    const progress: number[] = [];
    const up = await alice.media.uploadFile(CHAT.projectFalcon, path, {
      caption: "Q3 numbers",
      onProgress: (p) => progress.push(p.bytes),
    });
    assert.equal(up.kind, "file");
    assert.equal(up.size, bytes.length);
    assert.equal(progress.at(-1), bytes.length);
    // Wire: create with permissions for the conversation, then content/original, then the message.
    const create = rec.matching("POST", /\/ams\/v1\/objects\/?$/).at(-1)!;
    assert.deepEqual(JSON.parse(create.body).permissions, { [CHAT.projectFalcon]: ["read"] });
    assert.equal(create.authScheme, "skype_token");
    assert.equal(rec.matching("PUT", /\/content\/original$/).length, 1);
    const send = rec.matching("POST", /\/messages$/).at(-1)!;
    const body = JSON.parse(send.body);
    assert.equal(body.messagetype, "RichText/Media_GenericFile");
    assert.deepEqual(body.amsreferences, [up.objectId]);

    const [seen] = await bob.getMessages(CHAT.projectFalcon, { count: 1 });
    assert.equal(seen?.id, up.message.id);
    assert.deepEqual(
      seen?.attachments.map((a) => [a.kind, a.objectId, a.fileName, a.size]),
      [["file", up.objectId, "report.pdf", bytes.length]],
    );
    const out = await mkdtemp(join(dir, "bob-"));
    const got = await bob.media.downloadFile(seen!, out);
    assert.equal(got.path, join(out, "report.pdf"));
    assert.equal(sha(await readFile(got.path)), sha(bytes));
    // Again: never overwrites, picks a new name.
    const again = await bob.media.downloadFile(up.objectId, out);
    assert.equal(again.path, join(out, "report (1).pdf"));
    assert.equal(sha(await readFile(join(out, "report.pdf"))), sha(bytes));
  });

  it("an image goes inline (AMSImage, content/imgpsh) and a stream uploads too", async () => {
    const png = randomBytes(20_000);
    const up = await alice.media.uploadFile(
      CHAT.projectFalcon,
      Readable.from([png.subarray(0, 5000), png.subarray(5000)]),
      {
        fileName: "whiteboard.png",
      },
    );
    assert.equal(up.kind, "image");
    assert.equal(up.size, png.length);
    assert.equal(rec.matching("PUT", /\/content\/imgpsh$/).length, 1);
    const [seen] = await bob.getMessages(CHAT.projectFalcon, { count: 1 });
    assert.equal(seen?.messageType, "RichText/Html");
    assert.equal(seen?.attachments[0]?.kind, "image");
    const got = await bob.media.downloadFile(seen!, dir);
    assert.equal(sha(await readFile(got.path)), sha(png));
  });

  it("bad input: a missing file, a folder, an empty file, an empty stream — nothing is created", async () => {
    const empty = join(dir, "empty.txt");
    await writeFile(empty, "");
    const before = rec.matching("POST", /\/ams\/v1\/objects\/?$/).length;
    await assert.rejects(alice.media.uploadFile(CHAT.projectFalcon, join(dir, "nope.pdf")), InvalidArgumentError);
    await assert.rejects(alice.media.uploadFile(CHAT.projectFalcon, dir), /is a folder/);
    await assert.rejects(alice.media.uploadFile(CHAT.projectFalcon, empty), /is empty/);
    await assert.rejects(
      alice.media.uploadFile(CHAT.projectFalcon, Readable.from([]), { fileName: "x.bin" }),
      /stream is empty/,
    );
    await assert.rejects(alice.media.uploadFile(CHAT.projectFalcon, Readable.from([Buffer.from("x")])), /fileName/);
    assert.equal(rec.matching("POST", /\/ams\/v1\/objects\/?$/).length, before);
  });

  it("permissions: Dana (not in the chat) is refused the download", async () => {
    const path = join(dir, "secret.txt");
    await writeFile(path, "top secret");
    const up = await alice.media.uploadFile(CHAT.projectFalcon, path);
    await assert.rejects(dana.media.downloadFile(up.objectId, dir), PermissionDeniedError);
    assert.deepEqual(
      (await readdir(dir)).filter((f) => f.startsWith("secret")),
      ["secret.txt"],
    );
  });

  it("a hostile server-supplied name is saved under a safe name inside the folder", async () => {
    const names = [
      "../../etc/passwd",
      "/etc/passwd",
      "C:\\Windows\\evil.txt",
      "bad\u001b[31mname\u0007.txt",
      "..",
      "a\u202eexe.txt",
    ];
    const out = await mkdtemp(join(dir, "hostile-"));
    const parent = await readdir(dir);
    for (const name of names) {
      // The server keeps (and sends back in Content-Disposition) whatever name the object got.
      const object = emu.context.media.create({
        type: "sharing/file",
        filename: name,
        sharingMode: "Inline",
        permissions: { [CHAT.projectFalcon]: ["read"] },
        owner: MRI.alice,
      });
      await emu.context.media.write(
        object.id,
        "original",
        "application/octet-stream",
        Readable.from([Buffer.from(name)]),
      );
      const up = { objectId: object.id };
      const got = await bob.media.downloadFile(up.objectId, out);
      assert.equal(got.suggestedName, name);
      assert.equal(join(out, got.path.slice(out.length + 1)), got.path);
      assert.ok(got.path.startsWith(`${out}/`), got.path);
      assert.doesNotMatch(got.path.slice(out.length + 1), /[/\\\u0000-\u001f\u202e]|^\.\.?$/);
      assert.equal(await readFile(got.path, "utf8"), name);
    }
    assert.deepEqual(await readdir(dir), parent, "nothing written outside the target folder");
    const saved = (await readdir(out)).sort();
    assert.equal(saved.length, names.length);
    assert.ok(saved.includes("passwd") && saved.includes("passwd (1)"), saved.join(", "));
  });

  it("a SharePoint file (properties.files) shows as an attachment but is not downloaded through AMS", async () => {
    const files = JSON.stringify([
      { id: "a1b2", fileName: "plan\u001b[2J.pdf", objectUrl: "https://contoso-my.sharepoint.com/x/plan.pdf" },
    ]);
    const m = toMessage({
      id: "1700000000000",
      messagetype: "RichText/Html",
      content: "<p></p>",
      from: MRI.bob,
      properties: { files },
    });
    assert.deepEqual(m.attachments, [
      {
        kind: "file",
        objectId: "a1b2",
        store: "sharepoint",
        fileName: "plan.pdf",
        url: "https://contoso-my.sharepoint.com/x/plan.pdf",
      },
    ]);
    await assert.rejects(bob.media.downloadFile(m, dir), /OneDrive\/SharePoint/);
  });

  it("downloading into a missing folder or from a message without files is a clear error", async () => {
    const [text] = await bob.getMessages(CHAT.aliceBob, { count: 1 });
    await assert.rejects(bob.media.downloadFile(text!, dir), /carries no file/);
    await mkdir(join(dir, "x"), { recursive: true });
    await assert.rejects(
      bob.media.downloadFile("0-weu-d4-00000000000000000000000000000000", join(dir, "missing")),
      /does not exist|not found/i,
    );
    await assert.rejects(bob.media.downloadFile("../etc", dir), /not an object id/);
  });
});
