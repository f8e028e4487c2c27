/**
 * Files and images through AMS (PROTOCOL.md §5): `uploadFile` creates an object shared with the
 * conversation, streams the bytes to it (`content/imgpsh` for images, `content/original` for other
 * files), then sends the message that references it through the chat service's exactly-once send
 * path (AMSImage markup for images, the File.1 URIObject for files, `amsreferences` on both).
 * `downloadFile` streams an object's view into a new file under a safe name. Neither holds a whole
 * file in memory. Host: `regionGtms.amsV2` or `ams`; auth: `Authorization: skype_token <token>`.
 */
import { rm } from "node:fs/promises";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import {
  AMS_PATHS,
  amsContentFor,
  amsObjectIdFromUrl,
  buildAmsCreate,
  buildFileMessage,
  buildImageMessage,
  escapeHtml,
  imageMimeType,
  type WireAmsCreateResponse,
  type WireAmsObject,
} from "@teams-api/protocol";
import { InvalidArgumentError, ProtocolError } from "../../errors.js";
import type { RequestOptions, ServiceContext } from "../../http/types.js";
import type { Attachment, DownloadedFile, Message, SentMessage, UploadedFile } from "../../models.js";
import { requestOptions } from "../util.js";
import { checkUploadPath, createUniqueFile, safeFileName } from "./files.js";
import { counted, FileBody, type Progress, startingWith, Watchdog } from "./streams.js";

export type { Progress } from "./streams.js";

/** A message body the chat service sends for the media service (its exactly-once send path). */
export interface MediaMessage {
  content: string;
  messagetype: string;
  amsreferences: string[];
}

/** Sends a composed message through the chat service. */
export type MediaSender = (
  conversationId: string,
  message: MediaMessage,
  options: RequestOptions & { clientMessageId?: string },
) => Promise<SentMessage>;

/** What can be uploaded: a file path, a Node stream, a web stream or any async iterable of bytes. */
export type UploadSource = string | Readable | WebReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

export interface UploadOptions extends RequestOptions {
  /** Text sent with the file (plain text). */
  caption?: string;
  /** The name others see. @default the path's file name; required for streams */
  fileName?: string;
  /** Called as bytes go out (`total` is known for paths). */
  onProgress?: (progress: Progress) => void;
  /** Idempotency key of the message; reused on every retry. */
  clientMessageId?: string;
}

export interface DownloadOptions extends RequestOptions {
  /** Called as bytes arrive (`total` from Content-Length). */
  onProgress?: (progress: Progress) => void;
  /** Save under this name (made safe too) instead of the one the server or message gives. */
  fileName?: string;
}

export const MEDIA_DEFAULTS = {
  /** A transfer that moves no byte for this long is abandoned. */
  idleTimeoutMs: 60_000,
  /** Read size for uploads from a path. */
  chunkBytes: 256 * 1024,
} as const;

export class MediaService {
  readonly #ctx: ServiceContext;
  readonly #send: MediaSender;

  constructor(context: ServiceContext, deps: { send: MediaSender }) {
    this.#ctx = context;
    this.#send = deps.send;
  }

