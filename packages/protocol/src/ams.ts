/**
 * AMS — the Async Media Service (PROTOCOL.md §5): object ids, paths, request and answer shapes,
 * the `Authorization` forms it accepts, and the message markup that references its objects
 * (§5.5, §8.4). The client's media service and the emulator's AMS both use these; neither builds a
 * path or a piece of markup on its own.
 */
import { bearerFromAuthorization } from "./auth-headers.js";
import { escapeHtml } from "./content/escape.js";
import { childNamed, childText, readXml } from "./content/xml.js";

// ── Ids and paths ────────────────────────────────────────────────────────────────────────────────

/** `0-<dc>-<shard>-<32 hex>`, e.g. `0-weu-d4-6a1f…` (§5.2). */
export const AMS_OBJECT_ID = /^0-[a-z]{2,4}-[a-z]\d{1,2}-[0-9a-f]{32}$/;

export function isAmsObjectId(id: string): boolean {
  return AMS_OBJECT_ID.test(id);
}

/** A fresh object id in datacenter `dc` and shard `shard` from 16 random bytes (hex). */
export function amsObjectId(dc: string, shard: string, randomHex: string): string {
  return `0-${dc}-${shard}-${randomHex.toLowerCase()}`;
}

/** Object types a create names (§5.2). */
export type AmsObjectType = "pish/image" | "sharing/file" | `video/${string}`;

/** Where bytes go (§5.3): `imgpsh` for images, `original` for everything else. */
export type AmsContentName = "imgpsh" | "original";

/** Views (§5.4). Images: `imgo` (original), `imgpsh_fullsize`, thumbnails; files: `original`. */
export const AMS_IMAGE_VIEWS = [
  "imgo",
  "imgpsh_fullsize",
  "imgpsh_mobile_save_anim",
  "imgt1",
  "imgt1_anim",
  "thumbnail",
  "thumbnail_small",
] as const;
export const AMS_FILE_VIEWS = ["original", "thumbnail"] as const;
export type AmsView = (typeof AMS_IMAGE_VIEWS)[number] | (typeof AMS_FILE_VIEWS)[number];

/** The content slot and the download view of each object type. */
export function amsContentFor(type: string): { content: AmsContentName; view: AmsView } {
  return type === "pish/image" ? { content: "imgpsh", view: "imgo" } : { content: "original", view: "original" };
}

/** Paths under an AMS base (`regionGtms.ams`/`amsV2`, which end before `/v1`). */
export const AMS_PATHS = {
  objects: "/v1/objects",
  object: (id: string) => `/v1/objects/${encodeURIComponent(id)}`,
  content: (id: string, name: AmsContentName) => `/v1/objects/${encodeURIComponent(id)}/content/${name}`,
  view: (id: string, view: string) => `/v1/objects/${encodeURIComponent(id)}/views/${view}`,
  viewStatus: (id: string, view: string) => `/v1/objects/${encodeURIComponent(id)}/views/${view}/status`,
} as const;

/** The same paths as anchored patterns (after an optional mount prefix), for a router. */
export const AMS_ROUTE_PATTERNS = {
  objects: "/v1/objects/?",
  object: "/v1/objects/(?<id>[^/]+)",
  content: "/v1/objects/(?<id>[^/]+)/content/(?<name>[^/]+)",
  view: "/v1/objects/(?<id>[^/]+)/views/(?<view>[^/]+)",
  viewStatus: "/v1/objects/(?<id>[^/]+)/views/(?<view>[^/]+)/status",
} as const;

// ── Auth ─────────────────────────────────────────────────────────────────────────────────────────

/** Legacy AMS scheme: `Authorization: skype_token <skypetoken>` (underscore, space; §5.1). */
export function amsSkypeTokenAuthorization(skypeToken: string): string {
  return `skype_token ${skypeToken}`;
}

/** Headers AMS v2 wants beside an ic3 Bearer token (without them: 400). */
export const AMS_V2_BEARER_HEADERS = { "x-ms-migration": "True" } as const;

