import { CONSUMER_TENANT_ID, orgidMri } from "@teams-api/protocol";

/**
 * The emulator's identity directory: tenants and users who can sign in. Demo ids match the
 * fictitious people of ../shared/protocol/samples (Alice, Bob, Carol the guest, tenant Contoso) so
 * sample exchanges replay against seeded state unchanged.
 */
export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly domain: string;
  readonly kind: "enterprise" | "consumer";
  readonly region: string;
  readonly partition: string;
}

export interface User {
  readonly oid: string;
  readonly mri: string;
  /** Sign-in name (UPN for enterprise, email for consumer). */
  readonly login: string;
  readonly password: string;
  readonly displayName: string;
  readonly givenName: string;
  readonly surname: string;
  readonly email: string;
  readonly upn: string;
  readonly tenantId: string;
  readonly kind: "enterprise" | "consumer";
  readonly userType: "Member" | "Guest";
  readonly jobTitle?: string;
  readonly department?: string;
  readonly location?: string;
  /** skypeid claim: MRI without `8:`. */
  readonly skypeId: string;
  /** No Teams license: authsvc answers 403 UserLicenseNotPresentForbidden. */
  readonly unlicensed?: boolean;
}

export const DEMO_PASSWORD = "teams-demo";

export const CONTOSO: Tenant = {
  id: "5c3e9a1d-8f2b-4d7a-9e61-0b4f2c8d7a10",
  name: "Contoso",
  domain: "contoso.com",
  kind: "enterprise",
  region: "emea",
  partition: "emea02",
};
export const FABRIKAM: Tenant = {
  id: "e1d2c3b4-a596-4788-9a0b-1c2d3e4f5a6b",
  name: "Fabrikam",
  domain: "fabrikam.com",
  kind: "enterprise",
  region: "amer",
  partition: "amer01",
};
export const CONSUMER: Tenant = {
  id: CONSUMER_TENANT_ID,
  name: "Microsoft Accounts",
  domain: "outlook.com",
  kind: "consumer",
  region: "amer",
  partition: "amer01",
};

function enterprise(
  oid: string,
  first: string,
  last: string,
  extra: Partial<Pick<User, "jobTitle" | "department" | "location" | "unlicensed">> = {},
): User {
  const email = `${first.toLowerCase()}@${CONTOSO.domain}`;
  return {
    oid,
    mri: orgidMri(oid),
    login: email,
    password: DEMO_PASSWORD,
    displayName: `${first} ${last}`,
    givenName: first,
    surname: last,
    email,
    upn: email,
    tenantId: CONTOSO.id,
    kind: "enterprise",
    userType: "Member",
    skypeId: `orgid:${oid}`,
    ...extra,
  };
}

/** Fresh copies of the demo directory. */
export function demoDirectory(): { tenants: Tenant[]; users: User[] } {
  const carolOid = "c0ffee00-1234-4abc-9def-0123456789ab";
  const users: User[] = [
    enterprise("2b7e4f10-6c1d-4e8a-a3f5-9d0c1b2e3f41", "Alice", "Example", {
      jobTitle: "Product Manager",
      department: "Product",
      location: "Lisbon",
    }),
    enterprise("9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", "Bob", "Example", {
      jobTitle: "Engineer",
      department: "R&D",
      location: "Lisbon",
    }),
    {
      oid: carolOid,
      mri: orgidMri(carolOid),
      login: "carol@fabrikam.com",
      password: DEMO_PASSWORD,
      displayName: "Carol Guest",
      givenName: "Carol",
      surname: "Guest",
      email: "carol@fabrikam.com",
      upn: "carol_fabrikam.com#EXT#@contoso.onmicrosoft.com",
      tenantId: CONTOSO.id,
      kind: "enterprise",
      userType: "Guest",
      skypeId: `orgid:${carolOid}`,
    },
    enterprise("d4a1e5b2-7c3f-4e09-8b6a-2f1d0c9e8b7a", "Dana", "Whitfield", {
      jobTitle: "Designer",
      department: "Product",
    }),
    enterprise("e5b2f6c3-8d4a-4f1a-9c7b-3a2e1d0f9c8b", "Evan", "Okafor", { jobTitle: "Engineer", department: "R&D" }),
    enterprise("f6c3a7d4-9e5b-4a2b-8d8c-4b3f2e1a0d9c", "Frank", "Moreau", {
      jobTitle: "Sales Lead",
      department: "Sales",
    }),
    enterprise("a7d4b8e5-0f6c-4b3c-9e9d-5c4a3f2b1e0d", "Uma", "Unlicensed", { unlicensed: true }),
    {
      oid: "00000000-0000-0000-1a2b-3c4d5e6f7081",
      mri: "8:live:.cid.1a2b3c4d5e6f7081",
      login: "grace@outlook.com",
      password: DEMO_PASSWORD,
      displayName: "Grace Lin",
      givenName: "Grace",
      surname: "Lin",
      email: "grace@outlook.com",
      upn: "grace@outlook.com",
      tenantId: CONSUMER.id,
      kind: "consumer",
      userType: "Member",
      skypeId: "live:.cid.1a2b3c4d5e6f7081",
    },
  ];
  return { tenants: [CONTOSO, FABRIKAM, CONSUMER], users };
}

export class Directory {
  readonly tenants: Tenant[];
  readonly users: User[];

  constructor(data = demoDirectory()) {
    this.tenants = data.tenants;
    this.users = data.users;
  }

  byMri(mri: string): User | undefined {
    return this.users.find((u) => u.mri.toLowerCase() === mri.toLowerCase());
  }
  byOid(oid: string): User | undefined {
    return this.users.find((u) => u.oid === oid);
  }
  /** By sign-in name, email or UPN, case-insensitively. */
  byLogin(name: string): User | undefined {
    const n = name.trim().toLowerCase();
    return this.users.find(
      (u) => u.login.toLowerCase() === n || u.email.toLowerCase() === n || u.upn.toLowerCase() === n,
    );
  }
  tenant(id: string): Tenant | undefined {
    return this.tenants.find((t) => t.id === id || t.domain === id);
  }
}
