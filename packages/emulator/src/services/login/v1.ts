import type { EmuRequest, EmuResponse } from "../../http/types.js";
import { formOf, missingParameter } from "./core.js";
import { DEVICE_GRANT } from "./device-code.js";
import { FOCI_FAMILY } from "./tokens.js";

/**
 * v1 endpoints (PROTOCOL.md §1.3: still used by PT/AAD): `/{tenant}/oauth2/authorize`, `/token`,
 * `/devicecode` with `resource=`, mapped onto the v2 flows and answered in the v1 field forms.
 */
export function v1Endpoints(v2: {
  authorize: (req: EmuRequest, params: URLSearchParams) => EmuResponse;
  token: (req: EmuRequest, form: URLSearchParams) => EmuResponse;
  deviceAuthorization: (req: EmuRequest, form: URLSearchParams) => EmuResponse;
}) {
  const { authorize, token, deviceAuthorization } = v2;

  // ── v1 endpoints (§1.3: still used by PT/AAD) ────────────────────────────────────────────────
  // `resource=` instead of `scope`; the same flows underneath. Token answers carry the v1 fields
  // (numbers as strings, expires_on, not_before, resource, foci); devicecode answers
  // `verification_url` and strings (§1.6). Tokens themselves are the same as v2.

  const v1Scope = (resource: string | null): string | undefined =>
    resource ? `${resource.replace(/\/+$/, "")}/.default openid profile offline_access` : undefined;

  const authorizeV1 = (req: EmuRequest): EmuResponse => {
    const params = new URLSearchParams(req.url.searchParams);
    const scope = v1Scope(params.get("resource")) ?? "openid profile offline_access";
    params.delete("resource");
    params.set("scope", scope);
    return authorize(req, params);
  };

  const tokenV1 = (req: EmuRequest): EmuResponse => {
    const form = new URLSearchParams(formOf(req));
    const scope = v1Scope(form.get("resource"));
    form.delete("resource");
    if (scope) form.set("scope", scope);
    if (form.get("grant_type") === "device_code" || form.get("grant_type") === DEVICE_GRANT) {
      form.set("grant_type", DEVICE_GRANT);
      form.delete("scope");
    }
    const out = token(req, form);
    const body = out.body as Record<string, unknown>;
    const claims = JSON.parse(
      Buffer.from(String(body.access_token).split(".")[1] ?? "", "base64url").toString("utf8"),
    ) as Record<string, unknown>;
    const clientId = form.get("client_id") ?? "";
    return {
      ...out,
      body: {
        token_type: body.token_type,
        scope: String(claims.scp ?? ""),
        expires_in: String(body.expires_in),
        ext_expires_in: String(body.ext_expires_in),
        expires_on: String(claims.exp),
        not_before: String(claims.nbf),
        resource: String(claims.aud),
        access_token: body.access_token,
        ...(body.refresh_token !== undefined ? { refresh_token: body.refresh_token } : {}),
        ...(FOCI_FAMILY.has(clientId) ? { foci: "1" } : {}),
        ...(body.id_token !== undefined ? { id_token: body.id_token } : {}),
      },
    };
  };

  const deviceAuthorizationV1 = (req: EmuRequest): EmuResponse => {
    const form = new URLSearchParams(formOf(req));
    const resource = form.get("resource");
    if (!resource) throw missingParameter("resource");
    form.delete("resource");
    form.set("scope", v1Scope(resource)!);
    const out = deviceAuthorization(req, form);
    const body = out.body as Record<string, unknown>;
    return {
      ...out,
      body: {
        user_code: body.user_code,
        device_code: body.device_code,
        verification_url: body.verification_uri,
        expires_in: String(body.expires_in),
        interval: String(body.interval),
        message: body.message,
      },
    };
  };

  return { authorizeV1, tokenV1, deviceAuthorizationV1 };
}
