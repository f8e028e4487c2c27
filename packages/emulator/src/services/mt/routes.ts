import { AUDIENCES, CONSUMER_MT_SCOPE, CONSUMER_SPACES_SCOPE, type WireShortProfile } from "@teams-api/protocol";
import type { EmulatorContext } from "../../context.js";
import {
  type BearerCaller,
  type EmuRequest,
  type EmuResponse,
  HttpError,
  type Route,
  type RouteOptions,
  route,
  type ServiceTable,
} from "../../http/types.js";
import type { User } from "../../state/directory.js";
import { membershipsOf } from "../login/memberships.js";
import { peopleHandlers } from "./people.js";

/**
 * Middle tier (PROTOCOL.md §6.1–6.2) under every base a regionGtms may name: partitioned
 * `/api/mt/part/{region}-{nn}/beta`, regional `/api/mt/{region}/beta` (enterprise) and
 * `/api/mt/beta` (consumer, teams.live.com).
 *
 * Auth: `Authorization: Bearer` with the Skype Spaces audience on the enterprise bases, or a
 * consumer spaces/MT scope on the consumer base; `x-skypetoken` is accepted and not required.
 *
 * Who can be seen: an enterprise caller resolves the users of its own tenant (members and guests);
 * a consumer caller resolves consumer accounts. Other MRIs are left out of fetchShortProfile:
 * federated and consumer users have their own endpoints (fetchFederated, fetchTflConsumers — see
 * people.ts, with people search, the buddy list and profile pictures).
 *
 * User lookup that finds nobody: 404 `{errorCode:"UserNotFound",…}` by default; with
 * `throwIfNotFound=false` a 200 whose body has only the `type` (MT leaves null fields out, as the
 * guest profile of samples/mt-profiles.json does).
 */

const SHORT_PROFILE_TYPE = "Microsoft.SkypeSpaces.MiddleTier.Models.IUserIdentity";
const AAD_MEMBER_TYPE = "Microsoft.SkypeSpaces.MiddleTier.Models.AadMember";

const ENTERPRISE_AUDIENCES = [AUDIENCES.spaces] as const;
const CONSUMER_AUDIENCES = [CONSUMER_SPACES_SCOPE, CONSUMER_MT_SCOPE, "service::api.fl.teams.microsoft.com::MBI_SSL"];

/** Below `/api/mt`: `/part/emea-02/beta`, `/emea/beta` (enterprise) or `/beta` (consumer). */
const ENTERPRISE_BASE = String.raw`^(?:/part/(?<part>[a-z]+-\d+)|/(?<region>[a-z]{2,}))/beta`;
const CONSUMER_BASE = "^/beta";

/** Query parameters clients send to the user endpoints (§6.2). */
const USER_QUERY = [
  "throwIfNotFound",
  "isMailAddress",
  "canBeSmtpAddress",
  "enableGuest",
  "includeIBBarredUsers",
  "skypeTeamsInfo",
  "includeBots",
];

