/**
 * The interactive app: a full-screen terminal UI with a header, a breadcrumb and the main menu.
 * Without a session, sign-in starts right there (the same way `teams login` signs in). Every way
 * out restores the terminal (raw mode off, main screen back, cursor shown).
 */
import { NotSignedInError } from "teams-api";
import type { App } from "../app.js";
import { run as login } from "../commands/auth/login.js";
import { oneLine } from "../render/sanitize.js";
import { chatScreen } from "./chat/view.js";
import { COMMAND, type Ctx } from "./context.js";
import { menu } from "./menu.js";
import { accountsScreen } from "./screens/accounts.js";
import { conversationsScreen, readScreen, sendScreen } from "./screens/chats.js";
import { chatWithScreen, newChatScreen } from "./screens/people.js";
import { Term } from "./term.js";
import { BACK, Ui } from "./ui.js";
import { wrapToWidth } from "./width.js";

export interface InteractiveOptions {
  /** Shown above the main menu (the demo says who you are and what to try). */
  banner?: string;
}

type Item = "chat" | "conversations" | "read" | "send" | "newchat" | "accounts" | "exit";

const MAIN_MENU: ReadonlyArray<{ label: string; value: Item }> = [
  { label: "Chat with someone", value: "chat" },
  { label: "Conversations", value: "conversations" },
  { label: "Read messages", value: "read" },
  { label: "Send a message", value: "send" },
  { label: "New chat", value: "newchat" },
  { label: "Accounts", value: "accounts" },
  { label: "Exit", value: "exit" },
];

const SCREENS: Record<Exclude<Item, "exit">, (ctx: Ctx) => Promise<unknown>> = {
  chat: chatWithScreen,
  conversations: conversationsScreen,
  read: readScreen,
  send: sendScreen,
  newchat: newChatScreen,
  accounts: accountsScreen,
};

/** The session, signing in first when there is none. */
async function ensureSession(app: App): Promise<boolean> {
  try {
    await app.session();
    return true;
  } catch (err) {
    if (!(err instanceof NotSignedInError) && (err as Error).name !== "NotSignedInError") throw err;
  }
  app.out.status(`You are not signed in yet; let's do that now (later, \`${COMMAND} login\` does the same).`);
  await login(app, {});
  await app.session();
  return true;
}

export async function runInteractive(app: App, options: InteractiveOptions = {}): Promise<void> {
  if (!(await ensureSession(app))) return;
  const client = await app.session();
  const me = await app.out.spin("Loading your profile…", client.whoami());
  const ui = new Ui(new Term(), app.out.c);
  ui.who = `${oneLine(me.displayName)} `;
  const ctx: Ctx = { app, ui, client, me };
  ui.start();
  let last: Item | undefined;
  try {
    for (;;) {
      const banner = options.banner;
      const choice = await menu<Item>(ui, {
        crumbs: [],
        title: "What would you like to do?",
        items: MAIN_MENU,
        back: null,
        ...(last ? { initial: last } : {}),
        ...(banner ? { content: (w: number) => [...wrapToWidth(banner, w), ""] } : {}),
      });
      if (choice === BACK || choice === "exit") return;
      last = choice;
      if ((await SCREENS[choice](ctx)) === "signed-out") return;
    }
  } finally {
    ui.stop();
  }
}

export { chatScreen };
