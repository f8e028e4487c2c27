/**
 * Automated browser sign-in (the seed's option A): playwright-core drives a Chromium-family browser
 * already on the machine (Debian `chromium`, Chrome, Edge, or `TEAMS_BROWSER`) to the authorize
 * address of the Teams desktop client with PKCE S256 and its native redirect. The person signs in
 * in that window (headed); tests run it headless and fill the form. The code is taken from the
 * redirect as the browser is sent there — never loaded, nothing to paste — and redeemed with the
 * PKCE verifier. playwright-core is an optional dependency; without it or a browser, one sentence
 * names the other ways to sign in.
 */
import { createHash, X509Certificate } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { OIDC_SCOPES } from "@teams-api/protocol";
import type { Browser, Page, Request, Route } from "playwright-core";
import { AbortError, AuthenticationError, TeamsError, TimeoutError } from "../errors.js";
import { type Env, proxyFromEnv } from "../http/fetch.js";
import {
  authorizeUrl,
  callbackParams,
  type LoginDeps,
  type LoginResult,
  newPkce,
  redeem,
  signInAudience,
} from "./login.js";
import { aadstsSentence } from "./messages.js";
import { scopeForAudience } from "./profiles.js";

export interface AutomatedBrowserOptions {
  /**
   * Run without a window (tests, CI). A person signs in in a visible window.
   * @default false when a display is available
   */
  headless?: boolean;
  /** Fill the sign-in form with these credentials (tests and demo users); a person types them otherwise. */
  fill?: { username: string; password: string } | undefined;
  /** Prefill the account on the sign-in page. */
  loginHint?: string | undefined;
  /** Browser executable. @default env TEAMS_BROWSER, else the first Chromium-family browser found */
  executablePath?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** Where Chromium-family browsers live, most likely first. */
const CANDIDATES: Readonly<Record<string, readonly string[]>> = {
  linux: [
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/snap/bin/chromium",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
    "/usr/bin/microsoft-edge",
    "/usr/bin/microsoft-edge-stable",
  ],
  darwin: [
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
  ],
  win32: [
    "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
    "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe",
    "C:\\Program Files\\Microsoft\\Edge\\Application\\msedge.exe",
  ],
};

/** The browser to drive: TEAMS_BROWSER when it exists, else the first known install; undefined when none. */
export function findBrowser(env: Env, platform: NodeJS.Platform = process.platform): string | undefined {
  const fromEnv = env.TEAMS_BROWSER?.trim();
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  return (CANDIDATES[platform] ?? []).find((p) => existsSync(p));
}

export const NO_AUTOMATED_BROWSER =
  "Automated browser sign-in needs the optional playwright-core package and a Chromium-family browser (set TEAMS_BROWSER to one); sign in instead with `teams login --device-code`, `teams login --no-browser` (paste the address), or `teams login --refresh-token-stdin`.";

/** playwright-core when it is installed, else undefined. */
/**
 * The browser reaches the sign-in service the way the rest of the client does: through
 * HTTPS_PROXY (or HTTP_PROXY), honouring NO_PROXY, and trusting the extra CAs Node trusts
 * (NODE_EXTRA_CA_CERTS, e.g. a corporate TLS-inspecting proxy's): Chromium takes those as the
 * public-key hashes whose chains it accepts.
 */
export function browserNetwork(env: Env): { proxy?: { server: string; bypass?: string }; args: string[] } {
  const p = proxyFromEnv(env);
  const server = p?.httpsProxy ?? p?.httpProxy;
  const hashes: string[] = [];
  const file = env.NODE_EXTRA_CA_CERTS?.trim();
  if (file) {
    try {
      for (const pem of readFileSync(file, "utf8").match(
        /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g,
      ) ?? []) {
        const spki = new X509Certificate(pem).publicKey.export({ type: "spki", format: "der" });
        hashes.push(createHash("sha256").update(spki).digest("base64"));
      }
    } catch {
      // Unreadable: Node itself only warns and goes on without them.
    }
  }
  return {
    ...(server ? { proxy: { server, ...(p?.noProxy ? { bypass: p.noProxy } : {}) } } : {}),
    args: hashes.length ? [`--ignore-certificate-errors-spki-list=${hashes.join(",")}`] : [],
  };
}

async function loadPlaywright(): Promise<typeof import("playwright-core") | undefined> {
  try {
    return await import("playwright-core");
  } catch {
    return undefined;
  }
}

/** Can this machine run the automated browser sign-in? (playwright-core importable and a browser found.) */
export async function automatedBrowserAvailable(env: Env): Promise<boolean> {
  return findBrowser(env) !== undefined && (await loadPlaywright()) !== undefined;
}

const NATIVE_REDIRECT_PATH = "/common/oauth2/nativeclient";

const DONE_PAGE = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Signed in to Teams</title></head>
<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:15vh auto"><h1>Signed in to Teams</h1>
<p>You can close this window and return to the terminal.</p></body></html>`;

export async function automatedBrowserLogin(
  deps: LoginDeps & { env: Env; clientId: string },
  options: AutomatedBrowserOptions = {},
): Promise<LoginResult> {
  const executablePath = options.executablePath ?? findBrowser(deps.env);
  const playwright = executablePath ? await loadPlaywright() : undefined;
  if (!executablePath || !playwright) throw new TeamsError("no_browser", NO_AUTOMATED_BROWSER);
  const headless = options.headless ?? (process.platform === "linux" && !deps.env.DISPLAY && !deps.env.WAYLAND_DISPLAY);

  const clientId = deps.clientId;
  const audience = signInAudience(deps.kindHint);
  const scope = `${scopeForAudience(audience)} ${OIDC_SCOPES}`;
  const redirectUri = `${deps.roots.loginUrl}${NATIVE_REDIRECT_PATH}`;
  // The real service registers its own host's nativeclient address for the desktop client.
  const registered = deps.roots.loginUrl.startsWith("http://")
    ? "https://login.microsoftonline.com/common/oauth2/nativeclient"
    : redirectUri;
  const pkce = await newPkce();
  const start = authorizeUrl(deps, {
    clientId,
    redirectUri: registered,
    scope,
    pkce,
    loginHint: options.fill?.username ?? options.loginHint,
  });

  let browser: Browser | undefined;
  const onAbort = (): void => void browser?.close().catch(() => {});
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const network = browserNetwork(deps.env);
    browser = await playwright.chromium.launch({
      executablePath,
      headless,
      ...(network.proxy ? { proxy: network.proxy } : {}),
      args: [
        ...network.args,
        ...(process.getuid?.() === 0 ? ["--no-sandbox"] : []),
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    const page = await browser.newPage();
    const redirected = captureRedirect(page, registered);
    deps.logger?.info(headless ? "Signing in with a headless browser." : "Finish signing in in the browser window.");
    await page.goto(start, { timeout: deps.loginTimeout });
    let outcome: Promise<string> = redirected;
    if (options.fill) {
      await fillSignIn(page, options.fill, deps.loginTimeout);
      // A filled form either redirects or shows the service's error: stop at whichever comes first.
      const refused = page
        .locator("[data-aadsts]")
        .first()
        .waitFor({ timeout: deps.loginTimeout })
        .then(async () => {
          throw (await pageError(page)) ?? new TeamsError("sign_in_failed", "The sign-in page refused the sign-in.");
        });
      refused.catch(() => {});
      outcome = Promise.race([redirected, refused]);
    }
    const landed = await withTimeout(outcome, deps.loginTimeout, options.signal, () => pageError(page));
    const tokens = await redeem(deps, {
      clientId,
      redirectUri: registered,
      scope,
      pkce,
      callback: callbackParams(landed),
      signal: options.signal,
    });
    return { tokens, clientId, audience };
  } catch (err) {
    if (options.signal?.aborted) throw new AbortError("The sign-in was cancelled.");
    if (err instanceof TeamsError) throw err;
    throw new TeamsError(
      "sign_in_failed",
      `The browser sign-in could not finish (${deps.redactor.string(firstLine(err))}); sign in instead with \`teams login --device-code\`.`,
    );
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    await browser?.close().catch(() => {});
  }
}

