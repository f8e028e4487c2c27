import type { EmulatorContext } from "../../context.js";
import { type EmuRequest, route, type ServiceTable } from "../../http/types.js";
import { authorizeEndpoints, type SignInSite } from "./authorize.js";
import { createLoginCore, formOf } from "./core.js";
import { DEVICE_GRANT, deviceCodeFlow } from "./device-code.js";
import { discoveryEndpoints } from "./discovery.js";
import { tokenEndpoint, tokenIssuer } from "./token.js";
import { parseScopeParam } from "./tokens.js";
import { v1Endpoints } from "./v1.js";

/**
 * The emulated sign-in service (PROTOCOL.md §1), one table per host it stands in for:
 * - `sts` — login.microsoftonline.com, paths from its root (`/{tenant}/oauth2/v2.0/authorize`…;
 *   under `/login` in loopback mode): authorize (authorize.ts), token (token.ts), device code
 *   (device-code.ts), discovery (discovery.ts), v1 (v1.ts);
 * - `deviceLogin` — the page `verification_uri` names (`microsoft.com/devicelogin`);
 * - `msa` — login.live.com's authorize page for personal accounts (`/oauth20_authorize.srf`).
 *
 * Errors use the AAD JSON shape (§9.2) through HttpError({aadError, aadCode}). Not emulated (clear
 * AAD-shaped errors): implicit/hybrid response types, response_mode=form_post, client credentials
 * and ROPC.
 */
export function loginRoutes(ctx: EmulatorContext): { sts: ServiceTable; deviceLogin: ServiceTable; msa: ServiceTable } {
  const core = createLoginCore(ctx);
  const issuer = tokenIssuer(core);
  const { authorize, submitCredentials } = authorizeEndpoints(core);
  const device = deviceCodeFlow(ctx, {
    ...issuer,
    membershipFor: core.membershipFor,
    audienceNote: core.audienceNote,
    page: core.page,
    parseScope: (scope) => void parseScopeParam(scope, false),
  });
  const { token } = tokenEndpoint(core, issuer, { [DEVICE_GRANT]: device.redeem });
  const { openidConfiguration, keys } = discoveryEndpoints(core);
  const v1 = v1Endpoints({ authorize, token, deviceAuthorization: device.deviceAuthorization });

  const T = "(?<tenant>[^/]+)";
  const at = (method: string, pattern: RegExp, handler: (req: EmuRequest) => ReturnType<typeof token>) =>
    route(method, pattern, "none", handler);
  const sts: ServiceTable = {
    service: "login",
    routes: [
      at("GET", new RegExp(`^/${T}/oauth2/v2\\.0/authorize/?$`), (req) => authorize(req)),
      at("POST", new RegExp(`^/${T}/login/?$`), (req) => submitCredentials(req)),
      at("POST", new RegExp(`^/${T}/oauth2/v2\\.0/token/?$`), (req) => token(req)),
      at("POST", new RegExp(`^/${T}/oauth2/v2\\.0/devicecode/?$`), (req) =>
        device.deviceAuthorization(req, formOf(req)),
      ),
      at("GET", new RegExp(`^/${T}/oauth2/authorize/?$`), (req) => v1.authorizeV1(req)),
      at("POST", new RegExp(`^/${T}/oauth2/token/?$`), v1.tokenV1),
      at("POST", new RegExp(`^/${T}/oauth2/devicecode/?$`), v1.deviceAuthorizationV1),
      at("GET", new RegExp(`^/${T}/discovery/v2\\.0/keys/?$`), keys),
      at("GET", new RegExp(`^/${T}/v2\\.0/\\.well-known/openid-configuration/?$`), openidConfiguration),
    ],
  };
  const deviceLogin = device.page;
  // login.live.com: personal accounts sign in at the consumers authority; the form posts to post.srf.
  const live: SignInSite = { authority: "consumers", post: "/ppsecure/post.srf" };
  const msa: ServiceTable = {
    service: "login",
    routes: [
      at("GET", /^\/oauth20_authorize\.srf$/, (req) => authorize(req, req.url.searchParams, live)),
      at("POST", /^\/ppsecure\/post\.srf$/, (req) => submitCredentials(req, live)),
    ],
  };
  return { sts, deviceLogin, msa };
}
