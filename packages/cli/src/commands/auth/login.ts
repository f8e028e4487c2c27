import { spawn } from "node:child_process";
import type { Command } from "commander";
import {
  automatedBrowserAvailable,
  DEFAULT_ACCOUNT,
  type DeviceCodePrompt,
  type Identity,
  type SignInOptions,
  type TenantInfo,
} from "teams-api";
import type { App } from "../../app.js";
import { UsageError } from "../../errors.js";
import { identityJson } from "../../render/json.js";
import { qrLines } from "../../render/qr.js";
import { oneLine } from "../../render/sanitize.js";
import type { AppFor } from "../../shared/command.js";
import { readStdin } from "../../stdin.js";

export interface LoginOptions {
  /** Sign in with this user name on the sign-in page (with `passwordStdin`, or a hidden prompt on a terminal). */
  username?: string;
  /** Read the password from stdin. */
  passwordStdin?: boolean;
  /** Read a refresh token from stdin instead of signing in. */
  refreshTokenStdin?: boolean;
  /**
   * True with `--browser`: the automated browser (playwright-core + Chromium) — a window for a
   * person, headless with a filled form when `--username` and `--password-stdin` are given. False
   * with `--no-browser`: print the URL and paste the redirect URL back.
   */
  browser?: boolean;
  /** `--device-code`: show a code to enter on any device (PROTOCOL.md §1.6). */
  deviceCode?: boolean;
  /** `--tenant`: sign in to this organization (guests, several organizations). */
  tenant?: string;
}

export function register(program: Command, appFor: AppFor): void {
  program
    .command("login")
    .description(
      "sign in (asks how on a terminal; --browser, --device-code, --no-browser, --refresh-token-stdin, or --username with --password-stdin)",
    )
    .option("--browser", "sign in in a browser window this app drives (playwright-core and Chromium)")
    .option("--no-browser", "do not open a browser: print the sign-in URL and paste the redirect URL back")
    .option("--device-code", "show a code to enter at the sign-in page on any device")
    .option("-u, --username <user>", "sign in as this user on the sign-in page")
    .option("--password-stdin", "read the password from stdin")
    .option("--refresh-token-stdin", "read a refresh token from stdin")
    .option("--tenant <tenant>", "sign in to this organization (tenant id or domain)")
    .action(async (opts: LoginOptions, cmd: Command) => {
      await run(appFor(cmd), opts);
    });
}

type Method = "refresh-token" | "password" | "automated-browser" | "device-code" | "system-browser" | "paste";

