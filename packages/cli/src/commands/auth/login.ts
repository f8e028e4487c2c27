import { spawn } from "node:child_process";
import type { Command } from "commander";
import type { Identity } from "teams-api";
import type { App } from "../../app.js";
import { UsageError } from "../../errors.js";
import { oneLine } from "../../render/sanitize.js";
import { readStdin } from "../../stdin.js";
import type { AppFor } from "../types.js";

export interface LoginOptions {
  /** Sign in with this user name on the sign-in page (with `passwordStdin`, or a hidden prompt on a terminal). */
  username?: string;
  /** Read the password from stdin. */
  passwordStdin?: boolean;
  /** Read a refresh token from stdin instead of signing in. */
  refreshTokenStdin?: boolean;
  /** False with `--no-browser`: print the URL and ask for the redirect URL instead of opening a browser. */
  browser?: boolean;
}

export function register(program: Command, appFor: AppFor): void {
  program
    .command("login")
    .description("sign in (opens the browser; or --username with --password-stdin, or --refresh-token-stdin)")
    .option("-u, --username <user>", "sign in as this user on the sign-in page")
    .option("--password-stdin", "read the password from stdin")
    .option("--refresh-token-stdin", "read a refresh token from stdin")
    .option("--no-browser", "do not open a browser: print the sign-in URL and paste the redirect URL back")
    .action(async (opts: LoginOptions, cmd: Command) => {
      await run(appFor(cmd), opts);
    });
}

export async function run(app: App, opts: LoginOptions): Promise<Identity> {
  const client = app.client();
  if (opts.refreshTokenStdin && (opts.username || opts.passwordStdin)) {
    throw new UsageError("Use either --refresh-token-stdin or --username with --password-stdin, not both.");
  }
  if (opts.passwordStdin && !opts.username) throw new UsageError("--password-stdin needs --username.");

  if (opts.refreshTokenStdin) {
    if (isTerminal(app)) throw new UsageError("--refresh-token-stdin reads the token from a pipe, not a terminal.");
    const token = (await readStdin(app.stdin)).trim();
    if (!token) throw new UsageError("No refresh token on stdin.");
    await app.out.spin("Signing in…", client.authenticateWithRefreshToken(token));
  } else if (opts.username) {
    const password = await readPassword(app, Boolean(opts.passwordStdin));
    await app.out.spin("Signing in…", client.signInWithPassword(opts.username, password));
  } else {
    await client.authenticate({
      openBrowser: async (url: string) => {
        if (opts.browser !== false && (await openInBrowser(url))) {
          app.out.status(`Finish signing in in your browser. If it did not open, visit:\n\n  ${url}\n`);
          return true;
        }
        return false;
      },
      readRedirectUrl:
        app.readRedirectUrl ??
        (async (url: string) => {
          if (!isTerminal(app)) {
            throw new UsageError(
              "Signing in through the browser needs a terminal; use --username with --password-stdin.",
            );
          }
          app.out.status(`Open this address in a browser and sign in:\n\n  ${url}\n`);
          app.out.status("The browser then lands on a page that may not load; copy that page's address.");
          const { input } = await import("@inquirer/prompts");
          return input({ message: "Paste the address here:", required: true }, { output: process.stderr });
        }),
    });
  }
  app.listings.clear();
  const me = await client.whoami();
  if (app.out.json) app.out.printJson(identityJson(me));
  else app.out.success(`Signed in as ${oneLine(me.displayName)}${me.email ? ` (${oneLine(me.email)})` : ""}.`);
  return me;
}

export function identityJson(me: Identity): Record<string, unknown> {
  return {
    mri: me.mri,
    displayName: me.displayName,
    email: me.email ?? null,
    tenantId: me.tenantId ?? null,
    kind: me.kind,
  };
}

function isTerminal(app: App): boolean {
  return Boolean((app.stdin as { isTTY?: boolean }).isTTY);
}

async function readPassword(app: App, fromStdin: boolean): Promise<string> {
  if (fromStdin) {
    if (isTerminal(app)) return promptPassword();
    const password = await readStdin(app.stdin);
    if (!password) throw new UsageError("No password on stdin.");
    return password;
  }
  if (!isTerminal(app)) throw new UsageError("Give the password with --password-stdin when not on a terminal.");
  return promptPassword();
}

async function promptPassword(): Promise<string> {
  const { password } = await import("@inquirer/prompts");
  return password({ message: "Password:", mask: true }, { output: process.stderr });
}

/** Opens the system browser; false when there is none to open (no display, no opener). */
function openInBrowser(url: string): Promise<boolean> {
  const platform = process.platform;
  if (platform === "linux" && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return Promise.resolve(false);
  const [cmd, args] =
    platform === "darwin"
      ? ["open", [url]]
      : platform === "win32"
        ? ["cmd", ["/c", "start", "", url]]
        : ["xdg-open", [url]];
  return new Promise((resolve) => {
    try {
      const child = spawn(cmd, args as string[], { stdio: "ignore", detached: true });
      child.once("error", () => resolve(false));
      child.once("spawn", () => {
        child.unref();
        resolve(true);
      });
    } catch {
      resolve(false);
    }
  });
}
