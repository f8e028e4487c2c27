import { parseThreadActivity } from "@teams-api/protocol";
import type { ChatState } from "../../state/chat.js";

/**
 * Everyone who shares, or once shared, a conversation with `mri`: current members, anyone who
 * wrote in it, and anyone added or removed (so former members keep their names). Lower-cased MRIs.
 */
export function acquaintancesOf(chats: ChatState | undefined, mri: string): Set<string> {
  const me = mri.toLowerCase();
  const out = new Set<string>();
  if (!chats) return out;
  for (const t of chats.threads.values()) {
    const people = new Set<string>();
    for (const m of t.members.keys()) people.add(m.toLowerCase());
    for (const msg of t.messages) {
      if (msg.from) people.add(msg.from.toLowerCase());
      if (!msg.messagetype.startsWith("ThreadActivity/")) continue;
      const event = parseThreadActivity(msg.messagetype, msg.content);
      if ("members" in event) for (const p of event.members) people.add(p.mri.toLowerCase());
    }
    if (!people.has(me)) continue;
    for (const p of people) if (p !== me) out.add(p);
  }
  return out;
}
