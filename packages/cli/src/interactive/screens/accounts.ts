/** Accounts: who is signed in, the other saved accounts (switch to one), another sign-in, signing out. */
import { oneLine } from "../../render/sanitize.js";
import { COMMAND, type Ctx, explain } from "../context.js";
import { menu } from "../menu.js";
import { prompt } from "../prompt.js";
import { BACK } from "../ui.js";

export type AccountsResult = { switchTo: string } | "signed-out" | undefined;

const ACCOUNT_NAME = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$/;

export async function accountsScreen(ctx: Ctx): Promise<AccountsResult> {
  const crumbs = ["Accounts"];
  const me = ctx.me;
  const c = ctx.ui.c;
  const registry = ctx.client.accounts;
  const current = registry?.current();
  const others = (registry?.list() ?? []).filter((a) => a.name !== current);
  const content = [
    `${c.green("●")} ${c.bold(oneLine(me.displayName))}${me.email ? `  ${oneLine(me.email)}` : ""}${current ? c.dim(`  (account "${oneLine(current)}", in use)`) : ""}`,
    c.dim(
      `  ${me.kind === "consumer" ? "personal Microsoft account" : "work or school account"} · ${ctx.client.cloud}`,
    ),
    ...others.map(
      (a) =>
        `${a.expired ? c.red("●") : c.dim("○")} ${oneLine(a.displayName ?? a.name)}${a.username ? `  ${oneLine(a.username)}` : ""}${c.dim(`  (account "${oneLine(a.name)}"${a.expired ? ", signed out by the service" : ""})`)}`,
    ),
    "",
  ];
  type Pick = { switchTo: string } | "add" | "logout";
  const pick = await menu<Pick>(ctx.ui, {
    crumbs,
    title: "Accounts",
    content,
    items: [
      ...others.map((a) => ({
        label: `Switch to ${oneLine(a.displayName ?? a.name)}${a.username ? ` (${oneLine(a.username)})` : ""}`,
        value: { switchTo: a.name },
      })),
      ...(registry ? [{ label: "Sign in to another account…", value: "add" as const }] : []),
      { label: "Sign out of this account (forget its session on this computer)", value: "logout" as const },
    ],
  });
  if (pick === BACK) return undefined;
  if (pick === "add") {
    for (;;) {
      const name = await prompt(ctx.ui, {
        crumbs,
        id: "account-name",
        question: "A short name for the new account (e.g. work, personal):",
      });
      if (name === BACK) return undefined;
      if (ACCOUNT_NAME.test(name.trim()) && !registry?.get(name.trim())) return { switchTo: name.trim() };
      ctx.ui.drafts.set("account-name", name);
      ctx.ui.notice("Use letters, digits and . _ @ + - (up to 64), and a name not taken yet.", "warn");
    }
  }
  if (pick !== "logout") {
    try {
      await ctx.ui.task("Switching…", () => registry!.use(pick.switchTo));
      return pick;
    } catch (err) {
      explain(ctx, err);
      return undefined;
    }
  }
  try {
    await ctx.ui.task("Signing out…", () => ctx.client.logout());
    ctx.app.listings.clear();
    return "signed-out";
  } catch (err) {
    explain(ctx, err);
    return undefined;
  }
}

/** What the app says on the way out after signing out. */
export const SIGNED_OUT = `Signed out. \`${COMMAND}\` signs you in again.`;
