/**
 * What every chat resource module shares: the service root, URL building from the protocol's path
 * templates, the transport with skypetoken auth, the signed-in user, the name resolver and the short
 * roster cache (PROTOCOL.md §2; docs/protocol.md §2).
 */
import { type ChatPathTemplate, chatPath, type PathParams } from "@teams-api/protocol";
import { ProtocolError } from "../../errors.js";
import type { ApiRequest, ApiResponse, RequestOptions, ServiceContext } from "../../http/types.js";
import type { NameResolver } from "../names.js";
import { requestOptions } from "../util.js";

export const CHAT_DEFAULTS = {
  /** Conversations returned by getConversations. */
  conversationsCount: 50,
  /** Messages returned by getMessages. */
  messagesCount: 50,
  conversationsPageSize: 100,
  /** The service's reported maximum. */
  messagesPageSize: 200,
  /** At most one typing indicator per conversation in this window (§2.10: typing lasts ~15–20 s). */
  typingIntervalMs: 15_000,
  /** How far back (server clock vs ours) a delivery check looks for a send's clientmessageid. */
  confirmSkewMs: 5 * 60_000,
  /** Pages a delivery check reads before concluding the message did not land. */
  confirmMaxPages: 25,
  /**
   * How far back a send with a caller-chosen clientmessageid (perhaps a retry after an unknown
   * outcome) looks for it before posting.
   */
  recheckWindowMs: 24 * 60 * 60_000,
  /** How long a thread roster is reused for titles. */
  rosterTtlMs: 60_000,
} as const;

export class ChatCore {
  readonly ctx: ServiceContext;
  readonly names: NameResolver;
  /** Thread rosters (MRIs) by conversation id, reused for titles for {@link CHAT_DEFAULTS.rosterTtlMs}. */
  readonly rosters = new Map<string, { at: number; members: string[] }>();

  constructor(ctx: ServiceContext, names: NameResolver) {
    this.ctx = ctx;
    this.names = names;
  }

  /** `<chatService>/v1`, from the session's regionGtms. */
  async v1(options: RequestOptions): Promise<string> {
    const gtms = await this.ctx.endpoints(options);
    return `${gtms.chatService.replace(/\/+$/, "")}/v1`;
  }

  /** The absolute URL of a chat-service path template. */
  async url<T extends ChatPathTemplate>(
    template: T,
    params: Record<PathParams<T>, string>,
    options: RequestOptions,
  ): Promise<string> {
    return (await this.v1(options)) + chatPath(template, params);
  }

  request<T>(req: Omit<ApiRequest, "auth">, options: RequestOptions): Promise<ApiResponse<T>> {
    return this.ctx.transport.request<T>({ ...requestOptions(options), ...req, auth: { kind: "skypetoken" } });
  }

  async self(options: RequestOptions): Promise<{ mri: string; displayName: string }> {
    const me = await this.ctx.identity(options);
    return { mri: me.mri, displayName: me.displayName };
  }

  /**
   * A paging link from the service, re-rooted on our own chat service base: a token is only ever
   * sent to the host regionGtms names, whatever host the link mentions.
   */
  followLink(link: string, v1: string): string {
    let url: URL;
    try {
      url = new URL(link, v1);
    } catch {
      throw new ProtocolError("The chat service sent a paging link that is not a URL.");
    }
    const idx = url.pathname.indexOf("/v1/");
    if (idx < 0) throw new ProtocolError("The chat service sent a paging link outside its API.");
    return `${v1}${url.pathname.slice(idx + 3)}${url.search}`;
  }
}
