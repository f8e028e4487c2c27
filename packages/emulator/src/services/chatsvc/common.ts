import { type ChatPathTemplate, chatPathPattern } from "@teams-api/protocol";
import type { EmulatorContext } from "../../context.js";
import type { EmuRequest, EmuResponse, Route } from "../../http/types.js";
import type { ChatState } from "../../state/chat.js";
import type { WireOptions } from "../../state/chat-wire.js";
import type { User } from "../../state/directory.js";
import { authenticate, checkHomeRegion } from "./request.js";

/** What every chat handler gets: the authenticated caller and the service root links are built on. */
export interface ChatCall {
  readonly user: User;
  /** The chat service root the request came in on (`origin`, or `origin/api/chatsvc/<region>`). */
  readonly base: string;
  readonly wire: WireOptions;
  readonly state: ChatState;
}

export type ChatHandler = (req: EmuRequest, call: ChatCall) => EmuResponse | Promise<EmuResponse>;

/**
 * A route of the chat service: one of the protocol's path templates (the ones the client builds its
 * requests from), under `/v1` at the root or under the AFD proxy path.
 */
export function chatRoute(
  ctx: EmulatorContext,
  state: ChatState,
  method: string,
  path: ChatPathTemplate,
  handler: ChatHandler,
): Route {
  return {
    method,
    pattern: new RegExp(`^(?<afd>/api/chatsvc/[A-Za-z0-9-]+)?/v1${chatPathPattern(path)}$`),
    service: "chat",
    handler: (req) => {
      const afd = req.params.afd ?? "";
      const user = authenticate(ctx, req, afd !== "");
      if (afd) checkHomeRegion(ctx, user, afd.slice(afd.lastIndexOf("/") + 1));
      const base = ctx.origin + afd;
      return handler(req, { user, base, wire: { base, variants: ctx.variants }, state });
    },
  };
}
