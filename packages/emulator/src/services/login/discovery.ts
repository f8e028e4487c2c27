import { CONSUMER_TENANT_ID } from "@teams-api/protocol";
import type { EmuRequest, EmuResponse } from "../../http/types.js";
import { aad, type LoginCore } from "./core.js";

/** Discovery (OIDC): `/{tenant}/v2.0/.well-known/openid-configuration` and the JWKS, on the host asked. */
export function discoveryEndpoints(core: LoginCore) {
  const { tokens, resolveAuthority, tenantNotFound } = core;

  // ── Discovery ───────────────────────────────────────────────────────────────────────────────

  const openidConfiguration = (req: EmuRequest): EmuResponse => {
    const name = req.params.tenant!;
    const authority = resolveAuthority(name);
    if (!authority) throw aad("invalid_tenant", 90002, tenantNotFound(name));
    const issuerTenant =
      authority.kind === "tenant"
        ? authority.tenant.id
        : authority.kind === "consumers"
          ? CONSUMER_TENANT_ID
          : "{tenantid}";
    const base = `${req.mount.base}/${name}`;
    return {
      status: 200,
      headers: { "Access-Control-Allow-Origin": "*", "Cache-Control": "max-age=86400, private" },
      body: {
        token_endpoint: `${base}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        jwks_uri: `${base}/discovery/v2.0/keys`,
        response_modes_supported: ["query", "fragment", "form_post"],
        subject_types_supported: ["pairwise"],
        id_token_signing_alg_values_supported: ["RS256"],
        response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
        scopes_supported: ["openid", "profile", "email", "offline_access"],
        issuer: tokens.issuer(issuerTenant),
        request_uri_parameter_supported: false,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
        http_logout_supported: true,
        frontchannel_logout_supported: true,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        claims_supported: [
          "sub",
          "iss",
          "cloud_instance_name",
          "cloud_instance_host_name",
          "cloud_graph_host_name",
          "msgraph_host",
          "aud",
          "exp",
          "iat",
          "auth_time",
          "acr",
          "nonce",
          "preferred_username",
          "name",
          "tid",
          "ver",
          "at_hash",
          "c_hash",
          "email",
        ],
        code_challenge_methods_supported: ["S256"],
        tenant_region_scope: authority.kind === "tenant" ? "EU" : null,
        cloud_instance_name: "microsoftonline.com",
        cloud_graph_host_name: "graph.windows.net",
        msgraph_host: "graph.microsoft.com",
        rbac_url: "https://pas.windows.net",
      },
    };
  };

  const keys = (req: EmuRequest): EmuResponse => {
    const name = req.params.tenant!;
    if (!resolveAuthority(name)) throw aad("invalid_tenant", 90002, tenantNotFound(name));
    return {
      status: 200,
      headers: { "Access-Control-Allow-Origin": "*", "Cache-Control": "max-age=86400, private" },
      body: tokens.jwks(),
    };
  };

  return { openidConfiguration, keys };
}
