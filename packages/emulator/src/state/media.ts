/**
 * The AMS store (PROTOCOL.md §5): objects with their permissions, and their bytes on disk in a
 * private temporary directory — never in memory, so a 200 MB upload costs the emulator a file, not
 * 200 MB of heap. Uploads are written to a part file and renamed into place when complete, so a
 * reader never sees half an object and an aborted upload leaves nothing behind.
 */
import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type AmsContentName, amsObjectId } from "@teams-api/protocol";

export interface StoredMediaObject {
  readonly id: string;
  readonly type: string;
  readonly filename: string;
  readonly sharingMode: string;
  /** Conversation ids (or `48:notes`) whose members may read, with the permissions granted. */
  readonly permissions: Readonly<Record<string, readonly string[]>>;
  /** MRI of the creator: the only one who may upload its bytes. */
  readonly owner: string;
  readonly createdAt: number;
  /** Set once bytes have been uploaded. */
  content?: {
    readonly name: AmsContentName;
    readonly length: number;
    readonly contentType: string;
    readonly file: string;
  };
}

export interface MediaStoreOptions {
  now: () => number;
  /** Datacenter and shard in new ids (`0-<dc>-<shard>-…`). @default "weu", "d4" */
  dc?: string;
  shard?: string;
}

export class MediaStore {
  readonly #objects = new Map<string, StoredMediaObject>();
  readonly #dir: string;
  readonly #now: () => number;
  readonly #dc: string;
  readonly #shard: string;
  #uploads = 0;
  #disposed = false;

  constructor(options: MediaStoreOptions) {
    this.#now = options.now;
    this.#dc = options.dc ?? "weu";
    this.#shard = options.shard ?? "d4";
    this.#dir = mkdtempSync(join(tmpdir(), "teams-emulator-ams-"));
  }

  /** The directory holding the bytes (removed by dispose). */
  get directory(): string {
    return this.#dir;
  }

  create(init: {
    type: string;
    filename: string;
    sharingMode: string;
    permissions: Record<string, readonly string[]>;
    owner: string;
  }): StoredMediaObject {
    const id = amsObjectId(this.#dc, this.#shard, randomBytes(16).toString("hex"));
    const object: StoredMediaObject = { id, ...init, createdAt: this.#now() };
    this.#objects.set(id, object);
    return object;
  }

  get(id: string): StoredMediaObject | undefined {
    return this.#objects.get(id);
  }

  /**
   * Streams a request body into the object's content. Resolves with the byte count once the bytes
   * are on disk; an aborted or failed upload removes its part file and leaves the old content.
   */
  async write(id: string, name: AmsContentName, contentType: string, body: Readable): Promise<number> {
    const object = this.#objects.get(id);
    if (!object) throw new Error(`no AMS object ${id}`);
    const file = join(this.#dir, `${id}.${name}`);
    const part = `${file}.${++this.#uploads}.part`;
    let length = 0;
    body.on("data", (chunk: Buffer) => {
      length += chunk.length;
    });
    try {
      await pipeline(body, createWriteStream(part, { mode: 0o600 }));
      if (this.#disposed) throw new Error("the store was disposed");
      await rename(part, file);
    } catch (err) {
      await rm(part, { force: true });
      throw err;
    }
    object.content = { name, length, contentType, file };
    return length;
  }

  /** A stream of the object's bytes (undefined when none were uploaded). */
  read(id: string): Readable | undefined {
    const content = this.#objects.get(id)?.content;
    return content ? createReadStream(content.file) : undefined;
  }

  /** Removes every object and the directory. The store is unusable afterwards. */
  dispose(): void {
    this.#disposed = true;
    this.#objects.clear();
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
