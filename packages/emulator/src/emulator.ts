import type { AddressInfo } from "node:net";
import { DEFAULT_VARIANTS, type EmulatorContext, emulatorRegionGtms, type Variants } from "./context.js";
import { clockRoutes, EmulatorClock } from "./control/clock.js";
import { controlRoutes } from "./control/routes.js";
import { FaultController } from "./http/faults.js";
import { createHttpCore } from "./http/server.js";
import type { Mount, Route } from "./http/types.js";
import { amsRoutes } from "./services/ams/routes.js";
import { authsvcRoutes } from "./services/authsvc/routes.js";
import { chatsvcRoutes } from "./services/chatsvc/routes.js";
import { loginRoutes } from "./services/login/routes.js";
import { createTokenService, type TokenLifetimes } from "./services/login/tokens.js";
import { mtRoutes } from "./services/mt/routes.js";
import { presencePubsub } from "./services/presence/pubsub.js";
import { presenceRoutes } from "./services/presence/routes.js";
import { registrarRoutes } from "./services/registrar/routes.js";
import { searchRoutes } from "./services/search/routes.js";
import { DEFAULT_TROUTER_TIMINGS, TrouterHub, type TrouterTimings } from "./services/trouter/hub.js";
import { trouterControlRoutes, trouterRoutes } from "./services/trouter/routes.js";
import { DEMO_PASSWORD, Directory, type User } from "./state/directory.js";
import { StoreEventBus } from "./state/events.js";
import { MediaStore } from "./state/media.js";
import { PresenceStore } from "./state/presence.js";
import { seedDemoPresence } from "./state/seed-presence.js";

export interface EmulatorOptions {
  /** Interface to bind. Only loopback is supported. @default "127.0.0.1" */
  host?: string;
  /** Port; 0 picks a free one. @default 4380 */
  port?: number;
  /** Demo data, or an empty world with only the directory. @default "demo" */
  seed?: "demo" | "empty";
  /** Clock in epoch ms (tests move time to expire tokens). @default Date.now */
  now?: () => number;
  /** Protocol variants ([DISAGREE] points). @default DEFAULT_VARIANTS */
  variants?: Partial<Variants>;
  /** Token lifetimes. */
  lifetimes?: Partial<TokenLifetimes>;
  /** Access log sink. @default silent */
  log?: (line: string) => void;
  /** Random source for fault ratios. @default Math.random */
  random?: () => number;
  /** Trouter timings (ACK redelivery, heartbeats, gzip threshold). @default DEFAULT_TROUTER_TIMINGS */
  trouter?: Partial<TrouterTimings>;
}

export const DEFAULT_EMULATOR_PORT = 4380;

export interface Emulator {
  readonly origin: string;
  readonly port: number;
  /** Sign-in root (TEAMS_LOGIN_URL). */
  readonly loginUrl: string;
  /** Teams root (TEAMS_BASE_URL). */
  readonly baseUrl: string;
  readonly users: readonly User[];
  readonly password: string;
  readonly context: EmulatorContext;
  readonly faults: FaultController;
  /** Environment for a client pointed at this emulator. */
  env(): Record<string, string>;
  /** Back to the seeded state: fresh data, tokens, faults. */
  reset(): Promise<void>;
  /** Every route served, with its method and pattern (the fuzz test walks them all). */
  routes(): readonly Route[];
  close(): Promise<void>;
}

