import {
  buildReplyQuote,
  CONSUMER_TENANT_ID,
  emojiSpan,
  escapeHtml,
  mentionSpan,
  mentionsProperty,
  newClientMessageId,
  oneOnOneThreadId,
} from "@teams-api/protocol";
import type { ChatState } from "./chat.js";
import { type MemberRole, newThread, type StoredMessage, type StoredThread } from "./chat-model.js";
import { CONTOSO, type User } from "./directory.js";

/**
 * The demo world's chats, seeded deterministically (fixed PRNG) with timestamps spread over the 30
 * days before the emulator's clock. Ids reuse the samples' (../shared/protocol/samples) so sample
 * exchanges replay against seeded state unchanged.
 */
export const DEMO_CHAT_IDS = {
  /** 1:1 Alice–Bob, the busiest chat (≥300 messages). */
  aliceBob: "19:2b7e4f10-6c1d-4e8a-a3f5-9d0c1b2e3f41_9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d@unq.gbl.spaces",
  /** Group chat "Project Falcon": Alice (Admin, creator), Bob, Carol (guest, added later). */
  projectFalcon: "19:4f0e2d1c3b5a49788e6d5c4b3a291807@thread.v2",
  /** Channel General of team "Falcon Team" (general channel id = team id). */
  falconGeneral: "19:7d1e5c3a9b2f4e60a8c4d2e0f1b3a597@thread.tacv2",
  /** Untitled group chat: Dana (creator), Evan, Frank, Alice (added later). */
  untitledGroup: "19:8c1f3e5a7b9d4f2e6a0c8b4d2f6e1a3c@thread.v2",
  aliceDana: "19:2b7e4f10-6c1d-4e8a-a3f5-9d0c1b2e3f41_d4a1e5b2-7c3f-4e09-8b6a-2f1d0c9e8b7a@unq.gbl.spaces",
  aliceEvan: "19:2b7e4f10-6c1d-4e8a-a3f5-9d0c1b2e3f41_e5b2f6c3-8d4a-4f1a-9c7b-3a2e1d0f9c8b@unq.gbl.spaces",
  bobDana: "19:9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d_d4a1e5b2-7c3f-4e09-8b6a-2f1d0c9e8b7a@unq.gbl.spaces",
  /** Consumer (Teams free) 1:1 between Grace and Alice. */
  graceAlice: "19:uni01_k5ztk2lqmrzg4ylgpfqwcnbvgezdmmbq@thread.v2",
} as const;

/** The team behind the General channel (CSA/MT list it). */
export const DEMO_TEAM = {
  name: "Falcon Team",
  groupId: "0d9f8e7d-6c5b-4a39-8281-706f5e4d3c2b",
  generalChannelId: DEMO_CHAT_IDS.falconGeneral,
  description: "Everything about the Falcon launch",
} as const;

const DAY = 86_400_000;
const HOUR_MS = 3_600_000;
const MINUTE = 60_000;

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

const EMOJI: ReadonlyArray<[id: string, title: string, alt: string]> = [
  ["smile", "Smile", "🙂"],
  ["laugh", "Laugh", "😆"],
  ["heart", "Heart", "❤️"],
  ["cool", "Cool", "😎"],
  ["yes", "Yes", "👍"],
  ["surprised", "Surprised", "😮"],
];

/** Teams quote-reply markup (§8.4): the protocol's Reply quote, then the reply. */
function quoteHtml(quoted: { id: number; from: string; name: string; text: string }, reply: string): string {
  const quote = buildReplyQuote({
    messageId: String(quoted.id),
    authorMri: quoted.from,
    authorName: quoted.name,
    preview: quoted.text,
  });
  return `${quote}<p>${escapeHtml(reply)}</p>`;
}

