// `npm run demo [-- --user bob@contoso.com]`: the whole thing on one machine, nothing reaching
// Microsoft. Starts the Teams emulator in this process (port 4380 when free; when another demo or
// `npm run emulator` already holds it, joins that one so two demos can talk), signs in through the
// emulator's real PKCE sign-in page with the demo password, and opens the interactive app.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  App,
  describeError,
  exitCodeFor,
  installTerminalGuards,
  oneLine,
  restoreTerminal,
  runInteractive,
  wrap,
} from "@teams-api/cli";
import { DEFAULT_EMULATOR_PORT, DEMO_PASSWORD, type Emulator, startEmulator, type User } from "@teams-api/emulator";
import { TeamsClient } from "teams-api";

interface DemoArgs {
  user: string;
  port: number | undefined;
}

function parseArgs(argv: readonly string[]): DemoArgs {
  const args: DemoArgs = { user: "alice@contoso.com", port: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = a.includes("=") ? a.slice(a.indexOf("=") + 1) : argv[++i];
      if (!v) throw new Error(`${a} needs a value.`);
      return v;
    };
    if (a === "--user" || a.startsWith("--user=") || a === "-u") args.user = value();
    else if (a === "--port" || a.startsWith("--port=")) args.port = Number(value());
    else if (a === "--help" || a === "-h") {
      process.stdout.write("npm run demo -- [--user <email>] [--port <n>]\n");
      process.exit(0);
    } else throw new Error(`Unknown option ${a}; try --user <email>.`);
  }
  return args;
}

async function isEmulator(origin: string): Promise<boolean> {
  try {
    const res = await fetch(`${origin}/_emulator/health`, { signal: AbortSignal.timeout(1000) });
    return res.ok;
  } catch {
    return false;
  }
}

/** Our own emulator, or the one already listening on the well-known port. */
async function emulatorFor(port: number | undefined): Promise<{ origin: string; emulator?: Emulator }> {
  const wanted = port ?? DEFAULT_EMULATOR_PORT;
  try {
    const emulator = await startEmulator({ port: wanted });
    return { origin: emulator.origin, emulator };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EADDRINUSE") throw err;
  }
  const origin = `http://127.0.0.1:${wanted}`;
  if (await isEmulator(origin)) return { origin };
  const emulator = await startEmulator({ port: 0 });
  return { origin: emulator.origin, emulator };
}

function banner(
  me: { displayName: string; email?: string | undefined },
  origin: string,
  others: ReadonlyArray<{ name: string; login: string }>,
  width: number,
): string {
  const port = new URL(origin).port;
  const partner = others[0]?.login ?? "bob@contoso.com";
  const second =
    port === String(DEFAULT_EMULATOR_PORT)
      ? `\`npm run demo -- --user ${partner}\``
      : `\`npm run demo -- --user ${partner} --port ${port}\``;
  const paragraph =
    `You are ${oneLine(me.displayName)}${me.email ? ` (${oneLine(me.email)})` : ""}, signed in through the real sign-in page of a local Teams emulator at ${origin}; nothing here reaches Microsoft. ` +
    `Other demo users (password "${DEMO_PASSWORD}"): ${others.map((o) => `${o.name} (${o.login})`).join(", ")}. Try ${second} in a second terminal: it joins this emulator, so you can chat with yourself. ` +
    `To run the emulator alone: \`npm run emulator\`, then TEAMS_CLOUD=emulator TEAMS_LOGIN_URL=${origin}/login TEAMS_BASE_URL=${origin} npx teams login. ` +
    "Arrow keys and Enter pick, typing filters; Ctrl+C goes back, and quits from the main menu.";
  return [
    "╔══════════════════════════════════╗",
    "║ Microsoft Teams CLI — demo       ║",
    "╚══════════════════════════════════╝",
    "",
    ...wrap(paragraph, Math.max(40, Math.min(width, 100) - 1)),
  ].join("\n");
}

/** Who else can sign in: from our emulator, or from the control plane of the one we joined. */
async function demoUsers(
  origin: string,
  emulator: Emulator | undefined,
): Promise<Array<{ name: string; login: string }>> {
  let users: ReadonlyArray<Pick<User, "login" | "displayName"> & { unlicensed?: boolean | undefined }> = [];
  if (emulator) users = emulator.users;
  else {
    try {
      const res = await fetch(`${origin}/_emulator/users`, { signal: AbortSignal.timeout(2000) });
      users = ((await res.json()) as { users?: Array<{ login: string; displayName: string }> }).users ?? [];
    } catch {
      users = [];
    }
  }
  return users
    .filter((u) => !u.unlicensed && typeof u.login === "string")
    .map((u) => ({ name: oneLine(u.displayName).split(" ")[0] ?? u.login, login: oneLine(u.login) }));
}

async function demo(argv: readonly string[]): Promise<number> {
  installTerminalGuards();
  const args = parseArgs(argv);
  const { origin, emulator } = await emulatorFor(args.port);
  const dir = mkdtempSync(join(tmpdir(), "teams-demo-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEAMS_CLOUD: "emulator",
    TEAMS_LOGIN_URL: `${origin}/login`,
    TEAMS_BASE_URL: origin,
    TEAMS_TOKEN_FILE: join(dir, "session.json"),
    TEAMS_KEYRING: "0",
  };
  try {
    const client = new TeamsClient({
      cloud: "emulator",
      loginUrl: `${origin}/login`,
      baseUrl: origin,
      tokenStore: false,
      env,
    });
    process.stderr.write(`Signing in as ${args.user}…\n`);
    await client.signInWithPassword(args.user, DEMO_PASSWORD);
    const me = await client.whoami();
    const others = (await demoUsers(origin, emulator)).filter((u) => u.login.toLowerCase() !== me.email?.toLowerCase());
    const app = new App({ cloud: "emulator" }, { client, env });
    if (!process.stdin.isTTY || !process.stdout.isTTY) {
      app.out.status(banner(me, origin, others, 100));
      app.out.status("The interactive app needs a terminal; stopping here.");
      return 0;
    }
    await runInteractive(app, { banner: banner(me, origin, others, process.stdout.columns ?? 100) });
    return 0;
  } finally {
    restoreTerminal();
    rmSync(dir, { recursive: true, force: true });
    await emulator?.close();
  }
}

try {
  process.exitCode = await demo(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`demo: ${describeError(err)}\n`);
  process.exitCode = exitCodeFor(err);
}
// Prompts and sockets may hold the loop open a moment longer; the demo is done.
process.exit();
