p='/work/wt/hosts/packages/emulator/src/emulator.ts'
s=open(p).read()
s=s.replace('''import { createRequestListener, createUpgradeListener } from "./http/server.js";''','''import { createRequestListener, createUpgradeListener, type ObservedResponse } from "./http/server.js";''')
s=s.replace('''import { type AddressMode, EmulatorUrls } from "./urls.js";''','''import { defaultDataDir, loadOrCreateCa } from "./tls/ca.js";
import { createFront } from "./tls/front.js";
import { type AddressMode, EmulatorUrls } from "./urls.js";''')
s=s.replace('''  productionHosts?: boolean;
}''','''  productionHosts?: boolean;
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
}''',1)
s=s.replace('''  readonly mode: AddressMode;''','''  readonly mode: AddressMode;
  /** With `tls`: the local CA certificate to trust (NODE_EXTRA_CA_CERTS). */
  readonly caPath: string | undefined;
  /** With `tls`: whether this start created the CA. */
  readonly caCreated: boolean;''',1)
s=s.replace('''  const server = createServer(
    createRequestListener({ hosts: () => hosts, authenticate: createAuthenticator(context), faults, log }),
  );
  server.on("upgrade", createUpgradeListener(() => hosts));''','''  const listener = createRequestListener({
    hosts: () => hosts,
    authenticate: createAuthenticator(context),
    faults,
    log,
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
        tunnels: (name) => mode === "production" && hosts.lookup(name) !== undefined,
        ...(options.observe?.connect ? { onConnect: options.observe.connect } : {}),
      })
    : undefined;
  const server: Server = front?.server ?? createServer(listener);
  if (!front) server.on("upgrade", upgrade);''')
s=s.replace('''import { createServer } from "node:http";''','''import { createServer } from "node:http";
import type { Server } from "node:net";''')
s=s.replace('''import { type HostTable, loopbackHosts, productionHosts } from "./hosts.js";''','''import { type HostTable, loopbackHosts, PRODUCTION_HOSTNAMES, productionHosts } from "./hosts.js";''')
s=s.replace('''    origin,
    port,
    mode,''','''    origin,
    port,
    mode,
    caPath: ca?.caPath,
    caCreated: ca?.created ?? false,''')
s=s.replace('''    env: () =>
      mode === "production"
        ? { TEAMS_CLOUD: "enterprise" }
        : { TEAMS_CLOUD: "emulator", TEAMS_LOGIN_URL: urls.login, TEAMS_BASE_URL: origin },''','''    env: () =>
      mode === "production"
        ? {
            TEAMS_CLOUD: "enterprise",
            ...(ca ? { HTTPS_PROXY: origin, NODE_EXTRA_CA_CERTS: ca.caPath } : {}),
          }
        : { TEAMS_CLOUD: "emulator", TEAMS_LOGIN_URL: urls.login, TEAMS_BASE_URL: origin },''')
s=s.replace('''        context.close();
        server.closeAllConnections();
        server.close(() => resolve());''','''        context.close();
        if (front) front.closeAll();
        else (server as ReturnType<typeof createServer>).closeAllConnections();
        server.close(() => resolve());''')
open(p,'w').write(s)