function hasDisplay(env: NodeJS.ProcessEnv): boolean {
  return process.platform !== "linux" || Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/** The one method the flags ask for, or undefined when they leave the choice open. */
function methodFromFlags(opts: LoginOptions): Method | undefined {
  const chosen = [
    opts.refreshTokenStdin && "--refresh-token-stdin",
    opts.deviceCode && "--device-code",
    opts.browser === true && "--browser",
    opts.browser === false && "--no-browser",
  ].filter(Boolean);
  if (chosen.length > 1) throw new UsageError(`Choose one way to sign in: ${chosen.join(" or ")}.`);
  if ((opts.username || opts.passwordStdin) && (opts.refreshTokenStdin || opts.deviceCode || opts.browser === false)) {
    throw new UsageError("--username and --password-stdin go with the sign-in page or --browser only.");
  }
  if (opts.refreshTokenStdin) return "refresh-token";
  if (opts.deviceCode) return "device-code";
  if (opts.browser === true) return "automated-browser";
  if (opts.browser === false) return "paste";
  if (opts.username || opts.passwordStdin) return "password";
  return undefined;
}

/** The best way to sign in here: asked on a terminal, else device code (or the browser for personal accounts). */
async function chooseMethod(app: App): Promise<Method> {
  const automated = hasDisplay(app.env) && (await automatedBrowserAvailable(app.env));
  if (!isTerminal(app)) return app.cloud === "consumer" ? "system-browser" : "device-code";
  const choices: Array<{ name: string; value: Method }> = [];
  if (automated) choices.push({ name: "In a browser window (recommended)", value: "automated-browser" });
  if (app.cloud !== "consumer") choices.push({ name: "With a code on any device (device code)", value: "device-code" });
  if (hasDisplay(app.env)) choices.push({ name: "In your default browser", value: "system-browser" });
  choices.push({ name: "Paste the address from a browser", value: "paste" });
  return app.out.select("How do you want to sign in?", choices);
}

export async function run(app: App, opts: LoginOptions): Promise<Identity> {
  const client = app.client();
  const method = methodFromFlags(opts) ?? (await chooseMethod(app));
  const saved = await client.savedAccount();
  const common: SignInOptions = {
    ...(opts.tenant ? { tenant: opts.tenant } : {}),
    chooseTenant: (tenants) => chooseTenant(app, tenants),
  };

  switch (method) {
    case "refresh-token": {
      if (isTerminal(app)) throw new UsageError("--refresh-token-stdin reads the token from a pipe, not a terminal.");
      const token = (await readStdin(app.stdin)).trim();
      if (!token) throw new UsageError("No refresh token on stdin.");
      await app.out.spin("Signing in…", client.authenticateWithRefreshToken(token));
      break;
    }
    case "password": {
      // The account's saved user name is used when none is given (e.g. after the session expired).
      const username = opts.username ?? saved?.username;
      if (!username) throw new UsageError("--password-stdin needs --username.");
      const password = await readPassword(app, Boolean(opts.passwordStdin));
      await app.out.spin("Signing in…", client.signInWithPassword(username, password, common));
      break;
    }
    case "automated-browser": {
      const username = opts.username ?? (opts.passwordStdin ? saved?.username : undefined);
      if (opts.passwordStdin && !username) throw new UsageError("--password-stdin needs --username.");
      const fill = username && opts.passwordStdin ? { username, password: await readPassword(app, true) } : undefined;
      if (!fill && !hasDisplay(app.env)) {
        throw new UsageError(
          "There is no display for a browser window here; sign in with `teams login --device-code`.",
        );
      }
      if (!fill) app.out.status("Sign in in the browser window that opens.");
      const signingIn = client.authenticateViaBrowser({
        ...common,
        headless: Boolean(fill),
        ...(fill ? { fill } : {}),
        ...(saved?.username ? { loginHint: saved.username } : {}),
      });
      await (fill ? app.out.spin("Signing in…", signingIn) : signingIn);
      break;
    }
    case "device-code":
      await client.authenticateWithDeviceCode({
        ...common,
        onCode: (prompt) => showDeviceCode(app, prompt),
      });
      break;
    case "system-browser":
    case "paste":
      await client.authenticate({
        ...common,
        openBrowser: async (url: string) => {
          if (method === "system-browser" && (await openInBrowser(url))) {
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
                "Signing in through the browser needs a terminal; use --device-code, or --username with --password-stdin.",
              );
            }
            app.out.status(`Open this address in a browser and sign in:\n\n  ${url}\n`);
            app.out.status("The browser then lands on a page that may not load; copy that page's address.");
            return app.out.input("Paste the address here:");
          }),
      });
      break;
  }
  app.listings.clear();
  const me = await client.whoami();
  if (app.out.json) app.out.printJson({ ...identityJson(me), account: client.account });
  else {
    const where = client.account === DEFAULT_ACCOUNT ? "" : `, account ${oneLine(client.account)}`;
    app.out.success(`Signed in as ${oneLine(me.displayName)}${me.email ? ` (${oneLine(me.email)})` : ""}${where}.`);
  }
  return me;
}

/** Shows the device code: the address, the code, and a QR code of the address on a terminal. */
function showDeviceCode(app: App, prompt: DeviceCodePrompt): void {
  const minutes = Math.max(1, Math.round((prompt.expiresAt - Date.now()) / 60_000));
  const url = oneLine(prompt.verificationUri);
  const code = oneLine(prompt.userCode);
  app.out.status(`To sign in, open ${url} on any device and enter the code ${code} (valid for ${minutes} min).`);
  if (app.out.statusIsTerminal) app.out.status(`\n${qrLines(url).join("\n")}\n`);
  app.out.status("Waiting for the sign-in to finish…");
}

/**
 * A guest refused by Teams (invitation not redeemed): on a terminal, pick another organization of
 * the account to sign in to instead; elsewhere nothing is chosen, and the one-sentence error names
 * `--tenant`.
 */
async function chooseTenant(app: App, tenants: TenantInfo[]): Promise<string | undefined> {
  if (!isTerminal(app) || tenants.length === 0) return undefined;
  return app.out.select(
    "Teams refused that organization (invitation not accepted). Sign in to which one instead?",
    tenants.map((t) => ({ name: oneLine(t.tenantName || t.tenantId), value: t.tenantId })),
  );
}

function isTerminal(app: App): boolean {
  return Boolean((app.stdin as { isTTY?: boolean }).isTTY);
}

async function readPassword(app: App, fromStdin: boolean): Promise<string> {
  if (fromStdin) {
    if (isTerminal(app)) return app.out.password("Password:");
    const password = await readStdin(app.stdin);
    if (!password) throw new UsageError("No password on stdin.");
    return password;
  }
  if (!isTerminal(app)) throw new UsageError("Give the password with --password-stdin when not on a terminal.");
  return app.out.password("Password:");
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
