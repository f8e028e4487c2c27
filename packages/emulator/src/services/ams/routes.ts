import {
  AMS_FILE_VIEWS,
  AMS_IMAGE_VIEWS,
  AMS_PATHS,
  AMS_ROUTE_PATTERNS,
  type AmsContentName,
  amsCreateProblem,
  type WireAmsCreateRequest,
  type WireAmsObject,
  type WireAmsViewStatus,
} from "@teams-api/protocol";
import type { EmulatorContext } from "../../context.js";
import {
  type Caller,
  type EmuRequest,
  type EmuResponse,
  HttpError,
  type Route,
  type RouteOptions,
  route,
  type ServiceTable,
} from "../../http/types.js";
import type { User } from "../../state/directory.js";
import type { StoredMediaObject } from "../../state/media.js";

/**
 * AMS, the Async Media Service (PROTOCOL.md §5), at `regionGtms.ams` / `amsV2` (`/ams` on the
 * emulator's origin): create an object with permissions for conversations, upload its bytes
 * (streamed to disk), serve its views and their status.
 *
 * Auth (§5.1): `Authorization: skype_token <skypetoken>` (legacy), the `skypetoken_asm` cookie, or
 * `Authorization: Bearer <ic3 token>` with `x-ms-migration: True` (v2; without it 400). No
 * credential → 401. Reading an object needs membership of a conversation it is shared with (or
 * being its creator): anyone else gets 403. Only the creator uploads.
 */

/** Views each object type serves. */
const VIEWS_BY_TYPE = (type: string): readonly string[] => (type === "pish/image" ? AMS_IMAGE_VIEWS : AMS_FILE_VIEWS);

export function amsRoutes(ctx: EmulatorContext): ServiceTable {
  /** May `user` read `object`? Its creator, or a member of a conversation it is shared with. */
  const mayRead = (user: User, object: StoredMediaObject): boolean => {
    if (object.owner === user.mri) return true;
    const chats = ctx.chat;
    for (const [conversationId, perms] of Object.entries(object.permissions)) {
      if (!perms.includes("read") || conversationId.startsWith("48:")) continue;
      const thread = chats.threads.get(conversationId.split(";")[0]!);
      if (thread?.members.has(user.mri)) return true;
    }
    return false;
  };

  const objectFor = (req: EmuRequest, user: User): StoredMediaObject => {
    const object = ctx.media.get(req.params.id!);
    if (!object) throw new HttpError(404, `Object ${req.params.id} was not found.`);
    if (!mayRead(user, object)) throw new HttpError(403, "The caller has no permission on this object.");
    return object;
  };

  /** The object and view a view request names, checking the view exists for the object's type. */
  const viewOf = (req: EmuRequest, user: User): { object: StoredMediaObject; name: string } => {
    const object = objectFor(req, user);
    const name = req.params.view!;
    if (!VIEWS_BY_TYPE(object.type).includes(name)) {
      throw new HttpError(404, `View '${name}' does not exist for a ${object.type} object.`);
    }
    return { object, name };
  };

  const base = (req: EmuRequest): string => req.mount.base;

  const create = (req: EmuRequest, { user }: Caller): EmuResponse => {
    const body = req.json<unknown>();
    const problem = amsCreateProblem(body);
    if (problem) throw new HttpError(400, problem);
    const b = body as WireAmsCreateRequest;
    const chats = ctx.chat;
    // A creator can share only with conversations they are in (and their own notes).
    for (const conversationId of Object.keys(b.permissions)) {
      if (conversationId === "48:notes") continue;
      const thread = chats.threads.get(conversationId.split(";")[0]!);
      if (!thread) throw new HttpError(404, `Conversation ${conversationId} was not found.`);
      if (!thread.members.has(user.mri)) {
        throw new HttpError(403, `The caller is not a member of conversation ${conversationId}.`);
      }
    }
    const object = ctx.media.create({
      type: b.type,
      filename: b.filename ?? "",
      sharingMode: b.sharingMode ?? "Inline",
      permissions: b.permissions,
      owner: user.mri,
    });
    return { status: 201, body: { id: object.id } };
  };

  const upload = async (req: EmuRequest, { user }: Caller): Promise<EmuResponse> => {
    const object = ctx.media.get(req.params.id!);
    if (!object) throw new HttpError(404, `Object ${req.params.id} was not found.`);
    if (object.owner !== user.mri) throw new HttpError(403, "Only the object's creator may upload its content.");
    const name = req.params.name as AmsContentName;
    if (name !== "imgpsh" && name !== "original") {
      throw new HttpError(404, `Content '${req.params.name}' is not emulated (imgpsh, original).`);
    }
    if (name === "imgpsh" && object.type !== "pish/image") {
      throw new HttpError(400, "Content 'imgpsh' is for pish/image objects; upload files to 'original'.");
    }
    const contentType = req.headers["content-type"] ?? "application/octet-stream";
    await ctx.media.write(object.id, name, contentType, req.raw);
    return { status: 201 };
  };

  const view = (req: EmuRequest, { user }: Caller): EmuResponse => {
    const { object, name } = viewOf(req, user);
    const stream = ctx.media.read(object.id);
    if (!stream || !object.content) throw new HttpError(404, `View '${name}' has no content yet.`);
    const disposition = `attachment; filename*=UTF-8''${encodeURIComponent(object.filename || object.id)}`;
    return {
      status: 200,
      headers: {
        "Content-Type": object.content.contentType,
        "Content-Length": String(object.content.length),
        "Content-Disposition": disposition,
      },
      body: stream,
    };
  };

  const status = (req: EmuRequest, { user }: Caller): EmuResponse => {
    const { object, name } = viewOf(req, user);
    const length = object.content?.length ?? 0;
    const ready = object.content !== undefined;
    const body: WireAmsViewStatus = {
      content_length: length,
      content_full_length: length,
      view_length: length,
      content_state: ready ? "ready" : "no content",
      view_state: ready ? "ready" : "no content",
      view_location: `${base(req)}${AMS_PATHS.view(object.id, name)}`,
      status_location: `${base(req)}${AMS_PATHS.viewStatus(object.id, name)}`,
      scan: { status: ready ? "passed" : "pending" },
      original_filename: object.filename,
    };
    return { status: 200, body };
  };

  const metadata = (req: EmuRequest, { user }: Caller): EmuResponse => {
    const object = objectFor(req, user);
    const body: WireAmsObject = {
      id: object.id,
      type: object.type,
      permissions: Object.fromEntries(Object.entries(object.permissions).map(([k, v]) => [k, [...v]])),
      filename: object.filename,
      sharingMode: object.sharingMode,
      ...(object.content ? { content_length: object.content.length } : {}),
    };
    return { status: 200, body };
  };

  const at = (
    method: string,
    tail: string,
    handler: (req: EmuRequest, caller: Caller) => EmuResponse | Promise<EmuResponse>,
    options?: RouteOptions,
  ): Route => route(method, new RegExp(`^${tail}$`), "ams", handler, options);
  return {
    service: "ams",
    routes: [
      at("POST", AMS_ROUTE_PATTERNS.objects, create),
      at("PUT", AMS_ROUTE_PATTERNS.content, upload, { streamBody: true }),
      at("GET", AMS_ROUTE_PATTERNS.viewStatus, status),
      at("GET", AMS_ROUTE_PATTERNS.view, view),
      at("GET", AMS_ROUTE_PATTERNS.object, metadata),
    ],
  };
}
