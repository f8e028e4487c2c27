import type { EmulatorContext } from "../../context.js";
import type { Route } from "../../http/types.js";

export function chatsvcRoutes(_ctx: EmulatorContext, _options: { seed: "demo" | "empty" }): Route[] {
  return [];
}
