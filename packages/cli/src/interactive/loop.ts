/**
 * The interactive app: a full-screen terminal UI with a header, a breadcrumb and the main menu.
 * Without a session, sign-in starts right there (the same way `teams login` signs in). Every way
 * out restores the terminal (raw mode off, main screen back, cursor shown).
 */
import { NotSignedInError } from "teams-api";
import { App } from "../app.js";
import { run as login } from "../commands/auth/login.js";
import { oneLine } from "../render/sanitize.js";
import { COMMAND, type Ctx } from "./context.js";
import { startPush } from "./live.js";
import { menu } from "./menu.js";
import { type AccountsResult, accountsScreen, SIGNED_OUT } from "./screens/accounts.js";
import { conversationsScreen, readScreen, sendScreen } from "./screens/chats.js";
import { eventsScreen } from "./screens/events.js";
import { searchScreen, uploadScreen } from "./screens/files.js";
import { chatWithScreen, newChatScreen } from "./screens/people.js";
import { checkPresenceScreen, refreshOwnStatus, setStatusScreen } from "./screens/presence.js";
import { Term } from "./term.js";
import { BACK, Ui } from "./ui.js";
import { wrapToWidth } from "./width.js";

export interface InteractiveOptions {
  /** Shown above the main menu (the demo says who you are and what to try). */
  banner?: string;
}

const MAIN_MENU = [
  { label: "Chat with someone", value: "chat" },
  { label: "Conversations", value: "conversations" },
  { label: "Read messages", value: "read" },
  { label: "Send a message", value: "send" },
  { label: "Check presence", value: "presence" },
  { label: "Set my status", value: "status" },
  { label: "Search messages", value: "search" },
  { label: "New chat", value: "newchat" },
  { label: "Live events", value: "events" },
  { label: "Upload a file", value: "upload" },
  { label: "Accounts", value: "accounts" },
  { label: "Exit", value: "exit" },
] as const;

type Item = (typeof MAIN_MENU)[number]["value"];

const SCREENS: Record<Exclude<Item, "exit" | "accounts">, (ctx: Ctx) => Promise<unknown>> = {
  chat: chatWithScreen,
  conversations: conversationsScreen,
  read: readScreen,
  send: sendScreen,
  presence: checkPresenceScreen,
  status: setStatusScreen,
  search: searchScreen,
  upload: uploadScreen,
  newchat: newChatScreen,
  events: eventsScreen,
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
  // The same choice `teams login` offers on a terminal (issue 10: the best available way).
  await login(app, {});
  await app.session();
  return true;
}

export async function runInteractive(app: App, options: InteractiveOptions = {}): Promise<void> {
  let current = app;
  for (;;) {
    const next = await runApp(current, options);
    if (next === "signed-out") {
      current.out.status(SIGNED_OUT);
      return;
    }
    if (next === undefined) return;
    // Another account: a fresh client for it (signing in first when it has no session yet).
    current = new App(current.globals, { env: { ...current.env, TEAMS_ACCOUNT: next.switchTo } });
  }
}

async function runApp(app: App, options: InteractiveOptions): Promise<AccountsResult> {
  if (!(await ensureSession(app))) return undefined;
  const client = await app.session();
  const me = await app.out.spin("Loading your profile…", client.whoami());
  const ui = new Ui(new Term(), app.out.c);
  ui.who = `${oneLine(me.displayName)} `;
  ui.waitNote = () => app.out.waitNote();
  const ctx: Ctx = { app, ui, client, me, push: startPush({ client }) };
  ui.start();
  // While the app runs, this is a running Teams client: the presence endpoint says so.
  void client.presence
    .start()
    .catch(() => {})
    .then(() => refreshOwnStatus(ctx));
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
      if (choice === BACK || choice === "exit") return undefined;
      last = choice;
      if (choice === "accounts") {
        const result = await accountsScreen(ctx);
        if (result) return result;
      } else await SCREENS[choice](ctx);
    }
  } finally {
    ui.stop();
    await Promise.all([client.presence.stop().catch(() => {}), client.stopRealtime().catch(() => {})]);
  }
}
