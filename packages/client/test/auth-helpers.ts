/**
 * Shared helpers for the client's integration tests: an emulator per suite, clients pointed at it,
 * a counting wrapper around the real fetch, a capturing logger, and raw drivers of the sign-in form.
 * Nothing here prints a token.
 */
import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Emulator, signInByForm as emulatorSignInByForm, startEmulator } from "@teams-api/emulator";
import { createDefaultFetch, type FetchLike } from "../src/http/fetch.js";
import { createNodeFetch } from "../src/http/node-fetch.js";
import type { Logger } from "../src/http/types.js";
import { TeamsClient, type TeamsClientOptions } from "../src/index.js";

export const PASSWORD = "teams-demo";
export const ALICE = "alice@contoso.com";
export const GRACE = "grace@outlook.com";

export async function emulator(options: Parameters<typeof startEmulator>[0] = {}): Promise<Emulator> {
  return startEmulator({ port: 0, ...options });
}

/** A client for the emulator: memory-only unless a store or session file is given, keyring off. */
export function clientFor(
  emu: Emulator,
  options: TeamsClientOptions = {},
  how: { defaultStore?: boolean } = {},
): TeamsClient {
  const memoryOnly = options.tokenFile === undefined && !how.defaultStore;
  return new TeamsClient({
    cloud: "emulator",
    // memory-only unless the test names a session file or asks for the default store
    ...(memoryOnly ? { tokenStore: false as const } : {}),
    maxRetries: 3,
    ...options,
    env: { ...emu.env(), TEAMS_KEYRING: "0", ...(options.env ?? {}) },
  });
}

export interface Call {
  readonly method: string;
  readonly url: URL;
  /** performance.now() when the request left. */
  readonly at: number;
  readonly headers: Headers;
}

/** The fetch a TeamsClient uses by default (no proxy): its own on node:http, global fetch for redirects. */
export const libraryFetch: FetchLike = createDefaultFetch({}, createNodeFetch({}));

/** Both fetches the transport runs on: the library's own, and Node's global fetch (injectable). */
export const FETCHES: ReadonlyArray<readonly [name: string, fetch: FetchLike]> = [
  ["the library's own fetch", libraryFetch],
  ["Node's global fetch", (i, init) => fetch(i, init)],
];

/** Wraps the library's default fetch and records every request; emits "call" as each one starts. */
export function countingFetch(inner: FetchLike = libraryFetch): {
  fetch: FetchLike;
  calls: Call[];
  events: EventEmitter;
  count(method: string, path: RegExp): number;
  reset(): void;
} {
  const calls: Call[] = [];
  const events = new EventEmitter();
  return {
    calls,
    events,
    fetch: (input, init) => {
      const call: Call = {
        method: (init?.method ?? "GET").toUpperCase(),
        url: new URL(String(input)),
        at: performance.now(),
        headers: new Headers(init?.headers),
      };
      calls.push(call);
      events.emit("call", call);
      return inner(input, init);
    },
    count: (method, path) => calls.filter((c) => c.method === method && path.test(c.url.pathname)).length,
    reset: () => {
      calls.length = 0;
    },
  };
}

export function captureLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (m: string) => lines.push(`${level} ${m}`);
  return { lines, logger: { debug: push("debug"), info: push("info"), warn: push("warn"), error: push("error") } };
}

/** POSTs to the emulator's control plane. */
export async function control(emu: Emulator, path: string, body?: unknown, method = "POST"): Promise<Response> {
  const res = await fetch(`${emu.origin}/_emulator${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (res.status >= 400) throw new Error(`control ${path} answered ${res.status}`);
  await res.arrayBuffer();
  return res;
}

/** What a person does in the browser: fill in the emulator's sign-in form (default password). */
export function signInByForm(authorizeUrl: string, username: string, password = PASSWORD): Promise<string> {
  return emulatorSignInByForm(authorizeUrl, username, password);
}

/** A tiny local HTTP server for transport edge cases the emulator cannot produce. */
export async function localServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ server: Server; origin: string; hits: number; close(): Promise<void> }> {
  const state = { hits: 0 };
  const server = createServer((req, res) => {
    state.hits++;
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    server,
    origin,
    get hits() {
      return state.hits;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Asserts helper: `text` holds none of `secrets` (never printing them). */
export function assertNoSecrets(text: string, secrets: readonly string[], where: string): void {
  for (const s of secrets) {
    if (s && text.includes(s)) throw new Error(`${where}: a secret appears (value withheld)`);
  }
}
