p='/work/wt/hosts/packages/emulator/src/services/login/tokens.ts'
s=open(p).read()
old_iface='''/** The audience and `scp` claim an access token gets for the resource scopes of one request. */
export interface ResourceGrant {
  /** `aud` claim. */
  readonly audience: string;
  /** Scopes as requested (echoed in the token response `scope`). */
  readonly scopes: readonly string[];
  /** `scp` claim values. */
  readonly scp: readonly string[];
}'''
assert old_iface in s
s=s.replace(old_iface,'''/** The audience and `scp` claim an access token gets for the resource scopes of one request. */
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
};''')
old='''  if (scope.endsWith("/.default")) return { audience: scope.slice(0, -"/.default".length), scp: "user_impersonation" };'''
assert old in s
s=s.replace(old,'''  if (scope.endsWith("/.default")) {
    const audience = scope.slice(0, -"/.default".length);
    return { audience, scp: DEFAULT_GRANTS[audience] ?? "user_impersonation" };
  }''')
old2='''    return {
      oidc,
      grant: { audience: GRAPH_APP_ID, scopes: [], scp: [...oidc].filter((s) => s !== "offline_access") },
    };'''
assert old2 in s
s=s.replace(old2,'''    return {
      oidc,
      grant: { audience: GRAPH_APP_ID, scopes: [], scp: [...oidc].filter((s) => s !== "offline_access"), granted: [] },
    };''')
old3='''  return { oidc, grant: { audience, scopes: resourceScopes, scp: [...new Set(resolved.map((r) => r.scp))] } };'''
assert old3 in s
s=s.replace(old3,'''  // A requested `.default` becomes the permission it grants; a named scope is granted as named
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
  };''')
open(p,'w').write(s)

p='/work/wt/hosts/packages/emulator/src/services/login/token.ts'
s=open(p).read()
old='''      scope: [...parsed.grant.scopes, ...[...parsed.oidc].filter((s) => s !== "offline_access")].join(" "),'''
assert old in s, "token.ts"
s=s.replace(old,'''      // The granted scopes as full URIs, as AAD answers (§9.6), then the OIDC scopes.
      scope: [...parsed.grant.granted, ...[...parsed.oidc].filter((s) => s !== "offline_access")].join(" "),''')
open(p,'w').write(s)

p='/work/wt/hosts/packages/emulator/test/login.test.ts'
s=open(p).read()
old='''    assert.match(String(body.scope), /https:\\/\\/api\\.spaces\\.skype\\.com\\/\\.default/);'''
assert old in s, "login.test"
s=s.replace(old,'''    // The granted scope as a full URI (§9.6), not the requested `.default`.
    assert.match(String(body.scope), /(?:^| )https:\\/\\/api\\.spaces\\.skype\\.com\\/user_impersonation(?: |$)/);
    assert.doesNotMatch(String(body.scope), /\\.default/);''')
open(p,'w').write(s)