/** Every URL prefix a service owns; anything else is the chat service (it lives at the root, like `*.ng.msg`). */
const MOUNTS: readonly Mount[] = [
  { prefix: "/login", service: "login" },
  { prefix: "/api/authsvc", service: "authsvc" },
  { prefix: "/api/auth", service: "authsvc" },
  { prefix: "/api/mt", service: "mt" },
  { prefix: "/api/csa", service: "mt" },
  { prefix: "/ups", service: "presence" },
  { prefix: "/ams", service: "ams" },
  { prefix: "/search", service: "search" },
  { prefix: "/searchservice", service: "search" },
  { prefix: "/msgsearch", service: "search" },
  { prefix: "/trouter", service: "trouter" },
  { prefix: "/registrar", service: "trouter" },
  { prefix: "/_emulator", service: "control" },
];

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? "127.0.0.1";
  // The base clock plus the offset `POST /_emulator/clock` moves forward.
  const clock = new EmulatorClock(options.now ?? Date.now);
  const now = clock.now;
  const variants: Variants = { ...DEFAULT_VARIANTS, ...options.variants };
  const lifetimes: TokenLifetimes = {
    accessTokenSec: 3599,
    spaRefreshTokenSec: 86400,
    refreshTokenSec: 90 * 86400,
    skypeTokenSec: 86400,
    ...options.lifetimes,
  };
  const faults = new FaultController(options.random);
  const log = options.log ?? (() => {});
  let routes: Route[] = [];

  const server = createHttpCore({ routes: () => routes, mounts: MOUNTS, fallbackService: "chat", faults, log });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? DEFAULT_EMULATOR_PORT, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://${host}:${port}`;
  const loginUrl = `${origin}/login`;

  let context!: EmulatorContext;
  let trouter: TrouterHub | undefined;
  server.on("upgrade", (req, socket, head) => {
    if (!trouter?.upgrade(req, socket, head)) socket.destroy();
  });
  const build = async (): Promise<void> => {
    const directory = new Directory();
    const tokens = await createTokenService({ loginUrl, directory, now, lifetimes });
    context?.media.dispose();
    const events = new StoreEventBus({
      onError: (topic, err) => log(`event listener for ${topic} failed: ${String(err)}`),
    });
    const presence = new PresenceStore({ directory, now, events });
    if ((options.seed ?? "demo") === "demo") seedDemoPresence(presence, directory);
    trouter?.close();
    trouter = new TrouterHub(
      { origin, now, tokens, events, log },
      { ...DEFAULT_TROUTER_TIMINGS, ...options.trouter },
      options.random,
    );
    context = {
      origin,
      loginUrl,
      baseUrl: origin,
      now,
      regionGtms: (kind) => emulatorRegionGtms(origin, kind),
      variants,
      directory,
      tokens,
      faults,
      media: new MediaStore({ now }),
      events,
      presence,
      trouter,
      log,
    };
    presencePubsub(context);
    // Presence pushes go out over the subscriber's Trouter socket (§3.4).
    events.on("presencePush", (e) => void trouter?.deliver(e.trouterUri, e.body, { ...e.headers }, e.subscriber));
    routes = [
      ...controlRoutes(context, () => void reset()),
      ...clockRoutes(clock),
      ...loginRoutes(context),
      ...authsvcRoutes(context),
      ...mtRoutes(context),
      ...presenceRoutes(context, presence),
      ...amsRoutes(context),
      ...searchRoutes(context),
      ...chatsvcRoutes(context, { seed: options.seed ?? "demo" }),
      ...trouterRoutes(context, trouter),
      ...registrarRoutes(context, trouter.registrar),
      ...trouterControlRoutes(context, trouter),
    ];
  };
  const reset = async (): Promise<void> => {
    faults.clear();
    clock.reset();
    await build();
  };
  await build();
  // Expiries (endpoints, forced statuses, notes) happen on the clock: look for them every second.
  const sweeper = setInterval(() => context.presence.sweep(), 1000);
  sweeper.unref();

  return {
    origin,
    port,
    loginUrl,
    baseUrl: origin,
    password: DEMO_PASSWORD,
    get users() {
      return context.directory.users;
    },
    get context() {
      return context;
    },
    faults,
    env: () => ({ TEAMS_CLOUD: "emulator", TEAMS_LOGIN_URL: loginUrl, TEAMS_BASE_URL: origin }),
    reset,
    routes: () => routes,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(sweeper);
        trouter?.close();
        context.media.dispose();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
