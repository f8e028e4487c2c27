/**
 * WebSockets through HTTPS_PROXY / HTTP_PROXY (honouring NO_PROXY), like the rest of the client:
 * an agent whose connections are `CONNECT` tunnels through the proxy, TLS on top for `wss:`.
 */
import { Agent, type ClientRequestArgs, request } from "node:http";
import type { Duplex } from "node:stream";
import { connect as tlsConnect } from "node:tls";
import { type Env, proxyFromEnv } from "../http/fetch.js";

function bypass(host: string, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const h = host.toLowerCase();
  return noProxy.split(/[\s,]+/).some((raw) => {
    const p = raw.trim().toLowerCase().replace(/:\d+$/, "");
    if (!p) return false;
    if (p === "*") return true;
    const bare = p.replace(/^\*?\./, "");
    return h === bare || h.endsWith(`.${bare}`);
  });
}

class ConnectAgent extends Agent {
  constructor(
    private readonly proxy: URL,
    private readonly secure: boolean,
  ) {
    super({ keepAlive: false });
    // `wss:` requests go through https.request, which refuses an agent whose protocol is "http:".
    if (secure) Object.defineProperty(this, "protocol", { value: "https:" });
  }

  override createConnection(
    options: ClientRequestArgs & { servername?: string },
    callback?: (err: Error | null, stream: Duplex) => void,
  ): undefined {
    const fail = (err: Error): void => callback?.(err, undefined as unknown as Duplex);
    const host = options.hostname ?? options.host ?? "localhost";
    const port = Number(options.port ?? (this.secure ? 443 : 80));
    const auth = this.proxy.username
      ? {
          "Proxy-Authorization": `Basic ${Buffer.from(`${decodeURIComponent(this.proxy.username)}:${decodeURIComponent(this.proxy.password)}`).toString("base64")}`,
        }
      : {};
    const req = request({
      host: this.proxy.hostname,
      port: this.proxy.port || 80,
      method: "CONNECT",
      path: `${host}:${port}`,
      headers: { host: `${host}:${port}`, ...auth },
      agent: false,
    });
    req.once("connect", (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        fail(new Error(`the proxy refused the tunnel (${res.statusCode})`));
        return;
      }
      callback?.(null, this.secure ? tlsConnect({ socket, servername: options.servername ?? host }) : socket);
    });
    req.once("error", fail);
    req.end();
    return undefined;
  }
}

/** The agent for a WebSocket URL, or undefined to connect directly. */
export function proxyAgentFor(url: string, env: Env): Agent | undefined {
  const proxy = proxyFromEnv(env);
  if (!proxy) return undefined;
  const u = new URL(url);
  const secure = u.protocol === "wss:" || u.protocol === "https:";
  const via = secure ? (proxy.httpsProxy ?? proxy.httpProxy) : proxy.httpProxy;
  if (!via || bypass(u.hostname, proxy.noProxy)) return undefined;
  return new ConnectAgent(new URL(via), secure);
}
