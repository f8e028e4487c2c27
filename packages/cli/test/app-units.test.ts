/**
 * The interactive app's pieces without a terminal: column widths, wrapping, the input line's
 * editing and history, the chat log's layout at any width, the menu's filter.
 */
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Message, RealtimeEvent, RealtimeListener } from "teams-api";
import { describeError } from "../src/errors.js";
import { ChatModel } from "../src/interactive/chat/model.js";
import { LogRenderer } from "../src/interactive/chat/render.js";
import { InputLine } from "../src/interactive/input-line.js";
import type { Key } from "../src/interactive/keys.js";
import { composeFrame } from "../src/interactive/layout.js";
import { liveFeed } from "../src/interactive/live.js";
import { displayWidth, padToWidth, truncateToWidth, wrapToWidth } from "../src/interactive/width.js";
import { commandName, hint } from "../src/invocation.js";
import { colors } from "../src/render/colors.js";

const key = (name: string, extra: Partial<Key> = {}): Key => ({
  name,
  ctrl: false,
  meta: false,
  shift: false,
  ...extra,
});
const char = (text: string): Key => ({ name: text, text, ctrl: false, meta: false, shift: false });
const typeInto = (input: InputLine, text: string): void => {
  for (const ch of text) input.handle(char(ch));
};

function message(id: number, from: string, text: string, extra: Partial<Message> = {}): Message {
  return {
    id: String(id),
    conversationId: "19:x@thread.v2",
    version: id,
    messageType: "RichText/Html",
    from: { mri: from, displayName: "" },
    content: text,
    text,
    arrivedAt: new Date(id),
    isDeleted: false,
    isSystem: false,
    reactions: [],
    attachments: [],
    mentions: [],
    raw: {} as Message["raw"],
    ...extra,
  };
}

describe("terminal columns", { timeout: 10_000 }, () => {
  it("counts wide characters and emoji as two columns, combining marks as none", () => {
    assert.equal(displayWidth("abc"), 3);
    assert.equal(displayWidth("中文"), 4);
    assert.equal(displayWidth("🔥"), 2);
    assert.equal(displayWidth("👨‍👩‍👧"), 2);
    assert.equal(displayWidth("e\u0301"), 1);
    assert.equal(displayWidth("\x1b[1mbold\x1b[0m"), 4);
  });
  it("wraps long words, CJK, emoji and right-to-left text within the width", () => {
    const texts = [
      "x".repeat(200),
      "中文".repeat(50),
      "🔥 ".repeat(60),
      "שלום עולם ".repeat(20),
      "a 🔥b中c".repeat(30),
    ];
    for (const width of [1, 7, 13, 60]) {
      for (const t of texts) {
        const lines = wrapToWidth(t, width);
        for (const l of lines) assert.ok(displayWidth(l) <= Math.max(2, width), `${JSON.stringify(l)} > ${width}`);
        assert.equal(lines.join("").replace(/\s/g, ""), t.replace(/\s/g, ""));
      }
    }
  });
  it("truncates and pads to exact widths", () => {
    assert.equal(truncateToWidth("中文中文", 5), "中文…");
    assert.equal(displayWidth(padToWidth("🔥x", 6)), 6);
  });
});

