import { AUDIENCES, AUTHZ_PATHS, CONSUMER_SPACES_SCOPE } from "@teams-api/protocol";
import type { EmulatorContext } from "../../context.js";
import {
  type BearerCaller,
  type EmuRequest,
  type EmuResponse,
  HttpError,
  route,
  type ServiceTable,
} from "../../http/types.js";

/**
 * authsvc: the skypetoken exchange (PROTOCOL.md §1.7 enterprise, §1.8 consumer). A Bearer token for
 * the Skype Spaces audience buys a skypetoken plus the regionGtms service map, which points every
 * service at this emulator. Errors: 401 legacy `{"status":{"code":40120,…}}` for a bad bearer,
 * 403 `{"errorCode":"UserLicenseNotPresentForbidden"|"GuestUserNotRedeemed",…}`.
 */

const ENTERPRISE_REGION_SETTINGS = {
  isUnifiedPresenceEnabled: true,
  isOutOfOfficeIntegrationEnabled: true,
  isContactMigrationEnabled: true,
  isAppsDiscoveryEnabled: true,
  isFederationEnabled: true,
};
const LICENSE_DETAILS = { isFreemium: false, isBasicLiveEventsEnabled: true, isTrial: false, isAdvComms: false };
const CONSUMER_REGION_SETTINGS = { isUnifiedPresenceEnabled: true };
const CONSUMER_LICENSE_DETAILS = { isFreemium: true };

const NO_STORE = { "Cache-Control": "no-store, no-cache", Pragma: "no-cache" };

function cors(req: EmuRequest): Record<string, string> {
  const origin = req.headers.origin;
  return origin
    ? { "Access-Control-Allow-Origin": origin, "Access-Control-Allow-Credentials": "true", Vary: "Origin" }
    : {};
}

/**
 * The route tables: enterprise `/v1.0/authz` (under `/api/authsvc` of teams.microsoft.com and
 * teams.cloud.microsoft, at the root of authsvc.teams.microsoft.com) and consumer
 * `/v1.0/authz/consumer` (under `/api/auth` of teams.live.com).
 */
export function authsvcRoutes(ctx: EmulatorContext): { enterprise: ServiceTable; consumer: ServiceTable } {
  const tokens = ctx.tokens;

  const enterprise = (req: EmuRequest, { user, bearer }: BearerCaller): EmuResponse => {
    const { membership } = bearer;
    if (user.kind === "consumer") {
      throw new HttpError(
        401,
        `Authentication failed. The token was issued to a personal Microsoft account; use ${AUTHZ_PATHS.consumer}.`,
      );
    }
    if (membership.tenant.id !== user.tenantId && !membership.isInvitationRedeemed) {
      throw new HttpError(403, "Guest user has not redeemed the invitation for this tenant.", {
        code: "GuestUserNotRedeemed",
      });
    }
    if (user.unlicensed) {
      throw new HttpError(403, "User license is not present.", { code: "UserLicenseNotPresentForbidden" });
    }
    const tenant = ctx.directory.tenant(user.tenantId);
    const region = tenant?.region ?? "emea";
    const partition = tenant?.partition ?? "emea02";
    const skype = tokens.mintSkypeToken(user);
    return {
      status: 200,
      headers: { ...NO_STORE, ...cors(req) },
      body: {
        tokens: { skypeToken: skype.token, expiresIn: skype.expiresIn, tokenType: "SkypeToken" },
        region,
        partition,
        userRegion: region,
        userPartition: partition,
        regionGtms: ctx.regionGtms("enterprise", tenant),
        regionSettings: { ...ENTERPRISE_REGION_SETTINGS },
        licenseDetails: { ...LICENSE_DETAILS },
      },
    };
  };

  const consumer = (req: EmuRequest, { user }: BearerCaller): EmuResponse => {
    if (user.kind !== "consumer") {
      throw new HttpError(
        401,
        `Authentication failed. The token was issued to a work or school account; use ${AUTHZ_PATHS.enterprise}.`,
      );
    }
    const skype = tokens.mintSkypeToken(user);
    const common = {
      regionGtms: ctx.regionGtms("consumer"),
      regionSettings: { ...CONSUMER_REGION_SETTINGS },
      consumerLicenseDetails: { ...CONSUMER_LICENSE_DETAILS },
    };
    let body: Record<string, unknown>;
    switch (ctx.variants.consumerAuthzShape) {
      case "tokens": {
        const tenant = ctx.directory.tenant(user.tenantId);
        body = {
          tokens: { skypeToken: skype.token, expiresIn: skype.expiresIn, tokenType: "SkypeToken" },
          region: tenant?.region ?? "amer",
          partition: tenant?.partition ?? "amer01",
          ...common,
        };
        break;
      }
      case "flat":
        body = { skypeToken: skype.token, skypeTokenExpiresIn: skype.expiresIn, ...common };
        break;
      default:
        body = {
          skypeToken: {
            skypetoken: skype.token,
            expiresIn: skype.expiresIn,
            skypeid: user.skypeId,
            signinname: user.login,
            isBusinessTenant: false,
          },
          ...common,
        };
    }
    return { status: 200, headers: { ...NO_STORE, ...cors(req) }, body };
  };

  return {
    enterprise: {
      service: "authsvc",
      routes: [route("POST", /^\/v1\.0\/authz\/?$/, { bearer: [AUDIENCES.spaces] }, enterprise, { query: [] })],
    },
    consumer: {
      service: "authsvc",
      routes: [
        route("POST", /^\/v1\.0\/authz\/consumer\/?$/, { bearer: [CONSUMER_SPACES_SCOPE] }, consumer, { query: [] }),
      ],
    },
  };
}
