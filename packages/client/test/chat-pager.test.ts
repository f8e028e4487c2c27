/**
 * The chat resources' shape: `client.chat.messages.list(id)` is an async-iterable pager that fetches
 * a page only when the loop asks for it, `getMessages({count})` sits on top of it, and a send's
 * delivery is decided once, in the transport — the send module only reads the outcome.
 */
import * as assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { Emulator } from "@teams-api/emulator";
import type { ApiResponse, Message, TeamsClient } from "../src/index.js";
import { sentMessage } from "../src/services/chat/send.js";
import { emulator } from "./auth-helpers.js";
import { addFault, clearFaults, MRI, recordingFetch, signedIn } from "./chat-fixtures.js";

describe("chat resources: the pager and the send outcome", { timeout: 120_000 }, () => {
  let emu: Emulator;
  let alice: TeamsClient;
  let chat: string;
  const rec = recordingFetch();
  const pageRequests = (): number => rec.matching("GET", /\/conversations\/[^/]+\/messages$/).length;

  before(async () => {
    emu = await emulator();
    alice = await signedIn(emu, "alice", { fetch: rec.fetch });
    chat = (await alice.chat.createChat([MRI.bob], { topic: "Pager" })).id;
    for (let i = 1; i <= 7; i++) await alice.sendMessage(chat, `m${i}`);
  });
  beforeEach(async () => {
    await clearFaults(emu);
    rec.sent.length = 0;
  });
  after(async () => {
    await emu.close();
  });

  it("iterates the whole history newest first, one request per page", async () => {
    const texts: string[] = [];
    let total = 0;
    for await (const m of alice.chat.messages.list(chat, { pageSize: 2 })) {
      total++;
      if (!m.isSystem) texts.push(m.text);
    }
    assert.deepEqual(texts, ["m7", "m6", "m5", "m4", "m3", "m2", "m1"]);
    // A full last page may link to one more, empty page.
    assert.ok([Math.ceil(total / 2), Math.ceil(total / 2) + 1].includes(pageRequests()), `${pageRequests()} pages`);
    const all = await alice.getMessages(chat, { count: Number.POSITIVE_INFINITY, pageSize: 2 });
    assert.deepEqual(
      all.filter((m) => !m.isSystem).map((m) => m.text),
      texts,
    );
  });

  it("stops fetching when the loop stops: three messages from pages of two cost two requests", async () => {
    const seen: Message[] = [];
    for await (const m of alice.chat.messages.list(chat, { pageSize: 2 })) {
      seen.push(m);
      if (seen.length === 3) break;
    }
    assert.deepEqual(
      seen.map((m) => m.text),
      ["m7", "m6", "m5"],
    );
    assert.equal(pageRequests(), 2);
  });

  it("getMessages({count}) reads only the pages it needs", async () => {
    const five = await alice.getMessages(chat, { count: 5, pageSize: 2 });
    assert.deepEqual(
      five.map((m) => m.text),
      ["m7", "m6", "m5", "m4", "m3"],
    );
    assert.equal(pageRequests(), 3);
  });

  it("a send whose only attempt stored the message but answered 503 is checked once, by the transport", async () => {
    await addFault(emu, { status: 503, count: 1, method: "POST", path: "/messages$", phase: "after" });
    const sent = await alice.sendMessage(chat, "landed anyway", { maxRetries: 0 });
    assert.equal(rec.matching("POST", /\/messages$/).length, 1);
    assert.equal(pageRequests(), 1, "one delivery check, not a second one in the service");
    const [newest] = await alice.getMessages(chat, { count: 1 });
    assert.equal(newest?.id, sent.id);
    assert.equal(newest?.text, "landed anyway");
  });

  it("a send that failed for good and did not land is reported after one check", async () => {
    await addFault(emu, { status: 503, count: 1, method: "POST", path: "/messages$" });
    await assert.rejects(alice.sendMessage(chat, "never", { maxRetries: 0 }), { name: "ServerError" });
    assert.equal(pageRequests(), 1);
  });
});

describe("send outcome", { timeout: 10_000 }, () => {
  const response = (over: Partial<ApiResponse<unknown>>): ApiResponse<unknown> => ({
    status: 201,
    headers: new Headers(),
    body: undefined,
    requestId: undefined,
    ...over,
  });

  it("takes the id from OriginalArrivalTime, else the Location header, else refuses", () => {
    const byBody = sentMessage(response({ body: { OriginalArrivalTime: 1_700_000_000_123 } }), "19:a@thread.v2", "42");
    assert.equal(byBody.id, "1700000000123");
    assert.equal(byBody.arrivalTime.getTime(), 1_700_000_000_123);
    const byLocation = sentMessage(
      response({ headers: new Headers({ location: "https://x/v1/users/ME/conversations/c/messages/1700000000999" }) }),
      "19:a@thread.v2",
      "42",
    );
    assert.equal(byLocation.id, "1700000000999");
    assert.throws(() => sentMessage(response({ body: { id: "42" } }), "19:a@thread.v2", "42"), {
      name: "ProtocolError",
    });
  });

  it("takes the id of the echoed message when the transport confirmed delivery by echo", () => {
    const echoed = { id: "1700000000555", arrivedAt: new Date(1_700_000_000_555) };
    const sent = sentMessage(response({ confirmedByEcho: true, confirmation: echoed }), "19:a@thread.v2", "42");
    assert.deepEqual(sent, {
      id: "1700000000555",
      clientMessageId: "42",
      conversationId: "19:a@thread.v2",
      arrivalTime: echoed.arrivedAt,
    });
    assert.throws(() => sentMessage(response({ confirmedByEcho: true, confirmation: true }), "c", "42"), {
      name: "ProtocolError",
    });
  });
});
