/**
 * Exactly-once delivery of one message POST (GUIDE §2, PROTOCOL.md §2.8, §9.3). The body carries a
 * `clientmessageid` reused on every attempt; the request carries `confirmDelivered`, and the
 * transport — the one place that decides "was it delivered?" — asks it after every ambiguous
 * failure (5xx, reset, timeout), the final one included, and hands back what it found. This module
 * only reads the outcome: the server's answer, or the echoed message.
 */
import { CHAT_PATHS, isJsonObject, type WireSendMessageRequest } from "@teams-api/protocol";
import { AbortError, DeliveryUnknownError, NotFoundError, ProtocolError } from "../../errors.js";
import type { ApiResponse, RequestOptions } from "../../http/types.js";
import type { Message, SentMessage } from "../../models.js";
import { msFrom, toMessage } from "../map.js";
import { CHAT_DEFAULTS, type ChatCore } from "./core.js";

/** Where a delivery check reads the conversation's recent raw messages, page by page. */
export type RecentPages = (
  conversationId: string,
  options: RequestOptions & { startTime: number; pageSize: number },
) => AsyncIterable<unknown[]>;

/** A message body with its idempotency key. */
export type SendBody = WireSendMessageRequest & { clientmessageid: string };

/**
 * POSTs a message once (as far as anyone can tell) and returns its server id. Three outcomes: the
 * id (delivered), an error (not delivered), or DeliveryUnknownError carrying the clientmessageid
 * (the POST left and no check could tell). With `recheck` — the caller chose the clientmessageid,
 * perhaps after an unknown outcome — the conversation is searched first, and nothing is posted when
 * the message is already there.
 */
export async function deliver(
  core: ChatCore,
  recent: RecentPages,
  conversationId: string,
  body: SendBody,
  options: RequestOptions & { recheck?: boolean },
): Promise<SentMessage> {
  const clientMessageId = body.clientmessageid;
  const now = core.ctx.now();
  if (options.recheck) {
    let earlier: Message | undefined;
    try {
      earlier = await findSent(recent, conversationId, clientMessageId, now - CHAT_DEFAULTS.recheckWindowMs, options);
    } catch (err) {
      if (err instanceof AbortError || options.signal?.aborted) throw err;
      throw unknown(clientMessageId, err);
    }
    if (earlier) return { id: earlier.id, clientMessageId, conversationId, arrivalTime: earlier.arrivedAt };
  }
  const since = now - CHAT_DEFAULTS.confirmSkewMs;
  let res: ApiResponse<unknown>;
  try {
    res = await core.request<unknown>(
      {
        method: "POST",
        url: await core.url(CHAT_PATHS.messages, { conversationId }, options),
        body,
        idempotent: false,
        confirmDelivered: () => findSent(recent, conversationId, clientMessageId, since, options),
      },
      options,
    );
  } catch (err) {
    if (err instanceof DeliveryUnknownError) throw unknown(clientMessageId, err.cause ?? err);
    throw err;
  }
  return sentMessage(res, conversationId, clientMessageId);
}

/** The sentence every unknown outcome ends in, with the key to check or retry by. */
function unknown(clientMessageId: string, cause: unknown): DeliveryUnknownError {
  return new DeliveryUnknownError(
    `The message may have been sent — check before sending again (its clientmessageid is ${clientMessageId}).`,
    { cause, clientMessageId },
  );
}

/** The id of a send from its outcome: the echoed message, `OriginalArrivalTime`, or the Location header. */
export function sentMessage(res: ApiResponse<unknown>, conversationId: string, clientMessageId: string): SentMessage {
  if (res.confirmedByEcho) {
    const echoed = res.confirmation as Message | undefined;
    if (!echoed?.id) throw new ProtocolError("The send was confirmed but its message was not found.");
    return { id: echoed.id, clientMessageId, conversationId, arrivalTime: echoed.arrivedAt };
  }
  const b = res.body as Record<string, unknown> | null | undefined;
  // OriginalArrivalTime is the id; a body `id` may just echo the clientmessageid (§2.8).
  const arrival = msFrom(b?.["OriginalArrivalTime"]);
  // Stryker disable next-line StringLiteral: equivalent — only a /messages/ path matches, never the fallback
  const location = res.headers.get("location") ?? "";
  const id = arrival !== undefined ? String(arrival) : /\/messages\/(\d+)(?:[?#]|$)/.exec(location)?.[1];
  if (id === undefined) throw new ProtocolError("The chat service accepted the message but did not say its id.");
  return { id, clientMessageId, conversationId, arrivalTime: new Date(Number(id)) };
}

/**
 * The message carrying `clientMessageId` among those that arrived since `since`, or undefined when
 * it is not there (not delivered). Throws when it cannot tell.
 */
export async function findSent(
  recent: RecentPages,
  conversationId: string,
  clientMessageId: string,
  since: number,
  options: RequestOptions,
): Promise<Message | undefined> {
  const pageSize = CHAT_DEFAULTS.messagesPageSize;
  let read = 0;
  try {
    for await (const page of recent(conversationId, { ...options, startTime: Math.max(1, since), pageSize })) {
      for (const raw of page) {
        if (isJsonObject(raw) && String(raw["clientmessageid"]) === clientMessageId) {
          return toMessage(raw, conversationId);
        }
      }
      read += page.length;
      if (read >= pageSize * CHAT_DEFAULTS.confirmMaxPages) break;
    }
  } catch (err) {
    // A 1:1 chat whose creating send never landed does not exist yet: not delivered.
    if (err instanceof NotFoundError) return undefined;
    throw err;
  }
  return undefined;
}
