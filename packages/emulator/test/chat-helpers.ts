import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { type Emulator, type EmulatorOptions, startEmulator } from "../src/index.js";
import type { ChatEvent, ChatState } from "../src/state/chat.js";

/** Shared helpers for the chat service tests. Tokens stay inside: never printed, never in messages. */

// biome-ignore lint/suspicious/noExplicitAny: wire JSON in tests is untyped on purpose; assertions check it.
export type Json = any;

const SAMPLES = new URL("../../../../shared/protocol/samples/", import.meta.url);

export function sample<T = Json>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, SAMPLES), "utf8")) as T;
}

export const ALICE = "8:orgid:2b7e4f10-6c1d-4e8a-a3f5-9d0c1b2e3f41";
export const BOB = "8:orgid:9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
export const CAROL = "8:orgid:c0ffee00-1234-4abc-9def-0123456789ab";
export const DANA = "8:orgid:d4a1e5b2-7c3f-4e09-8b6a-2f1d0c9e8b7a";
export const EVAN = "8:orgid:e5b2f6c3-8d4a-4f1a-9c7b-3a2e1d0f9c8b";
export const FRANK = "8:orgid:f6c3a7d4-9e5b-4a2b-8d8c-4b3f2e1a0d9c";
export const GRACE = "8:live:.cid.1a2b3c4d5e6f7081";

export const ALICE_BOB = "19:2b7e4f10-6c1d-4e8a-a3f5-9d0c1b2e3f41_9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d@unq.gbl.spaces";
export const FALCON = "19:4f0e2d1c3b5a49788e6d5c4b3a291807@thread.v2";
export const GENERAL = "19:7d1e5c3a9b2f4e60a8c4d2e0f1b3a597@thread.tacv2";

/** Chat service paths for a conversation id (encoded, as clients send it). */
export const convPath = (cid: string): string => `/v1/users/ME/conversations/${encodeURIComponent(cid)}`;
export const messagesPath = (cid: string): string => `${convPath(cid)}/messages`;
export const messagePath = (cid: string, id: string): string => `${messagesPath(cid)}/${id}`;

export const TIMESTAMP_7 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/;

export interface Answer<T = Json> {
  status: number;
  headers: Headers;
  text: string;
  json: T;
}

/** A started emulator plus per-user chat clients. */
export class ChatWorld {
  private constructor(
    readonly emu: Emulator,
    private readonly tokens: Map<string, string>,
  ) {}

  static async start(options: EmulatorOptions = {}): Promise<ChatWorld> {
    const emu = await startEmulator({ port: 0, ...options });
    return new ChatWorld(emu, new Map());
  }

  get origin(): string {
    return this.emu.origin;
  }

  get state(): ChatState {
    return this.emu.context.chat;
  }

  /** Records every event the chat state emits from now on. */
  events(): ChatEvent[] {
    const seen: ChatEvent[] = [];
    this.state.onEvent((e) => seen.push(e));
    return seen;
  }

  token(mri: string): string {
    let t = this.tokens.get(mri);
    if (!t) {
      const user = this.emu.users.find((u) => u.mri === mri);
      if (!user) throw new Error(`no demo user ${mri}`);
      t = this.emu.context.tokens.mintSkypeToken(user).token;
      this.tokens.set(mri, t);
    }
    return t;
  }

  /** Forgets cached tokens (after a reset the token service is new). */
  forgetTokens(): void {
    this.tokens.clear();
  }

  /** A request as `as` (an MRI) with `Authentication: skypetoken=`; `as: null` sends no auth. */
  async call<T = Json>(
    method: string,
    pathOrUrl: string,
    options: { as?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = { ...options.headers };
    const as = options.as === undefined ? ALICE : options.as;
    if (as !== null) headers.Authentication = `skypetoken=${this.token(as)}`;
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const url = pathOrUrl.startsWith("http") ? pathOrUrl : `${this.origin}${pathOrUrl}`;
    const res = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    let json: Json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  }

  /** Raw headers, for auth-header tests (the caller passes token-bearing headers; never printed). */
  async callWithHeaders(method: string, path: string, headers: Record<string, string>): Promise<Answer> {
    const res = await fetch(`${this.origin}${path}`, { method, headers });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined };
  }

