/**
 * `teams auth status` as data: who is signed in where, and when each cached token expires —
 * tokens themselves only masked (their first characters and length), never whole.
 */
import type { Session } from "./session.js";

export interface TokenStatus {
  /** The audience (resource) the token is for, or `skypetoken`. */
  readonly audience: string;
  /** Epoch ms. */
  readonly expiresAt: number;
  /** e.g. `eyJ0…(1234 chars)` */
  readonly masked: string;
}

export interface AuthStatus {
  /** The account name in the token store (`default` unless named). */
  readonly account: string;
  readonly signedIn: boolean;
  readonly cloud: string;
  readonly kind?: "enterprise" | "consumer" | undefined;
  readonly tenantId?: string | undefined;
  readonly displayName?: string | undefined;
  readonly username?: string | undefined;
  readonly clientId?: string | undefined;
  /** Where the session rests (`file …` or `keyring …`). */
  readonly store: string;
  readonly refreshToken?: string | undefined;
  readonly tokens: readonly TokenStatus[];
  /** Set when the service refused this account's saved session (its code). */
  readonly expired?: string | undefined;
}

/** The first 4 characters and the length: enough to tell tokens apart, nothing to use. */
export function maskToken(token: string): string {
  return `${token.slice(0, 4)}…(${token.length} chars)`;
}

export function sessionStatus(
  session: Readonly<Session> | undefined,
  where: { account: string; cloud: string; store: string; expired?: string | undefined },
): AuthStatus {
  if (!session) return { ...where, signedIn: false, tokens: [] };
  const tokens: TokenStatus[] = Object.entries(session.accessTokens)
    .map(([audience, t]) => ({ audience, expiresAt: t.expiresAt, masked: maskToken(t.token) }))
    .sort((a, b) => a.audience.localeCompare(b.audience));
  if (session.skype) {
    tokens.push({ audience: "skypetoken", expiresAt: session.skype.expiresAt, masked: maskToken(session.skype.token) });
  }
  return {
    ...where,
    signedIn: true,
    cloud: session.cloud,
    kind: session.kind,
    tenantId: session.tenantId,
    displayName: session.account.name,
    username: session.account.username ?? session.skype?.signinName,
    clientId: session.clientId,
    refreshToken: maskToken(session.refreshToken),
    tokens,
  };
}
