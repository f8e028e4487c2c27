import { parseRegistration } from "@teams-api/protocol";
import type { EmulatorContext } from "../../context.js";
import { type EmuRequest, type EmuResponse, HttpError, type Route } from "../../http/types.js";
import type { User } from "../../state/directory.js";
import type { RegistrarStore } from "./store.js";

/**
 * The registrar (PROTOCOL.md §7.8, §7.11): `POST …/registrations` → 202 empty, `DELETE
 * …/registrations/{id}` → 202. Enterprise `/registrar/prod/V2/registrations` and the consumer
 * `…/prod/v2/…` spelling. Auth: `X-Skypetoken` (a Bearer sent alongside is not required).
 */
export function registrarRoutes(ctx: EmulatorContext, store: RegistrarStore): Route[] {
  const caller = (req: EmuRequest): User => {
    const token =
      req.headers["x-skypetoken"]?.trim() ?? /^\s*skypetoken=(.+)$/i.exec(req.headers.authentication ?? "")?.[1];
    if (!token) throw new HttpError(401, "Authentication failed. X-Skypetoken is required.");
    return ctx.tokens.verifySkypeToken(token).user;
  };
  const post = (req: EmuRequest): EmuResponse => {
    const user = caller(req);
    const parsed = parseRegistration(req.json());
    if (typeof parsed === "string") throw new HttpError(400, parsed);
    store.put(user.mri, parsed);
    return { status: 202 };
  };
  const del = (req: EmuRequest): EmuResponse => {
    const user = caller(req);
    if (!store.delete(user.mri, req.params.id ?? "")) throw new HttpError(404, "Registration not found.");
    return { status: 202 };
  };
  const base = "^/registrar/prod/[Vv]2/registrations";
  return [
    { method: "POST", pattern: new RegExp(`${base}/?$`), service: "trouter", handler: post },
    { method: "DELETE", pattern: new RegExp(`${base}/(?<id>[^/]+)$`), service: "trouter", handler: del },
  ];
}
