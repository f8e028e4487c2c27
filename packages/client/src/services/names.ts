/**
 * Display names for MRIs and titles for conversations, so that nothing shown to a person is a raw
 * MRI or thread id (GUIDE §3). Profiles come from the middle tier, batched: every lookup that starts
 * while a batch is being gathered rides in one `fetchShortProfile` call. Names seen in messages
 * (`imdisplayname`) are the fallback; a placeholder the last resort.
 */
import { joinNames, mriKind, mriLocalPart, parseOneOnOneThreadId } from "@teams-api/protocol";
import type { RequestOptions, ServiceContext } from "../http/types.js";
import type { Conversation, ConversationDetails, Message } from "../models.js";
import type { MiddleTierService } from "./middle-tier.js";

export const NAME_RESOLVER_DEFAULTS = {
  /** Shown for someone no source could name. */
  placeholder: "Unknown user",
  /** How long "the middle tier does not know them" is remembered before asking again. */
  negativeTtlMs: 5 * 60_000,
  /** How many names a group title lists before "and N others". */
  titleNames: 2,
} as const;

export interface NameResolverOptions {
  /** Source of profiles; without one only hints and placeholders are used. */
  middleTier?: MiddleTierService;
  /** MRIs of a thread's members (for untitled group chats). */
  threadMembers?: (conversationId: string, options?: RequestOptions) => Promise<string[]>;
  /** @default "Unknown user" */
  placeholder?: string;
  /** @default 300000 */
  negativeTtlMs?: number;
}

/** Friendly names of the virtual conversations (§2.14). */
const VIRTUAL_NAMES: Readonly<Record<string, string>> = {
  "48:notes": "Notes",
  "48:notifications": "Activity",
  "48:mentions": "Mentions",
  "48:annotations": "Annotations",
  "48:saved": "Saved",
  "48:threads": "Followed threads",
  "48:calllogs": "Calls",
  "48:drafts": "Drafts",
};

interface Known {
  displayName: string;
  givenName?: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The MRI behind a local id of a `@unq.gbl.spaces` 1:1 id. */
function mriFromLocal(local: string): string {
  return GUID.test(local) ? `8:orgid:${local}` : `8:${local}`;
}

/** Only people and bots have profiles; threads, virtual feeds and phone numbers do not. */
function hasProfile(mri: string): boolean {
  const k = mriKind(mri);
  return k === "orgid" || k === "live" || k === "skype" || k === "bot" || k === "visitor";
}

export class NameResolver {
  readonly #ctx: ServiceContext;
  readonly #mt: MiddleTierService | undefined;
  readonly #threadMembers: NameResolverOptions["threadMembers"];
  readonly #placeholder: string;
  readonly #negativeTtlMs: number;
  /** Names from profiles (authoritative). Keys lower-cased. */
  readonly #profiles = new Map<string, Known>();
  /** Names seen in messages and rosters (fallback). */
  readonly #hints = new Map<string, string>();
  /** MRIs the middle tier did not know, and until when to believe that. */
  readonly #unknownUntil = new Map<string, number>();
  #pending = new Map<string, Array<() => void>>();
  #scheduled = false;
  #selfSeeded = false;
  /** fetchShortProfile calls made (for diagnostics and tests). */
  lookups = 0;

  constructor(context: ServiceContext, options: NameResolverOptions = {}) {
    this.#ctx = context;
    this.#mt = options.middleTier;
    this.#threadMembers = options.threadMembers;
    this.#placeholder = options.placeholder ?? NAME_RESOLVER_DEFAULTS.placeholder;
    this.#negativeTtlMs = options.negativeTtlMs ?? NAME_RESOLVER_DEFAULTS.negativeTtlMs;
  }

  /** Records a name seen elsewhere (a message's `imdisplayname`, a roster's friendlyName). */
  remember(mri: string, displayName: string | undefined): void {
    const name = displayName?.trim();
    if (!mri || !name || name === mri) return;
    this.#hints.set(mri.toLowerCase(), name);
  }

  /** Records the senders' and mentioned people's names carried by these messages. */
  rememberMessages(messages: Iterable<Message>): void {
    for (const m of messages) {
      this.remember(m.from.mri, m.from.displayName);
      for (const p of m.mentions) this.remember(p.mri, p.displayName);
    }
  }

  /** The best name known right now, without asking anyone (placeholder when none). */
  peek(mri: string): string {
    const key = mri.toLowerCase();
    const virtual = VIRTUAL_NAMES[key];
    if (virtual) return virtual;
    const known = this.#profiles.get(key)?.displayName ?? this.#hints.get(key);
    if (known) return known;
    if (mriKind(mri) === "pstn") return mri.slice(2);
    return this.#placeholder;
  }

  /** Whether a name (not a placeholder) is known without asking. */
  has(mri: string): boolean {
    const key = mri.toLowerCase();
    return this.#profiles.has(key) || this.#hints.has(key) || key in VIRTUAL_NAMES || mriKind(mri) === "pstn";
  }

  /** A person's display name: profile, else a name seen in messages, else a placeholder. */
  async displayName(mri: string): Promise<string> {
    return (await this.displayNames([mri])).get(mri) ?? this.#placeholder;
  }

