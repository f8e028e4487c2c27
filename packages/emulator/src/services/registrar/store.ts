import { CHAT_TEMPLATE_KEYS, type RegistrarRegistration } from "@teams-api/protocol";

/** One live registration: who made it, where it pushes, until when. */
export interface StoredRegistration {
  readonly id: string;
  readonly owner: string;
  readonly appId: string;
  readonly templateKey: string;
  /** Push URLs (`<surl>` or `<surl><suffix>`). */
  readonly paths: readonly string[];
  readonly expiresAt: number;
}

/**
 * The registrar's registrations (PROTOCOL.md §7.8), per owner and id, each expiring after its
 * transports' TTL. Re-posting the same id replaces it (a refresh).
 */
export class RegistrarStore {
  readonly #byKey = new Map<string, StoredRegistration>();

  constructor(private readonly now: () => number) {}

  static key(owner: string, id: string): string {
    return `${owner}\n${id.toLowerCase()}`;
  }

  put(owner: string, r: RegistrarRegistration): StoredRegistration {
    const ttl = Math.min(...r.transports.TROUTER.map((t) => t.ttl));
    const stored: StoredRegistration = {
      id: r.registrationId,
      owner,
      appId: r.clientDescription.appId,
      templateKey: r.clientDescription.templateKey,
      paths: r.transports.TROUTER.map((t) => t.path),
      expiresAt: this.now() + ttl * 1000,
    };
    this.#byKey.set(RegistrarStore.key(owner, r.registrationId), stored);
    return stored;
  }

  delete(owner: string, id: string): boolean {
    return this.#byKey.delete(RegistrarStore.key(owner, id));
  }

  /** Live registrations of a user (expired ones are dropped on the way). */
  of(owner: string): StoredRegistration[] {
    const now = this.now();
    const out: StoredRegistration[] = [];
    for (const [k, r] of this.#byKey) {
      if (r.expiresAt <= now) this.#byKey.delete(k);
      else if (r.owner === owner) out.push(r);
    }
    return out;
  }

  /** Push paths that want chat `/messaging` events for a user, each once. */
  chatPaths(owner: string): string[] {
    const paths = new Set<string>();
    for (const r of this.of(owner)) if (wantsChat(r)) for (const p of r.paths) paths.add(p);
    return [...paths];
  }

  all(): StoredRegistration[] {
    const now = this.now();
    return [...this.#byKey.values()].filter((r) => r.expiresAt > now);
  }
}

/** Registrations that receive chat events: TeamsCDLWebWorker and the seed's template keys. */
export function wantsChat(r: Pick<StoredRegistration, "appId" | "templateKey">): boolean {
  return r.appId === "TeamsCDLWebWorker" || CHAT_TEMPLATE_KEYS.includes(r.templateKey);
}
