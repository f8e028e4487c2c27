import type { Identity, RealtimeListener, TeamsClient } from "teams-api";
import type { App } from "../app.js";
import { describeError, isAuthFailure } from "../errors.js";
import { commandName } from "../invocation.js";
import { isCancel, type Ui } from "./ui.js";

/** How hints name this program: as it was started (see invocation.ts). */
export const COMMAND = commandName();

/** What every screen works with. */
export interface Ctx {
  app: App;
  ui: Ui;
  client: TeamsClient;
  me: Identity;
  /** Live push: connecting while `ready` is pending; `listener` once connected, `failed` says why not. */
  push: PushState;
}

export interface PushState {
  ready: Promise<RealtimeListener | undefined>;
  listener?: RealtimeListener;
  failed?: string;
}

/** Says why something failed in the status line: cancelled, session expired, or the error's sentence. */
export function explain(ctx: Ctx, err: unknown, prefix = ""): void {
  if (isCancel(err)) ctx.ui.notice("Cancelled.");
  else if (isAuthFailure(err)) {
    ctx.ui.notice(`${prefix}Your session has ended; sign in again with \`${COMMAND} login\`.`, "error");
  } else ctx.ui.notice(`${prefix}${describeError(err)}`, "error");
}
