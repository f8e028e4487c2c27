import { emojiSpan, escapeHtml, mentionSpan, mentionsProperty, newClientMessageId } from "@teams-api/protocol";
import type { ChatState } from "./chat.js";
import { type MemberRole, newThread, type StoredMessage, type StoredThread } from "./chat-model.js";
import type { User } from "./directory.js";
import { CODE, EMOJI, LINES, LINKS, LIST_ITEMS, quoteHtml, SHORT } from "./seed-corpus.js";

export const DAY = 86_400_000;
export const HOUR_MS = 3_600_000;
export const MINUTE = 60_000;

/** mulberry32: a small, fast, deterministic PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Draft {
  html: string;
  text: string;
  properties: Record<string, unknown>;
}

export interface Participant {
  user: User;
  from: number;
}

export type SeedWriter = ReturnType<typeof seedWriter>;

/**
 * The small writer the demo world is built with: realistic Teams HTML drafts from the corpus,
 * session-clustered timelines, threads with members, messages put in order, reactions/edits/
 * deletions sprinkled over history. Every random choice comes from `rng`, so a world is
 * deterministic for a seed.
 */
export function seedWriter(state: ChatState, rng: () => number) {
  const now = state.now();
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
  const chance = (p: number): boolean => rng() < p;
  const dir = state.directory;

  /** Plain text of seeded messages, for quote previews. */
  const plain = new Map<StoredMessage, string>();
  /** A moment `delta` after a message, but never in the future. */
  const after = (m: StoredMessage, delta: number): number => Math.max(m.id + 1, Math.min(m.id + delta, now - 1000));
  const cmid = (): string => newClientMessageId(rng);

  /** Realistic Teams HTML from one sender to the others present. */
  const draft = (others: readonly User[], quotable: StoredMessage | undefined): Draft => {
    const r = rng();
    if (r < 0.35) {
      const t = pick(LINES);
      return { html: `<p>${escapeHtml(t)}</p>`, text: t, properties: {} };
    }
    if (r < 0.47) {
      const t = pick(SHORT);
      return { html: `<p>${escapeHtml(t)}</p>`, text: t, properties: {} };
    }
    if (r < 0.55) {
      const [id, title, alt] = pick(EMOJI);
      const t = pick(LINES);
      return { html: `<p>${escapeHtml(t)} ${emojiSpan(id, title, alt)}</p>`, text: `${t} ${alt}`, properties: {} };
    }
    if (r < 0.62 && others.length) {
      const who = pick(others);
      const t = pick(LINES);
      return {
        html: `<p>${mentionSpan(0, who.givenName)} ${escapeHtml(/^[A-Z][a-z]/.test(t) ? t.charAt(0).toLowerCase() + t.slice(1) : t)}</p>`,
        text: `@${who.givenName} ${t}`,
        properties: { mentions: mentionsProperty([{ mri: who.mri, displayName: who.givenName }]) },
      };
    }
    if (r < 0.68) {
      const [href, label] = pick(LINKS);
      return {
        html: `<p>Here is the <a href="${href}" title="${href}" target="_blank" rel="noreferrer noopener">${label}</a>, have a look when you can.</p>`,
        text: `Here is the ${label}, have a look when you can.`,
        properties: {},
      };
    }
    if (r < 0.73) {
      const c = pick(CODE);
      return rng() < 0.5
        ? { html: `<p>Try <code>${escapeHtml(c)}</code> first.</p>`, text: `Try ${c} first.`, properties: {} }
        : {
            html: `<p>This is what I ran:</p><pre class="language-bash"><code>${escapeHtml(c)}</code></pre>`,
            text: `This is what I ran: ${c}`,
            properties: {},
          };
    }
    if (r < 0.78) {
      const items = [pick(LIST_ITEMS), pick(LIST_ITEMS), pick(LIST_ITEMS)];
      return {
        html: `<p>Todo before the release:</p><ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join("")}</ul>`,
        text: `Todo before the release: ${items.join(", ")}`,
        properties: {},
      };
    }
    if (r < 0.83) {
      const t = pick(LINES);
      return {
        html: `<p><b>Heads up:</b> ${escapeHtml(t)}</p><p><i>More details in the wiki.</i></p>`,
        text: `Heads up: ${t} More details in the wiki.`,
        properties: {},
      };
    }
    if (r < 0.88 && quotable && quotable.messagetype === "RichText/Html" && quotable.content) {
      const reply = pick(SHORT);
      const author = dir.byMri(quotable.from);
      return {
        html: quoteHtml(
          {
            id: quotable.id,
            from: quotable.from,
            name: author?.displayName ?? "",
            text: plain.get(quotable) ?? "",
          },
          reply,
        ),
        text: reply,
        properties: {},
      };
    }
    const t = pick(LINES);
    return { html: `<p>${escapeHtml(t)}</p>`, text: t, properties: {} };
  };

  /** Session-clustered arrival times in [start, end], strictly increasing. */
  const timeline = (count: number, start: number, end: number): number[] => {
    const out: number[] = [];
    const sessions = Math.max(1, Math.ceil(count / 9));
    for (let s = 0; s < sessions && out.length < count; s++) {
      let t = start + Math.floor(rng() * (end - start));
      const n = Math.min(count - out.length, 3 + Math.floor(rng() * 12));
      for (let i = 0; i < n; i++) {
        out.push(t);
        t += 8_000 + Math.floor(rng() * 4 * MINUTE);
      }
    }
    while (out.length < count) out.push(start + Math.floor(rng() * (end - start)));
    out.sort((a, b) => a - b);
    for (let i = 1; i < out.length; i++) if (out[i]! <= out[i - 1]!) out[i] = out[i - 1]! + 1;
    const over = out[out.length - 1]! - end;
    if (over > 0) for (let i = 0; i < out.length; i++) out[i]! -= over;
    return out;
  };

  const put = (
    t: StoredThread,
    from: User,
    at: number,
    d: Draft,
    extra: { rootId?: number; messagetype?: string } = {},
  ): StoredMessage => {
    const m = state.insert(t, {
      id: Math.max(at, (t.messages[t.messages.length - 1]?.id ?? 0) + 1),
      clientmessageid: cmid(),
      messagetype: extra.messagetype ?? "RichText/Html",
      contenttype: "text",
      content: d.html,
      amsreferences: [],
      from: from.mri,
      imdisplayname: from.displayName,
      composetime: at - 40 - Math.floor(rng() * 400),
      properties: { ...d.properties },
      emotions: [],
      ...(extra.rootId !== undefined ? { rootId: extra.rootId } : {}),
    });
    plain.set(m, d.text);
    return m;
  };

  /** Reactions, edits and deletions sprinkled over a thread's history. */
  const decorate = (t: StoredThread, members: readonly User[]): void => {
    for (const m of t.messages) {
      if (m.messagetype !== "RichText/Html") continue;
      if (chance(0.15)) {
        const keys = chance(0.7) ? ["like"] : [pick(["heart", "laugh", "surprised", "1f525_fire", "like"])];
        if (chance(0.2)) keys.push(pick(["heart", "laugh", "sad", "1f44f_clappinghands"]));
        for (const key of new Set(keys)) {
          const reactors = members.filter((u) => u.mri !== m.from && chance(0.6));
          if (!reactors.length) continue;
          m.emotions.push({
            key,
            users: reactors.map((u) => {
              const time = after(m, MINUTE + Math.floor(rng() * 30 * MINUTE));
              return { mri: u.mri, time, value: String(time) };
            }),
          });
        }
        const latest = Math.max(...m.emotions.flatMap((e) => e.users.map((u) => u.time)), m.version);
        m.version = latest;
      } else if (chance(0.03)) {
        const edit = after(m, 20_000 + Math.floor(rng() * 5 * MINUTE));
        m.properties.edittime = String(edit);
        m.version = edit;
      } else if (chance(0.012)) {
        const del = after(m, 10_000 + Math.floor(rng() * 2 * MINUTE));
        m.content = "";
        m.properties = { deletetime: String(del) };
        m.version = del;
      }
    }
  };

  /** A conversation between participants (each speaking from `from`), with the newest message `end`. */
  const converse = (t: StoredThread, people: readonly Participant[], count: number, start: number, end: number) => {
    for (const at of timeline(count, start, end)) {
      const present = people.filter((p) => p.from <= at).map((p) => p.user);
      const from = pick(present);
      const recent = t.messages.slice(-8).filter((m) => m.messagetype === "RichText/Html");
      const quotable = chance(0.5) && recent.length ? pick(recent) : undefined;
      put(
        t,
        from,
        at,
        draft(
          present.filter((u) => u.mri !== from.mri),
          quotable,
        ),
      );
    }
  };

  const thread = (
    id: string,
    kind: StoredThread["kind"],
    creator: User,
    createdAt: number,
    members: ReadonlyArray<[User, MemberRole]>,
    extra: Partial<Pick<StoredThread, "topic" | "team">> & { threadType?: string; productThreadType?: string } = {},
  ): StoredThread => {
    const t = newThread({
      id,
      kind,
      topic: extra.topic ?? "",
      threadType: extra.threadType ?? (kind === "channel" ? "space" : "chat"),
      productThreadType:
        extra.productThreadType ??
        (kind === "oneOnOne" ? "OneOnOne" : kind === "channel" ? "TeamsStandardChannel" : "Chat"),
      uniqueRoster: kind === "oneOnOne",
      createdAt,
      creator: creator.mri,
      tenantId: creator.tenantId,
      ...(extra.team ? { team: extra.team } : {}),
    });
    for (const [u, role] of members) t.members.set(u.mri, { mri: u.mri, role, joinedAt: createdAt, viewVersion: 0 });
    state.threads.set(id, t);
    return t;
  };

  return { now, rng, pick, chance, after, draft, timeline, put, decorate, converse, thread };
}
