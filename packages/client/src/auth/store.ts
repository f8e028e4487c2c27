/**
 * Where a session rests between runs (GUIDE §2 Secrets, gh): the OS keyring when one answers within
 * 3 s, else a file with mode 0600 in a directory with mode 0700 under the XDG config directory. The
 * file is the one place a token may rest.
 */
import { constants } from "node:fs";
import { chmod, mkdir, open, rename, rm, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, dirname, join } from "node:path";
import { TeamsError } from "../errors.js";
import type { Env } from "../http/fetch.js";

/** Where and how long the token store looks: `$XDG_CONFIG_HOME/<configDirName>/<tokenFileName>`, the keyring's answer time. */
export const STORE_DEFAULTS = {
  configDirName: "teams-api",
  tokenFileName: "session.json",
  /** GUIDE §2: the keyring is used when it answers within 3 s. */
  keyringTimeoutMs: 3_000,
} as const;

/** Opens without following a symlink at the last path component (O_NOFOLLOW where the OS has it). */
const READ_NOFOLLOW = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

/** Persists one serialized session. */
export interface TokenStore {
  /** Human description for status output (never the secret): `file ~/.config/teams-api/session.json`. */
  readonly description: string;
  /** The stored text, or undefined when nothing is stored. */
  load(): Promise<string | undefined>;
  save(data: string): Promise<void>;
  clear(): Promise<void>;
  /** True when the store holds only a compact session (no cached access tokens). */
  readonly compact?: boolean;
}

/** The default session file: `$TEAMS_TOKEN_FILE`, else `$XDG_CONFIG_HOME/teams-api/session.json`. */
export function defaultTokenFile(env: Env): string {
  if (env.TEAMS_TOKEN_FILE) return env.TEAMS_TOKEN_FILE;
  const home = env.HOME || homedir();
  const config = env.XDG_CONFIG_HOME || join(home, ".config");
  return join(config, STORE_DEFAULTS.configDirName, STORE_DEFAULTS.tokenFileName);
}

/** Keeps the session in memory only. */
export class MemoryTokenStore implements TokenStore {
  readonly description = "memory";
  #data: string | undefined;
  async load(): Promise<string | undefined> {
    return this.#data;
  }
  async save(data: string): Promise<void> {
    this.#data = data;
  }
  async clear(): Promise<void> {
    this.#data = undefined;
  }
}

/**
 * A JSON file, mode 0600, in a directory with mode 0700. Writes go to a temporary file that is
 * renamed over the old one, so a crash never leaves half a session. A file or directory found too
 * open is tightened; the directory only when it is ours (named `teams-api`, or created here) so a
 * custom path like `~/session.json` never changes the mode of the home directory.
 */
export class FileTokenStore implements TokenStore {
  readonly path: string;
  readonly description: string;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(path: string) {
    this.path = path;
    this.description = `file ${path}`;
  }

  async load(): Promise<string | undefined> {
    await this.#queue.catch(() => {});
    let text: string;
    try {
      // Never through a symlink: a planted link would have us read, and tighten the mode of,
      // whatever file it points at.
      const handle = await open(this.path, READ_NOFOLLOW);
      try {
        const info = await handle.stat();
        if (!info.isFile()) return undefined;
        if ((info.mode & 0o077) !== 0) await handle.chmod(0o600);
        text = await handle.readFile("utf8");
      } finally {
        await handle.close();
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return undefined;
      if (code === "ELOOP" || code === "EMLINK") {
        throw new TeamsError(
          "session_file_symlink",
          `The session file ${this.path} is a symbolic link; refusing to follow it (remove it and sign in again).`,
        );
      }
      throw err;
    }
    await this.#tightenDir(false).catch(() => {});
    return text;
  }

  save(data: string): Promise<void> {
    const run = this.#queue.catch(() => {}).then(() => this.#write(data));
    this.#queue = run;
    return run;
  }

  async clear(): Promise<void> {
    await this.#queue.catch(() => {});
    await rm(this.path, { force: true });
  }

  async #write(data: string): Promise<void> {
    const dir = dirname(this.path);
    const created = await mkdir(dir, { recursive: true, mode: 0o700 });
    await this.#tightenDir(created !== undefined);
    const tmp = join(dir, `.${basename(this.path)}.${process.pid}.${Date.now()}.tmp`);
    const handle = await open(tmp, "wx", 0o600);
    try {
      await handle.chmod(0o600);
      await handle.writeFile(data, "utf8");
      await handle.sync().catch(() => {});
    } finally {
      await handle.close();
    }
    try {
      // rename replaces a symlink itself, never its target; the new file is already 0600.
      await rename(tmp, this.path);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async #tightenDir(createdHere: boolean): Promise<void> {
    const dir = dirname(this.path);
    if (!createdHere && basename(dir) !== STORE_DEFAULTS.configDirName) return;
    const info = await stat(dir);
    const uid = process.getuid?.();
    if (uid !== undefined && info.uid !== uid) return;
    if ((info.mode & 0o077) !== 0) await chmod(dir, 0o700);
  }
}

/** The shape of the part of @napi-rs/keyring we use. */
interface KeyringEntry {
  getPassword(signal?: AbortSignal): Promise<string | undefined>;
  setPassword(password: string, signal?: AbortSignal): Promise<void>;
  deletePassword(signal?: AbortSignal): Promise<unknown>;
}

const KEYRING_SERVICE = "teams-api";

function withDeadline<T>(ms: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error("the keyring did not answer in time"));
    }, ms);
    timer.unref?.();
  });
  return Promise.race([run(controller.signal), deadline]).finally(() => clearTimeout(timer));
}