/** What an AMS request authenticates with: the legacy skype_token scheme, a Bearer token, the cookie, or nothing. */
export type AmsCredential =
  | { kind: "skype_token"; token: string }
  | { kind: "bearer"; token: string }
  | { kind: "cookie"; token: string }
  | { kind: "none" };

/** Reads the credential of an AMS request from its `Authorization` and `Cookie` headers. */
export function parseAmsCredential(authorization: string | undefined, cookie: string | undefined): AmsCredential {
  const auth = authorization?.trim() ?? "";
  const skype = /^skype_token\s+(\S+)$/i.exec(auth);
  if (skype) return { kind: "skype_token", token: skype[1]! };
  const bearer = bearerFromAuthorization(auth);
  if (bearer) return { kind: "bearer", token: bearer };
  const c = /(?:^|;\s*)skypetoken_asm=([^;\s]+)/.exec(cookie ?? "");
  if (c) return { kind: "cookie", token: c[1]! };
  return { kind: "none" };
}

// ── Wire shapes ──────────────────────────────────────────────────────────────────────────────────

/** `POST /v1/objects` body (§5.2). Permission keys are conversation ids. */
export interface WireAmsCreateRequest {
  type: string;
  permissions: Record<string, string[]>;
  filename?: string;
  sharingMode?: string;
}

/** `POST /v1/objects` 201 answer. */
export interface WireAmsCreateResponse {
  id: string;
}

/** `GET /v1/objects/{id}/views/{view}/status` (§5.4). */
export interface WireAmsViewStatus {
  content_length: number;
  content_full_length: number;
  view_length: number;
  content_state: "ready" | "no content" | string;
  view_state: "ready" | "no content" | string;
  view_location: string;
  status_location: string;
  scan: { status: string };
  original_filename: string;
}

/** `GET /v1/objects/{id}`: the object's metadata. */
export interface WireAmsObject {
  id: string;
  type: string;
  permissions: Record<string, string[]>;
  filename?: string;
  sharingMode?: string;
  content_length?: number;
}

/** The create body for one conversation (read permission for its members). */
export function buildAmsCreate(args: {
  type: AmsObjectType;
  conversationId: string;
  filename: string;
}): WireAmsCreateRequest {
  return {
    type: args.type,
    permissions: { [args.conversationId]: ["read"] },
    filename: args.filename,
    sharingMode: "Inline",
  };
}

/** Checks a create body; returns a sentence saying what is wrong, or undefined. */
export function amsCreateProblem(body: unknown): string | undefined {
  if (!body || typeof body !== "object" || Array.isArray(body)) return "The body must be a JSON object.";
  const b = body as Record<string, unknown>;
  if (typeof b.type !== "string" || !b.type) return "Field 'type' is required.";
  if (!b.permissions || typeof b.permissions !== "object" || Array.isArray(b.permissions)) {
    return "Field 'permissions' must be an object of conversation ids to permission lists.";
  }
  for (const v of Object.values(b.permissions)) {
    if (!Array.isArray(v) || v.some((p) => typeof p !== "string")) return "Each permission must be a list of strings.";
  }
  if (b.filename !== undefined && typeof b.filename !== "string") return "Field 'filename' must be a string.";
  return undefined;
}

/** Image types AMS stores as `pish/image` (everything else is a `sharing/file`). */
const IMAGE_EXTENSIONS: Readonly<Record<string, string>> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  bmp: "image/bmp",
};

/** The MIME type of an image file name, or undefined when it is not an image AMS renders inline. */
export function imageMimeType(fileName: string): string | undefined {
  const ext = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase();
  return ext ? IMAGE_EXTENSIONS[ext] : undefined;
}

// ── Message markup (§5.5, §8.4) ──────────────────────────────────────────────────────────────────

export const AMS_IMAGE_TYPE = "http://schema.skype.com/AMSImage";
export const MEDIA_FILE_MESSAGETYPE = "RichText/Media_GenericFile";
export const PICTURE_MESSAGETYPE = "RichText/UriObject";

