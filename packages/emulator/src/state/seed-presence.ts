import type { Directory } from "./directory.js";
import type { PresenceStore } from "./presence.js";

/**
 * Demo presence: a few people with devices that stay online (they never expire), so a fresh
 * emulator shows a lived-in office. Bob and Carol match samples/presence-getpresence.json. Alice
 * and Grace start Offline: they are online exactly while a client of theirs runs.
 */
export function seedDemoPresence(presence: PresenceStore, directory: Directory): void {
  const mri = (first: string): string | undefined => directory.users.find((u) => u.givenName === first)?.mri;
  const seed = (first: string, s: Parameters<PresenceStore["seed"]>[1]): void => {
    const m = mri(first);
    if (m) presence.seed(m, s);
  };
  seed("Bob", {
    device: "Desktop",
    activity: { availability: "Busy", activity: "InAMeeting" },
    note: "Heads-down on Falcon<pinnednote></pinnednote>",
  });
  seed("Carol", { device: "Mobile", active: false, outOfOffice: "On leave until Monday" });
  seed("Dana", { device: "Desktop" });
  seed("Evan", { device: "Web", activity: { availability: "DoNotDisturb", activity: "Presenting" } });
}
