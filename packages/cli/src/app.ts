import { type Conversation, NotSignedInError, TeamsClient, type TeamsClientOptions } from "teams-api";
import { ListingStore } from "./listings.js";
import { cacheDir } from "./paths.js";
import { resolveChatRef, resolveMessageRef } from "./refs.js";
import { Output } from "./render/output.js";
import { redact } from "./render/redact.js";
import { oneLine } from "./render/sanitize.js";

export type Cloud = "enterprise" | "consumer" | "emulator";

/** Options every command understands (parsed by the root command). */
export interface GlobalOptions {
  cloud?: Cloud;
  /** `--account <name>`: the account whose session to use (each has its own in the token store). */
  account?: string;
  json?: boolean;
  /** `--format json|table`: table is the human rendering even when piped (through $PAGER on a terminal). */
  format?: "json" | "table";
  /** False with `--no-color`. */
  color?: boolean;
}

export interface AppIo {
  env?: NodeJS.ProcessEnv;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  /** Where `-` arguments and `--password-stdin` read from. @default process.stdin */
  stdin?: NodeJS.ReadStream | NodeJS.ReadableStream;
  /** A ready client (the demo hands in the one it signed in with). */
  client?: TeamsClient;
  /** Answers the paste-the-redirect prompt of `teams login` (tests drive the sign-in page with it). */
  readRedirectUrl?: (authorizeUrl: string) => Promise<string>;
  /** Whether `client` already holds a session. @default true when `client` is given */
  signedIn?: boolean;
}

/**
 * What a command runs with: the output, the client (built lazily from the environment), the
 * listing cache behind short numbers, and the reference resolution that uses them.
 */
export class App {
  readonly out: Output;
  readonly listings: ListingStore;
  readonly env: NodeJS.ProcessEnv;
  readonly globals: GlobalOptions;
  readonly stdin: NodeJS.ReadStream | NodeJS.ReadableStream;
  readonly readRedirectUrl: ((authorizeUrl: string) => Promise<string>) | undefined;
  #client: TeamsClient | undefined;
  #sessionLoaded = false;

  constructor(globals: GlobalOptions = {}, io: AppIo = {}) {
    this.globals = globals;
    this.env = io.env ?? process.env;
    this.out = new Output({
      json: Boolean(globals.json),
      format: globals.format,
      noColor: globals.color === false,
      env: this.env,
      ...(io.stdout ? { stdout: io.stdout } : {}),
      ...(io.stderr ? { stderr: io.stderr } : {}),
    });
    this.listings = new ListingStore(cacheDir(this.env));
    this.stdin = io.stdin ?? process.stdin;
    this.readRedirectUrl = io.readRedirectUrl;
    this.#client = io.client;
    if (io.client) this.#sessionLoaded = io.signedIn ?? true;
  }

  get cloud(): Cloud {
    return this.globals.cloud ?? (this.env.TEAMS_CLOUD as Cloud | undefined) ?? "enterprise";
  }

  /** The client, not necessarily signed in (login uses this). */
  client(): TeamsClient {
    this.#client ??= new TeamsClient({
      ...clientOptions(this.globals.cloud, this.env, this.globals.account),
      // A wait on Retry-After shows in the spinner: "rate limited — retrying in 28 s".
      onRetryWait: (wait) => this.out.retryWait(wait),
    });
    return this.#client;
  }

  /** The client with the saved session loaded; NotSignedInError (exit 4) when there is none. */
  async session(): Promise<TeamsClient> {
    const client = this.client();
    if (!this.#sessionLoaded) {
      const ok = await client.loadSession();
      if (!ok) throw new NotSignedInError();
      this.#sessionLoaded = true;
    }
    return client;
  }

  /** Recent conversations, newest activity first, with display titles (the library fills them in). */
  async conversations(count: number, signal?: AbortSignal): Promise<Conversation[]> {
    const client = await this.session();
    return client.chat.getConversations({ count, ...(signal ? { signal } : {}) });
  }

  /** A chat reference (id, number from the last `teams chats`, or title fragment) → conversation id. */
  async chatId(ref: string, signal?: AbortSignal): Promise<string> {
    return resolveChatRef(ref, {
      listed: this.listings.read().chats,
      candidates: async () =>
        (await this.out.spin("Finding the chat…", this.conversations(100, signal))).map((c) => ({
          id: c.id,
          title: oneLine(c.title),
        })),
    });
  }

  /** A message reference (id, or number from the last `teams messages` of that chat) → message id. */
  messageId(conversationId: string, ref: string): string {
    return resolveMessageRef(ref, this.listings.read().messages[conversationId]);
  }
}

/**
 * Client options: the cloud from `--cloud` (else the library reads TEAMS_CLOUD), and the environment,
 * from which the library takes TEAMS_LOGIN_URL/TEAMS_BASE_URL (an emulator), TEAMS_TOKEN_FILE and
 * TEAMS_KEYRING.
 */
export function clientOptions(
  cloud: Cloud | undefined,
  env: NodeJS.ProcessEnv,
  account?: string | undefined,
): TeamsClientOptions {
  return {
    ...(cloud ? { cloud } : {}),
    ...(account ? { account } : {}),
    env,
    ...(env.TEAMS_DEBUG === "1" ? { logger: stderrLogger() } : {}),
  };
}

/** TEAMS_DEBUG=1: the library's diagnostics (already redacted by it) on stderr, one line each. */
function stderrLogger(): NonNullable<TeamsClientOptions["logger"]> {
  const line = (level: string) => (message: string) => process.stderr.write(`[${level}] ${oneLine(redact(message))}\n`);
  return { debug: line("debug"), info: line("info"), warn: line("warn"), error: line("error") };
}
