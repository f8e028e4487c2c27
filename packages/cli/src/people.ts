import { parseOneOnOneThreadId } from "@teams-api/protocol";
import type { TeamsClient } from "teams-api";
import { UsageError } from "./errors.js";
import { oneLine } from "./render/sanitize.js";

/** A person named on the command line, resolved. */
export interface ResolvedPerson {
  readonly mri: string;
  readonly displayName: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Everyone the user shares a chat with (1:1 partners from the ids, group members from rosters). */
export async function knownPeople(client: TeamsClient, signal?: AbortSignal): Promise<string[]> {
  const opts = signal ? { signal } : {};
  const me = (await client.whoami()).mri.toLowerCase();
  const convs = await client.chat.getConversations({ count: 100, resolveTitles: false, ...opts });
  const mris = new Set<string>();
  const groups: string[] = [];
  for (const c of convs) {
    if (c.kind === "oneOnOne") {
      for (const local of parseOneOnOneThreadId(c.id) ?? [])
        mris.add(GUID.test(local) ? `8:orgid:${local}` : `8:${local}`);
    } else if (c.kind === "group" || c.kind === "meeting") groups.push(c.id);
    if (c.lastMessage?.from.mri) mris.add(c.lastMessage.from.mri);
  }
  const rosters = await Promise.all(
    groups.slice(0, 30).map((id) => client.chat.threadMembers(id, opts).catch(() => [])),
  );
  for (const r of rosters) for (const m of r) mris.add(m);
  return [...mris].filter((m) => m.toLowerCase() !== me && m.startsWith("8:"));
}

/**
 * People by email address (looked up in the directory through the middle tier), by MRI, or by a
 * unique case-insensitive part of the name of someone the user shares a chat with (or of a member
 * of `pool`, when given). Unknown or ambiguous names are usage errors that list the candidates.
 */
export async function resolvePeople(
  client: TeamsClient,
  inputs: readonly string[],
  options: { pool?: readonly string[]; signal?: AbortSignal } = {},
): Promise<ResolvedPerson[]> {
  const opts = options.signal ? { signal: options.signal } : {};
  const out: ResolvedPerson[] = [];
  let pool: Map<string, string> | undefined;
  for (const raw of inputs) {
    const input = raw.trim();
    if (input === "") continue;
    if (/^\d+:\S+$/.test(input)) {
      out.push({ mri: input, displayName: await client.names.displayName(input) });
      continue;
    }
    if (input.includes("@")) {
      const profile = await client.middleTier.getUserByEmail(input, opts);
      if (!profile) throw new UsageError(`No one in the directory has the address ${oneLine(input)}.`);
      out.push({ mri: profile.mri, displayName: profile.displayName || (await client.names.displayName(profile.mri)) });
      continue;
    }
    if (!pool) {
      const mris = options.pool ? [...options.pool] : await knownPeople(client, options.signal);
      pool = await client.names.displayNames(mris);
    }
    const known = pool;
    const needle = input.toLowerCase();
    const matches = [...known].filter(([, name]) => name.toLowerCase().includes(needle));
    const exact = matches.filter(([, name]) => name.toLowerCase() === needle);
    const pick = exact.length === 1 ? exact[0] : matches.length === 1 ? matches[0] : undefined;
    if (pick) {
      out.push({ mri: pick[0], displayName: pick[1] });
      continue;
    }
    if (matches.length === 0) {
      throw new UsageError(
        `No one called "${oneLine(input)}" ${options.pool ? "is in this chat" : "shares a chat with you"}; use their email address.`,
      );
    }
    throw new UsageError(
      `"${oneLine(input)}" could be ${matches.length} people; use more of the name or an email address:\n${matches
        .map(([, name]) => `  ${oneLine(name)}`)
        .join("\n")}`,
    );
  }
  return out;
}
