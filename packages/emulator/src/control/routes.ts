import { DEFAULT_VARIANTS, type EmulatorContext, type Variants } from "../context.js";
import type { FaultSpec } from "../http/faults.js";
import { type EmuRequest, type EmuResponse, HttpError, type Route, route, type ServiceTable } from "../http/types.js";
import { AADSTS_FAULT_PATH, AADSTS_FAULTS, isAadstsFaultCode } from "../services/login/aadsts.js";

/**
 * The control plane `/_emulator/*` (GUIDE §4): health, reset, fault injection, token expiry and
 * the [DISAGREE] variants. Tests and benchmarks use it; the client never does. It is never faulted
 * itself (see FaultController.take). Errors: `{errorCode, message}`.
 *
 *   GET    /_emulator/health            {status:"ok", …}
 *   GET    /_emulator/users             demo users (sign-in name, display name, kind, MRI) and the password
 *   POST   /_emulator/reset             answers, then restores the seeded state, the start variants, no faults
 *   GET    /_emulator/faults            {faults:[…]}
 *   POST   /_emulator/faults            FaultSpec → 201 the created fault with its id
 *                                       ({"aadsts":<code>} answers the token endpoint with that AAD error)
 *   DELETE /_emulator/faults            clears all → {cleared:n}
 *   DELETE /_emulator/faults/{id}       clears one → 204 (404 when unknown)
 *   POST   /_emulator/tokens/expire     expires every access/id/skypetoken issued so far;
 *                                       body {"refreshTokens":true} expires refresh tokens too
 *   POST   /_emulator/tokens/revoke     revokes refresh tokens: body {"user":"<sign-in name>"} or {} for
 *                                       all (the next refresh answers invalid_grant AADSTS9002313)
 *   GET    /_emulator/variants          the current variants
 *   PUT    /_emulator/variants          partial Variants → the new variants
 *   GET    /_emulator/clock             the emulator's time; POST {"advanceMs":n} moves it ahead (control/clock.ts)
 */

/** The allowed values of enumerated variant fields; other fields are checked by the type of their default. */
const VARIANT_CHOICES: Readonly<Record<string, readonly unknown[]>> = {
  consumerAuthzShape: ["skypeTokenObject", "tokens", "flat"],
  emotionsEncoding: ["array", "string"],
};

const FAULT_KEYS = new Set([
  "aadsts",
  "status",
  "reset",
  "retryAfter",
  "latencyMs",
  "count",
  "ratio",
  "method",
  "path",
  "phase",
]);
const MAX_LATENCY_MS = 120_000;

/** The variants each emulator started with, so reset can restore them (the object is shared across resets). */
const startVariants = new WeakMap<Variants, Variants>();

const bad = (message: string): HttpError => new HttpError(400, message);

function objectBody(req: EmuRequest, optional = false): Record<string, unknown> {
  if (optional && req.rawBody.length === 0) return {};
  const body = req.json<unknown>();
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw bad("The request body must be a JSON object.");
  return body as Record<string, unknown>;
}

