import type { RegionGtms } from "@teams-api/protocol";
import type { FaultController } from "./http/faults.js";
import { createTokenService, type EmulatorTokenService, type TokenLifetimes } from "./services/login/tokens.js";
import { presencePubsub } from "./services/presence/pubsub.js";
import { TrouterHub, type TrouterTimings } from "./services/trouter/hub.js";
import { ChatState } from "./state/chat.js";
import { Directory, type Tenant, type User } from "./state/directory.js";
import { StoreEventBus } from "./state/events.js";
import { MediaStore } from "./state/media.js";
import { PresenceStore } from "./state/presence.js";
import { seedDemoChats } from "./state/seed.js";
import { seedDemoPresence } from "./state/seed-presence.js";
import type { CloudKind, EmulatorUrls } from "./urls.js";

/**
 * Switches between the variants sources disagree on ([DISAGREE] in PROTOCOL.md). Defaults are the
 * best-attested forms; tests switch them to prove the client accepts every variant.
 */
export interface Variants {
  /** §1.8: `skypeToken` object (MXG, default), enterprise `tokens` shape, or flat `skypeToken` + `skypeTokenExpiresIn`. */
  consumerAuthzShape: "skypeTokenObject" | "tokens" | "flat";
  /** §2.7: `properties.emotions` as an array (default) or a JSON string. */
  emotionsEncoding: "array" | "string";
  /** §2.8: also echo `"id": <clientmessageid>` in the send response body (MMZ). */
  sendEchoesClientMessageId: boolean;
}

export const DEFAULT_VARIANTS: Variants = {
  consumerAuthzShape: "skypeTokenObject",
  emotionsEncoding: "array",
  sendEchoesClientMessageId: false,
};

/** What the emulator's services know about a verified skypetoken. */
export interface SkypeIdentity {
  readonly user: User;
  readonly mri: string;
  readonly exp: number;
}

/** What the emulator's services know about a verified AAD access token. */
export interface BearerIdentity {
  readonly user: User;
  readonly audience: string;
  readonly clientId: string;
  readonly scopes: string[];
  readonly exp: number;
}

export interface ContextOptions {
  readonly urls: EmulatorUrls;
  readonly now: () => number;
  readonly variants: Variants;
  readonly lifetimes: TokenLifetimes;
  readonly faults: FaultController;
  readonly log: (line: string) => void;
  /** Demo data, or an empty world with only the directory. */
  readonly seed: "demo" | "empty";
  /** Trouter timings (ACK redelivery, heartbeats, gzip threshold). */
  readonly trouter?: Partial<TrouterTimings>;
  /** Random source (Trouter fault ratios). */
  readonly random?: () => number;
}

/** The stores one emulator world holds; replaced together on reset. */
interface Stores {
  /** The store event bus: stores raise changes here once; push and pubsub subscribe. */
  readonly events: StoreEventBus;
  readonly directory: Directory;
  readonly tokens: EmulatorTokenService;
  readonly chat: ChatState;
  /** AMS objects and their bytes (on disk). */
  readonly media: MediaStore;
  /** Trouter (push): allocations, sockets, the registrar's registrations; `deliver()` pushes to a surl. */
  readonly trouter: TrouterHub;
  /** Unified presence: endpoints, forced statuses, notes, pubsub subscriptions. */
  readonly presence: PresenceStore;
}

async function createStores(options: ContextOptions): Promise<Stores> {
  const events = new StoreEventBus({
    onError: (topic, err) => options.log(`event listener for ${topic} failed: ${String(err)}`),
  });
  const directory = new Directory();
  const tokens = await createTokenService({
    urls: options.urls,
    directory,
    now: options.now,
    lifetimes: options.lifetimes,
  });
  const chat = new ChatState({
    directory,
    now: options.now,
    base: () => options.urls.regionGtms("enterprise").chatService,
    variants: options.variants,
    events,
  });
  if (options.seed === "demo") seedDemoChats(chat);
  const media = new MediaStore({ now: options.now });
  const trouter = new TrouterHub(
    { urls: options.urls, now: options.now, tokens, events, log: options.log },
    options.trouter,
    options.random,
  );
  const presence = new PresenceStore({ directory, now: options.now, events });
  if (options.seed === "demo") seedDemoPresence(presence, directory);
  presencePubsub({ events, presence });
  // Presence pushes go out over the subscriber's Trouter socket (§3.4).
  events.on("presencePush", (e) => void trouter.deliver(e.trouterUri, e.body, { ...e.headers }, e.subscriber));
  return { events, directory, tokens, chat, media, trouter, presence };
}

/**
 * The emulator's context (Azurite's request-listener-factory shape): it owns the stores — the
 * directory, the token service, the chat state — with their concrete types, and every service's
 * route table receives it. Reset swaps in fresh stores at once.
 */
export class EmulatorContext {
  readonly urls: EmulatorUrls;
  readonly variants: Variants;
  readonly faults: FaultController;
  readonly #options: ContextOptions;
  #stores: Stores;

  private constructor(options: ContextOptions, stores: Stores) {
    this.#options = options;
    this.urls = options.urls;
    this.variants = options.variants;
    this.faults = options.faults;
    this.#stores = stores;
  }

  static async create(options: ContextOptions): Promise<EmulatorContext> {
    return new EmulatorContext(options, await createStores(options));
  }

  /** Fresh stores: the seeded directory and chats, no tokens issued, no media, no push sockets. */
  async reset(): Promise<void> {
    const old = this.#stores;
    this.#stores = await createStores(this.#options);
    old.trouter.close();
    old.media.dispose();
  }

  /** Releases what the stores hold outside memory (sockets, files). */
  close(): void {
    this.#stores.trouter.close();
    this.#stores.media.dispose();
  }

  /** The store event bus: stores raise changes here once; push and pubsub subscribe. */
  get events(): StoreEventBus {
    return this.#stores.events;
  }

  get directory(): Directory {
    return this.#stores.directory;
  }

  get tokens(): EmulatorTokenService {
    return this.#stores.tokens;
  }

  get chat(): ChatState {
    return this.#stores.chat;
  }

  get media(): MediaStore {
    return this.#stores.media;
  }

  get trouter(): TrouterHub {
    return this.#stores.trouter;
  }

  get presence(): PresenceStore {
    return this.#stores.presence;
  }

  /** Emulator clock, epoch ms (injectable for tests). */
  now(): number {
    return this.#options.now();
  }

  /** Access log / diagnostics; never logs tokens. */
  log(line: string): void {
    this.#options.log(line);
  }

  /** The emulator's own listening origin, `http://127.0.0.1:<port>`. */
  get origin(): string {
    return this.urls.self;
  }

  /** Sign-in root: `${origin}/login`, or `https://login.microsoftonline.com` in production-hosts mode. */
  get loginUrl(): string {
    return this.urls.login;
  }

  /** Teams root of the enterprise cloud. */
  get baseUrl(): string {
    return this.urls.teams("enterprise");
  }

  /** The service map authz hands out for a cloud and the caller's home tenant. */
  regionGtms(kind: CloudKind, tenant?: Tenant): RegionGtms {
    return this.urls.regionGtms(kind, tenant);
  }
}