describe("input line", { timeout: 10_000 }, () => {
  it("edits, submits, and brings lines back with ↑", () => {
    const input = new InputLine();
    typeInto(input, "helo");
    input.handle(key("left"));
    input.handle(char("l"));
    assert.equal(input.text, "hello");
    assert.deepEqual(input.handle(key("return")), { kind: "submit", text: "hello" });
    assert.equal(input.text, "");
    typeInto(input, "draft");
    input.handle(key("up"));
    assert.equal(input.text, "hello");
    input.handle(key("down"));
    assert.equal(input.text, "draft", "the draft comes back below the history");
  });
  it("Alt+Enter and pasted newlines make multi-line messages; ↑ moves between lines first", () => {
    const input = new InputLine();
    typeInto(input, "one");
    input.handle(key("return", { meta: true }));
    typeInto(input, "two");
    input.handle(key("enter", { pasted: true }));
    typeInto(input, "three");
    assert.equal(input.text, "one\ntwo\nthree");
    input.handle(key("up"));
    input.handle(char("X"));
    assert.equal(input.text, "one\ntwoX\nthree");
    const r = input.render(10, "> ");
    assert.deepEqual(r.lines, ["> one", "  twoX", "  three"]);
    assert.deepEqual([r.row, r.col], [1, 6]);
  });
  it("remembers a cleared line; Ctrl+W and Ctrl+U delete words and lines", () => {
    const input = new InputLine();
    typeInto(input, "keep this text");
    input.remember(input.text);
    input.clear();
    input.handle(key("up"));
    assert.equal(input.text, "keep this text");
    input.handle(key("w", { ctrl: true }));
    assert.equal(input.text, "keep this ");
    input.handle(key("u", { ctrl: true }));
    assert.equal(input.text, "");
  });
  it("wraps wide text so no rendered line is wider than the width, cursor inside", () => {
    const input = new InputLine();
    typeInto(input, "中文🔥abc".repeat(20));
    for (const width of [8, 20, 61]) {
      const r = input.render(width, "> ");
      for (const l of r.lines) assert.ok(displayWidth(l) <= width, `${l} wider than ${width}`);
      assert.ok(r.col <= width && r.row === r.lines.length - 1);
    }
  });
  it("Tab asks the completer", () => {
    const input = new InputLine();
    input.completer = (t) => (t === "/file RE" ? "/file README.md" : undefined);
    typeInto(input, "/file RE");
    input.handle(key("tab"));
    assert.equal(input.text, "/file README.md");
  });
});

describe("chat log", { timeout: 10_000 }, () => {
  const me = "8:orgid:me";
  const bob = "8:orgid:bob";
  const names = (mri: string): string => (mri === bob ? "Bob Example" : "Unknown user");
  const c = colors(false);

  it("numbers, times, names, You, day separators, reactions, edits, deletions, pending sends", () => {
    const model = new ChatModel();
    const day = Date.UTC(2026, 10, 20, 12);
    model.upsert([
      message(day, bob, "hi there"),
      message(day + 86_400_000, me, "hello", { editedAt: new Date(day + 86_400_000) }),
      message(day + 86_400_001, bob, "> You: hello\nreply text", {
        reactions: [{ key: "like", count: 2, users: [bob, me].map((mri) => ({ mri, displayName: "" })) }],
      }),
      message(day + 86_400_002, bob, "gone", { isDeleted: true }),
    ]);
    model.pending.push({ clientMessageId: "1", text: "on its way", state: "sending", at: new Date() });
    model.pending.push({ clientMessageId: "2", text: "lost", state: "failed", reason: "Offline.", at: new Date() });
    const { lines, reachedTop } = new LogRenderer().tail(
      model,
      { width: 80, colors: c, nameOf: names, selfMri: me },
      100,
    );
    const text = lines.join("\n");
    assert.ok(reachedTop);
    assert.equal(lines.filter((l) => l.startsWith("──")).length, 2, "one separator per day");
    assert.match(text, /1 \d\d:\d\d {2}Bob Example +hi there/);
    assert.match(text, /2 \d\d:\d\d {2}You +hello/);
    assert.match(text, /\(edited\)/);
    assert.match(text, /│ You: hello/);
    assert.match(text, /👍 2 \(Bob Example, You\)/);
    assert.match(text, /\(message deleted\)/);
    assert.match(text, /on its way\n\s+sending…/);
    assert.match(text, /✗ not sent: Offline\. — \/retry/);
    assert.doesNotMatch(text, /8:orgid/);
  });

  it("fits every width from 60 to 200 columns, wide text and reaction lines wrapped", () => {
    const model = new ChatModel();
    const users = Array.from({ length: 12 }, (_, i) => `8:orgid:u${i}`);
    model.upsert([
      message(1, bob, `${"long".repeat(80)} 中文🔥 שלום`),
      message(2, me, "x", {
        reactions: [
          { key: "heart", count: 12, users: users.map((mri) => ({ mri, displayName: "" })) },
          { key: "1f525_fire", count: 1, users: [{ mri: me, displayName: "" }] },
        ],
      }),
    ]);
    for (const width of [60, 61, 97, 200]) {
      const { lines } = new LogRenderer().tail(model, { width, colors: c, nameOf: names, selfMri: me }, 100);
      for (const l of lines) assert.ok(displayWidth(l) <= width, `${width}: ${l}`);
    }
  });

  it("a message settles the send with the same clientmessageid; edits replace in place", () => {
    const model = new ChatModel();
    model.pending.push({ clientMessageId: "42", text: "hi", state: "sent", at: new Date() });
    assert.equal(model.upsert([message(5, me, "hi", { clientMessageId: "42" })]), 1);
    assert.equal(model.pending.length, 0);
    assert.equal(model.upsert([message(5, me, "hi!", { version: 9 })]), 0);
    assert.equal(model.messages[0]?.text, "hi!");
    assert.equal(model.prepend([message(3, bob, "older"), message(5, me, "dup")]), 1);
    assert.deepEqual(
      model.messages.map((m) => m.id),
      ["3", "5"],
    );
  });
});

