import type { EmulatorContext } from "../../context.js";
import type { Route } from "../../http/types.js";

export function authsvcRoutes(_ctx: EmulatorContext): Route[] {
  return [];
}
