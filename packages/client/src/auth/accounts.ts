/**
 * Several accounts (gh's `auth switch` shape): each account is a name with its own session in the
 * token store — the keyring entry of that name, or its own 0600 file — and an index of who each
 * account is (user name, display name, cloud, tenant, whether the service still accepts it). The
 * index holds no secret; it sits beside the session file, written the same careful way (0600 file
 * in a 0700 directory, atomic rename) through the file store.
 *
 *   default account        $XDG_CONFIG_HOME/teams-api/session.json   (or TEAMS_TOKEN_FILE)
 *   account "work"         …/teams-api/accounts/work.json           (or the keyring entry "work")
 *   index                  …/teams-api/accounts.json
 *
 * The account in use: the `account` option, else TEAMS_ACCOUNT, else the index's current one, else
 * `default`.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { InvalidArgumentError } from "../errors.js";
import type { Env } from "../http/fetch.js";
import { defaultTokenFile, FileTokenStore } from "./store.js";

export const DEFAULT_ACCOUNT = "default";

/** What the index says about an account — never a token. */
export interface AccountEntry {
  readonly name: string;
  readonly username?: string | undefined;
  readonly displayName?: string | undefined;
  readonly cloud?: string | undefined;
  readonly tenantId?: string | undefined;
  /** Epoch ms of the last sign-in. */
  readonly signedInAt?: number | undefined;
  /** Set when the service refused the saved session (the code, e.g. `AADSTS700082`); cleared by a sign-in. */
  readonly expired?: string | undefined;
}

interface Index {
  current?: string | undefined;
  accounts: Record<string, Omit<AccountEntry, "name">>;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$/;

/** Throws InvalidArgumentError unless `name` is a usable account name. */
export function checkAccountName(name: string): string {
  const n = name.trim();
  if (!NAME.test(n)) {
    throw new InvalidArgumentError(
      "An account name is 1–64 letters, digits or . _ @ + - and starts with a letter or digit.",
    );
  }
  return n;
}

export class AccountRegistry {
  readonly #sessionFile: string;
  readonly #index: FileTokenStore;
  readonly #env: Env;

  constructor(env: Env, tokenFile?: string) {
    this.#env = env;
    this.#sessionFile = tokenFile ?? defaultTokenFile(env);
    this.#index = new FileTokenStore(join(dirname(this.#sessionFile), "accounts.json"));
  }

  /** The session file of an account (used when the keyring is not). */
  tokenFileFor(name: string): string {
    if (name === DEFAULT_ACCOUNT) return this.#sessionFile;
    return join(dirname(this.#sessionFile), "accounts", `${checkAccountName(name)}.json`);
  }

  #read(): Index {
    try {
      const raw = JSON.parse(readFileSync(this.#index.path, "utf8")) as unknown;
      if (raw && typeof raw === "object" && !Array.isArray(raw)) {
        const r = raw as Record<string, unknown>;
        const accounts: Index["accounts"] = {};
        if (r.accounts && typeof r.accounts === "object") {
          for (const [name, v] of Object.entries(r.accounts as Record<string, unknown>)) {
            if (!NAME.test(name) || !v || typeof v !== "object") continue;
            const e = v as Record<string, unknown>;
            const str = (k: string): string | undefined => (typeof e[k] === "string" ? (e[k] as string) : undefined);
            accounts[name] = {
              username: str("username"),
              displayName: str("displayName"),
              cloud: str("cloud"),
              tenantId: str("tenantId"),
              signedInAt: typeof e.signedInAt === "number" ? e.signedInAt : undefined,
              expired: str("expired"),
            };
          }
        }
        const current = typeof r.current === "string" && NAME.test(r.current) ? r.current : undefined;
        return { current, accounts };
      }
    } catch {
      // no index yet, or unreadable: no named accounts
    }
    return { accounts: {} };
  }

  async #write(index: Index): Promise<void> {
    await this.#index.save(`${JSON.stringify({ version: 1, ...index }, null, 2)}\n`);
  }

  /** The account in use when none is named: TEAMS_ACCOUNT, else the index's current one, else `default`. */
  current(): string {
    const fromEnv = this.#env.TEAMS_ACCOUNT?.trim();
    if (fromEnv) return checkAccountName(fromEnv);
    return this.#read().current ?? DEFAULT_ACCOUNT;
  }

  /** Every account the index knows, the current one marked by {@link current}. */
  list(): AccountEntry[] {
    const index = this.#read();
    return Object.entries(index.accounts)
      .map(([name, e]) => ({ name, ...e }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  get(name: string): AccountEntry | undefined {
    const e = this.#read().accounts[name];
    return e ? { name, ...e } : undefined;
  }

  /** Makes `name` the account used when none is named. */
  async use(name: string): Promise<void> {
    const index = this.#read();
    if (!index.accounts[checkAccountName(name)]) {
      throw new InvalidArgumentError(`There is no account named "${name}"; see \`teams accounts\`.`);
    }
    await this.#write({ ...index, current: name });
  }

  /** Records a sign-in (and makes the account current). */
  async record(name: string, entry: Omit<AccountEntry, "name" | "expired">): Promise<void> {
    const index = this.#read();
    index.accounts[checkAccountName(name)] = { ...entry };
    await this.#write({ ...index, current: name });
  }

  /** Notes that the service refused the account's saved session; keeps who it was for the next sign-in. */
  async markExpired(name: string, code: string): Promise<void> {
    const index = this.#read();
    const e = index.accounts[name];
    if (!e || e.expired === code) return;
    index.accounts[name] = { ...e, expired: code };
    await this.#write(index);
  }

  /** Forgets an account (its session is cleared by the caller). */
  async remove(name: string): Promise<void> {
    const index = this.#read();
    if (!index.accounts[name] && index.current !== name) return;
    delete index.accounts[name];
    const current = index.current === name ? undefined : index.current;
    await this.#write({ current, accounts: index.accounts });
  }
}
