import type { Route, ServiceKind, ServiceTable } from "./http/types.js";
import type { Services } from "./services/index.js";
import { type AddressMode, CHAT_REGIONS } from "./urls.js";

/**
 * The host table: which service answers on which host, under which path prefix.
 *
 * Adding a service: give it a folder `services/<name>/` whose `routes.ts` exports its route table
 * (a `ServiceTable`: paths relative to the service root, each route declaring its auth), add the
 * table to `Services` in `services/index.ts`, and mount it here — one line in `loopback()` (its
 * path prefix on the emulator's single origin) and one in `PRODUCTION` (its real hostname and the
 * prefix it has there). The same routes serve both modes.
 */

/** A service mounted on a host under a path prefix ("" = the root). */
export interface Mount {
  readonly prefix: string;
  readonly table: ServiceTable;
  /** Fixed values the routes read from `req.mount.params`, e.g. the `region` of a regional chat host. */
  readonly params?: Readonly<Record<string, string>>;
}

export interface HostEntry {
  /** Public origin of the host as clients name it (`https://teams.microsoft.com`). */
  readonly origin: string;
  readonly mounts: readonly Mount[];
  /** Error shape for paths no mount owns; unset → a plain 404 (hosts that are not one service). */
  readonly fallback?: ServiceKind;
}

export interface HostTable {
  readonly mode: AddressMode;
  /** The entry for a `Host` header value (lower-case, port included when sent); undefined → not emulated. */
  lookup(host: string): HostEntry | undefined;
}

/** A route with its mount prefix folded into the pattern: the full path on its host. */
export interface MountedRoute extends Route {
  readonly service: ServiceKind;
}

/** Every route of a host, its pattern matching the full path (the fuzz test walks them all). */
export function mountedRoutes(entry: HostEntry): MountedRoute[] {
  const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return entry.mounts.flatMap((m) =>
    m.table.routes.map((r) => ({
      ...r,
      service: m.table.service,
      pattern: new RegExp(`^${literal(m.prefix)}${r.pattern.source.replace(/^\^/, "")}`, r.pattern.flags),
    })),
  );
}

/** Several route tables answering under one prefix, in the first one's error shape. */
export function joinTables(...tables: ServiceTable[]): ServiceTable {
  const first = tables[0];
  if (!first) throw new Error("joinTables needs at least one table");
  return { service: first.service, routes: tables.flatMap((t) => t.routes) };
}

/** Loopback mode: one origin, every service under its path prefix (the demo and most tests). */
export function loopbackHosts(s: Services, self: () => string): HostTable {
  const mounts: Mount[] = [
    { prefix: "", table: s.chat.direct },
    { prefix: "/api/chatsvc", table: s.chat.afd },
    { prefix: "/login", table: joinTables(s.login.sts, s.login.deviceLogin) },
    { prefix: "/api/authsvc", table: s.authsvc.enterprise },
    { prefix: "/api/auth", table: s.authsvc.consumer },
    { prefix: "/api/mt", table: joinTables(s.mt.enterprise, s.mt.consumer) },
    { prefix: "/api/csa", table: s.csa },
    { prefix: "/ups", table: s.presence.proxied },
    { prefix: "/ams", table: s.ams },
    { prefix: "/searchservice", table: s.search.query },
    { prefix: "/search", table: s.search.suggestions },
    { prefix: "/msgsearch", table: s.search.consumer },
    { prefix: "/trouter", table: s.trouter },
    { prefix: "/registrar", table: s.registrar },
    { prefix: "/_emulator", table: s.control },
  ];
  const entry: HostEntry = {
    get origin() {
      return self();
    },
    mounts,
    fallback: "chat",
  };
  return { mode: "loopback", lookup: () => entry };
}

/** The Trouter socket hosts the allocate answer hands out (§7.2): one per region, and the consumer one. */
export const TROUTER_SOCKET_HOSTS: readonly string[] = [
  ...CHAT_REGIONS.map((r) => `trouter2-${r}-a.trouter.teams.microsoft.com`),
  "trouter2-usce-a.trouter.skype.com",
];

/** A production host: its name and mounts (origin `https://<name>`). */
type HostSpec = readonly [name: string, mounts: (s: Services) => Mount[], fallback?: ServiceKind];

const teamsEnterprise = (s: Services): Mount[] => [
  { prefix: "/api/authsvc", table: s.authsvc.enterprise },
  { prefix: "/api/mt", table: s.mt.enterprise },
  { prefix: "/api/csa", table: s.csa },
  { prefix: "/api/chatsvc", table: s.chat.afd },
  { prefix: "/ups", table: s.presence.proxied },
  { prefix: "/registrar", table: s.registrar },
];