  async #base(options: RequestOptions): Promise<string> {
    const gtms = await this.#ctx.endpoints(options);
    const identity = await this.#ctx.identity(options);
    const base = identity.kind === "consumer" ? (gtms.ams ?? gtms.amsV2) : (gtms.amsV2 ?? gtms.ams);
    if (!base) throw new ProtocolError("The session's service map names no AMS host (regionGtms.ams).");
    return base.replace(/\/+$/, "").replace(/\/v1$/, "");
  }

  /**
   * Uploads a file to a conversation and sends the message that shows it. Images (png, jpeg, gif,
   * webp, bmp) go inline; anything else is a file message. Returns the message and the object id.
   */
  async uploadFile(conversationId: string, source: UploadSource, options: UploadOptions = {}): Promise<UploadedFile> {
    if (typeof conversationId !== "string" || conversationId.trim() === "") {
      throw new InvalidArgumentError("Name the conversation to upload to.");
    }
    let total: number | undefined;
    let fileName: string;
    // A path is read by FileBody; a caller's stream through `open`.
    let path: string | undefined;
    let open: () => Promise<AsyncIterable<Uint8Array>> = async () => ({ async *[Symbol.asyncIterator]() {} });
    let replayable: boolean;
    if (typeof source === "string") {
      const checked = await checkUploadPath(source);
      total = checked.size;
      fileName = options.fileName ?? checked.name;
      path = source;
      replayable = true;
    } else {
      if (!options.fileName?.trim()) throw new InvalidArgumentError("Uploading a stream needs options.fileName.");
      fileName = options.fileName;
      // Read the first chunk before creating anything: an empty stream is refused up front.
      const first = await startingWith(toIterable(source));
      if (!first) throw new InvalidArgumentError("The stream is empty; there is nothing to upload.");
      let used = false;
      open = async () => {
        if (used) throw new InvalidArgumentError("A stream can be uploaded once.");
        used = true;
        return first;
      };
      replayable = false;
    }
    if (fileName.trim() === "" || /[\u0000-\u001f]/.test(fileName)) {
      throw new InvalidArgumentError("The file name is empty or holds control characters.");
    }
    const mime = imageMimeType(fileName);
    const type = mime ? "pish/image" : "sharing/file";
    const { content } = amsContentFor(type);
    const base = await this.#base(options);
    const created = await this.#ctx.transport.request<WireAmsCreateResponse>({
      ...requestOptions(options),
      method: "POST",
      url: `${base}${AMS_PATHS.objects}/`,
      body: buildAmsCreate({ type, conversationId, filename: fileName }),
      auth: { kind: "skype_token" },
      // A repeated create leaves an unused object behind, nothing worse.
      idempotent: true,
    });
    const objectId = created.body?.id;
    if (typeof objectId !== "string" || !objectId) throw new ProtocolError("AMS created an object but sent no id.");

    let sent = 0;
    const watchdog = new Watchdog(MEDIA_DEFAULTS.idleTimeoutMs, options.signal);
    try {
      await this.#ctx.transport.request({
        ...requestOptions(options),
        method: "PUT",
        url: `${base}${AMS_PATHS.content(objectId, content)}`,
        headers: { "content-type": mime ?? "application/octet-stream" },
        // A fresh stream per attempt; a caller's stream cannot be replayed, so it gets one attempt.
        body: async () => {
          sent = 0;
          const onBytes = (n: number): void => {
            sent += n;
            watchdog.touch();
            options.onProgress?.({ bytes: sent, ...(total !== undefined ? { total } : {}) });
          };
          // A file reads into reused buffers (no allocation per chunk); a stream as it comes.
          if (path !== undefined) return new FileBody(path, total ?? 0, MEDIA_DEFAULTS.chunkBytes, onBytes);
          return counted(await open(), onBytes);
        },
        ...(replayable ? {} : { maxRetries: 0 }),
        signal: watchdog.signal,
        timeout: watchdog.unbounded,
        auth: { kind: "skype_token" },
        responseType: "none",
      });
    } finally {
      watchdog.stop();
    }
    const size = total ?? sent;
    const objectUrl = `${base}${AMS_PATHS.object(objectId)}`;
    const caption = options.caption?.trim() ? options.caption.trim() : undefined;
    const message = mime
      ? buildImageMessage({
          objectUrl,
          objectId,
          fileName,
          ...(caption ? { captionHtml: escapeHtml(caption).replace(/\r?\n/g, "<br>") } : {}),
        })
      : buildFileMessage({ objectUrl, objectId, fileName, size, ...(caption ? { caption } : {}) });
    const sentMessage = await this.#send(conversationId, message, {
      ...requestOptions(options),
      ...(options.clientMessageId ? { clientMessageId: options.clientMessageId } : {}),
    });
    return { message: sentMessage, objectId, fileName, size, kind: mime ? "image" : "file" };
  }

  /**
   * Downloads a file or image — by object id, or the first attachment of a message — into `dir`,
   * under a safe name that never replaces an existing file (`name (1).ext` instead).
   */
  async downloadFile(
    target: string | Message | Attachment,
    dir: string,
    options: DownloadOptions = {},
  ): Promise<DownloadedFile> {
    const attachment = attachmentOf(target);
    const base = attachment.url ? baseOfObjectUrl(attachment.url) : await this.#base(options);
    const objectId = attachment.objectId;
    const meta = await this.#ctx.transport.request<WireAmsObject>({
      ...requestOptions(options),
      method: "GET",
      url: `${base}${AMS_PATHS.object(objectId)}`,
      auth: { kind: "skype_token" },
    });
    const type = typeof meta.body?.type === "string" ? meta.body.type : attachment.kind === "image" ? "pish/image" : "";
    const { view } = amsContentFor(type);
    const watchdog = new Watchdog(MEDIA_DEFAULTS.idleTimeoutMs, options.signal);
    let path: string | undefined;
    try {
      const res = await this.#ctx.transport.request<ReadableStream<Uint8Array>>({
        ...requestOptions(options),
        method: "GET",
        url: `${base}${AMS_PATHS.view(objectId, view)}`,
        auth: { kind: "skype_token" },
        signal: watchdog.signal,
        responseType: "stream",
      });
      const suggestedName =
        options.fileName ??
        fileNameFromDisposition(res.headers.get("content-disposition")) ??
        (typeof meta.body?.filename === "string" && meta.body.filename ? meta.body.filename : undefined) ??
        (attachment.fileName || objectId);
      const lengthHeader = Number(res.headers.get("content-length"));
      const total = Number.isFinite(lengthHeader) && lengthHeader >= 0 ? lengthHeader : undefined;
      const file = await createUniqueFile(dir, safeFileName(suggestedName, objectId));
      path = file.path;
      let size = 0;
      const out = file.handle.createWriteStream();
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          size += chunk.byteLength;
          watchdog.touch();
          if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", r));
          options.onProgress?.({ bytes: size, ...(total !== undefined ? { total } : {}) });
        }
      } finally {
        await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
      }
      if (total !== undefined && size !== total) {
        throw new ProtocolError(`The download stopped after ${size} of ${total} bytes.`);
      }
      const saved = path;
      path = undefined;
      return { path: saved, objectId, size, suggestedName };
    } finally {
      watchdog.stop();
      // A download that failed half-way leaves nothing behind.
      if (path) await rm(path, { force: true });
    }
  }
}

