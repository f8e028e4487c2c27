import {
  CONSUMER_TENANT_ID,
  emojiSpan,
  escapeHtml,
  mentionSpan,
  mentionsProperty,
  oneOnOneThreadId,
} from "@teams-api/protocol";
import type { ChatState } from "./chat.js";
import type { MemberRole, StoredMessage, StoredThread } from "./chat-model.js";
import { CONTOSO, type User } from "./directory.js";
import { ROOT_SUBJECTS } from "./seed-corpus.js";
import { DAY, HOUR_MS, MINUTE, prng, seedWriter } from "./seed-writer.js";

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

/** Seeds the demo chats into an empty state: the world, written with the seed writer from the corpus. */
export function seedDemoChats(state: ChatState): void {
  const { now, rng, pick, chance, draft, timeline, put, decorate, converse, thread } = seedWriter(state, prng(0x7ea45));
  const user = (first: string): User => {
    const u = state.directory.users.find((x) => x.givenName === first);
    if (!u) throw new Error(`demo user ${first} missing from the directory`);
    return u;
  };
  const [alice, bob, carol, dana, evan, frank, grace] = ["Alice", "Bob", "Carol", "Dana", "Evan", "Frank", "Grace"].map(
    user,
  ) as [User, User, User, User, User, User, User];

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
