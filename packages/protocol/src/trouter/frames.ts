/**
 * socket.io 0.9 (protocol v1) frames, as Trouter speaks them (PROTOCOL.md §7.4):
 * `<type>:<id>[+]:<endpoint>[:<data>]`. The one codec both the client's socket and the emulator's
 * Trouter use. `parseFrame` never throws anything but {@link FrameError}, whatever the input.
 */

/** Frame type digits. */
export const FRAME_TYPES = {
  disconnect: 0,
  connect: 1,
  heartbeat: 2,
  message: 3,
  json: 4,
  event: 5,
  ack: 6,
  error: 7,
  noop: 8,
} as const;

export type FrameType = keyof typeof FRAME_TYPES;

/** Message id of a frame: a counter, and `+` when the sender asks for an ack with data. */
export interface FrameId {
  /** Absent for `3:::` / `5:::` frames. */
  id?: number;
  /** The `+` after the id. */
  ack?: boolean;
}

export type Frame =
  | { type: "disconnect"; endpoint: string }
  | { type: "connect"; endpoint: string; query?: string }
  | { type: "heartbeat" }
  | ({ type: "message"; endpoint: string; data: string } & FrameId)
  | ({ type: "json"; endpoint: string; data: unknown } & FrameId)
  | ({ type: "event"; endpoint: string; name: string; args: unknown[] } & FrameId)
  /** `6:::<ackId>[+<json array>]`: the answer to event `<ackId>` (e.g. `6:::3+["pong"]`). */
  | { type: "ack"; endpoint: string; ackId: number; args?: unknown[] }
  | { type: "error"; endpoint: string; reason: string; advice?: string }
  | { type: "noop" };

/** The peer sent something that is not a socket.io 0.9 frame. */
export class FrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FrameError";
  }
}

const TYPE_BY_DIGIT: readonly FrameType[] = [
  "disconnect",
  "connect",
  "heartbeat",
  "message",
  "json",
  "event",
  "ack",
  "error",
  "noop",
];

/** Largest frame id either side may use (ids are counters; keeps parse(build(x)) exact). */
export const MAX_FRAME_ID = Number.MAX_SAFE_INTEGER;

const ID_PATTERN = /^(\d{1,16})?(\+)?$/;
const ENDPOINT_PATTERN = /^[^:]*$/;

function idPart(f: FrameId): string {
  return `${f.id ?? ""}${f.ack ? "+" : ""}`;
}

function checkEndpoint(endpoint: string): string {
  if (!ENDPOINT_PATTERN.test(endpoint)) throw new FrameError("a frame endpoint cannot contain ':'");
  return endpoint;
}

/** Serializes a frame. Event args are omitted when empty (`5:1+::{"name":"ping"}`). */
export function buildFrame(frame: Frame): string {
  switch (frame.type) {
    case "disconnect":
      return `0::${checkEndpoint(frame.endpoint)}`;
    case "connect":
      return `1::${checkEndpoint(frame.endpoint)}${frame.query !== undefined ? `:${frame.query}` : ""}`;
    case "heartbeat":
      return "2::";
    case "message":
      return `3:${idPart(frame)}:${checkEndpoint(frame.endpoint)}:${frame.data}`;
    case "json":
      return `4:${idPart(frame)}:${checkEndpoint(frame.endpoint)}:${JSON.stringify(frame.data)}`;
    case "event": {
      const body = frame.args.length ? { name: frame.name, args: frame.args } : { name: frame.name };
      return `5:${idPart(frame)}:${checkEndpoint(frame.endpoint)}:${JSON.stringify(body)}`;
    }
    case "ack":
      return `6::${checkEndpoint(frame.endpoint)}:${frame.ackId}${frame.args ? `+${JSON.stringify(frame.args)}` : ""}`;
    case "error":
      return `7::${checkEndpoint(frame.endpoint)}:${frame.reason}${frame.advice !== undefined ? `+${frame.advice}` : ""}`;
    case "noop":
      return "8::";
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new FrameError(`${what} is not valid JSON`);
  }
}