/** Production hosts: the real hostnames of both clouds (PROTOCOL.md §1.3–§7.11, appendix A). */
const PRODUCTION: readonly HostSpec[] = [
  ["login.microsoftonline.com", (s) => [{ prefix: "", table: s.login.sts }], "login"],
  ["login.live.com", (s) => [{ prefix: "", table: s.login.msa }], "login"],
  ["microsoft.com", (s) => [{ prefix: "", table: s.login.deviceLogin }]],
  ["www.microsoft.com", (s) => [{ prefix: "", table: s.login.deviceLogin }]],
  ["teams.microsoft.com", teamsEnterprise],
  ["teams.cloud.microsoft", teamsEnterprise],
  ["authsvc.teams.microsoft.com", (s) => [{ prefix: "", table: s.authsvc.enterprise }], "authsvc"],
  ...CHAT_REGIONS.map(
    (region): HostSpec => [
      `${region}.ng.msg.teams.microsoft.com`,
      (s) => [{ prefix: "", table: s.chat.direct, params: { region } }],
      "chat",
    ],
  ),
  ["chatsvcagg.teams.microsoft.com", (s) => [{ prefix: "", table: s.csa }], "csa"],
  ["presence.teams.microsoft.com", (s) => [{ prefix: "", table: s.presence.direct }], "presence"],
  [
    "substrate.office.com",
    (s) => [
      { prefix: "/searchservice", table: s.search.query },
      { prefix: "/search", table: s.search.suggestions },
    ],
  ],
  ...["eu", "us", "ap"].flatMap((r): HostSpec[] => [
    [`${r}-api.asm.skype.com`, (s) => [{ prefix: "", table: s.ams }], "ams"],
    [`${r}-prod.asyncgw.teams.microsoft.com`, (s) => [{ prefix: "", table: s.ams }], "ams"],
  ]),
  ["api.asm.skype.com", (s) => [{ prefix: "", table: s.ams }], "ams"],
  ["as-prod.asyncgw.teams.microsoft.com", (s) => [{ prefix: "", table: s.ams }], "ams"],
  ["go.trouter.teams.microsoft.com", (s) => [{ prefix: "", table: s.trouter }], "trouter"],
  ...TROUTER_SOCKET_HOSTS.map((h): HostSpec => [h, (s) => [{ prefix: "", table: s.trouter }], "trouter"]),
  [
    "teams.live.com",
    (s) => [
      { prefix: "/api/auth", table: s.authsvc.consumer },
      { prefix: "/api/mt", table: s.mt.consumer },
      { prefix: "/api/chatsvc", table: s.chat.afd },
    ],
  ],
  ["msgapi.teams.live.com", (s) => [{ prefix: "", table: s.chat.direct, params: { region: "consumer" } }], "chat"],
  ["presence.teams.live.com", (s) => [{ prefix: "", table: s.presence.direct }], "presence"],
  ["msgsearch.skype.com", (s) => [{ prefix: "", table: s.search.consumer }], "search"],
  ["edge.skype.com", (s) => [{ prefix: "/registrar", table: s.registrar }]],
  ["go.trouter.skype.com", (s) => [{ prefix: "", table: s.trouter }], "trouter"],
];

/** Every hostname production mode answers as, one per line with `--print-hosts` (hosts files, certificates). */
export const PRODUCTION_HOSTNAMES: readonly string[] = PRODUCTION.map(([name]) => name);

/**
 * Production mode: routes every request by its `Host` (PROTOCOL.md §9.6). The emulator's own
 * address (`self`, e.g. `127.0.0.1:4380`) answers only the control plane.
 */
export function productionHosts(s: Services, self: () => string): HostTable {
  const hosts = new Map<string, HostEntry>();
  for (const [name, mounts, fallback] of PRODUCTION) {
    hosts.set(name, { origin: `https://${name}`, mounts: mounts(s), ...(fallback ? { fallback } : {}) });
  }
  const control: HostEntry = {
    get origin() {
      return self();
    },
    mounts: [{ prefix: "/_emulator", table: s.control }],
  };
  return {
    mode: "production",
    lookup(host) {
      const exact = hosts.get(host);
      if (exact) return exact;
      // Clients name https hosts without a port; `:443` is the same host.
      const bare = host.endsWith(":443") ? host.slice(0, -4) : host;
      const named = hosts.get(bare);
      if (named) return named;
      const own = new URL(self()).host;
      return host === own || host === own.replace("127.0.0.1", "localhost") ? control : undefined;
    },
  };
}
