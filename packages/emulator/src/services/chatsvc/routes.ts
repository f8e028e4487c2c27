import type { EmulatorContext } from "../../context.js";
import type { Route } from "../../http/types.js";
import { ChatState, registerChatState } from "../../state/chat.js";
import { seedDemoChats } from "../../state/seed.js";
import { conversationRoutes } from "./conversations.js";
import { mutationRoutes } from "./mutations.js";
import { threadRoutes } from "./threads.js";

/**
 * The chat service (IC3, PROTOCOL.md §2) at the emulator's root — `regionGtms.chatService` — and
 * under the AFD proxy path `/api/chatsvc/<region>`. Called again on every reset: fresh state.
 */
export function chatsvcRoutes(ctx: EmulatorContext, options: { seed: "demo" | "empty" }): Route[] {
  const state = new ChatState({
    directory: ctx.directory,
    now: () => ctx.now(),
    base: ctx.regionGtms("enterprise").chatService,
    variants: ctx.variants,
    events: ctx.events,
  });
  if (options.seed === "demo") seedDemoChats(state);
  registerChatState(ctx, state);
  return [...conversationRoutes(ctx, state), ...mutationRoutes(ctx, state), ...threadRoutes(ctx, state)];
}