const LINES = [
  "Morning! Did the build go green overnight?",
  "I pushed the fix for the login redirect, can you take a look?",
  "The staging deploy is done, smoke tests pass.",
  "Can we move the sync to after lunch?",
  "I'll draft the release notes this afternoon.",
  "Customer feedback from the pilot is mostly positive.",
  "The dashboard numbers look off for last week.",
  "Let me check with the data team and get back to you.",
  "Are we still planning the demo for Thursday?",
  "I've updated the roadmap slide with the new dates.",
  "Quick question about the API pagination.",
  "The design review went well, a few small tweaks requested.",
  "Who owns the on-call rotation this week?",
  "I'm out tomorrow afternoon, dentist appointment.",
  "Nice work on the migration, zero downtime!",
  "The contract is signed, we can start onboarding.",
  "I think the flaky test is a race in the retry logic.",
  "Let's keep the scope small for this sprint.",
  "Do you have the link to the budget sheet?",
  "The new icons look great on dark mode.",
  "I'll set up a call with the vendor next week.",
  "Merged. Thanks for the thorough review.",
  "Latency is down 30% since the cache change.",
  "We need a decision on the pricing tiers by Friday.",
  "Can someone cover the standup notes today?",
  "The accessibility audit found three issues, all minor.",
  "Coffee at 3?",
  "Running five minutes late, start without me.",
  "That makes sense, let's go with option B.",
  "I'll write it up in the wiki so we don't forget.",
  "The intern presentations are on Wednesday.",
  "Good catch, I missed that edge case.",
  "Reminder: timesheets are due today.",
  "The printer on the 3rd floor is broken again.",
  "Can you share your screen in the next meeting?",
  "We hit the rate limit on the search API in load tests.",
  "The translation files for Portuguese are ready.",
  "Let's sync on the hiring plan tomorrow.",
  "I'm happy with the copy, ship it.",
  "Thanks! That unblocks me.",
];

const SHORT = ["ok", "Sounds good", "Thanks!", "On it", "Agreed", "👍", "Will do", "Perfect", "Haha, yes", "Got it"];

const LINKS: ReadonlyArray<[href: string, label: string]> = [
  ["https://contoso.sharepoint.com/sites/falcon/Shared%20Documents/spec.docx", "Falcon spec"],
  ["https://dev.azure.com/contoso/falcon/_build/results?buildId=4812", "build 4812"],
  ["https://contoso.sharepoint.com/sites/falcon/roadmap.pptx", "roadmap deck"],
  ["https://github.com/contoso/falcon/pull/231", "PR #231"],
];

const CODE = [
  "npm run build -- --watch",
  "git rebase -i origin/main",
  "SELECT count(*) FROM events WHERE day = today()",
  "kubectl rollout restart deploy/api",
];

const LIST_ITEMS = [
  "update the changelog",
  "fix the broken link in the footer",
  "ping legal about the terms",
  "review open PRs",
  "book the room for the retro",
  "check the error budget",
  "prepare the demo data",
];

const ROOT_SUBJECTS = [
  "Sprint planning",
  "Release checklist",
  "Retro notes",
  "Launch timeline",
  "Welcome!",
  "Incident follow-up",
  "Design crit",
  "",
];

interface Draft {
  html: string;
  text: string;
  properties: Record<string, unknown>;
}

interface Participant {
  user: User;
  from: number;
}