  /** Display names for many MRIs in one batched lookup. Never throws; never returns a raw MRI. */
  async displayNames(mris: Iterable<string>): Promise<Map<string, string>> {
    const list = [...new Set(mris)].filter((m) => typeof m === "string" && m !== "");
    await this.#seedSelf();
    await Promise.all(list.filter((m) => this.#needsLookup(m)).map((m) => this.#enqueue(m)));
    return new Map(list.map((m) => [m, this.peek(m)]));
  }

  /** A short name for lists ("Dana" rather than "Dana Whitfield"). */
  async shortName(mri: string): Promise<string> {
    await this.displayNames([mri]);
    return this.#profiles.get(mri.toLowerCase())?.givenName || this.peek(mri);
  }

  /**
   * What to call a conversation: its topic; else the other person (1:1, from the id); else the
   * members' names ("Dana, Evan and 2 others"); "Notes" for `48:notes`. Never a raw id.
   */
  async conversationTitle(
    conversation: Pick<Conversation, "id" | "kind" | "topic"> & Partial<Pick<ConversationDetails, "members" | "raw">>,
    options: RequestOptions = {},
  ): Promise<string> {
    const topic = conversation.topic.trim();
    const { id, kind } = conversation;
    if (kind === "virtual") return VIRTUAL_NAMES[id.toLowerCase()] ?? "Feed";
    if (kind === "channel") {
      const team = conversation.raw?.threadProperties?.["spaceThreadTopic"];
      const channel = topic || "General";
      return team && team !== channel ? `${team} / ${channel}` : channel;
    }
    if (topic) return topic;
    const self = await this.#selfMri();
    if (kind === "oneOnOne") {
      const locals = parseOneOnOneThreadId(id);
      if (locals) {
        const mine = self ? mriLocalPart(self).toLowerCase() : "";
        const other = locals.find((l) => l.toLowerCase() !== mine);
        if (!other) return "Just you";
        return this.displayName(mriFromLocal(other));
      }
    }
    let members = conversation.members?.map((m) => m.mri);
    if (!members && this.#threadMembers) {
      try {
        members = await this.#threadMembers(id, options);
      } catch {
        members = undefined;
      }
    }
    const fallback = kind === "meeting" ? "Meeting" : kind === "oneOnOne" ? "Chat" : "Group chat";
    if (!members) return fallback;
    for (const m of conversation.members ?? []) this.remember(m.mri, m.displayName);
    const others = members.filter((m) => !self || m.toLowerCase() !== self.toLowerCase()).filter(hasProfile);
    if (others.length === 0) return members.length ? "Just you" : fallback;
    await this.displayNames(others);
    // A 1:1 (whatever its id form) is named like the person: the full name, as for `@unq.gbl.spaces` ids.
    if (kind === "oneOnOne" && others.length === 1) return this.peek(others[0]!);
    const names = others.map((m) => this.#profiles.get(m.toLowerCase())?.givenName || this.peek(m));
    return joinNames(names, NAME_RESOLVER_DEFAULTS.titleNames);
  }

  /** Fills in `title` on each conversation (bounded concurrency for untitled group chats). */
  async fillTitles<T extends Conversation>(conversations: T[], options: RequestOptions = {}): Promise<T[]> {
    for (const c of conversations) if (c.lastMessage) this.rememberMessages([c.lastMessage]);
    const queue = [...conversations];
    const worker = async (): Promise<void> => {
      for (let c = queue.shift(); c; c = queue.shift()) c.title = await this.conversationTitle(c, options);
    };
    await Promise.all(Array.from({ length: Math.min(8, queue.length) }, worker));
    return conversations;
  }

  #needsLookup(mri: string): boolean {
    const key = mri.toLowerCase();
    if (!this.#mt || !hasProfile(mri) || this.#profiles.has(key)) return false;
    const until = this.#unknownUntil.get(key);
    return until === undefined || until <= this.#ctx.now();
  }

  #enqueue(mri: string): Promise<void> {
    return new Promise((resolve) => {
      const key = mri.toLowerCase();
      const waiters = this.#pending.get(key);
      if (waiters) waiters.push(resolve);
      else this.#pending.set(key, [resolve]);
      if (!this.#scheduled) {
        this.#scheduled = true;
        // Gather every lookup started in this turn of the event loop into one call.
        setImmediate(() => void this.#flush());
      }
    });
  }

  async #flush(): Promise<void> {
    const batch = this.#pending;
    this.#pending = new Map();
    this.#scheduled = false;
    const mris = [...batch.keys()];
    try {
      this.lookups++;
      const profiles = await this.#mt!.fetchShortProfiles(mris);
      const found = new Set<string>();
      for (const p of profiles) {
        const key = p.mri.toLowerCase();
        if (!p.displayName) continue;
        found.add(key);
        this.#profiles.set(key, { displayName: p.displayName, ...(p.givenName ? { givenName: p.givenName } : {}) });
      }
      const until = this.#ctx.now() + this.#negativeTtlMs;
      for (const m of mris) if (!found.has(m)) this.#unknownUntil.set(m, until);
    } catch {
      // Names are cosmetic: a failed lookup falls back to hints and placeholders, and is retried later.
    } finally {
      for (const waiters of batch.values()) for (const w of waiters) w();
    }
  }

  async #selfMri(): Promise<string | undefined> {
    try {
      return (await this.#ctx.identity()).mri;
    } catch {
      return undefined;
    }
  }

  async #seedSelf(): Promise<void> {
    if (this.#selfSeeded) return;
    this.#selfSeeded = true;
    try {
      const me = await this.#ctx.identity();
      if (me.displayName) this.remember(me.mri, me.displayName);
    } catch {
      this.#selfSeeded = false;
    }
  }
}
