/**
 * Contacts (PROTOCOL.md §6.2, §6.4): the buddy list the middle tier keeps, the people of recent
 * conversations, and both merged by MRI — named, and with presence when asked.
 */
import { MT_PATHS, MT_QUERIES, mriKind, parseBuddyList, parseOneOnOneThreadId } from "@teams-api/protocol";
import type { RequestOptions, ServiceContext } from "../../http/types.js";
import type { ChatService } from "../chat/index.js";
import type { NameResolver } from "../names.js";
import type { Presence, PresenceService } from "../presence/index.js";
import { mapLimit, requestOptions } from "../util.js";

export type ContactSource = "buddylist" | "conversation";

export interface Contact {
  readonly mri: string;
  readonly displayName: string;
  /** Where this contact was found (both when both). */
  readonly sources: readonly ContactSource[];
  /** The buddy group ("Favorites", …) for buddy-list contacts. */
  readonly group: string | undefined;
  /** Present when asked for with `withPresence`. */
  readonly presence?: Presence;
}

export interface ContactsOptions extends RequestOptions {
  /** Recent conversations to take people from. @default 50 */
  conversations?: number;
  /** Also read each contact's presence. @default false */
  withPresence?: boolean;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** People only: no threads, virtual feeds, bots or phone numbers. */
const isPerson = (mri: string): boolean => ["orgid", "live", "skype"].includes(mriKind(mri));

export class ContactsService {
  readonly #ctx: ServiceContext;
  readonly #chat: ChatService;
  readonly #names: NameResolver;
  readonly #presence: PresenceService;
  readonly #middleTierAudience: () => Promise<string>;

  constructor(context: ServiceContext, deps: { chat: ChatService; names: NameResolver; presence: PresenceService }) {
    this.#ctx = context;
    this.#chat = deps.chat;
    this.#names = deps.names;
    this.#presence = deps.presence;
    this.#middleTierAudience = () => context.middleTierAudience();
  }

  /** The buddy list (`GET /beta/contacts/buddylist`), in its groups' order. */
  async fetchContacts(options: RequestOptions = {}): Promise<Contact[]> {
    const base = (await this.#ctx.endpoints(options)).middleTier.replace(/\/+$/, "");
    const res = await this.#ctx.transport.request<unknown>({
      ...requestOptions(options),
      method: "GET",
      url: `${base}${MT_PATHS.buddyList.build({})}`,
      query: { ...MT_QUERIES.buddyList },
      auth: { kind: "bearer+skypetoken", audience: await this.#middleTierAudience() },
    });
    const seen = new Set<string>();
    const out: Contact[] = [];
    for (const b of parseBuddyList(res.body)) {
      const key = b.mri.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      this.#names.remember(b.mri, b.displayName);
      out.push({ mri: b.mri, displayName: b.displayName ?? "", sources: ["buddylist"], group: b.group || undefined });
    }
    return this.#named(out);
  }

  /** The people of the recent conversations (1:1 partners and group members), the user left out. */
  async getContactsFromConversations(options: ContactsOptions = {}): Promise<Contact[]> {
    const me = (await this.#ctx.identity(options)).mri.toLowerCase();
    const conversations = await this.#chat.getConversations({
      ...requestOptions(options),
      count: options.conversations ?? 50,
      resolveTitles: false,
    });
    const rosters = await mapLimit(
      conversations.filter((c) => c.kind === "oneOnOne" || c.kind === "group"),
      4,
      async (c): Promise<string[]> => {
        const locals = parseOneOnOneThreadId(c.id);
        if (locals) return locals.map((l) => (GUID.test(l) ? `8:orgid:${l}` : `8:${l}`));
        try {
          return await this.#chat.threadMembers(c.id, requestOptions(options));
        } catch {
          return [];
        }
      },
    );
    const seen = new Set<string>([me]);
    const out: Contact[] = [];
    for (const mri of rosters.flat()) {
      const key = mri.toLowerCase();
      if (seen.has(key) || !isPerson(mri)) continue;
      seen.add(key);
      out.push({ mri, displayName: "", sources: ["conversation"], group: undefined });
    }
    return this.#named(out);
  }

  /** Buddy list and conversation contacts merged by MRI (buddy list first), with presence when asked. */
  async getAllContacts(options: ContactsOptions = {}): Promise<Contact[]> {
    const [buddies, fromChats] = await Promise.all([
      this.fetchContacts(options),
      this.getContactsFromConversations(options),
    ]);
    const byMri = new Map<string, Contact>();
    for (const c of [...buddies, ...fromChats]) {
      const key = c.mri.toLowerCase();
      const prev = byMri.get(key);
      byMri.set(
        key,
        prev
          ? {
              ...prev,
              sources: [...new Set([...prev.sources, ...c.sources])],
              displayName: prev.displayName || c.displayName,
            }
          : c,
      );
    }
    const merged = [...byMri.values()];
    if (!options.withPresence || merged.length === 0) return merged;
    const presences = await this.#presence.getPresence(
      merged.map((c) => c.mri),
      requestOptions(options),
    );
    return merged.map((c, i) => ({ ...c, presence: presences[i]! }));
  }

  /** Fills display names from profiles (across clouds), never leaving a raw MRI. */
  async #named(contacts: Contact[]): Promise<Contact[]> {
    const names = await this.#names.displayNames(contacts.map((c) => c.mri));
    return contacts.map((c) => ({ ...c, displayName: names.get(c.mri) ?? (c.displayName || this.#names.peek(c.mri)) }));
  }
}
