import type { Presence } from "teams-api";
import type { Colors } from "./colors.js";
import { oneLine } from "./sanitize.js";

const LABELS: Readonly<Record<string, string>> = {
  Available: "Available",
  AvailableIdle: "Available (idle)",
  Busy: "Busy",
  BusyIdle: "Busy (idle)",
  DoNotDisturb: "Do not disturb",
  BeRightBack: "Be right back",
  Away: "Away",
  Offline: "Offline",
  PresenceUnknown: "Unknown",
};

/** "Do not disturb", "Be right back"… (unknown values split at capitals, sanitized). */
export function availabilityLabel(availability: string): string {
  return LABELS[availability] ?? humanize(availability);
}

/** `InAMeeting` → "In a meeting". */
export function humanize(value: string): string {
  const words = oneLine(value)
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1 $2")
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The coloured dot Teams shows beside a name. */
export function presenceDot(availability: string, c: Colors): string {
  if (availability.startsWith("Available")) return c.green("●");
  if (availability.startsWith("Busy")) return c.red("●");
  if (availability === "DoNotDisturb") return c.red("⊖");
  if (availability === "Away" || availability === "BeRightBack") return c.yellow("●");
  if (availability === "Offline") return c.dim("○");
  return c.dim("?");
}

/** Dot and label, e.g. "● Busy". */
export function presenceCell(p: Pick<Presence, "availability">, c: Colors): string {
  return `${presenceDot(p.availability, c)} ${availabilityLabel(p.availability)}`;
}

/** What a person is doing, when it says more than the availability ("In a meeting", "Off work"). */
export function activityCell(p: Pick<Presence, "availability" | "activity" | "outOfOffice">): string {
  const parts: string[] = [];
  if (p.activity && p.activity !== p.availability && p.activity !== "Offline") parts.push(humanize(p.activity));
  if (p.outOfOffice) parts.push("Out of office");
  return parts.join(", ");
}

/** Presence for --json: plain values, times as ISO. */
export function presenceJson(p: Presence): Record<string, unknown> {
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  return {
    availability: p.availability,
    activity: p.activity,
    deviceType: p.deviceType ?? null,
    lastActiveAt: iso(p.lastActiveAt),
    outOfOffice: p.outOfOffice,
    statusMessage: p.statusMessage
      ? { text: p.statusMessage.text, pinned: p.statusMessage.pinned, expiresAt: iso(p.statusMessage.expiresAt) }
      : null,
    forced: p.forced ? { availability: p.forced.availability, expiresAt: iso(p.forced.expiresAt) } : null,
  };
}
