import { AUDIENCES, type ChatPathTemplate, chatPathPattern } from "@teams-api/protocol";
import type { EmulatorContext } from "../../context.js";
import {
  type Caller,
  type EmuRequest,
  type EmuResponse,
  type Route,
  type RouteOptions,
  route,
  type ServiceTable,
} from "../../http/types.js";
import type { ChatState } from "../../state/chat.js";
import type { WireOptions } from "../../state/chat-wire.js";
import type { User } from "../../state/directory.js";
import { checkHomeRegion } from "./request.js";

/** What every chat handler gets: the authenticated caller and the service root links are built on. */
export interface ChatCall {
  readonly user: User;
  /** The chat service root the request came in on (`https://emea.ng.msg…`, `…/api/chatsvc/<region>`). */
  readonly base: string;
  readonly wire: WireOptions;
  readonly state: ChatState;
}

export type ChatHandler = (req: EmuRequest, call: ChatCall) => EmuResponse | Promise<EmuResponse>;

/**
 * One chat endpoint, below `/v1`: one of the protocol's path templates (the ones the client builds
 * its requests from); served on both the direct host and the AFD proxy path.
 */
export interface ChatEndpoint {
  readonly method: string;
  readonly path: ChatPathTemplate;
  readonly handler: ChatHandler;
  readonly options: RouteOptions;
}

/** A route of the chat service (path below `/v1`). */
export function chatRoute(
  _ctx: EmulatorContext,
  _state: ChatState,
  method: string,
  path: ChatPathTemplate,
  handler: ChatHandler,
  options: RouteOptions = {},
): ChatEndpoint {
  return { method, path, handler, options };
}

/**
 * The chat service's two route tables (PROTOCOL.md §2.1): direct — `/v1…` at the root of
 * `{region}.ng.msg.teams.microsoft.com` / `msgapi.teams.live.com`, skypetoken — and the AFD proxy —
 * `/{region}/v1…` under `/api/chatsvc` of teams.microsoft.com / teams.live.com, skypetoken or an
 * IC3 bearer token. A regional host or path answers only users homed in that region (§9.5).
 */
export function chatTables(
  ctx: EmulatorContext,
  state: ChatState,
  endpoints: readonly ChatEndpoint[],
): { direct: ServiceTable; afd: ServiceTable } {
  const call = (_req: EmuRequest, caller: Caller, base: string): ChatCall => ({
    user: caller.user,
    base,
    wire: { base, variants: ctx.variants },
    state,
  });
  const direct: Route[] = endpoints.map((e) =>
    route(
      e.method,
      new RegExp(`^/v1${chatPathPattern(e.path)}$`),
      "skypetoken",
      (req, caller) => {
        const region = req.mount.params.region;
        if (region) checkHomeRegion(ctx, caller.user, region);
        return e.handler(req, call(req, caller, req.mount.base));
      },
      e.options,
    ),
  );
  const afd: Route[] = endpoints.map((e) =>
    route(
      e.method,
      new RegExp(`^/(?<afdRegion>[A-Za-z0-9-]+)/v1${chatPathPattern(e.path)}$`),
      { skypetoken: true, bearer: [AUDIENCES.ic3] },
      (req, caller) => {
        const region = req.params.afdRegion!;
        checkHomeRegion(ctx, caller.user, region);
        return e.handler(req, call(req, caller, `${req.mount.base}/${region}`));
      },
      e.options,
    ),
  );
  return { direct: { service: "chat", routes: direct }, afd: { service: "chat", routes: afd } };
}
