import { randomBytes } from "node:crypto";
import type { EmuRequest, EmuResponse } from "../../http/types.js";
import {
  aad,
  DEVICE_CODE_TTL_SEC,
  DEVICE_POLL_INTERVAL_SEC,
  formOf,
  type LoginCore,
  missingParameter,
  USER_CODE_ALPHABET,
} from "./core.js";
import { deviceCodePage, deviceDonePage, signInPage } from "./page.js";
import type { TokenIssuer } from "./token.js";
import { isSpaClient, parseScopeParam } from "./tokens.js";

/**
 * The device code family (PROTOCOL.md §1.6, v2): `/{tenant}/oauth2/v2.0/devicecode` answers a
 * user_code + device_code and `verification_uri` (`https://microsoft.com/devicelogin` in
 * production-hosts mode); the person enters the code on that page and signs in there; polls answer
 * authorization_pending (AADSTS70016) until then, expired_token (AADSTS70019) after 15 min.
 */
export function deviceCodeEndpoints(core: LoginCore, issuer: TokenIssuer) {
  const { ctx, devices, audienceNote, membershipFor, page } = core;
  const { checkOrigin, tokenResponse, authorityAndClient } = issuer;

  // ── Device code (§1.6) ────────────────────────────────────────────────────────────────────

  const userCode = (): string => {
    const bytes = randomBytes(9);
    return [...bytes].map((b) => USER_CODE_ALPHABET[b % USER_CODE_ALPHABET.length]).join("");
  };

  const deviceAuthorization = (req: EmuRequest, form: URLSearchParams = formOf(req)): EmuResponse => {
    const { authority, clientId } = authorityAndClient(req, form);
    const scope = form.get("scope")?.trim();
    if (!scope) throw missingParameter("scope");
    parseScopeParam(scope, false);
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

  /** The page posts to itself: `devicelogin`, relative to `/devicelogin` wherever it is mounted. */
  const DEVICE_ACTION = "devicelogin";

  const deviceLoginPage = (): EmuResponse => page(200, deviceCodePage({ action: DEVICE_ACTION }));

  const deviceLoginSubmit = (req: EmuRequest): EmuResponse => {
    const form = req.form();
    const entered = (form.get("otc") ?? "").trim().toUpperCase().replaceAll("-", "");
    const record = [...devices.values()].find((d) => d.userCode === entered && d.state === "pending");
    if (!record) {
      return page(
        200,
        deviceCodePage({
          action: DEVICE_ACTION,
          error: { message: "That code didn't work. Check the code and try again.", code: 70018 },
        }),
      );
    }
    if (record.expiresAt <= ctx.now()) {
      return page(
        200,
        deviceCodePage({
          action: DEVICE_ACTION,
          error: { message: "That code has expired. Start over on your device to get a new code.", code: 70019 },
        }),
      );
    }
    const hidden = new Map([["otc", record.userCode]]);
    const signIn = (username?: string, error?: { message: string; code: number }) =>
      page(
        200,
        signInPage({
          action: DEVICE_ACTION,
          hidden,
          username,
          error: error ? { ...error, requestId: req.id } : undefined,
          audienceNote: `signing in to Microsoft Teams on another device (${audienceNote(record.authority, record.clientId)})`,
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
    const membership = membershipFor(record.authority, user, record.clientId);
    if ("code" in membership) return signIn(login, membership);
    record.state = "approved";
    record.user = user;
    record.membership = membership;
    return page(200, deviceDonePage("Microsoft Teams"));
  };

  const redeemDeviceCode = (req: EmuRequest, form: URLSearchParams, clientId: string): EmuResponse => {
    checkOrigin(req.headers.origin, isSpaClient(clientId));
    // v2 sends device_code; v1 clients send code.
    const deviceCode = form.get("device_code") ?? form.get("code");
    if (!deviceCode) throw missingParameter("device_code");
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
    if (record.expiresAt <= ctx.now()) {
      throw aad("expired_token", 70019, "Verification code expired.");
    }
    if (record.state === "pending" || !record.user || !record.membership) {
      throw aad(
        "authorization_pending",
        70016,
        "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
      );
    }
    record.state = "redeemed";
    return tokenResponse(req, {
      user: record.user,
      membership: record.membership,
      clientId,
      scope: record.scope,
      spa: isSpaClient(clientId),
    });
  };

  return { deviceAuthorization, deviceLoginPage, deviceLoginSubmit, redeemDeviceCode };
}
