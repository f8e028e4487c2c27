import { CONSUMER_TENANT_ID } from "@teams-api/protocol";
import type { Directory, Tenant, User } from "../../state/directory.js";

/**
 * Which tenants a user belongs to: the home tenant, plus guest memberships in other tenants
 * (B2B invitations). A guest has its own object id in the host tenant. Tokens acquired against a
 * guest tenant's authority carry that tenant's `tid` and the guest object id (PROTOCOL.md §1.5,
 * PT #73); authz refuses them with `GuestUserNotRedeemed` until the invitation is redeemed.
 */
export interface TenantMembership {
  readonly tenant: Tenant;
  /** The user's object id in this tenant (differs from the home oid for guests). */
  readonly oid: string;
  readonly userType: "Member" | "Guest";
  readonly isInvitationRedeemed: boolean;
  readonly countryLetterCode: string;
  readonly tenantType: string;
}

/** Guest memberships of the demo world, by home object id (matches samples/mt-profiles.json). */
const GUEST_MEMBERSHIPS: Readonly<
  Record<string, readonly { tenantId: string; oid: string; redeemed: boolean; country: string }[]>
> = {
  // Alice is invited to Fabrikam but has not redeemed the invitation.
  "2b7e4f10-6c1d-4e8a-a3f5-9d0c1b2e3f41": [
    {
      tenantId: "e1d2c3b4-a596-4788-9a0b-1c2d3e4f5a6b",
      oid: "44556677-8899-4aab-bccd-deeff0011223",
      redeemed: false,
      country: "US",
    },
  ],
};

const TENANT_COUNTRY: Readonly<Record<string, string>> = {
  "5c3e9a1d-8f2b-4d7a-9e61-0b4f2c8d7a10": "PT",
  "e1d2c3b4-a596-4788-9a0b-1c2d3e4f5a6b": "US",
  [CONSUMER_TENANT_ID]: "US",
};

/** Every tenant the user can sign in to, home tenant first. */
export function membershipsOf(directory: Directory, user: User): TenantMembership[] {
  const out: TenantMembership[] = [];
  const home = directory.tenant(user.tenantId);
  if (home) {
    out.push({
      tenant: home,
      oid: user.oid,
      userType: user.userType,
      isInvitationRedeemed: true,
      countryLetterCode: TENANT_COUNTRY[home.id] ?? "US",
      tenantType: home.kind === "consumer" ? "Consumer" : "Default",
    });
  }
  for (const g of GUEST_MEMBERSHIPS[user.oid] ?? []) {
    const tenant = directory.tenant(g.tenantId);
    if (!tenant) continue;
    out.push({
      tenant,
      oid: g.oid,
      userType: "Guest",
      isInvitationRedeemed: g.redeemed,
      countryLetterCode: g.country,
      tenantType: "Default",
    });
  }
  return out;
}

/** The user and membership a token subject (`oid` in tenant `tid`) names, if any. */
export function subjectOf(
  directory: Directory,
  oid: string,
  tid: string,
): { user: User; membership: TenantMembership } | undefined {
  for (const user of directory.users) {
    for (const m of membershipsOf(directory, user)) {
      if (m.oid === oid && m.tenant.id === tid) return { user, membership: m };
    }
  }
  return undefined;
}
