/** Accounts: who is signed in, and signing out. */
import { oneLine } from "../../render/sanitize.js";
import { COMMAND, type Ctx, explain } from "../context.js";
import { menu } from "../menu.js";
import { BACK } from "../ui.js";

export async function accountsScreen(ctx: Ctx): Promise<"signed-out" | undefined> {
  const me = ctx.me;
  const c = ctx.ui.c;
  const content = [
    `${c.green("●")} ${c.bold(oneLine(me.displayName))}${me.email ? `  ${oneLine(me.email)}` : ""}`,
    c.dim(
      `  ${me.kind === "consumer" ? "personal Microsoft account" : "work or school account"} · ${ctx.client.cloud}`,
    ),
    "",
  ];
  const pick = await menu(ctx.ui, {
    crumbs: ["Accounts"],
    title: "Account",
    content,
    items: [{ label: "Sign out (forget this session on this computer)", value: "logout" as const }],
  });
  if (pick === BACK) return undefined;
  try {
    await ctx.ui.task("Signing out…", () => ctx.client.logout());
    ctx.app.listings.clear();
    ctx.ui.notice(`Signed out. \`${COMMAND}\` signs you in again.`, "ok");
    return "signed-out";
  } catch (err) {
    explain(ctx, err);
    return undefined;
  }
}
