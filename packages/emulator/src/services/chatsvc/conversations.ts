import {
  CHAT_PATHS,
  type ChatPathTemplate,
  mriKind,
  parseTeamsTimestamp,
  type WireConversation,
  type WireMessage,
} from "@teams-api/protocol";
import type { EmulatorContext } from "../../context.js";
import type { RouteOptions } from "../../http/types.js";
import type { ChatState, SendInput } from "../../state/chat.js";
import { conversationVersion, type StoredMessage } from "../../state/chat-model.js";
import { conversationUrl, messageConversationPath, wireConversation, wireMessage } from "../../state/chat-wire.js";
import { type ChatCall, type ChatEndpoint, type ChatHandler, chatRoute } from "./common.js";
import { bindingOf, type Cursor, decodeCursor, encodeCursor } from "./cursor.js";
import {
  badRequest,
  checkMessageSize,
  intParam,
  objectBody,
  optionalObject,
  optionalString,
  pageSizeParam,
  query,
  requiredString,
} from "./request.js";

/** Messages page size: default 20, at most 200 (§2.6, AAD). */
export const MESSAGES_PAGE = { default: 20, max: 200 } as const;
/** Conversations page size: default 100 (PT, SKPY), at most 500. */
export const CONVERSATIONS_PAGE = { default: 100, max: 500 } as const;

/** Message types a client may send; ThreadActivity/* only the service itself writes. */
const SENDABLE_MESSAGETYPE =
  /^(?:Text|RichText(?:\/[A-Za-z0-9_.]+)?|Control\/[A-Za-z]+|Event\/[A-Za-z]+|Signal\/[A-Za-z]+)$/;

/** Which conversations a `targetType` list selects: 19:/48: threads are "Thread", 8:/4:/28: ids the rest. */
function targetTypeFilter(raw: string | null): (id: string) => boolean {
  if (raw === null || raw.trim() === "") return () => true;
  const types = new Set(raw.split(/[|,]/).map((t) => t.trim().toLowerCase()));
  return (id) => {
    const kind = mriKind(id);
    if (kind === "thread" || kind === "virtual") return types.has("thread");
    if (kind === "pstn") return types.has("pstn");
    if (kind === "bot") return types.has("agent");
    return types.has("skype") || types.has("passport") || types.has("lync");
  };
}

export function conversationRoutes(ctx: EmulatorContext, state: ChatState): ChatEndpoint[] {
  const route = (method: string, path: ChatPathTemplate, h: ChatHandler, options?: RouteOptions) =>
    chatRoute(ctx, state, method, path, h, options);

  return [
    // §2.3 current-user properties
    route("GET", CHAT_PATHS.userProperties, (_req, { user }) => ({ status: 200, body: state.userProperties(user) })),
    route("PUT", CHAT_PATHS.userProperties, (req, { user }) => {
      const name = req.url.searchParams.get("name");
      if (!name) throw badRequest("Query parameter 'name' is required.");
      const body = objectBody(req);
      const value = body[name];
      if (value === undefined) throw badRequest(`Missing required field '${name}'.`);
      state.setUserProperty(user, name, typeof value === "string" ? value : JSON.stringify(value));
      return { status: 200 };
    }),

    // §2.4 conversation list
    route("GET", CHAT_PATHS.conversations, (req, call) => listConversations(req, call), {
      query: ["view", "pageSize", "startTime", "syncState", "targetType"],
    }),

    // §2.5 one conversation
    route("GET", CHAT_PATHS.conversation, (req, { user, wire }) => {
      const { thread } = state.conversation(user.mri, req.params.conversationId!);
      return { status: 200, body: wireConversation(thread, user.mri, wire) };
    }),

    // §2.6 messages
    route("GET", CHAT_PATHS.messages, (req, call) => listMessages(req, call), {
      query: ["view", "pageSize", "startTime", "endTime", "syncState"],
    }),

    // §2.8 send, §2.10 typing
    route("POST", CHAT_PATHS.messages, (req, { user, base }) => {
      const input = sendInput(objectBody(req));
      const { message } = state.post(user, req.params.conversationId!, input);
      const body: Record<string, unknown> = { OriginalArrivalTime: message.id };
      if (ctx.variants.sendEchoesClientMessageId) body.id = message.clientmessageid;
      return {
        status: 201,
        headers: { Location: `${conversationUrl(base, messageConversationPath(message))}/messages/${message.id}` },
        body,
      };
    }),
  ];
}

/** Validates a send body (§2.8): `content` (string) and `messagetype` are required. */
export function sendInput(body: Record<string, unknown>): SendInput {
  const content = requiredString(body, "content");
  const messagetype = requiredString(body, "messagetype");
  if (!SENDABLE_MESSAGETYPE.test(messagetype)) throw badRequest(`Invalid messagetype '${messagetype}'.`);
  const input: SendInput = { content, messagetype };
  const contenttype = optionalString(body, "contenttype");
  if (contenttype !== undefined) input.contenttype = contenttype;
  const cmid = body.clientmessageid;
  if (cmid !== undefined && cmid !== null) {
    if (
      (typeof cmid !== "string" && typeof cmid !== "number") ||
      String(cmid).length === 0 ||
      String(cmid).length > 64
    ) {
      throw badRequest("Field 'clientmessageid' must be a non-empty string.");
    }
    input.clientmessageid = String(cmid);
  }
  const name = optionalString(body, "imdisplayname");
  if (name !== undefined) input.imdisplayname = name;
  const properties = optionalObject(body, "properties");
  if (properties) input.properties = properties;
  checkMessageSize(content, properties);
  const refs = body.amsreferences;
  if (refs !== undefined && refs !== null) {
    if (!Array.isArray(refs) || refs.some((r) => typeof r !== "string")) {
      throw badRequest("Field 'amsreferences' must be an array of strings.");
    }
    input.amsreferences = refs as string[];
  }
  const composetime = optionalString(body, "composetime");
  if (composetime !== undefined) {
    const ms = parseTeamsTimestamp(composetime);
    if (!Number.isNaN(ms)) input.composetime = ms;
  }
  return input;
}