/** One AMS object a message references, as read from its markup. */
export interface MediaReference {
  readonly kind: "image" | "file";
  readonly objectId: string;
  /** The object URL (`…/v1/objects/<id>`), when the markup says it. */
  readonly url?: string;
  /** As the sender named it; untrusted. */
  readonly fileName?: string;
  readonly size?: number;
  readonly width?: number;
  readonly height?: number;
}

/**
 * A modern inline image message (§5.5): `RichText/Html` whose `<img itemtype=AMSImage>` points at the
 * `imgo` view, then the caption (already HTML) in its own paragraph.
 */
export function buildImageMessage(args: {
  objectUrl: string;
  objectId: string;
  fileName: string;
  width?: number;
  height?: number;
  captionHtml?: string;
}): { messagetype: "RichText/Html"; content: string; amsreferences: string[] } {
  const src = escapeHtml(`${args.objectUrl}/views/imgo`);
  const size =
    (args.width ? ` width="${Math.round(args.width)}"` : "") +
    (args.height ? ` height="${Math.round(args.height)}"` : "");
  const img = `<img itemtype="${AMS_IMAGE_TYPE}" src="${src}"${size} id="${escapeHtml(args.objectId)}" itemscope="" href="${src}" alt="${escapeHtml(args.fileName)}">`;
  const caption = args.captionHtml ? `<p>${args.captionHtml}</p>` : "";
  return { messagetype: "RichText/Html", content: `<p>${img}</p>${caption}`, amsreferences: [args.objectId] };
}

/**
 * A file message (§5.5 legacy file): `RichText/Media_GenericFile` with a `File.1` URIObject naming
 * the object, its original name and size. The caption, when there is one, is the Description.
 */
export function buildFileMessage(args: {
  objectUrl: string;
  objectId: string;
  fileName: string;
  size: number;
  caption?: string;
  /** Where a person opens the file (legacy: the Skype web client link). */
  openUrl?: string;
}): { messagetype: typeof MEDIA_FILE_MESSAGETYPE; content: string; amsreferences: string[] } {
  const name = escapeHtml(args.fileName);
  const open = escapeHtml(
    args.openUrl ?? `https://login.skype.com/login/sso?go=webclient.xmm&docid=${encodeURIComponent(args.objectId)}`,
  );
  const description = escapeHtml(args.caption ?? args.fileName);
  const content =
    `<URIObject type="File.1" uri="${escapeHtml(args.objectUrl)}" url_thumbnail="${escapeHtml(`${args.objectUrl}/views/thumbnail`)}">` +
    `<Title>Title: ${name}</Title><Description> Description: ${description}</Description>` +
    `<a href="${open}">${open}</a><OriginalName v="${name}"></OriginalName>` +
    `<FileSize v="${Math.max(0, Math.floor(args.size))}"></FileSize></URIObject>`;
  return { messagetype: MEDIA_FILE_MESSAGETYPE, content, amsreferences: [args.objectId] };
}

