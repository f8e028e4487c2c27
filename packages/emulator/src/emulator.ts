import { createServer } from "node:http";
import type { AddressInfo, Server } from "node:net";
import { DEFAULT_VARIANTS, EmulatorContext, type Variants } from "./context.js";
import { EmulatorClock } from "./control/clock.js";
import {
  type HostTable,
  loopbackHosts,
  type MountedRoute,
  mountedRoutes,
  PRODUCTION_HOSTNAMES,
  productionHosts,
} from "./hosts.js";
import { createAuthenticator } from "./http/auth.js";
import { FaultController } from "./http/faults.js";
import {
  createRequestListener,
  createUpgradeListener,
  type ObservedResponse,
  type RequestRecord,
} from "./http/server.js";
import { buildServices } from "./services/index.js";
import type { TokenLifetimes } from "./services/login/tokens.js";
import type { TrouterTimings } from "./services/trouter/hub.js";
import { DEMO_PASSWORD, type User } from "./state/directory.js";
import { defaultDataDir, loadOrCreateCa } from "./tls/ca.js";
import { createFront } from "./tls/front.js";
import { type AddressMode, EmulatorUrls } from "./urls.js";

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
  /** Called for every answered request (method, path and query, body, credential header names). */
  onRequest?: (record: RequestRecord) => void;
  /** Random source for fault ratios. @default Math.random */
  random?: () => number;
  /** Trouter timings (ACK redelivery, heartbeats, gzip threshold). @default DEFAULT_TROUTER_TIMINGS */
  trouter?: Partial<TrouterTimings>;
  /**
   * Answer as the real Microsoft hosts, routing by `Host`, every emitted URL on the real https
   * hostnames (PROTOCOL.md §9.6). @default false (loopback: one origin, services under prefixes)
   */
  productionHosts?: boolean;
  /**
   * Serve HTTPS on the same port (and accept CONNECT as an HTTPS proxy for the hosts it answers as),
   * with a certificate from a local CA created on first use in `dataDir`
   * (@default `$XDG_DATA_HOME/teams-emulator`). @default off
   */
  tls?: { dataDir?: string };
  /** Sees every answer and every CONNECT (tests scan them). */
  observe?: {
    response?: (response: ObservedResponse) => void;
    connect?: (target: string, allowed: boolean) => void;
  };
}

export const DEFAULT_EMULATOR_PORT = 4380;

export interface Emulator {
  /** The emulator's own listening address, `http://127.0.0.1:<port>`. */
  readonly origin: string;
  readonly port: number;
  readonly mode: AddressMode;
  /** With `tls`: the local CA certificate to trust (NODE_EXTRA_CA_CERTS). */
  readonly caPath: string | undefined;
  /** With `tls`: whether this start created the CA. */
  readonly caCreated: boolean;
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
  /** Every route served on the emulator's own origin, patterns on the full path (the fuzz test walks them). */
  routes(): readonly MountedRoute[];
  close(): Promise<void>;
}

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
  const mode: AddressMode = options.productionHosts ? "production" : "loopback";
  const urls = new EmulatorUrls(mode);

  // The context and every route exist before the server accepts a connection; only the loopback
  // origin (port 0) is bound once it listens.
  const context = await EmulatorContext.create({
    urls,
    now,
    variants,
    lifetimes,
    faults,
    log,
    seed: options.seed ?? "demo",
    ...(options.trouter ? { trouter: options.trouter } : {}),
    ...(options.random ? { random: options.random } : {}),
  });
  const hostTable = (): HostTable => {
    const services = buildServices(context, clock, () => void reset());
    return mode === "production"
      ? productionHosts(services, () => urls.self)
      : loopbackHosts(services, () => urls.self);
  };
  let hosts = hostTable();
  const reset = async (): Promise<void> => {
    faults.clear();
    clock.reset();
    await context.reset();
    hosts = hostTable();
  };

  const listener = createRequestListener({
    hosts: () => hosts,
    authenticate: createAuthenticator(context),
    faults,
    log,
    ...(options.onRequest ? { onRequest: options.onRequest } : {}),
    ...(options.observe?.response ? { observe: options.observe.response } : {}),
  });
  const upgrade = createUpgradeListener(() => hosts);
  const ca = options.tls ? loadOrCreateCa(options.tls.dataDir ?? defaultDataDir()) : undefined;
  const front = ca
    ? createFront({
        listener,
        upgrade,
        tls: ca.issue([...PRODUCTION_HOSTNAMES, "localhost", host]),
        // Tunnels only to the hosts production mode answers as (loopback mode answers as none).
        tunnels: (name) => mode === "production" && PRODUCTION_HOSTNAMES.includes(name),
        ...(options.observe?.connect ? { onConnect: options.observe.connect } : {}),
      })
    : undefined;
  const plain = front ? undefined : createServer(listener).on("upgrade", upgrade);
  const server: Server = front?.server ?? (plain as Server);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? DEFAULT_EMULATOR_PORT, host, () => {
      urls.bind(`http://${host}:${(server.address() as AddressInfo).port}`);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const origin = urls.self;
  // Expiries (presence endpoints, forced statuses, notes) happen on the clock: look every second.
  const sweeper = setInterval(() => context.presence.sweep(), 1000);
  sweeper.unref();

  return {
    origin,
    port,
    mode,
    caPath: ca?.caPath,
    caCreated: ca?.created ?? false,
    get loginUrl() {
      return urls.login;
    },
    get baseUrl() {
      return urls.teams("enterprise");
    },
    password: DEMO_PASSWORD,
    get users() {
      return context.directory.users;
    },
    context,
    faults,
    env: () =>
      mode === "production"
        ? {
            TEAMS_CLOUD: "enterprise",
            ...(ca ? { HTTPS_PROXY: origin, NODE_EXTRA_CA_CERTS: ca.caPath } : {}),
          }
        : { TEAMS_CLOUD: "emulator", TEAMS_LOGIN_URL: urls.login, TEAMS_BASE_URL: origin },
    reset,
    routes: () => {
      const own = hosts.lookup(new URL(origin).host);
      return own ? mountedRoutes(own) : [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(sweeper);
        context.close();
        front?.closeAll();
        plain?.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