/** Seeds the demo chats into an empty state. */
export function seedDemoChats(state: ChatState): void {
  const now = state.now();
  const rng = prng(0x7ea45);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
  const chance = (p: number): boolean => rng() < p;
  const dir = state.directory;
  const user = (first: string): User => {
    const u = dir.users.find((x) => x.givenName === first);
    if (!u) throw new Error(`demo user ${first} missing from the directory`);
    return u;
  };
  const [alice, bob, carol, dana, evan, frank, grace] = ["Alice", "Bob", "Carol", "Dana", "Evan", "Frank", "Grace"].map(
    user,
  ) as [User, User, User, User, User, User, User];

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

  const start = now - 30 * DAY;
  const recentEnd = now - 5 * MINUTE;

  // ── 1:1 Alice–Bob: the busiest chat, ending like samples/chat-messages-list.json ────────────
  {
    const t = thread(DEMO_CHAT_IDS.aliceBob, "oneOnOne", alice, start - DAY, [
      [alice, "Admin"],
      [bob, "Admin"],
    ]);
    const end = recentEnd - 30 * MINUTE;
    converse(
      t,
      [
        { user: alice, from: 0 },
        { user: bob, from: 0 },
      ],
      340,
      start,
      end - 10 * MINUTE,
    );
    decorate(t, [alice, bob]);
    put(t, bob, end, {
      html: "<p>Hi Alice, are we still on for 3pm?</p>",
      text: "Hi Alice, are we still on for 3pm?",
      properties: {},
    });
    const yes = put(t, alice, end + 60_333, {
      html: `<p>Yes! See you then ${emojiSpan("smile", "Smile", "🙂")}</p>`,
      text: "Yes! See you then 🙂",
      properties: {},
    });
    yes.emotions.push({ key: "like", users: [{ mri: bob.mri, time: end + 100_000, value: String(end + 100_000) }] });
    yes.version = end + 100_000;
    const gone = put(t, bob, end + 200_666, {
      html: "<p>oops, wrong chat</p>",
      text: "oops, wrong chat",
      properties: {},
    });
    gone.content = "";
    gone.properties = { deletetime: String(end + 300_000) };
    gone.version = end + 300_000;
    const doc = put(t, bob, end + 399_877, {
      html: `<p>${mentionSpan(0, "Alice")} please check the doc</p>`,
      text: "@Alice please check the doc",
      properties: { mentions: mentionsProperty([{ mri: alice.mri, displayName: "Alice" }]) },
    });
    doc.properties.edittime = String(end + 460_000);
    doc.version = end + 460_000;
    t.version = doc.version;
    read(t, alice, yes.id, end + 70_000, yes.clientmessageid);
    read(t, bob, doc.id, doc.id, doc.clientmessageid);
  }

  // ── Group "Project Falcon": created by Alice, Carol added later ──────────────────────────────
  {
    const created = start + 2 * HOUR_MS;
    const t = thread(
      DEMO_CHAT_IDS.projectFalcon,
      "group",
      alice,
      created,
      [
        [alice, "Admin"],
        [bob, "User"],
      ],
      { topic: "" },
    );
    state.addActivity(t, "AddMember", alice.mri, created, [bob.mri]);
    t.topic = "Project Falcon";
    state.addActivity(t, "TopicUpdate", alice.mri, created + 1000, "Project Falcon");
    const carolJoins = start + 11 * DAY;
    converse(
      t,
      [
        { user: alice, from: 0 },
        { user: bob, from: 0 },
      ],
      150,
      created + MINUTE,
      carolJoins - HOUR_MS,
    );
    t.members.set(carol.mri, { mri: carol.mri, role: "User", joinedAt: carolJoins, viewVersion: 0 });
    t.lastJoinAt = carolJoins;
    state.addActivity(t, "AddMember", alice.mri, carolJoins, [carol.mri]);
    converse(
      t,
      [
        { user: alice, from: 0 },
        { user: bob, from: 0 },
        { user: carol, from: carolJoins },
      ],
      110,
      carolJoins + MINUTE,
      now - 3 * HOUR_MS,
    );
    decorate(t, [alice, bob, carol]);
    readNearEnd(t, [alice, bob, carol], [1, 0, 4]);
  }

  // ── Channel General of "Falcon Team": root posts with reply chains ───────────────────────────
  {
    const team = { groupId: DEMO_TEAM.groupId, name: DEMO_TEAM.name };
    const created = start - 5 * DAY;
    const roster: Array<[User, MemberRole]> = [
      [bob, "Admin"],
      [alice, "User"],
      [carol, "User"],
      [dana, "User"],
      [evan, "User"],
    ];
    const t = thread(DEMO_CHAT_IDS.falconGeneral, "channel", bob, created, roster, { topic: "General", team });
    const people = roster.map(([u]) => u);
    interface Planned {
      at: number;
      from: User;
      root?: number;
      index: number;
    }
    const plan: Planned[] = [];
    const rootTimes = timeline(32, start, now - 2 * HOUR_MS);
    rootTimes.forEach((at, index) => {
      plan.push({ at, from: pick(people), index });
      const replies = Math.floor(rng() * 7);
      let r = at;
      for (let i = 0; i < replies; i++) {
        r += MINUTE + Math.floor(rng() * 90 * MINUTE);
        if (r < now - 10 * MINUTE) plan.push({ at: r, from: pick(people), root: index, index: -1 });
      }
    });
    plan.sort((a, b) => a.at - b.at);
    const roots = new Map<number, StoredMessage>();
    for (const p of plan) {
      if (p.root === undefined) {
        const subject = pick(ROOT_SUBJECTS);
        const d = draft([], undefined);
        if (subject) d.properties.subject = subject;
        roots.set(p.index, put(t, p.from, p.at, d));
      } else {
        const root = roots.get(p.root)!;
        const others = people.filter((u) => u.mri !== p.from.mri);
        put(t, p.from, p.at, draft(others, chance(0.2) ? root : undefined), { rootId: root.id });
      }
    }
    decorate(t, people);
    readNearEnd(t, people, [0, 3, 0, 8, 1]);
  }

  // ── Untitled group: Dana, Evan, Frank; Alice added later ─────────────────────────────────────
  {
    const created = start + 4 * DAY;
    const t = thread(DEMO_CHAT_IDS.untitledGroup, "group", dana, created, [
      [dana, "Admin"],
      [evan, "User"],
      [frank, "User"],
    ]);
    state.addActivity(t, "AddMember", dana.mri, created, [evan.mri, frank.mri]);
    const aliceJoins = start + 18 * DAY;
    converse(
      t,
      [
        { user: dana, from: 0 },
        { user: evan, from: 0 },
        { user: frank, from: 0 },
      ],
      70,
      created + MINUTE,
      aliceJoins - HOUR_MS,
    );
    t.members.set(alice.mri, { mri: alice.mri, role: "User", joinedAt: aliceJoins, viewVersion: 0 });
    t.lastJoinAt = aliceJoins;
    state.addActivity(t, "AddMember", dana.mri, aliceJoins, [alice.mri]);
    converse(
      t,
      [
        { user: dana, from: 0 },
        { user: evan, from: 0 },
        { user: frank, from: 0 },
        { user: alice, from: aliceJoins },
      ],
      55,
      aliceJoins + MINUTE,
      now - 26 * HOUR_MS,
    );
    decorate(t, [dana, evan, frank, alice]);
    readNearEnd(t, [dana, evan, frank, alice], [0, 2, 12, 5]);
  }

  // ── More 1:1s ─────────────────────────────────────────────────────────────────────────────────
  const oneOnOne = (a: User, b: User, count: number, end: number, unread: [number, number]): void => {
    const id = oneOnOneThreadId(a.mri, b.mri);
    const t = thread(id, "oneOnOne", a, start + Math.floor(rng() * 5 * DAY), [
      [a, "Admin"],
      [b, "Admin"],
    ]);
    converse(
      t,
      [
        { user: a, from: 0 },
        { user: b, from: 0 },
      ],
      count,
      t.createdAt + MINUTE,
      end,
    );
    decorate(t, [a, b]);
    readNearEnd(t, [a, b], unread);
  };
  oneOnOne(alice, dana, 42, now - 2 * DAY, [0, 0]);
  oneOnOne(alice, evan, 31, now - 50 * MINUTE, [2, 0]);
  oneOnOne(bob, dana, 26, now - 5 * DAY, [0, 1]);

  // ── Grace (consumer): a Teams free 1:1 with Alice ────────────────────────────────────────────
  {
    const t = thread(
      DEMO_CHAT_IDS.graceAlice,
      "oneOnOne",
      grace,
      start + 9 * DAY,
      [
        [grace, "Admin"],
        [alice, "Admin"],
      ],
      { productThreadType: "OneOnOne" },
    );
    t.tenantId = CONSUMER_TENANT_ID;
    converse(
      t,
      [
        { user: grace, from: 0 },
        { user: alice, from: 0 },
      ],
      14,
      t.createdAt + MINUTE,
      now - 7 * HOUR_MS,
    );
    decorate(t, [grace, alice]);
    readNearEnd(t, [grace, alice], [0, 1]);
  }

  // ── 48:notes ──────────────────────────────────────────────────────────────────────────────────
  const notes = (u: User, lines: readonly string[]): void => {
    const t = state.notesOf(u.mri, start - 10 * DAY);
    timeline(lines.length, start, now - DAY).forEach((at, i) => {
      const text = lines[i]!;
      put(t, u, at, { html: `<p>${escapeHtml(text)}</p>`, text, properties: {} });
    });
    readNearEnd(t, [u], [0]);
  };
  notes(alice, [
    "Ideas for the Falcon launch post",
    "Ask Bob about the staging credentials rotation",
    "Book flights for the offsite",
    "Draft OKRs for next quarter",
    "Follow up with Carol on the contract",
    "Buy a birthday card for Dana",
  ]);
  notes(bob, ["Refactor the retry helper", "Check cache hit ratio after deploy", "1:1 agenda: career growth"]);
  notes(grace, [
    "Grocery list: eggs, oat milk, basil",
    "Call mom on Sunday",
    "Trip ideas: Porto, Madeira",
    "Book club: ch. 7",
  ]);

  // Every thread's version is its newest change.
  for (const t of [...state.threads.values(), ...[alice, bob, grace].map((u) => state.notesOf(u.mri))]) {
    t.version = Math.max(t.createdAt, ...t.messages.map((m) => m.version));
  }

  function read(t: StoredThread, u: User, id: number, at: number, clientmessageid: string): void {
    const member = t.members.get(u.mri);
    if (member) member.horizon = `${id};${at};${clientmessageid}`;
  }

  /** Sets each member's horizon `unread[i]` messages before the end (0 = read everything). */
  function readNearEnd(t: StoredThread, users: readonly User[], unread: readonly number[]): void {
    users.forEach((u, i) => {
      const m = t.messages[t.messages.length - 1 - (unread[i] ?? 0)];
      if (m) read(t, u, m.id, m.id + 5_000 + Math.floor(rng() * MINUTE), m.clientmessageid);
    });
  }
}

/** The demo tenant (for callers that seed threads of their own). */
export const DEMO_TENANT_ID = CONTOSO.id;
