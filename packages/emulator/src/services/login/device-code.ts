import { randomBytes } from "node:crypto";
import type { EmulatorContext } from "../../context.js";
import { type EmuRequest, type EmuResponse, HttpError, route, type ServiceTable } from "../../http/types.js";
import type { User } from "../../state/directory.js";
import type { Authority } from "./core.js";
import type { TenantMembership } from "./memberships.js";
import { deviceCodePage, deviceDonePage, signInPage } from "./page.js";
import { isSpaClient } from "./tokens.js";

/**
 * The device code flow (PROTOCOL.md §1.6, v2; RFC 8628): `/oauth2/v2.0/devicecode` → user_code +
 * device_code; the person enters the code on the page `verification_uri` names
 * (`https://microsoft.com/devicelogin` in production-hosts mode) and signs in there — or
 * declines with Cancel. Polls of the token endpoint answer:
 *
 * - `authorization_pending` (AADSTS70016) until the person has signed in;
 * - `slow_down` when a poll comes sooner than the interval after the previous one; from then on the
 *   interval of that code is 5 s longer (RFC 8628 §3.5), measured on the emulator's clock;
 * - `authorization_declined` once the person pressed Cancel (the AADSTS number is not attested;
 *   70000 is used);
 * - `expired_token` (AADSTS70019) after 15 minutes; `bad_verification_code` (AADSTS70018) for a
 *   device code the service never issued.
 */

export const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
const DEVICE_CODE_TTL_SEC = 900;
const DEVICE_POLL_INTERVAL_SEC = 5;
const SLOW_DOWN_STEP_SEC = 5;
/** User codes avoid look-alike characters (0/O, 1/I). */
const USER_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/** The page posts to itself: `devicelogin`, relative to `…/devicelogin` wherever it is mounted. */
const DEVICE_ACTION = "devicelogin";

interface DeviceRecord {
  readonly deviceCode: string;
  readonly userCode: string;
  readonly clientId: string;
  readonly authority: Authority;
  readonly scope: string;
  readonly expiresAt: number;
  state: "pending" | "approved" | "declined" | "redeemed";
  /** Seconds the client must wait between polls; grows by 5 with each slow_down. */
  intervalSec: number;
  lastPollAt: number | undefined;
  user?: User;
  membership?: TenantMembership;
}

/** What the device code flow needs from the rest of the sign-in service. */
export interface DeviceCodeDeps {
  authorityAndClient(req: EmuRequest, form: URLSearchParams): { authority: Authority; clientId: string };
  membershipFor(
    authority: Authority,
    user: User,
    clientId: string,
  ): TenantMembership | { code: number; message: string };
  audienceNote(authority: Authority, clientId: string): string;
  tokenResponse(
    req: EmuRequest,
    args: { user: User; membership: TenantMembership; clientId: string; scope: string; spa: boolean },
  ): EmuResponse;
  checkOrigin(origin: string | undefined, spaGrant: boolean): void;
  page(status: number, html: string): EmuResponse;
  parseScope(scope: string): void;
}

const aad = (error: string, code: number, message: string): HttpError =>
  new HttpError(400, message, { aadError: error, aadCode: code });

