import type { EmulatorContext } from "../../context.js";
import type { ServiceTable } from "../../http/types.js";
import { chatTables } from "./common.js";
import { conversationRoutes } from "./conversations.js";
import { mutationRoutes } from "./mutations.js";
import { threadRoutes } from "./threads.js";

/**
 * The chat service (IC3, PROTOCOL.md §2): the direct table (`regionGtms.chatService`) and the AFD
 * proxy table (`regionGtms.chatServiceAfd`), over the context's chat state.
 */
export function chatsvcRoutes(ctx: EmulatorContext): { direct: ServiceTable; afd: ServiceTable } {
  const state = ctx.chat;
  return chatTables(ctx, state, [
    ...conversationRoutes(ctx, state),
    ...mutationRoutes(ctx, state),
    ...threadRoutes(ctx, state),
  ]);
}
