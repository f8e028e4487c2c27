/**
 * Device-code sign-in (PROTOCOL.md §1.6, RFC 8628) with the Teams desktop client id: the service
 * hands out a short user code; the person enters it at the verification address on any device and
 * signs in there; meanwhile this polls the token endpoint at the given interval — waiting on
 * `authorization_pending`, adding 5 s on `slow_down`, and ending with one sentence on
 * `expired_token`, `authorization_declined` or `bad_verification_code`.
 */
import { AUDIENCES, CLIENT_IDS, OIDC_SCOPES } from "@teams-api/protocol";
import { AbortError, AuthenticationError, TeamsError } from "../errors.js";
import type { LoginDeps, LoginResult } from "./login.js";
import { aadstsSentence } from "./messages.js";
import { scopeForAudience } from "./profiles.js";

/** What to show the person (never a token: the user code is meant to be typed by them). */
export interface DeviceCodePrompt {
  /** The code to type, e.g. `ABCD2345`. */
  readonly userCode: string;
  /** Where to type it (`https://microsoft.com/devicelogin` on the real service). */
  readonly verificationUri: string;
  /** Epoch ms after which the code no longer works. */
  readonly expiresAt: number;
  /** The service's own one-line instruction. */
  readonly message: string | undefined;
}

export interface DeviceCodeOptions {
  /** Shows the code and address to the person. Called once, before polling starts. */
  onCode: (prompt: DeviceCodePrompt) => void | Promise<void>;
  /**
   * The organization to sign in to (tenant id or domain).
   * @default "organizations"
   */
  tenant?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** Waits `ms`, or rejects with AbortError when `signal` fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AbortError("The sign-in was cancelled."));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AbortError("The sign-in was cancelled."));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

const SLOW_DOWN_STEP_MS = 5_000;

export async function deviceCodeLogin(
  deps: LoginDeps & { sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined; now: () => number },
  options: DeviceCodeOptions,
): Promise<LoginResult> {
  if (deps.kindHint === "consumer") {
    throw new TeamsError(
      "invalid_argument",
      "Device-code sign-in is for work or school accounts; sign in to a personal account with `teams login --browser`.",
    );
  }
  const wait = deps.sleep ?? sleep;
  const clientId = CLIENT_IDS.teamsNative;
  const audience = AUDIENCES.spaces;
  const scope = `${scopeForAudience(audience)} ${OIDC_SCOPES}`;
  const tenant = options.tenant?.trim() || "organizations";
  const endpoint = { loginUrl: deps.roots.loginUrl, tenant, clientId, scope, signal: options.signal };

  const grant = await deps.oauth.startDeviceCode(endpoint);
  await options.onCode({
    userCode: grant.userCode,
    verificationUri: grant.verificationUri,
    expiresAt: deps.now() + grant.expiresInMs,
    message: grant.message,
  });

  let interval = grant.intervalMs;
  // Counted in the waits themselves, so an injected sleep (tests) and the real one agree.
  let waited = 0;
  for (;;) {
    if (options.signal?.aborted) throw new AbortError("The sign-in was cancelled.");
    await wait(interval, options.signal);
    waited += interval;
    const answer = await deps.oauth.pollDeviceCode({ ...endpoint, deviceCode: grant.deviceCode });
    if ("tokens" in answer) return { tokens: answer.tokens, clientId, audience };
    if (answer.waiting === "slow_down") {
      interval += SLOW_DOWN_STEP_MS;
      deps.logger?.debug(`The sign-in service asked to poll more slowly; now every ${interval / 1000} s.`);
    }
    if (waited > grant.expiresInMs + interval) {
      throw new AuthenticationError("sign_in_failed", aadstsSentence("AADSTS70019", "device") ?? "", {
        status: 0,
        serviceCode: "AADSTS70019",
      });
    }
  }
}
