import type { EmulatorContext } from "../../context.js";
import type { Route } from "../../http/types.js";

export function mtRoutes(_ctx: EmulatorContext): Route[] {
  return [];
}