function toIterable(source: Exclude<UploadSource, string>): AsyncIterable<Uint8Array> {
  if (source instanceof Readable) return source;
  if (Symbol.asyncIterator in source) return source as AsyncIterable<Uint8Array>;
  return Readable.fromWeb(source as WebReadableStream<Uint8Array>);
}

function attachmentOf(target: string | Message | Attachment): Attachment {
  if (typeof target === "string") {
    const id = target.trim();
    if (!id) throw new InvalidArgumentError("Name the file to download (an object id or a message).");
    const fromUrl = /^https?:\/\//i.test(id) ? amsObjectIdFromUrl(id) : undefined;
    if (/^https?:\/\//i.test(id) && !fromUrl) throw new InvalidArgumentError("That address is not an AMS object.");
    if (/[/\\\s]/.test(fromUrl ?? id)) throw new InvalidArgumentError(`"${id}" is not an object id.`);
    return { kind: "file", objectId: fromUrl ?? id, store: "ams", fileName: "", ...(fromUrl ? { url: id } : {}) };
  }
  const attachment = "attachments" in target ? target.attachments.find((a) => a.store === "ams") : target;
  if (!attachment) {
    throw new InvalidArgumentError(
      "attachments" in target && target.attachments.length
        ? "That message's file lives in OneDrive/SharePoint; open its link in a browser."
        : "That message carries no file or image.",
    );
  }
  if (attachment.store === "sharepoint") {
    throw new InvalidArgumentError("That file lives in OneDrive/SharePoint; open its link in a browser.");
  }
  return attachment;
}

/** `https://host/ams/v1/objects/<id>/views/x` → `https://host/ams`. */
function baseOfObjectUrl(url: string): string {
  const i = url.indexOf("/v1/objects/");
  return i < 0 ? url : url.slice(0, i);
}

/** The file name a Content-Disposition header suggests (`filename*=UTF-8''…` or `filename="…"`). */
function fileNameFromDisposition(header: string | null): string | undefined {
  if (!header) return undefined;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header)?.[1];
  if (star) {
    try {
      return decodeURIComponent(star.trim());
    } catch {
      // fall through to the plain form
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/.exec(header);
  const v = (plain?.[1] ?? plain?.[2])?.trim();
  return v || undefined;
}
