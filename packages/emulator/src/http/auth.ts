import { AUDIENCES, parseAmsCredential } from "@teams-api/protocol";
import type { EmulatorContext } from "../context.js";
import { bearerFromHeaders } from "../services/login/tokens.js";
import { type AuthSpec, type Caller, type EmuRequest, HttpError } from "./types.js";

/** The exact 401 the chat service answers (samples/errors.json). */
export const authFailed = (): HttpError => new HttpError(401, "Authentication failed.");

/** Every skypetoken a request carries: `Authentication: skypetoken=…`, then `X-Skypetoken` (§2.2, §9.5). */
function skypeTokenCandidates(req: EmuRequest): string[] {
  const out: string[] = [];
  const m = /^\s*skypetoken=(.+)$/i.exec(req.headers.authentication ?? "");
  if (m?.[1]) out.push(m[1].trim());
  const x = req.headers["x-skypetoken"]?.trim();
  if (x) out.push(x);
  return out;
}

/**
 * The auth stage (GUIDE §4): checks what a route declared and returns the caller, or throws the
 * 401 the real service answers — the error mapper renders it in the mounted service's shape, and
 * bearer failures carry the `WWW-Authenticate` challenge. Handlers never parse credentials.
 */
export function createAuthenticator(ctx: EmulatorContext): (spec: AuthSpec, req: EmuRequest) => Caller | undefined {
  return (spec, req) => {
    if (spec === "none") return undefined;
    if (spec === "ams") return amsCaller(ctx, req);
    const acceptsSkype = spec === "skypetoken" || spec.skypetoken === true;
    const skypeTokens = acceptsSkype ? skypeTokenCandidates(req) : [];
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
      const bearer = ctx.tokens.verifyBearer(bearerFromHeaders(req.headers), spec.bearer);
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
