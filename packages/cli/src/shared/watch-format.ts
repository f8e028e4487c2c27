import { parseEmotions, reactionLabel } from "@teams-api/protocol";
import type { Message, RealtimeEvent, TeamsClient } from "teams-api";
import type { Colors } from "../render/colors.js";
import { oneLine, truncate } from "../render/sanitize.js";

/** Names for what an event mentions, resolved before formatting (never raw ids). */
export interface WatchNames {
  person(mri: string): string;
  /** The conversation's title ("Project Falcon", or the other person in a 1:1). */
  chat(conversationId: string): string;
  self: string;
}

/** Who added the newest reaction on a message (the one with the latest time), with its key. */
export function newestReaction(m: Message): { mri: string; key: string } | undefined {
  const props = typeof m.raw.properties === "object" && m.raw.properties ? m.raw.properties : {};
  let best: { mri: string; key: string; time: number } | undefined;
  for (const e of parseEmotions((props as { emotions?: unknown }).emotions)) {
    for (const u of e.users) if (!best || u.time > best.time) best = { mri: u.mri, key: e.key, time: u.time };
  }
  return best;
}

/** MRIs an event needs names for. */
export function peopleOf(e: RealtimeEvent): string[] {
  switch (e.type) {
    case "message":
    case "edit":
    case "delete":
      return [e.message.from.mri];
    case "reaction": {
      const r = newestReaction(e.message);
      return r ? [r.mri] : [];
    }
    case "typing":
      return [e.from.mri];
    case "thread":
      return e.members.map((m) => m.mri);
    case "presence":
      return e.presences.map((p) => p.mri);
    default:
      return [];
  }
}

/** Conversation id of an event, when it has one. */
export function conversationOf(e: RealtimeEvent): string | undefined {
  return "conversationId" in e ? e.conversationId : undefined;
}

const where = (names: WatchNames, conversationId: string, who: string): string => {
  const chat = names.chat(conversationId);
  return chat && chat !== who ? ` in ${oneLine(chat)}` : "";
};

/** One human line for a terminal, or undefined for events not worth a line. All text sanitized. */
export function humanLine(e: RealtimeEvent, names: WatchNames, c: Colors): string | undefined {
  switch (e.type) {
    case "message": {
      const who = names.person(e.message.from.mri);
      const body = truncate(oneLine(e.message.text), 2000);
      return `${c.bold(oneLine(who))}${where(names, e.conversationId, who)}: ${body}`;
    }
    case "edit": {
      const who = names.person(e.message.from.mri);
      return `${c.bold(oneLine(who))} edited${where(names, e.conversationId, who)}: ${truncate(oneLine(e.message.text), 2000)}`;
    }
    case "delete": {
      const who = names.person(e.message.from.mri);
      return c.dim(`${oneLine(who)} deleted a message${where(names, e.conversationId, who)}`);
    }
    case "reaction": {
      const r = newestReaction(e.message);
      if (!r) return undefined;
      const who = names.person(r.mri);
      return `${oneLine(who)} reacted ${oneLine(reactionLabel(r.key))}${where(names, e.conversationId, who)}`;
    }
    case "typing": {
      if (e.stopped) return undefined;
      const who = names.person(e.from.mri);
      return c.dim(`${oneLine(who)} is typing…${where(names, e.conversationId, who)}`);
    }
    case "thread":
      return c.dim(`${oneLine(names.chat(e.conversationId))}: members or topic changed`);
    case "presence":
      return (
        e.presences
          .map((p) => `${oneLine(names.person(p.mri))} is ${oneLine(p.availability || "unknown")}`)
          .join("\n") || undefined
      );
    case "call":
      return `${oneLine(e.from ? names.person(e.from.mri) : "Someone")} is calling`;
    default:
      return undefined;
  }
}

/** The NDJSON object of an event: names resolved, no raw wire objects. */
export function eventJson(e: RealtimeEvent, names: WatchNames): Record<string, unknown> | undefined {
  const person = (mri: string) => ({ mri, displayName: names.person(mri) });
  const chat = (id: string) => ({ conversationId: id, conversation: names.chat(id) });
  switch (e.type) {
    case "message":
    case "edit":
    case "delete":
    case "reaction": {
      const m = e.message;
      const r = e.type === "reaction" ? newestReaction(m) : undefined;
      return {
        type: e.type,
        ...chat(e.conversationId),
        id: m.id,
        version: m.version,
        from: person(m.from.mri),
        text: m.text,
        arrivedAt: m.arrivedAt.toISOString(),
        ...(m.editedAt ? { editedAt: m.editedAt.toISOString() } : {}),
        isDeleted: m.isDeleted,
        reactions: m.reactions.map((x) => ({ key: x.key, count: x.count, users: x.users.map((u) => person(u.mri)) })),
        ...(r ? { reactedBy: person(r.mri), reaction: r.key } : {}),
        replayed: e.replayed,
      };
    }
    case "typing":
      return { type: "typing", ...chat(e.conversationId), from: person(e.from.mri), stopped: e.stopped };
    case "read":
      return { type: "read", ...chat(e.conversationId), messageId: e.horizon.messageId, time: e.horizon.time };
    case "conversation":
      return { type: "conversation", ...chat(e.conversationId) };
    case "thread":
      return {
        type: "thread",
        ...chat(e.conversationId),
        topic: e.topic ?? null,
        members: e.members.map((m) => ({ ...person(m.mri), role: m.role })),
      };
    case "presence":
      return {
        type: "presence",
        presences: e.presences.map((p) => ({ ...person(p.mri), availability: p.availability, activity: p.activity })),
      };
    case "call":
      return { type: "call", callId: e.callId ?? null, from: e.from ? person(e.from.mri) : null };
    case "resumed":
      return { type: "resumed", replayed: e.replayed, reason: e.reason };
    case "state":
      return { type: "state", state: e.state, ...(e.reason ? { reason: e.reason } : {}) };
  }
}

/** Resolves names before an event is printed; caches chat titles. */
export class Names implements WatchNames {
  readonly #titles = new Map<string, string>();
  self = "";
  constructor(private readonly client: TeamsClient) {}

  async prepare(e: RealtimeEvent): Promise<void> {
    const people = peopleOf(e);
    if (people.length) await this.client.names.displayNames(people);
    const id = conversationOf(e);
    if (id && !this.#titles.has(id)) {
      const title = await this.client.chat
        .getConversationDetails(id)
        .then((d) => this.client.names.conversationTitle(d))
        .catch(() => "a chat");
      this.#titles.set(id, title);
    }
  }

  person(mri: string): string {
    return this.client.names.peek(mri);
  }

  chat(id: string): string {
    return this.#titles.get(id) ?? "a chat";
  }
}
