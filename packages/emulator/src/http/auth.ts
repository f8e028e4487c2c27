import {
  AUDIENCES,
  bearerFromHeaders,
  CONSUMER_MT_SCOPE,
  CONSUMER_SPACES_SCOPE,
  parseAmsCredential,
  skypeTokenFromHeaders,
  skypeTokensFromHeaders,
} from "@teams-api/protocol";
import type { EmulatorContext } from "../context.js";
import { type AuthSpec, type Caller, type EmuRequest, HttpError } from "./types.js";

/** The exact 401 the chat service answers (samples/errors.json). */
export const authFailed = (): HttpError => new HttpError(401, "Authentication failed.");

/**
 * The auth stage (GUIDE §4): checks what a route declared and returns the caller, or throws the
 * 401 the real service answers — the error mapper renders it in the mounted service's shape, and
 * bearer failures carry the `WWW-Authenticate` challenge. Handlers never parse credentials.
 */
export function createAuthenticator(ctx: EmulatorContext): (spec: AuthSpec, req: EmuRequest) => Caller | undefined {
  return (spec, req) => {
    if (spec === "none") return undefined;
    if (spec === "ams") return amsCaller(ctx, req);
    if (typeof spec === "object" && "presence" in spec) return presenceCaller(ctx, req, spec.presence);
    const acceptsSkype = spec === "skypetoken" || spec.skypetoken === true;
    const skypeTokens = acceptsSkype ? skypeTokensFromHeaders(req.headers) : [];
    for (const token of skypeTokens) {
      try {
        const skype = ctx.tokens.verifySkypeToken(token);
        return { user: skype.user, skype };
      } catch {
        // try the next header; none valid → 401 below
      }
    }
    // A skypetoken sent alongside wins: when one was sent and failed, the bearer is not consulted.
    if (spec === "skypetoken" || skypeTokens.length > 0) throw authFailed();
    if (!acceptsSkype) {
      const token = bearerFromHeaders(req.headers) || cookieBearer(req.headers.cookie);
      const bearer = ctx.tokens.verifyBearer(token, spec.bearer);
      return { user: bearer.user, bearer };
    }
    // The chat service answers its own bare 401 whatever was wrong with the bearer (samples/errors.json).
    try {
      const bearer = ctx.tokens.verifyBearer(bearerFromHeaders(req.headers), spec.bearer);
      return { user: bearer.user, bearer };
    } catch {
      throw authFailed();
    }
  };
}

/** AMS credentials (§5.1): the `skype_token` scheme or cookie, or an IC3 bearer with `x-ms-migration`. */
function amsCaller(ctx: EmulatorContext, req: EmuRequest): Caller {
  const credential = parseAmsCredential(req.headers.authorization, req.headers.cookie);
  switch (credential.kind) {
    case "none":
      throw new HttpError(401, "Authentication failed. No skype_token or Bearer credential was sent.");
    case "bearer": {
      if (req.headers["x-ms-migration"]?.toLowerCase() !== "true") {
        throw new HttpError(400, "A Bearer token needs the header x-ms-migration: True.");
      }
      const bearer = ctx.tokens.verifyBearer(credential.token, [AUDIENCES.ic3]);
      return { user: bearer.user, bearer };
    }
    default: {
      const skype = ctx.tokens.verifySkypeToken(credential.token);
      return { user: skype.user, skype };
    }
  }
}

/** Every audience the emulator's sign-in issues, to tell "wrong audience" from "bad token". */
const KNOWN_AUDIENCES = [...Object.values(AUDIENCES), CONSUMER_SPACES_SCOPE, CONSUMER_MT_SCOPE];

/** Unified presence (§3.1, §1.4, §9.1): a wrong but sound audience is sub-status 40102. */
function presenceCaller(ctx: EmulatorContext, req: EmuRequest, audiences: readonly string[]): Caller {
  const token = bearerFromHeaders(req.headers);
  if (!token) {
    const skypeToken = skypeTokenFromHeaders(req.headers);
    if (skypeToken) {
      const skype = ctx.tokens.verifySkypeToken(skypeToken);
      if (skype.user.kind === "consumer") return { user: skype.user, skype };
      throw new HttpError(401, "Token audience invalid", { code: 40102 });
    }
    throw new HttpError(401, "Authentication failed. The bearer token is missing.");
  }
  try {
    const bearer = ctx.tokens.verifyBearer(token, audiences);
    return { user: bearer.user, bearer };
  } catch (err) {
    // A sound token for another service: the real service's sub-status 40102 (§9.1).
    try {
      ctx.tokens.verifyBearer(token, KNOWN_AUDIENCES);
    } catch {
      throw err;
    }
    throw new HttpError(401, "Token audience invalid", { code: 40102 });
  }
}

/** The token of the picture cookie the web client sends (`authtoken=Bearer%3D<tok>%26Origin%3D…`), or "". */
function cookieBearer(cookie: string | undefined): string {
  const m = /(?:^|;\s*)authtoken=([^;]+)/.exec(cookie ?? "");
  if (!m) return "";
  try {
    return /^Bearer=([^&]+)/.exec(decodeURIComponent(m[1]!))?.[1] ?? "";
  } catch {
    return "";
  }
}
