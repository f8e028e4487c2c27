/**
 * Middle tier (PROTOCOL.md §6.2, §4.2): paths under `regionGtms.middleTier` (which ends before
 * `/beta`), their fixed query strings, and the contacts (buddy list) shapes.
 */
import { pathTemplate } from "./path-template.js";
import type { WireShortProfile } from "./wire.js";

export const MT_PATHS = {
  tenants: pathTemplate("/beta/users/tenants"),
  /** `{id}` is an MRI, an email address or a UPN. */
  user: pathTemplate<"id">("/beta/users/{id}/"),
  fetchShortProfile: pathTemplate("/beta/users/fetchShortProfile"),
  /** Federated (other-tenant, or other-cloud) short profiles. */
  fetchFederated: pathTemplate("/beta/users/fetchFederated"),
  /** Teams-for-life (consumer) profiles, asked by an enterprise user. */
  fetchTflConsumers: pathTemplate("/beta/users/fetchTflConsumers"),
  searchV2: pathTemplate("/beta/users/searchV2"),
  profilePicture: pathTemplate<"mri">("/beta/users/{mri}/profilepicturev2"),
  buddyList: pathTemplate("/beta/contacts/buddylist"),
} as const;

/** Type names the middle tier wraps answers in. */
export const MT_TYPES = {
  userIdentity: "Microsoft.SkypeSpaces.MiddleTier.Models.IUserIdentity",
  aadMember: "Microsoft.SkypeSpaces.MiddleTier.Models.AadMember",
} as const;

export const MT_QUERIES = {
  fetchShortProfile: {
    isMailAddress: "false",
    canBeSmtpAddress: "false",
    enableGuest: "true",
    includeIBBarredUsers: "true",
    skypeTeamsInfo: "true",
    includeBots: "true",
  },
  user: {
    throwIfNotFound: "false",
    isMailAddress: "true",
    enableGuest: "true",
    includeIBBarredUsers: "true",
    skypeTeamsInfo: "true",
  },
  searchV2: {
    includeDLs: "true",
    includeBots: "true",
    enableGuest: "true",
    source: "newChat",
    skypeTeamsInfo: "true",
  },
  buddyList: { migrationRequested: "true", federatedContactsSupported: "true" },
  profilePicture: { size: "HR64x64" },
} as const satisfies Record<string, Record<string, string>>;

/** The full profile (`GET /beta/users/{id}/`): the short profile plus these. */
export interface WireUserProfile extends WireShortProfile {
  mail?: string;
  sipAddress?: string;
  mobile?: string;
  telephoneNumber?: string;
  physicalDeliveryOfficeName?: string;
  isSipDisabled?: boolean;
  tenantId?: string;
  featureSettings?: Record<string, unknown>;
  skypeTeamsInfo?: { isSkypeTeamsUser: boolean };
}

export interface WireUserResponse {
  type: string;
  /** Missing when nobody matched and `throwIfNotFound=false`. */
  value?: WireUserProfile;
}

export interface WireSearchV2Response {
  value: WireShortProfile[];
}

export interface WireBuddy extends Partial<WireShortProfile> {
  mri: string;
  displayName?: string;
}

export interface WireBuddyGroup {
  id: string;
  displayName: string;
  buddies: WireBuddy[];
}

export interface WireBuddyListResponse {
  value: WireBuddyGroup[];
}

/** The buddies of a buddy-list answer, flattened (group name kept); malformed entries dropped. */
export function parseBuddyList(body: unknown): Array<WireBuddy & { group: string }> {
  const groups = body && typeof body === "object" ? (body as { value?: unknown }).value : undefined;
  if (!Array.isArray(groups)) return [];
  const out: Array<WireBuddy & { group: string }> = [];
  for (const g of groups) {
    if (!g || typeof g !== "object") continue;
    const group = typeof g.displayName === "string" ? g.displayName : "";
    const buddies: unknown = g.buddies;
    if (!Array.isArray(buddies)) continue;
    for (const b of buddies) {
      if (b && typeof b === "object" && typeof b.mri === "string" && b.mri) out.push({ ...b, group });
    }
  }
  return out;
}
