/**
 * A tiny local HTTP proxy for tests: CONNECT tunnels and absolute-form forwarding, counting what
 * passes through it.
 */
import { createServer, request as httpRequest, type Server } from "node:http";
import { type AddressInfo, connect } from "node:net";

export interface CountingProxy {
  url: string;
  /** CONNECT tunnels opened. */
  tunnels: number;
  /** HTTP requests seen: forwarded ones plus request lines inside tunnels. */
  requests: number;
  close(): Promise<void>;
}

export async function startProxy(): Promise<CountingProxy> {
  const counts = { tunnels: 0, requests: 0 };
  const sockets = new Set<{ destroy(): void }>();
  const server: Server = createServer((req, res) => {
    // Absolute-form request: forward it.
    counts.requests++;
    const target = new URL(req.url ?? "");
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: req.method,
        headers: req.headers,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  server.on("connect", (req, socket, head) => {
    counts.tunnels++;
    sockets.add(socket);
    // The tunnel carries plain HTTP to the emulator: count its request lines.
    socket.on("data", (chunk: Buffer) => {
      counts.requests +=
        chunk.toString("latin1").match(/(?:^|\r\n)(?:GET|POST|PUT|DELETE|PATCH) \/\S* HTTP\/1\.1\r\n/g)?.length ?? 0;
    });
    const [host, port] = (req.url ?? "").split(":");
    const upstream = connect(Number(port), host ?? "127.0.0.1", () => {
      sockets.add(upstream);
      socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    const drop = (): void => {
      upstream.destroy();
      socket.destroy();
    };
    upstream.on("error", drop);
    socket.on("error", drop);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get tunnels() {
      return counts.tunnels;
    },
    get requests() {
      return counts.requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
