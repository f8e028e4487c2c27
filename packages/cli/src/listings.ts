import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The ids behind the numbers of the last `teams chats` and `teams messages` listings, so `teams
 * send 3 …` and `teams reply 2 5 …` name what the user saw. A 0600 file in a 0700 directory (ids
 * are not secrets, but they say who talks to whom). A missing or damaged file is an empty cache.
 */
export interface Listings {
  version: 1;
  /** Conversation ids, in the order `teams chats` numbered them (1-based). */
  chats: string[];
  /** The titles `teams chats` showed, by conversation id (so `teams messages 2` needs no request for its header). */
  titles: Record<string, string>;
  /** Per conversation: message ids in the order `teams messages` numbered them (1-based). */
  messages: Record<string, string[]>;
}

const FILE = "teams-listings.json";
/** Message listings kept: the most recently listed chats. */
const MAX_MESSAGE_LISTINGS = 50;

export class ListingStore {
  readonly path: string;
  constructor(readonly dir: string) {
    this.path = join(dir, FILE);
  }

  read(): Listings {
    try {
      const data = JSON.parse(readFileSync(this.path, "utf8")) as Partial<Listings>;
      const chats = Array.isArray(data.chats) ? data.chats.filter((x): x is string => typeof x === "string") : [];
      const titles: Record<string, string> = {};
      if (data.titles && typeof data.titles === "object") {
        for (const [k, v] of Object.entries(data.titles)) if (typeof v === "string") titles[k] = v;
      }
      const messages: Record<string, string[]> = {};
      if (data.messages && typeof data.messages === "object") {
        for (const [k, v] of Object.entries(data.messages)) {
          if (Array.isArray(v)) messages[k] = v.filter((x): x is string => typeof x === "string");
        }
      }
      return { version: 1, chats, titles, messages };
    } catch {
      return { version: 1, chats: [], titles: {}, messages: {} };
    }
  }

  /** The numbered chats of a `teams chats` listing (titles as shown, when given). */
  saveChats(ids: readonly string[], titles: readonly string[] = []): void {
    const data = this.read();
    data.chats = [...ids];
    data.titles = {};
    ids.forEach((id, i) => {
      const title = titles[i];
      if (title) data.titles[id] = title;
    });
    this.write(data);
  }

  saveMessages(conversationId: string, ids: readonly string[]): void {
    const data = this.read();
    delete data.messages[conversationId];
    data.messages[conversationId] = [...ids];
    const keys = Object.keys(data.messages);
    for (const k of keys.slice(0, Math.max(0, keys.length - MAX_MESSAGE_LISTINGS))) delete data.messages[k];
    this.write(data);
  }

  clear(): void {
    rmSync(this.path, { force: true });
  }

  private write(data: Listings): void {
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const tmp = `${this.path}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(data), { mode: 0o600 });
      chmodSync(tmp, 0o600);
      renameSync(tmp, this.path);
    } catch {
      // A cache that cannot be written only costs the short numbers; never fail the command.
    }
  }
}