/** The object id at the end of an AMS object URL (`…/v1/objects/<id>[/views/…]`). */
export function amsObjectIdFromUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const m = /\/v1\/objects\/([^/?#]+)/.exec(url);
  if (!m) return undefined;
  let id = m[1]!;
  try {
    id = decodeURIComponent(id);
  } catch {
    // keep as is
  }
  return id;
}

const toInt = (v: string | undefined): number | undefined => {
  if (v === undefined || !/^\d{1,15}$/.test(v.trim())) return undefined;
  return Number(v.trim());
};

/**
 * Every AMS object a message references: AMSImage `<img>`s, `URIObject`s (pictures and files), and
 * ids in `amsreferences` that the markup does not show. Never throws; unknown markup gives [].
 */
export function parseMediaReferences(content: string, amsreferences?: readonly unknown[]): MediaReference[] {
  const out: MediaReference[] = [];
  const seen = new Set<string>();
  const push = (r: MediaReference): void => {
    if (seen.has(r.objectId)) return;
    seen.add(r.objectId);
    out.push(r);
  };
  if (typeof content === "string" && /<(?:img|uriobject)\b/i.test(content)) {
    const els = readXml(content);
    els.forEach((e, i) => {
      if (e.name === "img" && (e.attrs.itemtype ?? "").toLowerCase() === AMS_IMAGE_TYPE.toLowerCase()) {
        const objectId = e.attrs.id || amsObjectIdFromUrl(e.attrs.src);
        if (!objectId) return;
        const url = e.attrs.src?.replace(/\/views\/[^/?#]+.*$/, "");
        const width = toInt(e.attrs.width);
        const height = toInt(e.attrs.height);
        push({
          kind: "image",
          objectId,
          ...(url ? { url } : {}),
          ...(e.attrs.alt ? { fileName: e.attrs.alt } : {}),
          ...(width !== undefined ? { width } : {}),
          ...(height !== undefined ? { height } : {}),
        });
      } else if (e.name === "uriobject") {
        const url = e.attrs.uri;
        const objectId = amsObjectIdFromUrl(url);
        if (!objectId) return;
        const type = (e.attrs.type ?? "").toLowerCase();
        const original = childNamed(els, i, "originalname")?.attrs.v;
        const title = childText(els, i, "title")?.replace(/^title:\s*/i, "");
        const size = toInt(childNamed(els, i, "filesize")?.attrs.v);
        const fileName = original || title || undefined;
        push({
          kind: type.startsWith("picture") ? "image" : "file",
          objectId,
          ...(url ? { url } : {}),
          ...(fileName ? { fileName } : {}),
          ...(size !== undefined ? { size } : {}),
        });
      }
    });
  }
  for (const ref of amsreferences ?? []) {
    if (typeof ref === "string" && ref && !seen.has(ref)) push({ kind: "file", objectId: ref });
  }
  return out;
}

/** A file a modern enterprise message shares from OneDrive/SharePoint (`properties.files`, §5.5). */
export interface SharedFileReference {
  /** listItemUniqueId (`id` / `itemid`). */
  readonly id: string;
  readonly fileName: string;
  /** Where a person opens it (`objectUrl`, else `fileInfo.shareUrl` / `fileUrl`). */
  readonly url?: string;
}

/** The files of `properties.files` (a JSON string or the array itself); malformed entries are skipped. */
export function parseSharedFiles(files: unknown): SharedFileReference[] {
  let list: unknown = files;
  if (typeof files === "string") {
    try {
      list = JSON.parse(files);
    } catch {
      return [];
    }
  }
  if (!Array.isArray(list)) return [];
  const out: SharedFileReference[] = [];
  for (const f of list.slice(0, 100)) {
    if (!f || typeof f !== "object") continue;
    const r = f as Record<string, unknown>;
    const info = (r.fileInfo && typeof r.fileInfo === "object" ? r.fileInfo : {}) as Record<string, unknown>;
    const str = (v: unknown): string | undefined => (typeof v === "string" && v ? v : undefined);
    const fileName = str(r.fileName) ?? str(r.title);
    const id = str(r.id) ?? str(r.itemid) ?? str(info.itemId);
    if (!fileName || !id) continue;
    const url = str(r.objectUrl) ?? str(info.shareUrl) ?? str(info.fileUrl);
    out.push({ id, fileName, ...(url ? { url } : {}) });
  }
  return out;
}

/** The caption a file message carries in its Description (when it is not just the file name). */
export function fileMessageCaption(content: string): string | undefined {
  if (!/<uriobject\b/i.test(content)) return undefined;
  const els = readXml(content);
  const i = els.findIndex((e) => e.name === "uriobject");
  if (i < 0) return undefined;
  const description = childText(els, i, "description")?.replace(/^description:\s*/i, "");
  const name = childNamed(els, i, "originalname")?.attrs.v;
  return description && description !== name ? description : undefined;
}
