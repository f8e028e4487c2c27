/**
 * The pieces of the browser sign-in that touch the machine: opening the system browser, and the
 * loopback listener the sign-in service redirects back to (RFC 8252 §7.3).
 */
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { AbortError, TimeoutError } from "../errors.js";
import type { Env } from "../http/fetch.js";

/**
 * Opens `url` in the system browser: `open` (macOS), `rundll32 url.dll` (Windows, no shell
 * parsing of the URL), `xdg-open` (elsewhere, only with a desktop session). Resolves false when no
 * browser could be started; never throws.
 */
export function openSystemBrowser(
  url: string,
  env: Env,
  platform: NodeJS.Platform = process.platform,
): Promise<boolean> {
  let command: string;
  let args: string[];
  if (platform === "darwin") {
    command = "open";
    args = [url];
  } else if (platform === "win32") {
    command = "rundll32";
    args = ["url.dll,FileProtocolHandler", url];
  } else {
    if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return Promise.resolve(false);
    command = "xdg-open";
    args = [url];
  }
  return new Promise((resolve) => {
    let settled = false;
    const done = (ok: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(ok);
    };
    // Some openers stay in the foreground while the browser starts: no news within 3 s is good news.
    const timer = setTimeout(() => done(true), 3000);
    timer.unref?.();
    try {
      const child = spawn(command, args, {
        stdio: "ignore",
        detached: platform !== "win32",
        env: { ...env } as NodeJS.ProcessEnv,
      });
      child.once("error", () => done(false));
      child.once("exit", (code) => done(code === 0));
      child.unref();
    } catch {
      done(false);
    }
  });
}

export interface LoopbackListener {
  /** `http://127.0.0.1:<port>/` */
  readonly redirectUri: string;
  /** The redirect's parameters (query), once a request with the expected state arrives. */
  readonly result: Promise<URLSearchParams>;
  close(): Promise<void>;
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

function page(title: string, text: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1rem;color:#1b1b1b}h1{font-size:1.4rem}</style>
</head><body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></main></body></html>
`;
}

const PAGE_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
  "referrer-policy": "no-referrer",
};

/**
 * Listens on 127.0.0.1 (a free port) for the sign-in redirect. Only a request carrying the expected
 * `state` completes the sign-in; anything else gets an explanation and the listener keeps waiting.
 */
export async function startLoopbackListener(options: {
  expectedState: string;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}): Promise<LoopbackListener> {
  let resolveResult!: (p: URLSearchParams) => void;
  let rejectResult!: (e: unknown) => void;
  const result = new Promise<URLSearchParams>((res, rej) => {
    resolveResult = res;
    rejectResult = rej;
  });
  result.catch(() => {}); // observed by the caller; avoid an unhandled rejection if it never looks

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (req.method !== "GET" || url.pathname !== "/") {
      res.writeHead(404, PAGE_HEADERS).end(page("Not found", "This address only receives the Teams sign-in."));
      return;
    }
    const params = url.searchParams;
    if (!params.has("code") && !params.has("error")) {
      res
        .writeHead(400, PAGE_HEADERS)
        .end(page("Waiting for sign-in", "This address receives the Teams sign-in; nothing to do here yet."));
      return;
    }
    if (params.get("state") !== options.expectedState) {
      res
        .writeHead(400, PAGE_HEADERS)
        .end(
          page(
            "Sign-in not recognised",
            "This answer belongs to another sign-in attempt. Finish the sign-in in the most recent tab.",
          ),
        );
      return;
    }
    if (params.has("error")) {
      res
        .writeHead(200, PAGE_HEADERS)
        .end(
          page(
            "Sign-in failed",
            "The sign-in did not complete. Return to the terminal for details; you can close this tab.",
          ),
        );
    } else {
      res
        .writeHead(200, PAGE_HEADERS)
        .end(page("Signed in to Teams", "You can close this tab and return to the terminal."));
    }
    resolveResult(new URLSearchParams(params));
  });
  server.keepAliveTimeout = 1000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const timer = setTimeout(
    () =>
      rejectResult(
        new TimeoutError(
          `The browser sign-in did not finish within ${Math.round(options.timeoutMs / 1000)} s; run \`teams login\` again.`,
        ),
      ),
    options.timeoutMs,
  );
  const onAbort = (): void => rejectResult(new AbortError("The sign-in was cancelled."));
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      server.close(() => resolve());
      server.closeIdleConnections();
      setImmediate(() => server.closeAllConnections());
    });
    return closed;
  };
  return { redirectUri: `http://127.0.0.1:${port}/`, result, close };
}

/**
 * The default paste prompt: shows the sign-in address on stderr and reads the pasted redirect
 * address from stdin. Only when stdin is a terminal; otherwise undefined.
 */
export function terminalRedirectPrompt(): ((authorizeUrl: string) => Promise<string>) | undefined {
  if (!process.stdin.isTTY) return undefined;
  return async (authorizeUrl) => {
    const { createInterface } = await import("node:readline/promises");
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      process.stderr.write(
        `Open this address in a browser and sign in:\n\n  ${authorizeUrl}\n\nThe browser then lands on a page that may not load; copy its whole address from the address bar.\n`,
      );
      return await rl.question("Paste the address here: ");
    } finally {
      rl.close();
    }
  };
}