  async send(
    conversationId: string,
    content: string,
    as = ALICE,
    extra: Record<string, unknown> = {},
  ): Promise<{ id: string; answer: Answer }> {
    const answer = await this.call(
      "POST",
      `/v1/users/ME/conversations/${encodeURIComponent(conversationId)}/messages`,
      {
        as,
        body: { content, messagetype: "RichText/Html", contenttype: "text", imdisplayname: "Test", ...extra },
      },
    );
    assert.equal(answer.status, 201, `send answered ${answer.status}: ${answer.text}`);
    return { id: String(answer.json.OriginalArrivalTime), answer };
  }

  /** Every message of a conversation, newest first, following backwardLink. */
  async allMessages(conversationId: string, as = ALICE, pageSize = 200): Promise<Json[]> {
    const out: Json[] = [];
    let url: string | undefined =
      `${this.origin}/v1/users/ME/conversations/${encodeURIComponent(conversationId)}/messages?pageSize=${pageSize}&startTime=1`;
    for (let guard = 0; url && guard < 1000; guard++) {
      const page: Answer = await this.call("GET", url, { as });
      assert.equal(page.status, 200, page.text);
      out.push(...page.json.messages);
      url = page.json._metadata.backwardLink ?? undefined;
    }
    return out;
  }

  async message(conversationId: string, id: string, as = ALICE): Promise<Json> {
    const all = await this.allMessages(conversationId, as);
    return all.find((m) => m.id === id);
  }

  close(): Promise<void> {
    return this.emu.close();
  }
}

/** The JSON type of a value, for shape comparison. */
export function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

/**
 * Asserts `actual` has every key `expected` (a sample) has, with the same JSON type, recursively.
 * `lenient` maps a key path suffix (`$.a.b`) to extra types allowed there (e.g. a sample's null sequenceId).
 */
export function assertShape(
  actual: unknown,
  expected: unknown,
  path = "$",
  lenient: Record<string, string[]> = {},
): void {
  const te = typeOf(expected);
  const ta = typeOf(actual);
  const normalized = path.replace(/\[\d+\]/g, "[]");
  const extra = Object.entries(lenient).filter(([k]) => normalized.endsWith(k.replace(/^\$/, "")));
  const allowed = [te, ...extra.flatMap(([, v]) => v)];
  assert.ok(allowed.includes(ta), `${path}: expected ${allowed.join("|")}, got ${ta}`);
  if (te === "object" && ta === "object") {
    for (const [k, v] of Object.entries(expected as Record<string, unknown>)) {
      if (k.startsWith("_note")) continue;
      assert.ok(k in (actual as Record<string, unknown>), `${path}.${k} missing`);
      assertShape((actual as Record<string, unknown>)[k], v, `${path}.${k}`, lenient);
    }
  } else if (te === "array" && ta === "array") {
    const e = expected as unknown[];
    const a = actual as unknown[];
    if (e.length > 0 && a.length > 0) for (const item of a) assertShape(item, e[0], `${path}[]`, lenient);
  }
}

/** Every value of an object is a string. */
export function assertAllStrings(obj: Record<string, unknown>, what: string): void {
  for (const [k, v] of Object.entries(obj)) assert.equal(typeof v, "string", `${what}.${k} is ${typeOf(v)}`);
}

/** The message id at the end of a Location header. */
export function idFromLocation(location: string | null): string {
  const m = /\/messages\/(\d+)$/.exec(location ?? "");
  if (!m) throw new assert.AssertionError({ message: "Location ends in /messages/<id>" });
  return m[1]!;
}
