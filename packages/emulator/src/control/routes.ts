import type { EmulatorContext } from "../context.js";
import type { Route } from "../http/types.js";

export function controlRoutes(_ctx: EmulatorContext, _reset: () => void): Route[] {
  return [];
}