export function deviceCodeFlow(ctx: EmulatorContext, deps: DeviceCodeDeps) {
  const devices = new Map<string, DeviceRecord>();

  const userCode = (): string => {
    const bytes = randomBytes(9);
    return [...bytes].map((b) => USER_CODE_ALPHABET[b % USER_CODE_ALPHABET.length]).join("");
  };

  const deviceAuthorization = (req: EmuRequest, form: URLSearchParams): EmuResponse => {
    const { authority, clientId } = deps.authorityAndClient(req, form);
    const scope = form.get("scope")?.trim();
    if (!scope) {
      throw aad("invalid_request", 900144, "The request body must contain the following parameter: 'scope'.");
    }
    deps.parseScope(scope);
    for (const [k, d] of devices) if (d.expiresAt <= ctx.now() - DEVICE_CODE_TTL_SEC * 1000) devices.delete(k);
    let code = userCode();
    while ([...devices.values()].some((d) => d.userCode === code)) code = userCode();
    const deviceCode = `DAQAB${randomBytes(48).toString("base64url")}`;
    devices.set(deviceCode, {
      deviceCode,
      userCode: code,
      clientId,
      authority,
      scope,
      expiresAt: ctx.now() + DEVICE_CODE_TTL_SEC * 1000,
      state: "pending",
      intervalSec: DEVICE_POLL_INTERVAL_SEC,
      lastPollAt: undefined,
    });
    const verificationUri = ctx.urls.deviceLogin;
    return {
      status: 200,
      headers: { "Cache-Control": "no-store, no-cache", Pragma: "no-cache" },
      body: {
        user_code: code,
        device_code: deviceCode,
        verification_uri: verificationUri,
        expires_in: DEVICE_CODE_TTL_SEC,
        interval: DEVICE_POLL_INTERVAL_SEC,
        message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${code} to authenticate.`,
      },
    };
  };

  const loginPage = (): EmuResponse => deps.page(200, deviceCodePage({ action: DEVICE_ACTION }));

  const loginSubmit = (req: EmuRequest): EmuResponse => {
    const form = req.form();
    const entered = (form.get("otc") ?? "").trim().toUpperCase().replaceAll("-", "");
    const record = [...devices.values()].find((d) => d.userCode === entered && d.state === "pending");
    if (!record) {
      return deps.page(
        200,
        deviceCodePage({
          action: DEVICE_ACTION,
          error: { message: "That code didn't work. Check the code and try again.", code: 70018 },
        }),
      );
    }
    if (record.expiresAt <= ctx.now()) {
      return deps.page(
        200,
        deviceCodePage({
          action: DEVICE_ACTION,
          error: { message: "That code has expired. Start over on your device to get a new code.", code: 70019 },
        }),
      );
    }
    if (form.has("decline")) {
      record.state = "declined";
      return deps.page(200, deviceDonePage("Microsoft Teams", "declined"));
    }
    const hidden = new Map([["otc", record.userCode]]);
    const signIn = (username?: string, error?: { message: string; code: number }) =>
      deps.page(
        200,
        signInPage({
          action: DEVICE_ACTION,
          hidden,
          username,
          error: error ? { ...error, requestId: req.id } : undefined,
          audienceNote: `signing in to Microsoft Teams on another device (${deps.audienceNote(record.authority, record.clientId)})`,
          declineName: "decline",
        }),
      );
    if (!form.has("login")) return signIn();
    const login = (form.get("login") ?? "").trim();
    const user = ctx.directory.byLogin(login);
    if (!user || user.password !== (form.get("passwd") ?? "")) {
      return signIn(login, {
        message: "Your account or password is incorrect. If you don't remember your password, reset it now.",
        code: 50126,
      });
    }
    const membership = deps.membershipFor(record.authority, user, record.clientId);
    if ("code" in membership) return signIn(login, membership);
    record.state = "approved";
    record.user = user;
    record.membership = membership;
    return deps.page(200, deviceDonePage("Microsoft Teams"));
  };

  const redeem = (req: EmuRequest, form: URLSearchParams, clientId: string): EmuResponse => {
    deps.checkOrigin(req.headers.origin, isSpaClient(clientId));
    // v2 sends device_code; v1 clients send code.
    const deviceCode = form.get("device_code") ?? form.get("code");
    if (!deviceCode) {
      throw aad("invalid_request", 900144, "The request body must contain the following parameter: 'device_code'.");
    }
    const record = devices.get(deviceCode);
    if (!record || record.clientId !== clientId) {
      throw aad(
        "bad_verification_code",
        70018,
        "The provided value for the input parameter 'device_code' is not valid.",
      );
    }
    if (record.state === "redeemed") {
      throw aad(
        "invalid_grant",
        54005,
        "OAuth2 Authorization code was already redeemed, please retry with a new valid code.",
      );
    }
    if (record.expiresAt <= ctx.now()) throw aad("expired_token", 70019, "Verification code expired.");
    if (record.state === "declined") {
      throw aad("authorization_declined", 70000, "The end user declined the authorization request.");
    }
    const now = ctx.now();
    const tooSoon = record.lastPollAt !== undefined && now - record.lastPollAt < record.intervalSec * 1000;
    record.lastPollAt = now;
    if (tooSoon) {
      record.intervalSec += SLOW_DOWN_STEP_SEC;
      throw aad(
        "slow_down",
        70016,
        `OAuth 2.0 device flow error. Polling too fast: wait at least ${record.intervalSec} seconds between polls.`,
      );
    }
    if (record.state === "pending" || !record.user || !record.membership) {
      throw aad(
        "authorization_pending",
        70016,
        "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
      );
    }
    record.state = "redeemed";
    return deps.tokenResponse(req, {
      user: record.user,
      membership: record.membership,
      clientId,
      scope: record.scope,
      spa: isSpaClient(clientId),
    });
  };

  /** The verification page, at `/devicelogin` of its host (microsoft.com; `/login` in loopback mode). */
  const page: ServiceTable = {
    service: "login",
    routes: [
      route("GET", /^\/devicelogin\/?$/, "none", loginPage),
      route("POST", /^\/devicelogin\/?$/, "none", loginSubmit),
    ],
  };
  return { deviceAuthorization, redeem, page };
}
