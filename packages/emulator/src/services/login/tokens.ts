import type { TokenService } from "../../context.js";
import type { Directory } from "../../state/directory.js";

export interface TokenLifetimes {
  /** Access tokens (AAD). @default 3599 */
  accessTokenSec: number;
  /** Refresh tokens issued to SPA client ids (non-sliding). @default 86400 */
  spaRefreshTokenSec: number;
  /** Refresh tokens issued to public/native client ids. @default 7776000 */
  refreshTokenSec: number;
  /** Skypetokens. @default 86400 */
  skypeTokenSec: number;
}

export interface TokenServiceOptions {
  loginUrl: string;
  directory: Directory;
  now: () => number;
  lifetimes: TokenLifetimes;
}

/** Placeholder until services/login implements signing; replaced by the login service. */
export async function createTokenService(_options: TokenServiceOptions): Promise<TokenService> {
  throw new Error("token service not implemented yet");
}