export function mtRoutes(ctx: EmulatorContext): { enterprise: ServiceTable; consumer: ServiceTable } {
  /** Whether the caller may see this user. */
  const visible = (caller: User, user: User): boolean =>
    caller.kind === "consumer"
      ? user.kind === "consumer"
      : user.kind === "enterprise" && user.tenantId === caller.tenantId;

  const shortProfile = (user: User): WireShortProfile & Record<string, unknown> => {
    const tenant = ctx.directory.tenant(user.tenantId);
    const consumer = user.kind === "consumer";
    return {
      mri: user.mri,
      objectId: user.oid,
      displayName: user.displayName,
      givenName: user.givenName,
      surname: user.surname,
      email: user.email,
      userPrincipalName: user.upn,
      ...(user.jobTitle ? { jobTitle: user.jobTitle } : {}),
      ...(user.department ? { department: user.department } : {}),
      ...(!consumer && user.userType === "Member" && tenant ? { companyName: tenant.name } : {}),
      ...(user.location ? { userLocation: user.location } : {}),
      ...(!consumer && tenant ? { tenantName: tenant.name } : {}),
      type: consumer ? "TFLUser" : "ADUser",
      userType: user.userType,
      isShortProfile: true,
    };
  };

  const fullProfile = (user: User): Record<string, unknown> => {
    const consumer = user.kind === "consumer";
    return {
      ...shortProfile(user),
      mail: user.email,
      sipAddress: consumer ? "" : user.upn,
      mobile: "",
      telephoneNumber: "",
      physicalDeliveryOfficeName: user.location ?? "",
      isSipDisabled: consumer,
      featureSettings: {
        coExistenceMode: "TeamsOnly",
        enableShiftPresence: false,
        enableScheduleOwnerPermissions: false,
        isPrivateChatEnabled: true,
      },
      tenantId: user.tenantId,
      skypeTeamsInfo: { isSkypeTeamsUser: true },
      isShortProfile: false,
    };
  };

  const tenants = (_req: EmuRequest, caller: BearerCaller): EmuResponse => {
    return {
      status: 200,
      body: membershipsOf(ctx.directory, caller.user).map((m) => ({
        tenantId: m.tenant.id,
        tenantName: m.tenant.name,
        userId: m.oid,
        isInvitationRedeemed: m.isInvitationRedeemed,
        countryLetterCode: m.countryLetterCode,
        userType: m.userType,
        tenantType: m.tenantType,
      })),
    };
  };

  const fetchShortProfile = (req: EmuRequest, caller: BearerCaller): EmuResponse => {
    const mris = req.json<unknown>();
    if (!Array.isArray(mris) || mris.some((m) => typeof m !== "string")) {
      throw new HttpError(400, "The request body must be a JSON array of user MRIs.", { code: "BadRequest" });
    }
    // TL sends a leading "" element; it (and any other blank) names nobody.
    const wanted = new Set((mris as string[]).map((m) => m.trim().toLowerCase()).filter(Boolean));
    const value = ctx.directory.users
      .filter((u) => wanted.has(u.mri.toLowerCase()) && visible(caller.user, u))
      .map(shortProfile);
    return { status: 200, body: { type: SHORT_PROFILE_TYPE, value } };
  };

  const lookup = (req: EmuRequest, caller: BearerCaller): EmuResponse => {
    const id = req.params.id!.trim();
    const user = /^\d+:/.test(id) ? ctx.directory.byMri(id) : ctx.directory.byLogin(id);
    if (user && (visible(caller.user, user) || people.canSee(caller.user, user)))
      return { status: 200, body: { value: fullProfile(user), type: AAD_MEMBER_TYPE } };
    if (req.url.searchParams.get("throwIfNotFound")?.toLowerCase() === "false") {
      return { status: 200, body: { type: AAD_MEMBER_TYPE } };
    }
    throw new HttpError(404, `User '${id}' was not found.`, { code: "UserNotFound" });
  };

  const people = peopleHandlers({ ctx, sameDirectory: visible, shortProfile });

  const table = (base: string, audiences: readonly string[]): ServiceTable => {
    const at = (
      method: string,
      tail: string,
      handler: (req: EmuRequest, caller: BearerCaller) => EmuResponse,
      options?: RouteOptions,
    ): Route => route(method, new RegExp(`${base}${tail}/?$`), { bearer: audiences }, handler, options);
    return {
      service: "mt",
      routes: [
        at("GET", "/users/tenants", tenants),
        at("POST", "/users/fetchShortProfile", fetchShortProfile, { query: USER_QUERY }),
        at("POST", "/users/fetchFederated", (req, { user }) => people.fetchFederated(user, req)),
        at("POST", "/users/fetchTflConsumers", (req, { user }) => people.fetchTflConsumers(user, req)),
        at("POST", "/users/searchV2", (req, { user }) => people.searchV2(user, req)),
        at("GET", "/contacts/buddylist", (_req, { user }) => people.buddyList(user)),
        at("GET", "/users/(?<mri>[^/]+)/profilepicturev2", (req, { user }) =>
          people.profilePicture(user, req.params.mri!, req.url.searchParams.get("size")),
        ),
        at("GET", "/users/(?!(?:tenants|fetchShortProfile)/?$)(?<id>[^/]+)", lookup, { query: USER_QUERY }),
      ],
    };
  };
  return {
    enterprise: table(ENTERPRISE_BASE, ENTERPRISE_AUDIENCES),
    consumer: table(CONSUMER_BASE, CONSUMER_AUDIENCES),
  };
}
