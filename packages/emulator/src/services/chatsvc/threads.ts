import { CHAT_PATHS, type ChatPathTemplate } from "@teams-api/protocol";
import type { EmulatorContext } from "../../context.js";
import { HttpError, type RouteOptions } from "../../http/types.js";
import type { ChatState, MemberInput } from "../../state/chat.js";
import type { MemberRole } from "../../state/chat-model.js";
import { threadUrl, wireThread } from "../../state/chat-wire.js";
import { type ChatEndpoint, type ChatHandler, chatRoute } from "./common.js";
import { badRequest, objectBody, optionalObject, optionalObjectBody } from "./request.js";

/** Threads and membership (§2.5, §2.11, §2.13). */
export function threadRoutes(ctx: EmulatorContext, state: ChatState): ChatEndpoint[] {
  const route = (method: string, path: ChatPathTemplate, h: ChatHandler, options?: RouteOptions) =>
    chatRoute(ctx, state, method, path, h, options);

  const role = (v: unknown, where: string): MemberRole => {
    if (v === undefined || v === null) return "User";
    if (typeof v === "string" && /^admin$/i.test(v)) return "Admin";
    if (typeof v === "string" && /^user$/i.test(v)) return "User";
    throw badRequest(`${where}: role must be Admin or User.`);
  };

  /** `members: [{id | mri, role}]`, validated entry by entry. */
  const memberList = (body: Record<string, unknown>): MemberInput[] => {
    const list = body.members;
    if (!Array.isArray(list) || list.length === 0) throw badRequest("Field 'members' must be a non-empty array.");
    return list.map((entry, i) => {
      if (!entry || typeof entry !== "object") throw badRequest(`members[${i}] must be an object.`);
      const e = entry as Record<string, unknown>;
      const mri = e.id ?? e.mri;
      if (typeof mri !== "string" || mri === "") throw badRequest(`members[${i}].id must be an MRI.`);
      if (e.shareHistoryTime !== undefined && typeof e.shareHistoryTime !== "number") {
        throw badRequest(`members[${i}].shareHistoryTime must be a number.`);
      }
      return { mri: state.canonicalMri(mri), role: role(e.role, `members[${i}]`) };
    });
  };

  return [
    // §2.13 create a group chat → 201, Location of the new thread, body {}
    route("POST", CHAT_PATHS.threads, (req, { user, base }) => {
      const body = objectBody(req);
      const members = memberList(body);
      const properties = optionalObject(body, "properties") ?? {};
      const t = state.createThread(user, members, properties);
      return { status: 201, headers: { Location: threadUrl(base, t.id) }, body: {} };
    }),

    // §2.13 (MMZ) 1:1 get-or-create → 201 new / 200 existing, {"id":…}
    route("PUT", CHAT_PATHS.conversations, (req, { user }) => {
      const members = memberList(objectBody(req)).filter((m) => m.mri !== user.mri);
      if (members.length !== 1) throw badRequest("A one-on-one chat needs exactly one other member.");
      const other = ctx.directory.byMri(members[0]!.mri);
      if (!other) throw new HttpError(404, `User ${members[0]!.mri} was not found.`);
      const { thread: t, created } = state.oneOnOneWith(user, other);
      return { status: created ? 201 : 200, body: { id: t.id } };
    }),

    // §2.5 thread details
    route("GET", CHAT_PATHS.thread, (req, { user, wire }) => ({
      status: 200,
      body: wireThread(state.thread(user.mri, req.params.threadId!), user.mri, wire),
    })),

    // §2.5 roster (MMZ): totalMemberCount is the reliable count
    route("GET", CHAT_PATHS.threadMembers, (req, { user, base }) => {
      const t = state.thread(user.mri, req.params.threadId!);
      const members = [...t.members.values()].map((m) => ({
        id: m.mri,
        userDisplayName: ctx.directory.byMri(m.mri)?.displayName ?? "",
        role: m.role,
        userLink: `${base}/v1/users/${m.mri}`,
        type: "ThreadMember",
        isReader: false,
      }));
      return { status: 200, body: { members, totalMemberCount: members.length } };
    }),

    // §2.13 add one member / change a role
    route("PUT", CHAT_PATHS.threadMember, (req, { user }) => {
      const body = optionalObjectBody(req);
      state.addMembers(user.mri, req.params.threadId!, [
        { mri: state.canonicalMri(req.params.mri!), role: role(body.role, "role") },
      ]);
      return { status: 200 };
    }),

    // §2.13 batch add
    route("PUT", CHAT_PATHS.threadMembers, (req, { user }) => {
      state.addMembers(user.mri, req.params.threadId!, memberList(objectBody(req)));
      return { status: 200 };
    }),

    // §2.13 remove a member; yourself = leave
    route("DELETE", CHAT_PATHS.threadMember, (req, { user }) => {
      state.removeMember(user.mri, req.params.threadId!, req.params.mri!);
      return { status: 200 };
    }),

    // §2.13 topic, joiningenabled, historydisclosed, picture, description
    route("PUT", CHAT_PATHS.threadProperties, (req, { user }) => {
      const name = req.url.searchParams.get("name");
      if (!name) throw badRequest("Query parameter 'name' is required.");
      const body = objectBody(req);
      const raw = body[name];
      if (raw === undefined || raw === null) throw badRequest(`Missing required field '${name}'.`);
      if (typeof raw !== "string" && (typeof raw !== "boolean" || name === "topic")) {
        throw badRequest(`Field '${name}' must be a string.`);
      }
      state.setThreadProperty(user.mri, req.params.threadId!, name, String(raw));
      return { status: 200 };
    }),

    // §2.11 everyone's read horizons
    route("GET", CHAT_PATHS.consumptionHorizons, (req, { user }) => ({
      status: 200,
      body: state.consumptionHorizons(user.mri, req.params.threadId!),
    })),
  ];
}
