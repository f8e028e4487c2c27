import type { PresenceItem } from "@teams-api/protocol";
import type { Message, Person } from "../models.js";
import type { SocketTimings } from "./socket.js";

export type RealtimeState = "connecting" | "connected" | "reconnecting" | "closed";

/** Why events were replayed over REST. */
export type ResumeReason = "reconnect" | "message_loss" | "gap";

/** A live event, typed; message events carry the mapped {@link Message}. */
export interface RealtimeMessageEvent<K extends "message" | "edit" | "delete" | "reaction"> {
  type: K;
  conversationId: string;
  message: Message;
  /** Came from the REST replay after a reconnect, loss or gap (not from a push). */
  replayed: boolean;
}

export type RealtimeEvent =
  | RealtimeMessageEvent<"message">
  | RealtimeMessageEvent<"edit">
  | RealtimeMessageEvent<"delete">
  | RealtimeMessageEvent<"reaction">
  | { type: "typing"; conversationId: string; from: Person; stopped: boolean }
  | {
      type: "read";
      conversationId: string;
      horizon: { messageId: string; time: number; clientMessageId: string };
    }
  | { type: "conversation"; conversationId: string }
  | { type: "thread"; conversationId: string; topic: string | undefined; members: Array<{ mri: string; role: string }> }
  /** Presence pushes (UPS pubsub on `<surl>TeamsUnifiedPresenceService`, PROTOCOL.md §3.4). */
  | { type: "presence"; presences: PresenceItem[] }
  | { type: "call"; callId: string | undefined; from: Person | undefined }
  /** After a reconnect, a message loss or a sequence gap: how many events were replayed from REST. */
  | { type: "resumed"; replayed: number; reason: ResumeReason }
  /** The connection state changed; when connected, the endpoint presence subscriptions need. */
  | { type: "state"; state: RealtimeState; reason?: string; endpoint?: RealtimeEndpoint };

export type RealtimeEventType = RealtimeEvent["type"];

/** What a presence subscription posts (§3.4): `trouterUri` = `${surl}TeamsUnifiedPresenceService`. */
export interface RealtimeEndpoint {
  /** The endpoint id (epid), stable across reconnects. */
  epid: string;
  /** The current push URL; changes on every reconnect. */
  surl: string;
}

export interface RealtimeTimings extends SocketTimings {
  /** Allocate, handshake and `trouter.connected` must each come within this. @default 20000 */
  connectTimeoutMs: number;
  /** Registrar TTL; re-registered 60 s before (at least at half) it. @default 86400 */
  registrationTtlSec: number;
  /** Reconnect backoff: full jitter from this base, doubling. @default 1000 */
  backoffBaseMs: number;
  /** @default 30000 */
  backoffCapMs: number;
  /** A connection up this long resets the backoff. @default 60000 */
  stableMs: number;
  /** Replays start this long before the last point seen (server clocks of different nodes). @default 10000 */
  backfillMarginMs: number;
}

export interface RealtimeOptions {
  /** New messages (replayed ones included), once each, in order within a conversation. */
  onMessage?: (message: Message, event: RealtimeEvent) => void;
  /** Every event. */
  onEvent?: (event: RealtimeEvent) => void;
  /** Only these conversations (ids); all when absent. */
  conversations?: readonly string[];
  /** Also deliver the echoes of messages this client sent. @default false */
  includeOwn?: boolean;
  timings?: Partial<RealtimeTimings>;
  /**
   * Trouter and registrar roots, for private deployments and tests.
   * @default the cloud's (real hosts; `<TEAMS_BASE_URL>/trouter` for the emulator)
   */
  roots?: { trouter: string; registrar: string };
  /**
   * Trouter's connect flow: the classic allocate first (`/v4/a`, §7.1), or the modern `/v4/c`
   * (§7.10: no allocate, IC3 bearer, the surl and registrar arrive with `trouter.connected`).
   * @default "v4a"
   */
  flow?: "v4a" | "v4c";
}
