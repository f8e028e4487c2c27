/**
 * One-line descriptions of the non-chat messages a conversation holds: `ThreadActivity/*` and
 * `Event/Call` (PROTOCOL.md §8.3). Normal messages get `undefined`: render those with htmlToText.
 */
import { sanitizeTerminalText } from "../sanitize.js";
import { type NameOf, parseThreadActivity, renderThreadActivity } from "./thread-activity.js";
import { childNamed, childText, readXml } from "./xml.js";

export interface CallParticipant {
  mri: string;
  name?: string;
  /** Seconds on the call, when the service reported it. */
  duration?: number;
}

export interface CallEvent {
  /** `started`, `ended`, `missed`, or whatever the service sent (lowercased); "" if none. */
  type: string;
  /** Longest participant duration in seconds, when reported. */
  duration?: number;
  participants: CallParticipant[];
}

/** Reads `Event/Call` content: `<partlist type="started|ended|missed" …><part identity="…"><name/><duration/></part></partlist>`. Never throws. */
export function parseCallEvent(content: string): CallEvent {
  const els = readXml(typeof content === "string" ? content : "");
  const root = els.findIndex((e) => e.name === "partlist");
  const event: CallEvent = { type: "", participants: [] };
  if (root < 0) {
    if (els.some((e) => e.name === "ended")) event.type = "ended";
    return event;
  }
  event.type = (els[root]?.attrs["type"] ?? "").trim().toLowerCase();
  if (!event.type && childNamed(els, root, "ended")) event.type = "ended";
  for (const i of els[root]?.children ?? []) {
    const part = els[i];
    if (part?.name !== "part") continue;
    const p: CallParticipant = { mri: (part.attrs["identity"] ?? "").trim() };
    const name = childText(els, i, "name");
    if (name) p.name = name;
    const d = Number(childText(els, i, "duration"));
    if (childText(els, i, "duration") && Number.isFinite(d) && d >= 0) {
      p.duration = Math.floor(d);
      event.duration = Math.max(event.duration ?? 0, p.duration);
    }
    event.participants.push(p);
  }
  return event;
}

/** "45s", "2m 3s", "1h 0m 5s". */
export function formatCallDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h ${m}m ${sec}s`;
  if (m > 0) return `${m}m ${sec}s`;
  return `${sec}s`;
}

function describeCall(content: string): string {
  const call = parseCallEvent(content);
  switch (call.type) {
    case "started":
      return "Call started";
    case "ended":
      return call.duration !== undefined && call.duration > 0
        ? `Call ended (${formatCallDuration(call.duration)})`
        : "Call ended";
    case "missed":
      return "Missed call";
    default:
      return "Call";
  }
}

/**
 * A readable, terminal-safe line for a system message (`ThreadActivity/*`, `Event/Call`, call
 * recordings and transcripts), or undefined for a normal message (or typing/control traffic).
 */
export function describeSystemMessage(messagetype: string, content: string, nameOf: NameOf): string | undefined {
  if (typeof messagetype !== "string") return undefined;
  const body = typeof content === "string" ? content : "";
  let line: string | undefined;
  if (messagetype.startsWith("ThreadActivity/")) {
    line = renderThreadActivity(parseThreadActivity(messagetype, body), nameOf);
  } else if (messagetype === "Event/Call") {
    line = describeCall(body);
  } else if (messagetype === "RichText/Media_CallRecording") {
    line = /status="?failure|status="?failed/i.test(body) ? "Call recording failed" : "Call recording";
  } else if (messagetype === "RichText/Media_CallTranscript") {
    line = "Call transcript";
  }
  return line === undefined ? undefined : sanitizeTerminalText(line, { allowNewlines: false });
}
