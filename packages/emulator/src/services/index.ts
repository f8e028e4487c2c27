import type { EmulatorContext } from "../context.js";
import { clockRoutes, type EmulatorClock } from "../control/clock.js";
import { controlRoutes } from "../control/routes.js";
import { joinTables } from "../hosts.js";
import type { ServiceTable } from "../http/types.js";
import { amsRoutes } from "./ams/routes.js";
import { authsvcRoutes } from "./authsvc/routes.js";
import { chatsvcRoutes } from "./chatsvc/routes.js";
import { csaRoutes } from "./csa/routes.js";
import { loginRoutes } from "./login/routes.js";
import { mtRoutes } from "./mt/routes.js";
import { presenceRoutes } from "./presence/routes.js";
import { registrarRoutes } from "./registrar/routes.js";
import { searchRoutes } from "./search/routes.js";
import { trouterControlRoutes, trouterRoutes } from "./trouter/routes.js";

/**
 * Every service's route tables, built over one context. A service with several tables has one per
 * place it is mounted (e.g. chat: the direct host and the AFD proxy path). `hosts.ts` mounts them.
 */
export interface Services {
  readonly login: { readonly sts: ServiceTable; readonly deviceLogin: ServiceTable; readonly msa: ServiceTable };
  readonly authsvc: { readonly enterprise: ServiceTable; readonly consumer: ServiceTable };
  readonly mt: { readonly enterprise: ServiceTable; readonly consumer: ServiceTable };
  readonly csa: ServiceTable;
  readonly chat: { readonly direct: ServiceTable; readonly afd: ServiceTable };
  /** At the root of the presence hosts (`direct`) and under `/ups/{region}` (`proxied`). */
  readonly presence: { readonly direct: ServiceTable; readonly proxied: ServiceTable };
  readonly ams: ServiceTable;
  /** Substrate query (`/searchservice`), suggestions (`/search`), consumer msgsearch. */
  readonly search: {
    readonly query: ServiceTable;
    readonly suggestions: ServiceTable;
    readonly consumer: ServiceTable;
  };
  readonly trouter: ServiceTable;
  readonly registrar: ServiceTable;
  readonly control: ServiceTable;
}

export function buildServices(ctx: EmulatorContext, clock: EmulatorClock, reset: () => void): Services {
  return {
    login: loginRoutes(ctx),
    authsvc: authsvcRoutes(ctx),
    mt: mtRoutes(ctx),
    csa: csaRoutes(ctx),
    chat: chatsvcRoutes(ctx),
    presence: presenceRoutes(ctx, ctx.presence),
    ams: amsRoutes(ctx),
    search: searchRoutes(ctx),
    trouter: trouterRoutes(ctx.trouter),
    registrar: registrarRoutes(ctx.trouter.registrar),
    control: joinTables(controlRoutes(ctx, reset), clockRoutes(clock), trouterControlRoutes(ctx, ctx.trouter)),
  };
}
