/**
 * What the tokens say about the account: the id_token's name and user name (never verified — it
 * only names the account) and the identity built from the skypetoken's claims (§1.7).
 */
import { decodeJwtPayload, mriFromSkypeId, orgidMri } from "@teams-api/protocol";
import { ProtocolError } from "../errors.js";
import type { Identity } from "../http/types.js";
import { skypeTokenClaims } from "./authz.js";
import type { AccountInfo, Session } from "./session.js";

/** Claims of an id_token this library reads. */
export interface IdClaims {
  tid?: string;
  oid?: string;
  name?: string;
  preferred_username?: string;
  upn?: string;
  email?: string;
}

export function idTokenClaims(idToken: string | undefined): IdClaims | undefined {
  if (!idToken) return undefined;
  try {
    return decodeJwtPayload(idToken) as IdClaims;
  } catch {
    return undefined;
  }
}

/** The account's name, user name and object id from id_token claims, over what was known. */
export function accountFrom(claims: IdClaims | undefined, previous: AccountInfo = {}): AccountInfo {
  if (!claims) return previous;
  const username = claims.preferred_username ?? claims.upn ?? claims.email;
  return {
    ...previous,
    ...(claims.name ? { name: claims.name } : {}),
    ...(username ? { username } : {}),
    ...(claims.oid ? { oid: claims.oid } : {}),
  };
}

/** Who is signed in: the skypetoken's claims plus the id_token's name and user name. */
export function buildIdentity(s: Session, sk: NonNullable<Session["skype"]>): Identity {
  const claims = skypeTokenClaims(sk.token);
  const skypeId = sk.skypeId ?? (typeof claims?.skypeid === "string" ? claims.skypeid : undefined);
  const mri = skypeId ? mriFromSkypeId(skypeId) : s.account.oid ? orgidMri(s.account.oid) : undefined;
  if (!mri) throw new ProtocolError("The skypetoken does not name the signed-in user (no skypeid claim).");
  const email = s.account.username ?? sk.signinName;
  return {
    mri,
    displayName: s.account.name ?? email ?? mri,
    tenantId: s.tenantId ?? (typeof claims?.tid === "string" ? claims.tid : undefined),
    kind: s.kind,
    email,
  };
}