/** Validates a FaultSpec strictly: unknown keys, wrong types and faults without effect are 400s. */
export function parseFaultSpec(body: Record<string, unknown>): FaultSpec {
  for (const key of Object.keys(body)) if (!FAULT_KEYS.has(key)) throw bad(`Unknown fault field '${key}'.`);
  const spec: FaultSpec = {};
  const { aadsts, status, reset, retryAfter, latencyMs, count, ratio, method, path, phase } = body;
  if (aadsts !== undefined) {
    if (!isAadstsFaultCode(aadsts)) {
      throw bad(`'aadsts' must be one of the emulated codes: ${Object.keys(AADSTS_FAULTS).join(", ")}.`);
    }
    if (status !== undefined || reset !== undefined)
      throw bad("'aadsts' sets the status itself; drop 'status'/'reset'.");
    spec.aadsts = aadsts;
    if (path === undefined) spec.path = AADSTS_FAULT_PATH;
  }
  if (status !== undefined) {
    if (!Number.isInteger(status) || (status as number) < 400 || (status as number) > 599) {
      throw bad("'status' must be an integer from 400 to 599.");
    }
    spec.status = status as number;
  }
  if (reset !== undefined) {
    if (typeof reset !== "boolean") throw bad("'reset' must be a boolean.");
    spec.reset = reset;
  }
  if (retryAfter !== undefined) {
    if (typeof retryAfter === "number") {
      if (!Number.isInteger(retryAfter) || retryAfter < 0)
        throw bad("'retryAfter' must be whole seconds ≥ 0 or an HTTP date.");
    } else if (typeof retryAfter !== "string" || Number.isNaN(Date.parse(retryAfter))) {
      throw bad("'retryAfter' must be whole seconds ≥ 0 or an HTTP date.");
    }
    spec.retryAfter = retryAfter;
  }
  if (latencyMs !== undefined) {
    if (typeof latencyMs !== "number" || !Number.isFinite(latencyMs) || latencyMs < 0 || latencyMs > MAX_LATENCY_MS) {
      throw bad(`'latencyMs' must be a number from 0 to ${MAX_LATENCY_MS}.`);
    }
    spec.latencyMs = latencyMs;
  }
  if (count !== undefined) {
    if (!Number.isInteger(count) || (count as number) < 1) throw bad("'count' must be an integer ≥ 1.");
    spec.count = count as number;
  }
  if (ratio !== undefined) {
    if (typeof ratio !== "number" || !(ratio > 0 && ratio <= 1)) throw bad("'ratio' must be a number in (0, 1].");
    spec.ratio = ratio;
  }
  if (method !== undefined) {
    if (typeof method !== "string" || !/^[A-Za-z]+$/.test(method)) throw bad("'method' must be an HTTP method.");
    spec.method = method.toUpperCase();
  }
  if (path !== undefined) {
    if (typeof path !== "string") throw bad("'path' must be a regular expression source string.");
    try {
      new RegExp(path);
    } catch {
      throw bad("'path' is not a valid regular expression.");
    }
    spec.path = path;
  }
  if (phase !== undefined) {
    if (phase !== "before" && phase !== "after") throw bad('\'phase\' must be "before" or "after".');
    spec.phase = phase;
  }
  if (spec.count === undefined && spec.ratio === undefined && spec.latencyMs === undefined) {
    throw bad("A fault needs 'count', 'ratio' or 'latencyMs'.");
  }
  if (spec.status === undefined && spec.aadsts === undefined && !spec.reset && spec.latencyMs === undefined) {
    throw bad("A fault needs an effect: 'status', 'aadsts', 'reset' or 'latencyMs'.");
  }
  if (spec.retryAfter !== undefined && spec.status === undefined) throw bad("'retryAfter' needs a 'status'.");
  return spec;
}

