import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { createServer as createNetServer, type Server, type Socket } from "node:net";
import type { Duplex } from "node:stream";

/**
 * The front door of `--tls`: one port that speaks plain HTTP and HTTPS (told apart by the first
 * byte: 0x16 opens a TLS handshake), and accepts `CONNECT host:443` as an HTTPS proxy for the
 * hosts the emulator answers as — like mitmproxy, it terminates TLS itself with a certificate for
 * those names, so a client honouring `HTTPS_PROXY` reaches "Microsoft" with no DNS change. A
 * CONNECT to any other host is refused (502) and reported, so a test can fail on it.
 */
export interface FrontOptions {
  readonly listener: (req: IncomingMessage, res: ServerResponse) => void;
  readonly upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  /** Server certificate chain and key (PEM). */
  readonly tls: { readonly cert: string; readonly key: string };
  /** Whether `CONNECT` may open a tunnel to this host (lower-case, no port). */
  readonly tunnels: (host: string) => boolean;
  /** Every CONNECT, allowed or refused. */
  readonly onConnect?: (target: string, allowed: boolean) => void;
}

export interface Front {
  readonly server: Server;
  /** Closes every connection, tunnels included. */
  closeAll(): void;
}

export function createFront(options: FrontOptions): Front {
  const sockets = new Set<Socket | Duplex>();
  const track = (s: Socket | Duplex) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  };
  const plain = createHttpServer(options.listener);
  const secure = createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, options.listener);
  for (const s of [plain, secure]) {
    s.on("upgrade", options.upgrade);
    s.on("clientError", (_err, socket) => socket.destroy());
  }
  secure.on("tlsClientError", (_err, socket) => socket.destroy());

  plain.on("connect", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    track(socket);
    const target = (req.url ?? "").toLowerCase();
    const m = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(target);
    const host = m?.[1] ?? "";
    const port = m?.[2] ?? "443";
    const allowed = port === "443" && options.tunnels(host);
    options.onConnect?.(target, allowed);
    if (!allowed) {
      const body = `teams-emulator does not emulate the host '${target}'.\n`;
      socket.end(
        `HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      return;
    }
    socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    if (head.length > 0) socket.unshift(head);
    secure.emit("connection", socket);
  });

  const server = createNetServer((socket) => {
    track(socket);
    socket.once("data", (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      (first[0] === 0x16 ? secure : plain).emit("connection", socket);
      process.nextTick(() => socket.resume());
    });
    socket.on("error", () => socket.destroy());
  });
  return {
    server,
    closeAll: () => {
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
  };
}
