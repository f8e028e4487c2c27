import type { EmulatorContext } from "../../context.js";
import type { Route } from "../../http/types.js";

export function loginRoutes(_ctx: EmulatorContext): Route[] {
  return [];
}
