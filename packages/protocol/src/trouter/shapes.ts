/**
 * Trouter and registrar wire shapes (PROTOCOL.md §7.2, §7.3, §7.5–§7.8, §7.10): the allocate answer,
 * the handshake/WebSocket query, the `3:::` request and its ACK, the registrar body, and the body
 * decoding (plain JSON text, or base64 of gzip with `X-Microsoft-Skype-Content-Encoding: gzip`).
 */

import { gunzipSync, gzipSync } from "node:zlib";
import { isJsonObject } from "../json.js";

/** Signed connection parameters from allocate, copied verbatim into the query and `user.authenticate`. */
export interface ConnectParams {
  sr: string;
  issuer: string;
  sp: string;
  se: string;
  st: string;
  sig: string;
  [key: string]: string;
}

/** `POST /v4/a?epid=` answer (§7.2). `ttl` arrives as a string or a number. */
export interface AllocateResponse {
  socketio: string;
  surl: string;
  url?: string;
  ttl: string | number;
  connectparams: ConnectParams;
  ccid?: string;
  instance?: string;
  id?: string;
  healthUrl?: string;
  registrarUrl?: string;
}

/** Trouter paths (§7.1, §7.10): allocate and the modern connect entrypoint, under a Trouter root. */
export const TROUTER_PATHS = {
  allocate: "/v4/a",
  connect: "/v4/c",
  handshake: "socket.io/1/",
  websocket: "socket.io/1/websocket/",
} as const;

/** The `tc` query value (§7.3). */
export const TROUTER_TC = { cv: "2024.23.01.2", ua: "TeamsCDL", hr: "", v: "27/24070119616" } as const;

/** Validates an allocate answer; returns undefined when it is not one. */
export function parseAllocateResponse(body: unknown): AllocateResponse | undefined {
  if (!isJsonObject(body)) return undefined;
  const { socketio, surl, ttl, connectparams } = body;
  if (typeof socketio !== "string" || typeof surl !== "string") return undefined;
  if (typeof ttl !== "string" && typeof ttl !== "number") return undefined;
  if (!isJsonObject(connectparams)) return undefined;
  const cp: Record<string, string> = {};
  for (const [k, v] of Object.entries(connectparams))
    if (typeof v === "string" || typeof v === "number") cp[k] = String(v);
  if (!cp.sr || cp.sig === undefined) return undefined;
  const out: AllocateResponse = { socketio, surl, ttl, connectparams: cp as ConnectParams };
  for (const k of ["url", "ccid", "instance", "id", "healthUrl", "registrarUrl"] as const) {
    const v = body[k];
    if (typeof v === "string") out[k] = v;
  }
  return out;
}

/** The handshake and WebSocket query (§7.3): `v=v4`, each connectparam, `tc`, `con_num`, `epid`, `ccid`, `auth`, `timeout`. */
export function trouterQuery(options: {
  connectparams: Readonly<Record<string, string>>;
  epid: string;
  connectionNumber: string;
  ccid?: string | undefined;
  tc?: Readonly<Record<string, string>>;
}): URLSearchParams {
  const q = new URLSearchParams({ v: "v4" });
  for (const [k, v] of Object.entries(options.connectparams)) q.set(k, v);
  q.set("tc", JSON.stringify(options.tc ?? TROUTER_TC));
  q.set("con_num", options.connectionNumber);
  q.set("epid", options.epid);
  if (options.ccid) q.set("ccid", options.ccid);
  q.set("auth", "true");
  q.set("timeout", "40");
  return q;
}

/**
 * The `/v4/c` WebSocket query (§7.10): no allocate; `tc`, `timeout`, `epid`, empty `ccid`, `dom`,
 * `cor_id`, `con_num`.
 */
export function modernConnectQuery(options: {
  epid: string;
  connectionNumber: string;
  correlationId: string;
  dom?: string;
  tc?: Readonly<Record<string, string>>;
}): URLSearchParams {
  return new URLSearchParams({
    tc: JSON.stringify(options.tc ?? TROUTER_TC),
    timeout: "40",
    epid: options.epid,
    ccid: "",
    dom: options.dom ?? "teams.cloud.microsoft",
    cor_id: options.correlationId,
    con_num: options.connectionNumber,
  });
}

/** The connectparams a `/v4/c` client builds itself for `user.authenticate` (§7.10). */
export function modernConnectParams(epid: string, now: number): ConnectParams {
  return { issuer: "", scae: "1", sig: "", sr: epid, sp: "", se: String(now + 86_400_000), st: String(now) };
}