/** Splits `a:b:c:rest` into at most four parts (data may contain ':'). */
function split(raw: string): [string, string, string, string | undefined] {
  const a = raw.indexOf(":");
  if (a < 0) throw new FrameError("not a socket.io frame (no ':')");
  const b = raw.indexOf(":", a + 1);
  if (b < 0) throw new FrameError("not a socket.io frame (no id separator)");
  const c = raw.indexOf(":", b + 1);
  return [
    raw.slice(0, a),
    raw.slice(a + 1, b),
    c < 0 ? raw.slice(b + 1) : raw.slice(b + 1, c),
    c < 0 ? undefined : raw.slice(c + 1),
  ];
}

/** Parses one frame; throws {@link FrameError} for anything malformed. */
export function parseFrame(raw: string): Frame {
  if (typeof raw !== "string") throw new FrameError("a frame is text");
  const [digit, idText, endpoint, data] = split(raw);
  const type = /^\d$/.test(digit) ? TYPE_BY_DIGIT[Number(digit)] : undefined;
  if (!type) throw new FrameError(`unknown frame type '${digit.slice(0, 8)}'`);
  const idMatch = ID_PATTERN.exec(idText);
  if (!idMatch) throw new FrameError("malformed frame id");
  const id: FrameId = {};
  if (idMatch[1] !== undefined) {
    const n = Number(idMatch[1]);
    if (!Number.isSafeInteger(n)) throw new FrameError("frame id out of range");
    id.id = n;
  }
  if (idMatch[2]) id.ack = true;
  switch (type) {
    case "disconnect":
      return { type, endpoint };
    case "connect":
      return data === undefined ? { type, endpoint } : { type, endpoint, query: data };
    case "heartbeat":
      return { type };
    case "noop":
      return { type };
    case "message":
      return { type, endpoint, data: data ?? "", ...id };
    case "json":
      return { type, endpoint, data: parseJson(data ?? "", "json frame data"), ...id };
    case "event": {
      const body = parseJson(data ?? "", "event frame data");
      if (!body || typeof body !== "object" || Array.isArray(body)) throw new FrameError("an event is an object");
      const { name, args } = body as { name?: unknown; args?: unknown };
      if (typeof name !== "string") throw new FrameError("an event needs a name");
      if (args !== undefined && !Array.isArray(args)) throw new FrameError("event args must be an array");
      return { type, endpoint, name, args: args ?? [], ...id };
    }
    case "ack": {
      const m = /^(\d{1,16})(?:\+([\s\S]*))?$/.exec(data ?? "");
      if (!m) throw new FrameError("malformed ack frame");
      const ackId = Number(m[1]);
      if (!Number.isSafeInteger(ackId)) throw new FrameError("ack id out of range");
      if (m[2] === undefined) return { type, endpoint, ackId };
      const args = parseJson(m[2], "ack data");
      if (!Array.isArray(args)) throw new FrameError("ack data must be an array");
      return { type, endpoint, ackId, args };
    }
    case "error": {
      const text = data ?? "";
      const plus = text.indexOf("+");
      return plus < 0
        ? { type, endpoint, reason: text }
        : { type, endpoint, reason: text.slice(0, plus), advice: text.slice(plus + 1) };
    }
  }
}

/** The socket.io 0.9 handshake answer: `<sid>:<heartbeatSec>:<closeSec>:<transports>` (§7.1 step 3). */
export interface Handshake {
  sid: string;
  heartbeatSec: number;
  closeSec: number;
  transports: string[];
}

export function buildHandshake(h: Handshake): string {
  return `${h.sid}:${h.heartbeatSec}:${h.closeSec}:${h.transports.join(",")}`;
}

export function parseHandshake(text: string): Handshake {
  const m = /^([A-Za-z0-9_.~-]{1,256}):(\d{0,9}):(\d{0,9}):([A-Za-z0-9_,-]{1,200})$/.exec(text.trim());
  if (!m) throw new FrameError("malformed socket.io handshake");
  return {
    sid: m[1]!,
    heartbeatSec: Number(m[2] || 0),
    closeSec: Number(m[3] || 0),
    transports: m[4]!.split(","),
  };
}
