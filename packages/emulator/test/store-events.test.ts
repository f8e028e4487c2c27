import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseTrouterEvent, type TrouterEventType } from "@teams-api/protocol";
import { ChatState } from "../src/state/chat.js";
import { Directory } from "../src/state/directory.js";
import { type ChatStoreEvent, StoreEventBus } from "../src/state/events.js";
import { seedDemoChats } from "../src/state/seed.js";
import { ALICE, BOB, CAROL, FALCON } from "./chat-helpers.js";

/** The store event bus: every chat change raised once, in the store, typed as the client will read it. */

function world() {
  let clock = 1_800_000_000_000;
  const directory = new Directory();
  const errors: string[] = [];
  const events = new StoreEventBus({ onError: (topic) => errors.push(topic) });
  const state = new ChatState({
    directory,
    now: () => (clock += 10),
    base: "https://chat.example",
    variants: { emotionsEncoding: "array" },
    events,
  });
  seedDemoChats(state);
  const seen: ChatStoreEvent[] = [];
  events.on("chat", (e) => seen.push(e));
  return { state, events, seen, errors, user: (mri: string) => directory.byMri(mri)! };
}

const kinds = (seen: readonly ChatStoreEvent[]): TrouterEventType[] =>
  seen.map((e) => parseTrouterEvent("/v4/f/x/messaging", JSON.stringify(e.event)).type);

describe("store event bus", { timeout: 30_000 }, () => {
  it("every chat change raises exactly one typed event per recipient set, on the shared bus", () => {
    const w = world();
    const html = { messagetype: "RichText/Html", contenttype: "text" };
    const { message } = w.state.post(w.user(ALICE), FALCON, { ...html, content: "<p>hi</p>" });
    w.state.post(w.user(BOB), FALCON, { messagetype: "Control/Typing", content: "" });
    w.state.edit(ALICE, FALCON, String(message.id), { content: "<p>hi!</p>" });
    w.state.react(BOB, FALCON, String(message.id), "like", 1);
    w.state.setReadState(CAROL, FALCON, "consumptionhorizon", `${message.id};${message.id};0`);
    w.state.delete(ALICE, FALCON, String(message.id));
    w.state.setThreadProperty(ALICE, FALCON, "topic", "Falcon 2");
    assert.deepEqual(kinds(w.seen), ["message", "typing", "edit", "reaction", "read", "delete", "thread", "message"]);
    // the read horizon is the reader's own; everything else goes to every member
    assert.deepEqual(w.seen[4]!.to, [CAROL]);
    assert.ok(w.seen[0]!.to.includes(BOB) && w.seen[0]!.to.includes(ALICE));
    const ids = w.seen.map((e) => e.event.id);
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
    );
    assert.equal(new Set(ids).size, ids.length);
  });

  it("a throwing listener is reported and never breaks the change; no listeners, no work", () => {
    const w = world();
    const off = w.events.on("chat", () => {
      throw new Error("bug");
    });
    w.state.post(w.user(ALICE), FALCON, { messagetype: "Text", content: "x" });
    assert.deepEqual(w.errors, ["chat"]);
    assert.equal(w.seen.length, 1);
    off();
    const presence: unknown[] = [];
    w.events.on("presence", (p) => presence.push(p.mri));
    w.events.emit("presence", { mri: BOB, item: { mri: BOB } });
    assert.deepEqual(presence, [BOB]);
    w.events.clear();
    assert.equal(w.events.has("chat"), false);
  });
});