/** Resolves with the first address the browser is sent to under the redirect URI; answers it locally. */
function captureRedirect(page: Page, redirectUri: string): Promise<string> {
  return new Promise((resolve) => {
    const matches = (url: string): boolean => url.startsWith(redirectUri);
    page.on("request", (req: Request) => {
      if (matches(req.url())) resolve(req.url());
    });
    void page
      .route(
        (url) => matches(url.toString()),
        async (route: Route) => {
          resolve(route.request().url());
          await route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: DONE_PAGE });
        },
      )
      .catch(() => {});
  });
}

/** Fills the sign-in form: the user name (and Next, on pages that ask in two steps), then the password. */
async function fillSignIn(page: Page, fill: { username: string; password: string }, timeout: number): Promise<void> {
  const user = page.locator("input[name=loginfmt], input[name=login], input[type=email]").first();
  const password = page.locator("input[name=passwd], input[type=password]").first();
  const submit = page.locator("#idSIButton9, button[type=submit], input[type=submit]").first();
  await user.waitFor({ timeout });
  await user.fill(fill.username);
  if (!(await password.isVisible())) {
    await submit.click();
    await password.waitFor({ timeout });
  }
  await password.fill(fill.password);
  await submit.click();
}

/** The AADSTS error a sign-in page shows (the emulator's `data-aadsts`, or `AADSTS…` in the text). */
async function pageError(page: Page): Promise<AuthenticationError | undefined> {
  try {
    const marked = await page.locator("[data-aadsts]").first().getAttribute("data-aadsts", { timeout: 200 });
    const text = marked ? `AADSTS${marked}` : /AADSTS\d+/.exec(await page.content())?.[0];
    if (!text) return undefined;
    return new AuthenticationError(
      "sign_in_failed",
      aadstsSentence(text, "code") ?? `The sign-in page reported an error (${text}); start the sign-in again.`,
      { status: 0, serviceCode: text },
    );
  } catch {
    return undefined;
  }
}

/** Waits for the redirect; on timeout reports the page's own error when it shows one. */
async function withTimeout(
  redirected: Promise<string>,
  ms: number,
  signal: AbortSignal | undefined,
  onTimeout: () => Promise<Error | undefined>,
): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void onTimeout().then((err) =>
        reject(
          err ??
            new TimeoutError(
              `The browser sign-in did not finish within ${Math.round(ms / 1000)} s; run \`teams login\` again.`,
            ),
        ),
      );
    }, ms);
  });
  const aborted = new Promise<never>((_, reject) => {
    signal?.addEventListener("abort", () => reject(new AbortError("The sign-in was cancelled.")), { once: true });
  });
  try {
    return await Promise.race([redirected, expired, aborted]);
  } finally {
    clearTimeout(timer);
  }
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return (text.split("\n")[0] ?? "").replace(/[.\s]+$/, "").slice(0, 200);
}
