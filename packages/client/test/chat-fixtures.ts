/**
 * Fixtures for the services' integration tests: the demo world's ids, signed-in clients for the
 * demo users, and a fetch wrapper that records what the client sent (bodies included, header
 * names but never their values, so no token can reach test output).
 */

import { after, before, beforeEach } from "node:test";
import { DEMO_CHAT_IDS, type Emulator } from "@teams-api/emulator";
import type { FetchLike } from "../src/http/fetch.js";
import type { TeamsClient, TeamsClientOptions } from "../src/index.js";
import { clientFor, emulator, libraryFetch, PASSWORD } from "./auth-helpers.js";

export const MRI = {
  alice: "8:orgid:2b7e4f10-6c1d-4e8a-a3f5-9d0c1b2e3f41",
  bob: "8:orgid:9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
  carol: "8:orgid:c0ffee00-1234-4abc-9def-0123456789ab",
  dana: "8:orgid:d4a1e5b2-7c3f-4e09-8b6a-2f1d0c9e8b7a",
  evan: "8:orgid:e5b2f6c3-8d4a-4f1a-9c7b-3a2e1d0f9c8b",
  frank: "8:orgid:f6c3a7d4-9e5b-4a2b-8d8c-4b3f2e1a0d9c",
  grace: "8:live:.cid.1a2b3c4d5e6f7081",
} as const;

export const LOGIN = {
  alice: "alice@contoso.com",
  bob: "bob@contoso.com",
  carol: "carol@fabrikam.com",
  dana: "dana@contoso.com",
  evan: "evan@contoso.com",
  frank: "frank@contoso.com",
  grace: "grace@outlook.com",
} as const;

/** The seeded conversations, as the emulator's demo world defines them. */
export const CHAT = { ...DEMO_CHAT_IDS, notes: "48:notes" } as const;

export interface Sent {
  readonly method: string;
  readonly path: string;
  readonly search: URLSearchParams;
  /** The request body as text ("" when none). */
  readonly body: string;
  /** Header names only (lower-case), with the auth scheme word for `authorization` — never a value. */
  readonly headerNames: string[];
  readonly authScheme: string | undefined;
}

/** Wraps the real fetch and records method, decoded path, query and body of every request. */
export function recordingFetch(): { fetch: FetchLike; sent: Sent[]; matching(method: string, path: RegExp): Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    fetch: (input, init) => {
      const url = new URL(String(input));
      let path = url.pathname;
      try {
        path = decodeURIComponent(path);
      } catch {
        // keep it raw
      }
      const body = typeof init?.body === "string" ? init.body : "";
      const headers = new Headers(init?.headers);
      sent.push({
        method: (init?.method ?? "GET").toUpperCase(),
        path,
        search: url.searchParams,
        body,
        headerNames: [...headers.keys()],
        authScheme: headers.get("authorization")?.split(" ")[0],
      });
      return libraryFetch(input, init);
    },
    matching: (method, path) => sent.filter((s) => s.method === method && path.test(s.path)),
  };
}

/** A client signed in as a demo user. */
export async function signedIn(
  emu: Emulator,
  who: keyof typeof LOGIN,
  options: TeamsClientOptions = {},
): Promise<TeamsClient> {
  const client = clientFor(emu, options);
  await client.signInWithPassword(LOGIN[who], PASSWORD);
  return client;
}

/** POSTs a fault to the emulator's control plane; returns its id. */
export async function addFault(emu: Emulator, spec: Record<string, unknown>): Promise<number> {
  const res = await fetch(`${emu.origin}/_emulator/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(spec),
  });
  const body = (await res.json()) as { id?: number };
  if (res.status !== 201 || typeof body.id !== "number") throw new Error(`fault not created (HTTP ${res.status})`);
  return body.id;
}

/** The faults now active, with how often each was hit. */
export async function listFaults(emu: Emulator): Promise<Array<{ id: number; hits: number; status?: number }>> {
  const res = await fetch(`${emu.origin}/_emulator/faults`);
  return ((await res.json()) as { faults: Array<{ id: number; hits: number; status?: number }> }).faults;
}

export async function clearFaults(emu: Emulator): Promise<void> {
  const res = await fetch(`${emu.origin}/_emulator/faults`, { method: "DELETE" });
  await res.arrayBuffer();
}

/** Runs `fn` for 0…n-1 with at most `limit` running at once; results in order. */
export async function pool<T>(n: number, limit: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out = new Array<T>(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await fn(i);
      }
    }),
  );
  return out;
}

/**
 * The world of the send-under-faults suites, for one `describe`: a fresh emulator, Alice signed in
 * through a recording fetch (with `aliceOptions`), Bob signed in plainly; faults and the record
 * cleared before each test, the emulator closed after.
 */
export function sendWorld(aliceOptions: TeamsClientOptions): {
  readonly emu: Emulator;
  readonly alice: TeamsClient;
  readonly bob: TeamsClient;
  readonly rec: ReturnType<typeof recordingFetch>;
} {
  const rec = recordingFetch();
  let emu: Emulator | undefined;
  let alice: TeamsClient | undefined;
  let bob: TeamsClient | undefined;
  before(async () => {
    emu = await emulator();
    alice = await signedIn(emu, "alice", { fetch: rec.fetch, ...aliceOptions });
    bob = await signedIn(emu, "bob");
  });
  beforeEach(async () => {
    await clearFaults(emu!);
    rec.sent.length = 0;
  });
  after(async () => {
    await emu?.close();
  });
  return {
    get emu() {
      return emu!;
    },
    get alice() {
      return alice!;
    },
    get bob() {
      return bob!;
    },
    rec,
  };
}
