import { AUDIENCES, toTeamsTimestamp } from "@teams-api/protocol";
import type { EmulatorContext } from "../../context.js";
import { type BearerCaller, type EmuRequest, type EmuResponse, route, type ServiceTable } from "../../http/types.js";
import { lastMessageOf, type StoredMember, type StoredThread } from "../../state/chat-model.js";
import type { User } from "../../state/directory.js";

/**
 * CSA, the chat service aggregator (PROTOCOL.md §6.3): teams with their channels, chats and the
 * private feeds in one call, and the chat folders. Mounted under `/api/csa` of teams.microsoft.com
 * (`/api/csa/{region}/api/v1|v2|v3/…`, FTA's `/api/csa/api/v1/…`) and at the root of
 * chatsvcagg.teams.microsoft.com (`/api/v1/…`). Auth: Bearer for the chatsvcagg audience
 * ("User is not authorized." with a spaces token, §1.4); `x-skypetoken` may be sent alongside.
 *
 * Shapes follow samples/csa-teams-users-me.json (abridged there too: the real answer has many more
 * optional fields). `conversationFolders` is [single] (MCP): the favourites folder and the chats.
 */

/** Query parameters clients send (FTA, MCP, SQ). */
const ME_QUERY = [
  "isPrefetch",
  "enableMembershipSummary",
  "supportsAdditionalSystemGeneratedFolders",
  "supportsSliceItems",
  "enableEngageCommunities",
];
const FOLDERS_QUERY = ["supportsAdditionalSystemGeneratedFolders", "supportsSliceItems"];

/** `/{region}` (teams.microsoft.com/api/csa/emea) or nothing (FTA, chatsvcagg), then `/api/v1|v2|v3`. */
const BASE = "^(?:/(?<region>[a-z]{2,}))?/api/v[123]/teams/users/me";

const iso = (ms: number): string => new Date(ms).toISOString();

export function csaRoutes(ctx: EmulatorContext): ServiceTable {
  const state = ctx.chat;

  const horizon = (m: StoredMember | undefined) => {
    const [id, time, cmid] = (m?.horizon ?? "0;0;0").split(";");
    return { originalArrivalTime: Number(id) || 0, timeStamp: Number(time) || 0, clientMessageId: cmid ?? "0" };
  };

  const lastMessage = (t: StoredThread) => {
    const m = lastMessageOf(t);
    if (!m) return {};
    return {
      id: String(m.id),
      messageType: m.messagetype,
      content: m.content,
      from: m.from,
      imDisplayName: m.imdisplayname,
      composeTime: iso(m.composetime),
      originalArrivalTime: iso(m.id),
    };
  };

  const memberRole = (t: StoredThread, mri: string): number => (t.members.get(mri)?.role === "Admin" ? 2 : 3);

  const channel = (t: StoredThread, viewer: User) => ({
    id: t.id,
    displayName: t.topic || "General",
    description: t.extraProperties.description ?? "",
    isGeneral: true,
    isFavorite: true,
    isMember: true,
    parentTeamId: t.id,
    creator: t.creator,
    createdTime: iso(t.createdAt),
    lastMessage: lastMessage(t),
    consumptionHorizon: horizon(t.members.get(viewer.mri)),
    memberRole: memberRole(t, viewer.mri),
    isPinned: false,
    channelType: 0,
    groupId: t.team?.groupId ?? "",
    tenantId: t.tenantId,
    isShared: false,
  });

  const team = (t: StoredThread, viewer: User) => ({
    id: t.id,
    displayName: t.team?.name ?? t.topic,
    description: t.extraProperties.description ?? "",
    isFavorite: false,
    isCollapsed: false,
    isArchived: false,
    isTenantWide: false,
    tenantId: t.tenantId,
    teamType: 0,
    accessType: 1,
    memberRole: memberRole(t, viewer.mri),
    membershipSummary: { totalMemberCount: t.members.size, adminRoleCount: 0, userRoleCount: t.members.size },
    teamSiteInformation: { groupId: t.team?.groupId ?? "" },
    channels: [channel(t, viewer)],
  });

  const chat = (t: StoredThread, viewer: User) => {
    const mine = t.members.get(viewer.mri);
    const last = lastMessageOf(t);
    return {
      id: t.id,
      title: t.topic,
      chatType: "chat",
      isOneOnOne: t.kind === "oneOnOne",
      members: [...t.members.values()].map((m) => ({
        mri: m.mri,
        role: m.role,
        objectId: m.mri.replace(/^8:orgid:/, ""),
        isMuted: false,
        ...(ctx.directory.byMri(m.mri) ? { tenantId: ctx.directory.byMri(m.mri)!.tenantId } : {}),
        isIdentityMasked: false,
      })),
      lastMessage: lastMessage(t),
      isRead: !last || (mine?.horizon !== undefined && Number(mine.horizon.split(";")[0]) >= last.id),
      hidden: false,
      isSticky: false,
      threadType: t.threadType,
      relationshipState: { inQuarantine: false },
      createdAt: iso(t.createdAt),
      lastJoinAt: iso(t.lastJoinAt),
      consumptionHorizon: horizon(mine),
      tenantId: t.tenantId,
      creator: t.creator,
      isHighImportance: false,
    };
  };

  const me = (_req: EmuRequest, { user }: BearerCaller): EmuResponse => {
    const threads = state.conversationsOf(user.mri);
    return {
      status: 200,
      body: {
        teams: threads.filter((t) => t.kind === "channel").map((t) => team(t, user)),
        chats: threads.filter((t) => t.kind === "oneOnOne" || t.kind === "group").map((t) => chat(t, user)),
        users: [],
        privateFeeds: [
          {
            id: "48:notes",
            type: "streamofnotes",
            lastMessage: lastMessage(state.notesOf(user.mri)),
            consumptionHorizon: horizon(undefined),
          },
        ],
        metadata: { syncToken: toTeamsTimestamp(ctx.now()), isPartialData: false },
      },
    };
  };

  const folders = (_req: EmuRequest, { user }: BearerCaller): EmuResponse => {
    const now = iso(ctx.now());
    const chats = state.conversationsOf(user.mri).filter((t) => t.kind === "oneOnOne" || t.kind === "group");
    const folder = (id: string, name: string, folderType: string, items: StoredThread[]) => ({
      id,
      name,
      folderType,
      sortType: "UserDefinedCustomOrder",
      isExpanded: true,
      isDeleted: false,
      createdTime: now,
      lastUpdatedTime: now,
      version: 1,
      conversationFolderItems: items.map((t) => ({
        conversationId: t.id,
        createdTime: iso(t.createdAt),
        lastUpdatedTime: now,
      })),
    });
    return {
      status: 200,
      body: {
        folderHierarchyVersion: 1,
        conversationFolders: [
          folder(`tenant-${user.tenantId}-Favorites`, "Favorites", "Favorites", []),
          folder(`tenant-${user.tenantId}-Chats`, "Chats", "Chats", chats),
        ],
        conversationFolderOrder: [`tenant-${user.tenantId}-Favorites`, `tenant-${user.tenantId}-Chats`],
      },
    };
  };

  const auth = { bearer: [AUDIENCES.chatServiceAggregator] } as const;
  return {
    service: "csa",
    routes: [
      route("GET", new RegExp(`${BASE}/?$`), auth, me, { query: ME_QUERY }),
      route("GET", new RegExp(`${BASE}/conversationFolders/?$`), auth, folders, { query: FOLDERS_QUERY }),
    ],
  };
}
