import { parseRegistration } from "@teams-api/protocol";
import {
  type EmuRequest,
  type EmuResponse,
  HttpError,
  route,
  type ServiceTable,
  type SkypeCaller,
} from "../../http/types.js";
import type { RegistrarStore } from "./store.js";

/**
 * The registrar (PROTOCOL.md §7.8, §7.11): `POST …/registrations` → 202 empty, `DELETE
 * …/registrations/{id}` → 202. Enterprise `/registrar/prod/V2/registrations` and the consumer
 * `…/prod/v2/…` spelling. Auth: `X-Skypetoken` (a Bearer sent alongside is not required).
 */
export function registrarRoutes(store: RegistrarStore): ServiceTable {
  const post = (req: EmuRequest, { user }: SkypeCaller): EmuResponse => {
    const parsed = parseRegistration(req.json());
    if (typeof parsed === "string") throw new HttpError(400, parsed);
    store.put(user.mri, parsed);
    return { status: 202 };
  };
  const del = (req: EmuRequest, { user }: SkypeCaller): EmuResponse => {
    if (!store.delete(user.mri, req.params.id ?? "")) throw new HttpError(404, "Registration not found.");
    return { status: 202 };
  };
  // Below `/registrar` (teams.microsoft.com, edge.skype.com, the emulator's origin).
  const base = String.raw`^/prod/[Vv]2/registrations`;
  return {
    service: "trouter",
    routes: [
      route("POST", new RegExp(`${base}/?$`), "skypetoken", post),
      route("DELETE", new RegExp(`${base}/(?<id>[^/]+)$`), "skypetoken", del),
    ],
  };
}
