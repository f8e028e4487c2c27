import { MAX_MESSAGE_BYTES, messageSize } from "@teams-api/protocol";
import type { EmulatorContext } from "../../context.js";
import { parseJsonLimited } from "../../http/body.js";
import { type EmuRequest, HttpError } from "../../http/types.js";
import type { User } from "../../state/directory.js";

/**
 * The regional proxy path serves only the caller's home region (`consumer` for personal accounts).
 * Clients that probe `amer`, `emea`, `apac` in turn keep the first that answers 200, so a wrong
 * region must answer an error, never the user's data (§2.1, §9.5; AM saw 403/404).
 */
export function checkHomeRegion(ctx: EmulatorContext, user: User, region: string): void {
  const home = user.kind === "consumer" ? "consumer" : ctx.directory.tenant(user.tenantId)?.region;
  if (home && region.toLowerCase() !== home) {
    throw new HttpError(404, `The user is not homed in region '${region}'.`);
  }
}

export const badRequest = (message: string): HttpError => new HttpError(400, message);

/** The JSON body as an object; 400 when it is not JSON or not an object. */
export function objectBody(req: EmuRequest): Record<string, unknown> {
  if (req.rawBody.length === 0) throw badRequest("The request body is empty; a JSON object is required.");
  const body = req.json<unknown>();
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw badRequest("The request body must be a JSON object.");
  return body as Record<string, unknown>;
}

/** The JSON body as an object, or `{}` when the body is empty. */
export function optionalObjectBody(req: EmuRequest): Record<string, unknown> {
  return req.rawBody.length === 0 || req.rawBody.toString("utf8").trim() === "" ? {} : objectBody(req);
}

/** An integer query parameter: 400 when present but not a non-negative integer. */
export function intParam(req: EmuRequest, name: string): number | undefined {
  const raw = req.url.searchParams.get(name);
  if (raw === null) return undefined;
  if (!/^\d{1,16}$/.test(raw.trim())) throw badRequest(`Invalid value '${raw}' for query parameter '${name}'.`);
  return Number(raw.trim());
}

/** `pageSize`: a positive integer, clamped to `max`. */
export function pageSizeParam(req: EmuRequest, fallback: number, max: number): number {
  const n = intParam(req, "pageSize");
  if (n === undefined) return fallback;
  if (n < 1) throw badRequest("Query parameter 'pageSize' must be at least 1.");
  return Math.min(n, max);
}

export function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw badRequest(`Field '${key}' must be a string.`);
  return v;
}

export function requiredString(body: Record<string, unknown>, key: string): string {
  const v = body[key];
  if (v === undefined || v === null) throw badRequest(`Missing required field '${key}'.`);
  if (typeof v !== "string") throw badRequest(`Field '${key}' must be a string.`);
  return v;
}

/** A property bag: an object, or the same object JSON-encoded in a string (§9.4 #6). */
export function optionalObject(body: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  let v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string") {
    try {
      v = parseJsonLimited(v);
    } catch {
      throw badRequest(`Field '${key}' must be an object.`);
    }
  }
  if (!v || typeof v !== "object" || Array.isArray(v)) throw badRequest(`Field '${key}' must be an object.`);
  return v as Record<string, unknown>;
}

/** Builds a query string the way the service writes its links: readable ids, `|` unescaped. */
export function query(params: Record<string, string | number | undefined>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    parts.push(`${k}=${encodeURIComponent(String(v)).replace(/%7C/gi, "|")}`);
  }
  return parts.length ? `?${parts.join("&")}` : "";
}

/** 413 in the chat service's shape when a message passes the service's size limit (§9.6). */
export function checkMessageSize(content: string, properties: unknown): void {
  const size = messageSize(content, properties);
  if (size > MAX_MESSAGE_BYTES) {
    throw new HttpError(
      413,
      `Request Entity Too Large: the message is ${size} bytes; the limit is ${MAX_MESSAGE_BYTES} bytes.`,
    );
  }
}