export function controlRoutes(ctx: EmulatorContext, reset: () => void): ServiceTable {
  if (!startVariants.has(ctx.variants)) startVariants.set(ctx.variants, { ...ctx.variants });
  const tokens = ctx.tokens;

  const health = (): EmuResponse => ({
    status: 200,
    headers: { "Cache-Control": "no-store" },
    body: {
      status: "ok",
      service: "teams-emulator",
      origin: ctx.origin,
      loginUrl: ctx.loginUrl,
      baseUrl: ctx.baseUrl,
      time: new Date(ctx.now()).toISOString(),
      users: ctx.directory.users.length,
      faults: ctx.faults.list().length,
    },
  });

  const users = (): EmuResponse => ({
    status: 200,
    body: {
      password: ctx.directory.users[0]?.password ?? "",
      users: ctx.directory.users.map((u) => ({
        login: u.login,
        displayName: u.displayName,
        kind: u.kind,
        userType: u.userType,
        mri: u.mri,
        tenantId: u.tenantId,
        ...(u.unlicensed ? { unlicensed: true } : {}),
      })),
    },
  });

  const doReset = (): EmuResponse => {
    const initial = startVariants.get(ctx.variants);
    if (initial) Object.assign(ctx.variants, initial);
    reset();
    return { status: 200, body: { status: "ok", reset: true } };
  };

  const listFaults = (): EmuResponse => ({ status: 200, body: { faults: ctx.faults.list().map((f) => ({ ...f })) } });

  const addFault = (req: EmuRequest): EmuResponse => {
    const fault = ctx.faults.add(parseFaultSpec(objectBody(req)));
    return { status: 201, body: { ...fault } };
  };

  const clearFaults = (): EmuResponse => {
    const cleared = ctx.faults.list().length;
    ctx.faults.clear();
    return { status: 200, body: { cleared } };
  };

  const removeFault = (req: EmuRequest): EmuResponse => {
    const id = Number(req.params.id);
    if (!ctx.faults.remove(id)) throw new HttpError(404, `No fault with id ${req.params.id}.`);
    return { status: 204 };
  };

  const expireTokens = (req: EmuRequest): EmuResponse => {
    const body = objectBody(req, true);
    for (const key of Object.keys(body)) if (key !== "refreshTokens") throw bad(`Unknown field '${key}'.`);
    if (body.refreshTokens !== undefined && typeof body.refreshTokens !== "boolean") {
      throw bad("'refreshTokens' must be a boolean.");
    }
    tokens.expireAll({ refreshTokens: body.refreshTokens === true });
    return { status: 200, body: { expired: true, refreshTokens: body.refreshTokens === true } };
  };

  const revokeTokens = (req: EmuRequest): EmuResponse => {
    const body = objectBody(req, true);
    for (const key of Object.keys(body)) if (key !== "user") throw bad(`Unknown field '${key}'.`);
    if (body.user !== undefined && typeof body.user !== "string") throw bad("'user' must be a sign-in name.");
    const user = body.user === undefined ? undefined : ctx.directory.byLogin(body.user);
    if (body.user !== undefined && !user) throw new HttpError(404, `No user '${String(body.user)}'.`);
    const revoked = tokens.revokeRefreshTokens(user ? { user } : {});
    return { status: 200, body: { revoked } };
  };

  const getVariants = (): EmuResponse => ({ status: 200, body: { ...ctx.variants } });

  const putVariants = (req: EmuRequest): EmuResponse => {
    const body = objectBody(req);
    const defaults = DEFAULT_VARIANTS as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(body)) {
      if (!Object.hasOwn(defaults, key)) throw bad(`Unknown variant '${key}'.`);
      const choices = VARIANT_CHOICES[key];
      if (choices ? !choices.includes(value) : typeof value !== typeof defaults[key]) {
        throw bad(
          `Invalid value for variant '${key}'${choices ? `: expected one of ${choices.map((c) => JSON.stringify(c)).join(", ")}` : ""}.`,
        );
      }
    }
    Object.assign(ctx.variants, body);
    return { status: 200, body: { ...ctx.variants } };
  };

  const at = (method: string, tail: string, handler: (req: EmuRequest) => EmuResponse): Route =>
    route(method, new RegExp(`^/${tail}/?$`), "none", handler);
  return {
    service: "control",
    routes: [
      at("GET", "health", health),
      at("GET", "users", users),
      at("POST", "reset", doReset),
      at("GET", "faults", listFaults),
      at("POST", "faults", addFault),
      at("DELETE", "faults", clearFaults),
      at("DELETE", "faults/(?<id>\\d+)", removeFault),
      at("POST", "tokens/expire", expireTokens),
      at("POST", "tokens/revoke", revokeTokens),
      at("GET", "variants", getVariants),
      at("PUT", "variants", putVariants),
    ],
  };
}
