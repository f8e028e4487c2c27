/** Byte streams for uploads and downloads: counting, peeking the first chunk, an idle watchdog. */
import { open } from "node:fs/promises";
import { TimeoutError } from "../../errors.js";
import { type ReusingBody, WRITE_REUSING } from "../../http/upload.js";

/** How far a transfer got. */
export interface Progress {
  /** Bytes moved so far. */
  readonly bytes: number;
  /** Bytes in all, when known. */
  readonly total?: number;
}

/** Passes the chunks of `source` through, reporting each one's size. */
export async function* counted(
  source: AsyncIterable<Uint8Array>,
  onBytes: (n: number) => void,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    onBytes(chunk.byteLength);
    yield chunk;
  }
}

/**
 * Reads the first non-empty chunk of `source`: undefined when the source is empty, else an
 * iterable that yields that chunk and then the rest.
 */
export async function startingWith(source: AsyncIterable<Uint8Array>): Promise<AsyncIterable<Uint8Array> | undefined> {
  const it = source[Symbol.asyncIterator]();
  let first: IteratorResult<Uint8Array>;
  do first = await it.next();
  while (!first.done && first.value.byteLength === 0);
  if (first.done) return undefined;
  const head = first.value;
  return {
    async *[Symbol.asyncIterator]() {
      yield head;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    },
  };
}

/**
 * Aborts a transfer that moves no byte for `idleMs` (a whole-transfer timeout would kill a large
 * file on a slow link). `signal` also follows the caller's signal.
 */
export class Watchdog {
  /** Per-attempt timeout to give the transport: none (the watchdog watches progress instead). */
  readonly unbounded = 2_147_483_647;
  readonly signal: AbortSignal;
  readonly #controller = new AbortController();
  readonly #idleMs: number;
  #last = Date.now();
  #timer: NodeJS.Timeout | undefined;

  constructor(idleMs: number, outer?: AbortSignal) {
    this.#idleMs = idleMs;
    this.signal = outer ? AbortSignal.any([outer, this.#controller.signal]) : this.#controller.signal;
    this.#arm(idleMs);
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(() => {
      const idle = Date.now() - this.#last;
      if (idle >= this.#idleMs) {
        this.#controller.abort(new TimeoutError(`No data moved for ${Math.round(this.#idleMs / 1000)} s.`));
      } else this.#arm(this.#idleMs - idle);
    }, ms);
    this.#timer.unref?.();
  }

  /** Data moved. */
  touch(): void {
    this.#last = Date.now();
  }

  stop(): void {
    clearTimeout(this.#timer);
  }
}

/**
 * A file as an upload body that reads into a few buffers it reuses (see http/upload.ts): the
 * library's upload fetch writes it without allocating per chunk. Any other consumer (an injected
 * `fetch`) iterates it and gets a fresh copy of each chunk.
 */
export class FileBody implements ReusingBody, AsyncIterable<Uint8Array> {
  constructor(
    readonly path: string,
    readonly size: number,
    private readonly chunkBytes: number,
    private readonly onBytes: (n: number) => void,
  ) {}

  /** Chunks read into `buffers` in turn; a chunk's buffer is read into again `buffers.length` chunks later. */
  async *#chunks(buffers: Buffer[]): AsyncGenerator<Uint8Array> {
    const file = await open(this.path, "r");
    try {
      for (let position = 0, i = 0; ; i++) {
        const buffer = buffers[i % buffers.length]!;
        // Never past the size announced (Content-Length), should the file grow meanwhile.
        const want = Math.min(buffer.length, this.size - position);
        if (want <= 0) return;
        const { bytesRead } = await file.read(buffer, 0, want, position);
        if (bytesRead === 0) return;
        position += bytesRead;
        this.onBytes(bytesRead);
        yield buffer.subarray(0, bytesRead);
      }
    } finally {
      await file.close();
    }
  }

  async [WRITE_REUSING](write: (chunk: Uint8Array) => Promise<void>): Promise<void> {
    // The writer has at most two chunks in flight: a third buffer is always free to read into.
    const buffers = Array.from({ length: 3 }, () => Buffer.allocUnsafeSlow(this.chunkBytes));
    let previous: Promise<void> | undefined;
    for await (const chunk of this.#chunks(buffers)) {
      const done = write(chunk);
      done.catch(() => {});
      if (previous) await previous;
      previous = done;
    }
    if (previous) await previous;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    for await (const chunk of this.#chunks([Buffer.allocUnsafeSlow(this.chunkBytes)])) yield Buffer.from(chunk);
  }
}
