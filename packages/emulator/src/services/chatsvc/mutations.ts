import { CHAT_PATHS, type ChatPathTemplate } from "@teams-api/protocol";
import type { EmulatorContext } from "../../context.js";
import type { RouteOptions } from "../../http/types.js";
import type { ChatState, EditInput } from "../../state/chat.js";
import { type ChatEndpoint, type ChatHandler, chatRoute } from "./common.js";
import {
  badRequest,
  checkMessageSize,
  objectBody,
  optionalObject,
  optionalObjectBody,
  optionalString,
  requiredString,
} from "./request.js";

/** Edit, delete, reactions (§2.9, §2.12) and read state (§2.11). Success answers are 200. */
export function mutationRoutes(ctx: EmulatorContext, state: ChatState): ChatEndpoint[] {
  const route = (method: string, path: ChatPathTemplate, h: ChatHandler, options?: RouteOptions) =>
    chatRoute(ctx, state, method, path, h, options);

  return [
    // §2.9 edit → 200 {"edittime":"<ms>"} (clients fail on an empty 200, §9.5)
    route("PUT", CHAT_PATHS.message, (req, { user }) => {
      const mid = req.params.messageId!;
      const body = objectBody(req);
      const input: EditInput = { content: requiredString(body, "content") };
      const messagetype = optionalString(body, "messagetype");
      if (messagetype !== undefined) {
        if (!/^(?:Text|RichText(?:\/[A-Za-z0-9_.]+)?)$/.test(messagetype)) {
          throw badRequest(`Invalid messagetype '${messagetype}' for an edit.`);
        }
        input.messagetype = messagetype;
      }
      const contenttype = optionalString(body, "contenttype");
      if (contenttype !== undefined) input.contenttype = contenttype;
      const name = optionalString(body, "imdisplayname");
      if (name !== undefined) input.imdisplayname = name;
      const properties = optionalObject(body, "properties");
      if (properties) input.properties = properties;
      checkMessageSize(input.content, properties);
      const edited = body.skypeeditedid;
      if (edited !== undefined && edited !== null && String(edited) !== mid) {
        throw badRequest("skypeeditedid must be the id of the message being edited.");
      }
      const edittime = state.edit(user.mri, req.params.conversationId!, mid, input);
      return { status: 200, body: { edittime: String(edittime) } };
    }),

    // §2.9 delete → 200, the message stays as a tombstone
    route("DELETE", CHAT_PATHS.message, (req, { user }) => {
      const behavior = req.url.searchParams.get("behavior");
      if (behavior !== null && !/^(?:soft|hard)delete$/i.test(behavior)) {
        throw badRequest(`Invalid value '${behavior}' for query parameter 'behavior'.`);
      }
      state.delete(user.mri, req.params.conversationId!, req.params.messageId!);
      return { status: 200 };
    }),

    // §2.12 reactions: PUT adds (value 0 removes, TL), DELETE removes
    ...(["PUT", "DELETE"] as const).map((method) =>
      route(method, CHAT_PATHS.messageProperties, (req, { user }) => {
        const name = req.url.searchParams.get("name");
        if (!name) throw badRequest("Query parameter 'name' is required.");
        if (name !== "emotions") throw badRequest(`Message property '${name}' cannot be changed.`);
        const body = method === "PUT" ? objectBody(req) : optionalObjectBody(req);
        const emotions = optionalObject(body, "emotions");
        if (!emotions) throw badRequest("Missing required field 'emotions'.");
        const key = requiredString(emotions, "key");
        let value: string | number | undefined;
        if (method === "PUT") {
          const v = emotions.value;
          if (typeof v === "number" && Number.isFinite(v)) value = v;
          else if (typeof v === "string") value = v;
          else throw badRequest("Field 'emotions.value' must be a number or a string.");
        }
        state.react(user.mri, req.params.conversationId!, req.params.messageId!, key, value);
        return { status: 200 };
      }),
    ),

    // §2.11 own read horizon / unread bookmark
    route("PUT", CHAT_PATHS.conversationProperties, (req, { user }) => {
      const name = req.url.searchParams.get("name");
      if (!name) throw badRequest("Query parameter 'name' is required.");
      const which =
        name.toLowerCase() === "consumptionhorizon"
          ? "consumptionhorizon"
          : name.toLowerCase() === "consumptionhorizonbookmark"
            ? "consumptionHorizonBookmark"
            : undefined;
      if (!which) throw badRequest(`Conversation property '${name}' cannot be set.`);
      const body = objectBody(req);
      const key = Object.keys(body).find((k) => k.toLowerCase() === which.toLowerCase());
      if (key === undefined) throw badRequest(`Missing required field '${which}'.`);
      state.setReadState(user.mri, req.params.conversationId!, which, requiredString(body, key));
      return { status: 200 };
    }),
  ];
}
