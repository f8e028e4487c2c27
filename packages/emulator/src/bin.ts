#!/usr/bin/env node
/**
 * teams-emulator: one command starts a faithful local Teams on 127.0.0.1 (GUIDE §4).
 *
 *   teams-emulator [--port N] [--host H] [--seed demo|empty] [--log]
 *                  [--production-hosts] [--tls] [--data-dir DIR] [--print-hosts]
 *
 * Prints the URL (first line, `… listening on http://127.0.0.1:<port>`), the demo users and their
 * shared password, and an env block for the client. Stops cleanly on SIGINT/SIGTERM. Usage errors
 * exit 2 with one line on stderr.
 *
 * `--production-hosts` answers as the real Microsoft hosts (routing by Host, every emitted URL on
 * them); `--tls` serves HTTPS on the same port with a certificate from a local CA kept in the data
 * directory, and accepts CONNECT as an HTTPS proxy for those hosts. `--print-hosts` prints every
 * hostname the emulator may answer as or emit, one per line, and exits.
 */
import { parseArgs } from "node:util";
import { DEFAULT_EMULATOR_PORT, type Emulator, startEmulator } from "./emulator.js";
import { PRODUCTION_HOSTNAMES } from "./hosts.js";

const USAGE =
  "usage: teams-emulator [--port N] [--host 127.0.0.1] [--seed demo|empty] [--log] [--production-hosts] [--tls] [--data-dir DIR] [--print-hosts]";

interface CliOptions {
  port: number;
  host: string;
  seed: "demo" | "empty";
  log: boolean;
  productionHosts: boolean;
  tls: boolean;
  dataDir: string | undefined;
}

class UsageError extends Error {}

function parseCli(argv: readonly string[]): CliOptions | "help" | "print-hosts" {
  let values: {
    port?: string;
    host?: string;
    seed?: string;
    log?: boolean;
    help?: boolean;
    "production-hosts"?: boolean;
    tls?: boolean;
    "data-dir"?: string;
    "print-hosts"?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: "string", short: "p" },
        host: { type: "string" },
        seed: { type: "string" },
        log: { type: "boolean" },
        help: { type: "boolean", short: "h" },
        "production-hosts": { type: "boolean" },
        tls: { type: "boolean" },
        "data-dir": { type: "string" },
        "print-hosts": { type: "boolean" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    const message = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new UsageError(message);
  }
  if (values.help) return "help";
  if (values["print-hosts"]) return "print-hosts";
  let port = DEFAULT_EMULATOR_PORT;
  if (values.port !== undefined) {
    if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65535) {
      throw new UsageError(`--port must be a number from 0 to 65535, got '${values.port}'`);
    }
    port = Number(values.port);
  }
  let host = "127.0.0.1";
  if (values.host !== undefined) {
    const h = values.host === "localhost" ? "127.0.0.1" : values.host;
    if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h.split(".").some((o) => Number(o) > 255)) {
      throw new UsageError(`--host must be an IPv4 loopback address (127.x.x.x), got '${values.host}'`);
    }
    host = h;
  }
  const seed = values.seed ?? "demo";
  if (seed !== "demo" && seed !== "empty") throw new UsageError(`--seed must be demo or empty, got '${seed}'`);
  if (values["data-dir"] !== undefined && values["data-dir"].trim() === "") {
    throw new UsageError("--data-dir needs a directory");
  }
  return {
    port,
    host,
    seed,
    log: values.log ?? false,
    productionHosts: values["production-hosts"] ?? false,
    tls: values.tls ?? false,
    dataDir: values["data-dir"],
  };
}

function banner(emu: Emulator): string {
  const users = emu.users;
  const width = Math.max(...users.map((u) => u.login.length), 10);
  const nameWidth = Math.max(...users.map((u) => u.displayName.length), 12);
  const lines = [
    `teams-emulator listening on ${emu.origin}`,
    ...(emu.mode === "production"
      ? ["", "Answering as the real Microsoft hosts (teams-emulator --print-hosts lists them)."]
      : []),
    ...(emu.caPath
      ? [
          `HTTPS on the same port, and CONNECT as an HTTPS proxy; certificates from the local CA ${emu.caPath}${emu.caCreated ? " (created now)" : ""}.`,
        ]
      : []),
    "",
    `Demo users (password for all: ${emu.password}):`,
    ...users.map((u) => {
      const kind = u.kind === "consumer" ? "consumer" : u.userType === "Guest" ? "enterprise (guest)" : "enterprise";
      const note = u.unlicensed ? "  — no Teams license" : "";
      return `  ${u.login.padEnd(width)}  ${u.displayName.padEnd(nameWidth)}  ${kind}${note}`;
    }),
    "",
    "Point a client at it:",
    ...Object.entries(emu.env()).map(([k, v]) => `  export ${k}=${v}`),
    "",
    `Control plane: ${emu.origin}/_emulator/health — Ctrl+C stops.`,
  ];
  return `${lines.join("\n")}\n`;
}

async function main(argv: readonly string[]): Promise<number> {
  let options: CliOptions | "help" | "print-hosts";
  try {
    options = parseCli(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`teams-emulator: ${err.message} (${USAGE})\n`);
      return 2;
    }
    throw err;
  }
  if (options === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (options === "print-hosts") {
    process.stdout.write(`${PRODUCTION_HOSTNAMES.join("\n")}\n`);
    return 0;
  }

  let emu: Emulator;
  try {
    emu = await startEmulator({
      port: options.port,
      host: options.host,
      seed: options.seed,
      productionHosts: options.productionHosts,
      ...(options.tls ? { tls: options.dataDir ? { dataDir: options.dataDir } : {} } : {}),
      ...(options.log ? { log: (line: string) => process.stderr.write(`${line}\n`) } : {}),
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === "EADDRINUSE"
        ? `port ${options.port} is in use (try --port 0)`
        : err instanceof Error
          ? err.message
          : String(err);
    process.stderr.write(`teams-emulator: cannot start: ${reason}\n`);
    return 1;
  }
  // Handlers go in before the banner: whoever reads the banner may signal at once.
  const stopped = new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        process.stderr.write(`teams-emulator: ${signal} again, exiting now\n`);
        process.exit(1);
      }
      stopping = true;
      process.stderr.write(`teams-emulator: ${signal}, stopping\n`);
      void emu.close().then(() => resolve(0));
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  process.stdout.write(banner(emu));
  return stopped;
}

process.exitCode = await main(process.argv.slice(2));
