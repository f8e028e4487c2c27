/**
 * Wiring of the realtime listener into a client: `start`, `stop` and the async iterator. Kept here
 * so TeamsClient only forwards.
 */
import { AUDIENCES, CONSUMER_SPACES_SCOPE } from "@teams-api/protocol";
import type { CloudName, Roots } from "../auth/profiles.js";
import type { Env, FetchLike } from "../http/fetch.js";
import type { Identity, Logger } from "../http/types.js";
import type { ChatService } from "../services/chat/index.js";
import { RealtimeListener } from "./listener.js";
import { pushRoots } from "./session.js";
import type { RealtimeEvent, RealtimeOptions } from "./types.js";

export interface RealtimeHost {
  cloud: CloudName;
  env: Env;
  fetch: FetchLike;
  logger: Logger | undefined;
  now: () => number;
  chat: ChatService;
  identity(): Promise<Identity>;
  roots(kind: Identity["kind"]): Roots;
  endpointId(): Promise<string>;
  skypeToken(): Promise<string>;
  accessToken(audience: string): Promise<string>;
}

/** Builds a listener for the signed-in account (not started). */
export async function createListener(host: RealtimeHost, options: RealtimeOptions): Promise<RealtimeListener> {
  const identity = await host.identity();
  const kind = identity.kind;
  return new RealtimeListener(
    {
      session: {
        fetch: host.fetch,
        env: host.env,
        logger: host.logger,
        roots: options.roots ?? pushRoots(host.cloud, kind, host.roots(kind).baseUrl),
        kind,
        epid: await host.endpointId(),
        skypeToken: () => host.skypeToken(),
        bearer: () => host.accessToken(kind === "consumer" ? CONSUMER_SPACES_SCOPE : AUDIENCES.spaces),
        flow: options.flow ?? "v4a",
        ic3Bearer: () => host.accessToken(kind === "consumer" ? CONSUMER_SPACES_SCOPE : AUDIENCES.ic3),
      },
      chat: host.chat,
      sentIds: host.chat.writer.sentIds,
      logger: host.logger,
      now: host.now,
    },
    options,
  );
}

/**
 * An async iterator over a listener's events: it ends when the listener stops. Events queue while
 * the consumer is busy.
 */
export function eventIterator(listener: RealtimeListener): AsyncIterableIterator<RealtimeEvent> {
  const queue: RealtimeEvent[] = [];
  let wake: (() => void) | undefined;
  let done = false;
  const unsubscribe = listener.subscribe((e) => {
    queue.push(e);
    if (e.type === "state" && e.state === "closed") done = true;
    wake?.();
  });
  const finish = (): IteratorResult<RealtimeEvent> => {
    done = true;
    unsubscribe();
    queue.length = 0;
    return { done: true, value: undefined };
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next(): Promise<IteratorResult<RealtimeEvent>> {
      for (;;) {
        const e = queue.shift();
        if (e) return { done: false, value: e };
        if (done) return finish();
        await new Promise<void>((r) => {
          wake = r;
        });
        wake = undefined;
      }
    },
    async return(): Promise<IteratorResult<RealtimeEvent>> {
      return finish();
    },
  };
}

export { DEFAULT_REALTIME_TIMINGS, RealtimeListener } from "./listener.js";
export type * from "./types.js";