/** What `/v4/c`'s `trouter.connected` hands over (§7.6, §7.10); undefined when it lacks the surl. */
export function parseModernConnected(
  args: unknown,
): { surl: string; registrarUrl?: string; ttl?: string | number; connectparams?: ConnectParams } | undefined {
  if (!isJsonObject(args) || typeof args.surl !== "string" || !/^https?:\/\//.test(args.surl)) return undefined;
  const out: { surl: string; registrarUrl?: string; ttl?: string | number; connectparams?: ConnectParams } = {
    surl: args.surl,
  };
  if (typeof args.registrarUrl === "string" && /^https?:\/\//.test(args.registrarUrl))
    out.registrarUrl = args.registrarUrl;
  if (typeof args.ttl === "string" || typeof args.ttl === "number") out.ttl = args.ttl;
  if (isJsonObject(args.connectparams)) {
    const cp: Record<string, string> = {};
    for (const [k, v] of Object.entries(args.connectparams))
      if (typeof v === "string" || typeof v === "number") cp[k] = String(v);
    if (cp.sr) out.connectparams = cp as ConnectParams;
  }
  return out;
}

/** Trouter's `3:::` request to the client (§7.7). */
export interface TrouterRequest {
  id: number;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** The client's `3:::` answer; must echo `id`. */
export interface TrouterResponse {
  id: number;
  status: number;
  headers?: Record<string, string>;
  body: string;
}

function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return isJsonObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Parses the data of a `3:::` frame sent by Trouter; undefined when it is not a request. */
export function parseTrouterRequest(data: string): TrouterRequest | undefined {
  const v = jsonObject(data);
  if (!v || typeof v.id !== "number" || !Number.isSafeInteger(v.id)) return undefined;
  if (typeof v.url !== "string") return undefined;
  const headers: Record<string, string> = {};
  if (isJsonObject(v.headers))
    for (const [k, h] of Object.entries(v.headers)) if (typeof h === "string") headers[k] = h;
  return {
    id: v.id,
    method: typeof v.method === "string" ? v.method : "POST",
    url: v.url,
    headers,
    body: typeof v.body === "string" ? v.body : v.body === undefined ? "" : JSON.stringify(v.body),
  };
}

/** Parses the client's `3:::` answer; undefined when it is not one. */
export function parseTrouterResponse(data: string): TrouterResponse | undefined {
  const v = jsonObject(data);
  if (!v || typeof v.id !== "number" || typeof v.status !== "number") return undefined;
  if (v.method !== undefined || v.url !== undefined) return undefined;
  return { id: v.id, status: v.status, body: typeof v.body === "string" ? v.body : "" };
}

/** The ACK for a request (§7.7): echoes the id, MS-CV and trouter-request. */
export function buildTrouterAck(req: TrouterRequest, status = 200, clientCounter?: number): TrouterResponse {
  const headers: Record<string, string> = {};
  const cv = headerValue(req.headers, "MS-CV");
  if (cv) headers["MS-CV"] = `${cv}.0`;
  const tr = headerValue(req.headers, "trouter-request");
  if (tr) headers["trouter-request"] = tr;
  if (clientCounter !== undefined) headers["trouter-client"] = JSON.stringify({ cd: clientCounter });
  return { id: req.id, status, headers, body: "" };
}

/** Case-insensitive header lookup. */
export function headerValue(headers: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

export const CONTENT_ENCODING_HEADER = "X-Microsoft-Skype-Content-Encoding";

/** A push body could not be decoded. */
export class TrouterBodyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TrouterBodyError";
  }
}

/** Largest decoded push body accepted by default (a gzip bomb stops here). */
export const MAX_DECODED_BODY_BYTES = 16 * 1024 * 1024;

/**
 * The body text of a push: as is, or base64(gzip) when the encoding header says gzip. Decompression
 * stops at `maxBytes` (a gzip bomb throws instead of filling memory).
 */
export function decodeTrouterBody(
  body: string,
  headers: Readonly<Record<string, string | undefined>>,
  maxBytes = MAX_DECODED_BODY_BYTES,
): string {
  const enc = headerValue(headers, CONTENT_ENCODING_HEADER)?.trim().toLowerCase();
  if (!enc) {
    if (body.length > maxBytes) throw new TrouterBodyError("push body too large");
    return body;
  }
  if (enc !== "gzip") throw new TrouterBodyError(`unsupported content encoding '${enc.slice(0, 20)}'`);
  if (!/^[A-Za-z0-9+/=\s_-]*$/.test(body)) throw new TrouterBodyError("gzip body is not base64");
  try {
    return gunzipSync(Buffer.from(body, "base64"), { maxOutputLength: maxBytes }).toString("utf8");
  } catch {
    throw new TrouterBodyError("gzip body could not be decompressed within the size limit");
  }
}

/** base64(gzip(text)), the encoded push body form (§7.7). */
export function encodeTrouterBodyGzip(text: string): string {
  return gzipSync(Buffer.from(text, "utf8")).toString("base64");
}

// ── registrar (§7.8) ────────────────────────────────────────────────────────────────────────────

export interface RegistrarTransport {
  context: string;
  path: string;
  ttl: number;
}

export interface RegistrarRegistration {
  clientDescription: {
    appId: string;
    aesKey: string;
    languageId: string;
    platform: string;
    templateKey: string;
    platformUIVersion: string;
    productContext?: string;
  };
  registrationId: string;
  nodeId: string;
  transports: { TROUTER: RegistrarTransport[] };
}

/** Registrar paths under the registrar root. */
export const REGISTRAR_PATH = "/registrar/prod/V2/registrations";

/** Trouter and registrar roots of the real clouds (§7.1, §7.8, §7.11); never taken from regionGtms. */
export const PUSH_ROOTS = {
  enterprise: {
    trouter: "https://go.trouter.teams.microsoft.com",
    registrar: "https://teams.microsoft.com/registrar/prod/V2/registrations",
  },
  consumer: {
    trouter: "https://go.trouter.skype.com",
    registrar: "https://edge.skype.com/registrar/prod/v2/registrations",
  },
} as const;

/** Host suffixes Trouter hands sockets out on (a skypetoken may go there). */
export const TROUTER_HOST_SUFFIXES: readonly string[] = [
  ".trouter.teams.microsoft.com",
  ".trouter.skype.com",
  ".trouter.teams.live.com",
];

/** Template keys the chat service delivers `/messaging` events for (seed + §7.8). */
export const CHAT_TEMPLATE_KEYS: readonly string[] = [
  "TeamsCDLWebWorker_2.1",
  "TeamsCDLWebWorker_2.6",
  "TeamsCDLWebWorker_2.3",
  "TeamsCDLWebWorker_1.9",
  "TeamsCDLWebWorker_1.6",
  "TFLSkypeSpacesWeb_2.0",
  "TFLSkypeSpacesWeb_1.0",
  "SkypeSpacesWeb_2.3",
  "SkypeSpacesWeb_2.4",
  "SkypeSpacesWeb_2.6",
];

/** The TeamsCDLWebWorker registration (registrationId = epid, path = bare surl) that yields `/messaging` events. */
export function buildChatRegistration(options: {
  epid: string;
  surl: string;
  consumer?: boolean;
  ttl?: number;
  platformUIVersion?: string;
}): RegistrarRegistration {
  return {
    clientDescription: {
      appId: "TeamsCDLWebWorker",
      aesKey: "",
      languageId: "en-US",
      platform: "edge",
      templateKey: options.consumer ? "TeamsCDLWebWorker_2.6" : "TeamsCDLWebWorker_2.1",
      platformUIVersion: options.platformUIVersion ?? TROUTER_TC.v,
      ...(options.consumer ? { productContext: "TFL" } : {}),
    },
    registrationId: options.epid,
    nodeId: "",
    transports: { TROUTER: [{ context: "", path: options.surl, ttl: options.ttl ?? 86400 }] },
  };
}

/** Validates a registrar body; returns a reason string when it is not acceptable. */
export function parseRegistration(body: unknown): RegistrarRegistration | string {
  if (!isJsonObject(body)) return "The body must be a JSON object.";
  const cd = body.clientDescription;
  if (!isJsonObject(cd)) return "clientDescription is required.";
  for (const k of ["appId", "templateKey"] as const)
    if (typeof cd[k] !== "string" || !cd[k]) return `clientDescription.${k} is required.`;
  if (typeof body.registrationId !== "string" || !/^[A-Za-z0-9{}_.:-]{1,100}$/.test(body.registrationId))
    return "registrationId is required.";
  const tr = isJsonObject(body.transports) ? body.transports.TROUTER : undefined;
  if (!Array.isArray(tr) || tr.length === 0) return "transports.TROUTER must list at least one transport.";
  const transports: RegistrarTransport[] = [];
  for (const t of tr) {
    if (!isJsonObject(t) || typeof t.path !== "string" || !/^https?:\/\//.test(t.path))
      return "Each TROUTER transport needs a path URL.";
    const ttl = typeof t.ttl === "number" ? t.ttl : Number(t.ttl);
    if (!Number.isFinite(ttl) || ttl <= 0) return "Each TROUTER transport needs a positive ttl.";
    transports.push({ context: typeof t.context === "string" ? t.context : "", path: t.path, ttl });
  }
  const str = (v: unknown): string => (typeof v === "string" ? v : "");
  return {
    clientDescription: {
      appId: cd.appId as string,
      aesKey: str(cd.aesKey),
      languageId: str(cd.languageId),
      platform: str(cd.platform),
      templateKey: cd.templateKey as string,
      platformUIVersion: str(cd.platformUIVersion),
      ...(typeof cd.productContext === "string" ? { productContext: cd.productContext } : {}),
    },
    registrationId: body.registrationId,
    nodeId: str(body.nodeId),
    transports: { TROUTER: transports },
  };
}