function listConversations(req: Parameters<Parameters<typeof chatRoute>[4]>[0], call: ChatCall) {
  const { user, base, wire, state } = call;
  const pageSize = pageSizeParam(req, CONVERSATIONS_PAGE.default, CONVERSATIONS_PAGE.max);
  let startTime = intParam(req, "startTime") ?? 0;
  let offset = 0;
  const scope = `conversations|${user.mri}`;
  const syncState = req.url.searchParams.get("syncState");
  if (syncState !== null) {
    const c = decodeCursor(syncState, scope, ["cb", "cs"]);
    if (c.k === "cb") {
      startTime = c.s;
      offset = c.o;
    } else if (c.k === "cs") {
      startTime = c.v + 1;
    }
  }
  const view = req.url.searchParams.get("view") ?? undefined;
  const targetType = req.url.searchParams.get("targetType") ?? undefined;
  const selected = targetTypeFilter(targetType ?? null);
  const all = state.conversationsOf(user.mri).filter((t) => selected(t.id));
  const matching = all.filter((t) => conversationVersion(t, user.mri) >= startTime);
  const page = matching.slice(offset, offset + pageSize);
  const highWater = Math.max(startTime - 1, ...all.map((t) => conversationVersion(t, user.mri)), 0);
  const link = (params: Record<string, string | number | undefined>) =>
    `${base}/v1/users/ME/conversations${query({ ...params, pageSize, view, targetType })}`;
  const more = offset + pageSize < matching.length;
  const conversations: WireConversation[] = page.map((t) => wireConversation(t, user.mri, wire));
  return {
    status: 200,
    body: {
      conversations,
      _metadata: {
        totalCount: matching.length,
        forwardLink: link({ startTime: highWater + 1 }),
        backwardLink: more
          ? link({
              startTime,
              syncState: encodeCursor({ k: "cb", c: bindingOf(scope), s: startTime, o: offset + pageSize }),
            })
          : null,
        syncState: link({ startTime, syncState: encodeCursor({ k: "cs", c: bindingOf(scope), v: highWater }) }),
      },
    },
  };
}

function listMessages(req: Parameters<Parameters<typeof chatRoute>[4]>[0], call: ChatCall) {
  const { user, base, wire, state } = call;
  const cid = req.params.conversationId!;
  const pageSize = pageSizeParam(req, MESSAGES_PAGE.default, MESSAGES_PAGE.max);
  let startTime = intParam(req, "startTime") ?? 0;
  const endTime = intParam(req, "endTime") ?? Number.MAX_SAFE_INTEGER;
  const { messages } = state.messages(user.mri, cid);
  let before = Number.MAX_SAFE_INTEGER;
  const scope = `messages|${user.mri}|${cid}`;
  const syncState = req.url.searchParams.get("syncState");
  if (syncState !== null) {
    const c: Cursor = decodeCursor(syncState, scope, ["mb", "ms"]);
    if (c.k === "mb") {
      startTime = c.s;
      before = c.b;
    } else if (c.k === "ms") {
      startTime = c.v + 1;
    }
  }
  // Newest first. A message is in range when it changed at/after startTime (its version) and
  // arrived no later than endTime / before the cursor's bound (its id).
  const inRange = (m: StoredMessage) => m.version >= startTime && m.id <= endTime;
  const page: StoredMessage[] = [];
  let more = false;
  let highWater = startTime > 0 ? startTime - 1 : 0;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (!inRange(m)) continue;
    if (m.version > highWater) highWater = m.version;
    if (m.id >= before) continue;
    if (page.length < pageSize) page.push(m);
    else more = true;
  }
  const view = req.url.searchParams.get("view") ?? undefined;
  const link = (params: Record<string, string | number | undefined>) =>
    `${conversationUrl(base, cid)}/messages${query({ ...params, pageSize, view })}`;
  const oldest = page[page.length - 1];
  const newest = page[0];
  const meta: Record<string, unknown> = {};
  if (more && oldest) {
    meta.backwardLink = link({
      startTime: startTime || 1,
      syncState: encodeCursor({ k: "mb", c: bindingOf(scope), s: startTime, b: oldest.id }),
    });
  }
  meta.syncState = link({
    startTime: highWater + 1,
    syncState: encodeCursor({ k: "ms", c: bindingOf(scope), v: highWater }),
  });
  meta.lastCompleteSegmentStartTime = oldest?.id ?? startTime;
  meta.lastCompleteSegmentEndTime = newest?.id ?? highWater;
  const out: WireMessage[] = page.map((m) => wireMessage(m, wire));
  return { status: 200, body: { messages: out, _metadata: meta } };
}