/** The OS keyring (Secret Service, Keychain, Credential Manager) through @napi-rs/keyring. */
export class KeyringTokenStore implements TokenStore {
  readonly description: string;
  readonly compact = true;
  readonly #entry: KeyringEntry;
  readonly #timeoutMs: number;

  private constructor(entry: KeyringEntry, account: string, timeoutMs: number) {
    this.#entry = entry;
    this.#timeoutMs = timeoutMs;
    this.description = `keyring ${KEYRING_SERVICE}/${account}`;
  }

  /** A keyring store if the module loads and the keyring answers a read within `timeoutMs`; else undefined. */
  static async open(
    account: string,
    timeoutMs: number = STORE_DEFAULTS.keyringTimeoutMs,
  ): Promise<KeyringTokenStore | undefined> {
    try {
      const mod = (await withDeadline(timeoutMs, () => import("@napi-rs/keyring"))) as {
        AsyncEntry: new (service: string, account: string) => KeyringEntry;
      };
      const entry = new mod.AsyncEntry(KEYRING_SERVICE, account);
      await withDeadline(timeoutMs, (signal) => entry.getPassword(signal));
      return new KeyringTokenStore(entry, account, timeoutMs);
    } catch {
      return undefined;
    }
  }

  async load(): Promise<string | undefined> {
    return (await withDeadline(this.#timeoutMs, (signal) => this.#entry.getPassword(signal))) ?? undefined;
  }
  async save(data: string): Promise<void> {
    await withDeadline(this.#timeoutMs, (signal) => this.#entry.setPassword(data, signal));
  }
  async clear(): Promise<void> {
    try {
      await withDeadline(this.#timeoutMs, (signal) => this.#entry.deletePassword(signal));
    } catch {
      // nothing stored
    }
  }
}

/**
 * The default store: tries the keyring once (unless TEAMS_KEYRING=0), falls back to the file.
 * Resolved lazily on first use so constructing a client stays instant.
 */
export class AutoTokenStore implements TokenStore {
  #resolved: Promise<TokenStore> | undefined;
  #store: TokenStore | undefined;
  readonly #env: Env;
  readonly #file: string;
  readonly #account: string;
  readonly #explicitFile: boolean;

  constructor(options: {
    env: Env;
    tokenFile?: string | undefined;
    account?: string;
    /** The account's own session file when the keyring is not used (does not rule the keyring out). */
    accountFile?: string | undefined;
  }) {
    this.#env = options.env;
    this.#explicitFile = options.tokenFile !== undefined || options.env.TEAMS_TOKEN_FILE !== undefined;
    this.#file = options.tokenFile ?? options.accountFile ?? defaultTokenFile(options.env);
    this.#account = options.account ?? "default";
  }

  get description(): string {
    return this.#store?.description ?? `file ${this.#file} (or the OS keyring)`;
  }
  get compact(): boolean {
    return this.#store?.compact === true;
  }

  /** The store in use. */
  resolve(): Promise<TokenStore> {
    this.#resolved ??= (async () => {
      const keyringOff = ["0", "false", "no", "off"].includes((this.#env.TEAMS_KEYRING ?? "").toLowerCase());
      // An explicit session file means the caller wants the file. On Linux without a D-Bus session
      // there is no Secret Service, and @napi-rs/keyring falls back to the kernel keyutils keyring,
      // which is per login session and gone at reboot: a session kept there would silently vanish,
      // so the file is the durable choice.
      const noSecretService = process.platform === "linux" && !this.#env.DBUS_SESSION_BUS_ADDRESS;
      const keyring =
        keyringOff || this.#explicitFile || noSecretService ? undefined : await KeyringTokenStore.open(this.#account);
      this.#store = keyring ?? new FileTokenStore(this.#file);
      return this.#store;
    })();
    return this.#resolved;
  }

  async load(): Promise<string | undefined> {
    return (await this.resolve()).load();
  }
  async save(data: string): Promise<void> {
    return (await this.resolve()).save(data);
  }
  async clear(): Promise<void> {
    return (await this.resolve()).clear();
  }
}
