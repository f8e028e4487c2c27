import { HttpError } from "../../http/types.js";

/**
 * Scopes of a token request (PROTOCOL.md §1.3, §1.4, §9.6): which resource a scope names, the
 * audience and `scp` claim it grants, and the granted scopes as the token reply lists them.
 */

/** The audience and `scp` claim an access token gets for the resource scopes of one request. */
export interface ResourceGrant {
  /** `aud` claim. */
  readonly audience: string;
  /** Scopes as requested (kept with a refresh token: the default of a later refresh). */
  readonly scopes: readonly string[];
  /** `scp` claim values: the granted scope names without the resource prefix. */
  readonly scp: readonly string[];
  /**
   * The granted scopes as full scope URIs, as AAD lists them in the token reply's `scope`
   * (PROTOCOL.md §9.6): `https://substrate.office.com/SubstrateSearch-Internal.ReadWrite`, never the
   * requested `…/.default`.
   */
  readonly granted: readonly string[];
}

/**
 * What `<resource>/.default` grants the Teams clients, by resource (the pre-consented permission;
 * §9.6 names Substrate's, the rest are the permission each resource's tokens carry).
 */
const DEFAULT_GRANTS: Readonly<Record<string, string>> = {
  "https://api.spaces.skype.com": "user_impersonation",
  "https://chatsvcagg.teams.microsoft.com": "user_impersonation",
  "https://ic3.teams.office.com": "Teams.AccessAsUser.All",
  "https://presence.teams.microsoft.com": "user_impersonation",
  "https://substrate.office.com": "SubstrateSearch-Internal.ReadWrite",
  "https://graph.microsoft.com": "User.Read",
};

/** OIDC scopes that never name a resource. */
export const OIDC_SCOPE_SET: ReadonlySet<string> = new Set(["openid", "profile", "offline_access", "email"]);

/** Microsoft Graph, the resource AAD uses when only OIDC scopes are requested. */
const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

/**
 * The resource one scope names. `<resource>/.default` → the resource with `scp` user_impersonation;
 * consumer scopes (`service::…::MBI_SSL`, and for consumer accounts any URL scope such as
 * `https://mtsvc.fl.teams.microsoft.com/teams.mt.readwrite`) → the scope string itself; any other
 * URL scope → its origin, with the last path segment as `scp`.
 */
export function resourceOfScope(scope: string, consumer: boolean): { audience: string; scp: string } {
  if (scope.endsWith("/.default")) {
    const audience = scope.slice(0, -"/.default".length);
    return { audience, scp: DEFAULT_GRANTS[audience] ?? "user_impersonation" };
  }
  if (scope.startsWith("service::")) return { audience: scope, scp: scope.split("::")[2] ?? scope };
  const m = /^(https?:\/\/[^/]+)\/(.+)$/.exec(scope);
  if (m) {
    if (consumer) return { audience: scope, scp: m[2]! };
    return { audience: m[1]!, scp: m[2]! };
  }
  // A bare scope name (e.g. User.Read) is a Graph scope.
  return { audience: GRAPH_APP_ID, scp: scope };
}

/**
 * Splits a `scope` parameter into OIDC scopes and one resource grant. Throws an HttpError in the
 * AAD shape when the scopes name more than one resource (AADSTS28000).
 */
export function parseScopeParam(scopeParam: string, consumer: boolean): { oidc: Set<string>; grant: ResourceGrant } {
  const all = scopeParam.split(/\s+/).filter(Boolean);
  const oidc = new Set(all.filter((s) => OIDC_SCOPE_SET.has(s)));
  const resourceScopes = all.filter((s) => !OIDC_SCOPE_SET.has(s));
  if (resourceScopes.length === 0) {
    return {
      oidc,
      grant: { audience: GRAPH_APP_ID, scopes: [], scp: [...oidc].filter((s) => s !== "offline_access"), granted: [] },
    };
  }
  const resolved = resourceScopes.map((s) => resourceOfScope(s, consumer));
  const audience = resolved[0]!.audience;
  if (resolved.some((r) => r.audience !== audience)) {
    throw new HttpError(
      400,
      `Provided value for the input parameter scope '${resourceScopes.join(" ")}' is not valid because it contains more than one resource. Scope ${resourceScopes.join(" ")} is not valid.`,
      { aadError: "invalid_scope", aadCode: 28000 },
    );
  }
  // A requested `.default` becomes the permission it grants; a named scope is granted as named
  // (consumer `service::…` scopes and full URIs alike); a bare name is Microsoft Graph's.
  const granted = resourceScopes.map((r, i) => {
    const { audience: aud, scp } = resolved[i]!;
    if (r.endsWith("/.default")) return `${aud}/${scp}`;
    if (aud === GRAPH_APP_ID) return `https://graph.microsoft.com/${r}`;
    return r;
  });
  return {
    oidc,
    grant: {
      audience,
      scopes: resourceScopes,
      scp: [...new Set(resolved.map((r) => r.scp))],
      granted: [...new Set(granted)],
    },
  };
}