describe("frame", { timeout: 10_000 }, () => {
  it("is exactly the terminal's size, every row within the width", () => {
    for (const [width, height] of [
      [60, 20],
      [200, 50],
    ] as const) {
      const lines = composeFrame(
        {
          width,
          height,
          who: "Alice Example",
          crumbs: ["Chat", "中文 Bob 🔥".repeat(20)],
          body: ["x".repeat(500)],
          status: "s".repeat(300),
          hint: "h".repeat(300),
        },
        colors(true),
      );
      assert.equal(lines.length, height);
      for (const l of lines) assert.ok(displayWidth(l) <= width);
    }
  });
});

describe("hints name the program as it was started", { timeout: 10_000 }, () => {
  it("npx teams through npm or a path; teams from the PATH", () => {
    assert.equal(commandName({ npm_command: "exec" }, "/repo/node_modules/.bin/teams"), "npx teams");
    assert.equal(commandName({ npm_lifecycle_event: "demo" }, "/repo/packages/cli/src/demo.ts"), "npx teams");
    assert.equal(commandName({}, "/repo/node_modules/.bin/teams"), "teams");
    assert.equal(commandName({}, "/repo/packages/cli/src/bin.ts"), "npx teams");
    assert.equal(commandName({}, undefined), "npx teams");
  });

  it("rewrites every `teams …` hint, ours and the library's, and leaves other text alone", () => {
    const text = "Your saved session has expired; sign in again with `teams login`. See `teams`, not teams-api.";
    assert.equal(
      hint(text, "npx teams"),
      "Your saved session has expired; sign in again with `npx teams login`. See `npx teams`, not teams-api.",
    );
    assert.equal(hint(text, "teams"), text);
    assert.match(describeError(new Error("Run `teams chats` first.")), /`npx teams chats`/);
  });
});

describe("live feeds: push when connected, else polling with the reason", { timeout: 10_000 }, () => {
  it("without push it polls and says why; the reason follows the failure", async () => {
    let polled!: () => void;
    const polledOnce = new Promise<void>((resolve) => {
      polled = resolve;
    });
    let changed = 0;
    const push = { ready: Promise.resolve(undefined), failed: "push failed: no route" };
    const feed = liveFeed(
      { push },
      { intervalMs: 5, onEvent: () => assert.fail("no push"), poll: async () => polled(), changed: () => changed++ },
    );
    try {
      assert.equal(feed.mode, "polling");
      assert.equal(feed.reason, "push failed: no route");
      await polledOnce;
      await push.ready;
      assert.equal(changed, 1, "the status line is redrawn once push is known to be unavailable");
    } finally {
      feed.stop();
    }
  });

  it("switches from polling to push when it connects, and catches up once", async () => {
    const subscribers: Array<(e: RealtimeEvent) => void> = [];
    const listener = {
      subscribe(fn: (e: RealtimeEvent) => void) {
        subscribers.push(fn);
        return () => subscribers.splice(subscribers.indexOf(fn), 1);
      },
    } as unknown as RealtimeListener;
    let connect!: (l: RealtimeListener) => void;
    const ready = new Promise<RealtimeListener | undefined>((resolve) => {
      connect = resolve;
    });
    const seen: string[] = [];
    let resynced = 0;
    const feed = liveFeed(
      { push: { ready } },
      {
        intervalMs: 60_000,
        onEvent: (e) => seen.push(e.type),
        poll: async () => assert.fail("no poll before the interval"),
        resync: () => resynced++,
      },
    );
    assert.equal(feed.mode, "polling");
    assert.equal(feed.reason, "connecting to push…");
    connect(listener);
    await ready;
    await Promise.resolve();
    assert.equal(feed.mode, "push");
    assert.equal(resynced, 1);
    subscribers[0]?.({ type: "conversation", conversationId: "19:x@thread.v2" });
    assert.deepEqual(seen, ["conversation"]);
    feed.stop();
    assert.equal(subscribers.length, 0, "stop unsubscribes");
  });
});
