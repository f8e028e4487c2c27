import { AUDIENCES, CONSUMER_SPACES_SCOPE, parseRegistration } from "@teams-api/protocol";
import {
  type Caller,
  type EmuRequest,
  type EmuResponse,
  HttpError,
  route,
  type ServiceTable,
} from "../../http/types.js";
import type { RegistrarStore } from "./store.js";

/**
 * The registrar (PROTOCOL.md §7.8, §7.11): `POST …/registrations` → 202 empty, `DELETE
 * …/registrations/{id}` → 202. Enterprise `/registrar/prod/V2/registrations` and the consumer
 * `…/prod/v2/…` spelling. Auth, declared: `X-Skypetoken` (§7.8), or a bearer alone — the IC3
 * token `/v4/c` clients register with (§7.10), or Skype Spaces (PT sends both).
 */
export function registrarRoutes(store: RegistrarStore): ServiceTable {
  const post = (req: EmuRequest, { user }: Caller): EmuResponse => {
    const parsed = parseRegistration(req.json());
    if (typeof parsed === "string") throw new HttpError(400, parsed);
    store.put(user.mri, parsed);
    return { status: 202 };
  };
  const del = (req: EmuRequest, { user }: Caller): EmuResponse => {
    if (!store.delete(user.mri, req.params.id ?? "")) throw new HttpError(404, "Registration not found.");
    return { status: 202 };
  };
  // Below `/registrar` (teams.microsoft.com, edge.skype.com, the emulator's origin).
  const base = "^/prod/[Vv]2/registrations";
  const auth = { bearer: [AUDIENCES.ic3, AUDIENCES.spaces, CONSUMER_SPACES_SCOPE], skypetoken: true } as const;
  return {
    service: "trouter",
    routes: [
      route("POST", new RegExp(`${base}/?$`), auth, post),
      route("DELETE", new RegExp(`${base}/(?<id>[^/]+)$`), auth, del),
    ],
  };
}
