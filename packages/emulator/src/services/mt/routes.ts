import { AUDIENCES, CONSUMER_MT_SCOPE, CONSUMER_SPACES_SCOPE, type WireShortProfile } from "@teams-api/protocol";
import type { EmulatorContext } from "../../context.js";
import { type EmuRequest, type EmuResponse, HttpError, type Route } from "../../http/types.js";
import type { User } from "../../state/directory.js";
import { membershipsOf } from "../login/memberships.js";
import { bearerFromHeaders, emulatorTokens, type VerifiedBearer } from "../login/tokens.js";
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

/** `/api/mt/part/emea-02`, `/api/mt/emea` (enterprise) or `/api/mt` (consumer), then `/beta`. */
const BASE = String.raw`^/api/mt(?:/part/(?<part>[a-z]+-\d+)|/(?<region>[a-z]{2,}))?/beta`;

export function mtRoutes(ctx: EmulatorContext): Route[] {
  const tokens = emulatorTokens(ctx.tokens);

  const authenticate = (req: EmuRequest): VerifiedBearer => {
    const consumerBase = !req.params.part && !req.params.region;
    return tokens.verifyBearer(
      bearerFromHeaders(req.headers) || cookieBearer(req.headers.cookie),
      consumerBase ? CONSUMER_AUDIENCES : ENTERPRISE_AUDIENCES,
    );
  };

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

  const tenants = (req: EmuRequest): EmuResponse => {
    const caller = authenticate(req);
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

  const fetchShortProfile = (req: EmuRequest): EmuResponse => {
    const caller = authenticate(req);
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

  const lookup = (req: EmuRequest): EmuResponse => {
    const caller = authenticate(req);
    const id = req.params.id!.trim();
    const user = /^\d+:/.test(id) ? ctx.directory.byMri(id) : ctx.directory.byLogin(id);
    if (user && (visible(caller.user, user) || people.canSee(caller.user, user)))
      return { status: 200, body: { value: fullProfile(user), type: AAD_MEMBER_TYPE } };
    if (req.url.searchParams.get("throwIfNotFound")?.toLowerCase() === "false") {
      return { status: 200, body: { type: AAD_MEMBER_TYPE } };
    }
    throw new HttpError(404, `User '${id}' was not found.`, { code: "UserNotFound" });
  };

  const people = peopleHandlers({
    ctx,
    sameDirectory: visible,
    shortProfile,
  });

  const route = (method: string, tail: string, handler: Route["handler"]): Route => ({
    method,
    pattern: new RegExp(`${BASE}${tail}/?$`),
    service: "mt",
    handler,
  });
  return [
    route("GET", "/users/tenants", tenants),
    route("POST", "/users/fetchShortProfile", fetchShortProfile),
    route("POST", "/users/fetchFederated", (req) => people.fetchFederated(authenticate(req).user, req)),
    route("POST", "/users/fetchTflConsumers", (req) => people.fetchTflConsumers(authenticate(req).user, req)),
    route("POST", "/users/searchV2", (req) => people.searchV2(authenticate(req).user, req)),
    route("GET", "/contacts/buddylist", (req) => people.buddyList(authenticate(req).user)),
    route("GET", "/users/(?<mri>[^/]+)/profilepicturev2", (req) =>
      people.profilePicture(authenticate(req).user, req.params.mri!),
    ),
    route("GET", "/users/(?!(?:tenants|fetchShortProfile)/?$)(?<id>[^/]+)", lookup),
  ];
}

/** The token of the picture cookie the web client sends (`authtoken=Bearer%3D<tok>%26Origin%3D…`), or "". */
function cookieBearer(cookie: string | undefined): string {
  const m = /(?:^|;\s*)authtoken=([^;]+)/.exec(cookie ?? "");
  if (!m) return "";
  try {
    return /^Bearer=([^&]+)/.exec(decodeURIComponent(m[1]!))?.[1] ?? "";
  } catch {
    return "";
  }
}
