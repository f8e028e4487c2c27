/**
 * The send path's decisions, fast and without a server (the mutation run's tests for it): what a
 * delivery check concludes, when an answer settles a send, how a send's outcome is read, how the
 * echo is found page by page, and that a send with a caller-chosen clientmessageid looks first.
 * delivery.test.ts proves the same end to end against the emulator under faults.
 */
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CHAT_PATHS } from "@teams-api/protocol";
import { ABSENT, confirm, mayStillProcess, settle, UNKNOWN, unknownDelivery } from "../src/http/delivery.js";
import type { ApiRequest, ApiResponse } from "../src/http/types.js";
import { AbortError, DeliveryUnknownError, NotFoundError, ProtocolError, TeamsError } from "../src/index.js";
import type { ChatCore } from "../src/services/chat/core.js";
import { deliver, findSent, type RecentPages, type SendBody, sentMessage } from "../src/services/chat/send.js";

const CHAT = "19:abc@thread.v2";
const wireMessage = (id: string, cmid: string) => ({
  id,
  clientmessageid: cmid,
  type: "Message",
  messagetype: "Text",
  content: "hi",
  from: "8:orgid:00000000-0000-0000-0000-000000000001",
  originalarrivaltime: new Date(Number(id)).toISOString(),
  conversationLink: `https://x/v1/users/ME/conversations/${CHAT}`,
});

describe("delivery rule", () => {
  it("a check's answer: evidence, absent, or unknown; an abort is an abort", async () => {
    assert.deepEqual(await confirm(async () => ({ id: "1" }), undefined), { evidence: { id: "1" } });
    assert.deepEqual(await confirm(async () => true, undefined), { evidence: true });
    for (const nothing of [undefined, false, null]) {
      assert.equal(await confirm(async () => nothing, undefined), ABSENT, String(nothing));
    }
    assert.equal(
      await confirm(async () => {
        throw new Error("read failed");
      }, undefined),
      UNKNOWN,
    );
    const controller = new AbortController();
    controller.abort(new Error("user"));
    await assert.rejects(
      confirm(async () => {
        throw new Error("aborted read");
      }, controller.signal),
      (err: Error) => err instanceof AbortError && err.cause === controller.signal.reason,
    );
    // A signal that did not abort does not turn a failed check into an abort.
    assert.equal(
      await confirm(async () => {
        throw new Error("x");
      }, new AbortController().signal),
      UNKNOWN,
    );
  });

  it("only a gateway's failure means the service may still be working", () => {
    assert.equal(mayStillProcess(502), true);
    assert.equal(mayStillProcess(504), true);
    for (const s of [500, 501, 503, 505, 408, 429]) assert.equal(mayStillProcess(s), false, String(s));
  });

  it("settles a server failure: found, not found, unknown, gateway", async () => {
    const answer = (status: number) => new Response("{}", { status });
    assert.deepEqual(await settle(async () => "echo", undefined, answer(503), "POST x"), { evidence: "echo" });
    assert.equal(await settle(async () => undefined, undefined, answer(503), "POST x"), undefined);
    assert.equal(await settle(async () => undefined, undefined, answer(500), "POST x"), undefined);
    for (const [check, status] of [
      [
        async () => {
          throw new Error("no");
        },
        503,
      ],
      [async () => undefined, 502],
      [async () => undefined, 504],
    ] as const) {
      await assert.rejects(settle(check, undefined, answer(status), "POST /m"), (err: Error) => {
        assert.ok(err instanceof DeliveryUnknownError, String(status));
        assert.equal(err.code, "delivery_unknown");
        assert.match(err.message, new RegExp(`^POST /m may have been processed: HTTP ${status}, and no check`));
        assert.ok(
          err.cause instanceof TeamsError && err.cause.code === "server_error",
          "the cause is the server error",
        );
        return true;
      });
    }
    // A gateway answer whose check finds the message is delivered all the same.
    assert.deepEqual(await settle(async () => 1, undefined, answer(504), "POST x"), { evidence: 1 });
  });

  it("an unknown outcome says what happened and keeps its cause", () => {
    const cause = new TeamsError("timeout", "no answer within 30 ms.");
    const err = unknownDelivery("POST /messages", cause);
    assert.equal(
      err.message,
      "POST /messages may have been processed: no answer within 30 ms, and no check could confirm it either way.",
    );
    assert.equal(err.cause, cause);
    assert.equal(err.name, "DeliveryUnknownError");
    // Only a closing full stop goes.
    const dotted = unknownDelivery("POST /m", new TeamsError("timeout", "no answer in 0.5 s."));
    assert.match(dotted.message, /: no answer in 0\.5 s, and no check/);
    assert.equal(err.clientMessageId, undefined);
  });
});

describe("send outcome", () => {
  const res = (over: Partial<ApiResponse<unknown>>): ApiResponse<unknown> => ({
    status: 201,
    headers: new Headers(),
    body: undefined,
    requestId: undefined,
    ...over,
  });

  it("reads the id from OriginalArrivalTime, else the Location header, else refuses", () => {
    const a = sentMessage(res({ body: { OriginalArrivalTime: 1_700_000_000_123 } }), CHAT, "c1");
    assert.deepEqual(a, {
      id: "1700000000123",
      clientMessageId: "c1",
      conversationId: CHAT,
      arrivalTime: new Date(1_700_000_000_123),
    });
    const b = sentMessage(
      res({ body: { id: "c1" }, headers: new Headers({ location: `https://x/messages/1700000000456?x=1` }) }),
      CHAT,
      "c1",
    );
    assert.equal(b.id, "1700000000456");
    assert.equal(b.arrivalTime.getTime(), 1_700_000_000_456);
    const c = sentMessage(res({ headers: new Headers({ location: `https://x/messages/1700000000789` }) }), CHAT, "c1");
    assert.equal(c.id, "1700000000789");
    const hash = sentMessage(
      res({ headers: new Headers({ location: "https://x/messages/1700000000111#f" }) }),
      CHAT,
      "c",
    );
    assert.equal(hash.id, "1700000000111");
    // A string-typed arrival time counts; a body that is not an object is no answer.
    assert.equal(sentMessage(res({ body: { OriginalArrivalTime: "1700000000222" } }), CHAT, "c1").id, "1700000000222");
    assert.throws(() => sentMessage(res({ body: "1700000000333" }), CHAT, "c1"), ProtocolError);
    assert.throws(
      () => sentMessage(res({ headers: new Headers({ location: "https://x/messages/17x" }) }), CHAT, "c1"),
      ProtocolError,
    );
    assert.throws(
      () => sentMessage(res({ headers: new Headers({ location: "https://x/messages/abc" }) }), CHAT, "c1"),
      ProtocolError,
    );
    assert.throws(() => sentMessage(res({ body: null }), CHAT, "c1"), /accepted the message but did not say its id/);
  });

  it("reads a confirmed echo, and refuses a confirmation without a message", () => {
    const echoed = { id: "1700000000001", arrivedAt: new Date(1_700_000_000_001) };
    const ok = sentMessage(res({ confirmedByEcho: true, confirmation: echoed }), CHAT, "c2");
    assert.deepEqual(ok, {
      id: "1700000000001",
      clientMessageId: "c2",
      conversationId: CHAT,
      arrivalTime: echoed.arrivedAt,
    });
    assert.throws(() => sentMessage(res({ confirmedByEcho: true, confirmation: true }), CHAT, "c2"), ProtocolError);
    assert.throws(
      () => sentMessage(res({ confirmedByEcho: true }), CHAT, "c2"),
      /confirmed but its message was not found/,
    );
  });
});

/** Pages of raw messages, recording what each read asked for. */
function pagesOf(pages: unknown[][], calls: Array<{ startTime: number; pageSize: number }> = []): RecentPages {
  return async function* (_id, options) {
    calls.push({ startTime: options.startTime, pageSize: options.pageSize });
    for (const p of pages) yield p;
  };
}

describe("finding a send's echo", () => {
  it("finds it on a later page, reads from `since`, and stops at the page budget", async () => {
    const calls: Array<{ startTime: number; pageSize: number }> = [];
    const found = await findSent(
      pagesOf([[wireMessage("1700000000001", "a"), null], [wireMessage("1700000000002", "target")]], calls),
      CHAT,
      "target",
      5000,
      {},
    );
    assert.equal(found?.id, "1700000000002");
    assert.deepEqual(calls, [{ startTime: 5000, pageSize: 200 }]);
    await findSent(pagesOf([[]], calls), CHAT, "x", -10, {});
    assert.equal(calls[1]!.startTime, 1, "never before the start of time");
    // Numbers compare as their strings.
    assert.equal(
      (await findSent(pagesOf([[{ ...wireMessage("1700000000003", "x"), clientmessageid: 42 }]]), CHAT, "42", 1, {}))
        ?.id,
      "1700000000003",
    );
    // 25 full pages without it: not delivered, and page 26 is never read.
    const full = Array.from({ length: 200 }, (_, i) => wireMessage(String(1_700_000_000_000 + i), `o${i}`));
    let read = 0;
    const many: RecentPages = async function* () {
      for (let p = 0; p < 30; p++) {
        read++;
        yield p === 27 ? [wireMessage("1700000009999", "late")] : full;
      }
    };
    assert.equal(await findSent(many, CHAT, "late", 1, {}), undefined);
    assert.equal(read, 25);
  });

  it("a chat that does not exist yet means not delivered; other failures propagate", async () => {
    const missing: RecentPages = async function* () {
      yield [];
      throw new NotFoundError("not_found", "no such chat", { status: 404 });
    };
    assert.equal(await findSent(missing, CHAT, "x", 1, {}), undefined);
    const broken: RecentPages = async function* () {
      yield [];
      throw new TeamsError("server_error", "boom");
    };
    await assert.rejects(findSent(broken, CHAT, "x", 1, {}), /boom/);
  });
});

describe("deliver", () => {
  const body: SendBody = { content: "hi", messagetype: "Text", contenttype: "text", clientmessageid: "cm-1" };
  /** A ChatCore whose transport is `answer`. */
  const coreWith = (answer: (req: Omit<ApiRequest, "auth">) => Promise<ApiResponse<unknown>>) => {
    const requests: Array<Omit<ApiRequest, "auth">> = [];
    const urls: Array<{ path: unknown; params: unknown }> = [];
    const core = {
      ctx: { now: () => 200_000_000 },
      url: async (path: unknown, params: unknown) => {
        urls.push({ path, params });
        return "https://chat/v1/users/ME/conversations/x/messages";
      },
      request: async (req: Omit<ApiRequest, "auth">) => {
        requests.push(req);
        return answer(req);
      },
    } as unknown as ChatCore;
    return { core, requests, urls };
  };
  const created = (): ApiResponse<unknown> => ({
    status: 201,
    headers: new Headers(),
    body: { OriginalArrivalTime: 1_700_000_000_500 },
    requestId: undefined,
  });

  it("posts once, non-idempotent, with a check that looks from five minutes back", async () => {
    const calls: Array<{ startTime: number; pageSize: number }> = [];
    const { core, requests, urls } = coreWith(async () => created());
    const sent = await deliver(core, pagesOf([[wireMessage("1700000000500", "cm-1")]], calls), CHAT, body, {});
    assert.deepEqual(urls, [{ path: CHAT_PATHS.messages, params: { conversationId: CHAT } }]);
    assert.equal(sent.id, "1700000000500");
    assert.equal(requests.length, 1);
    assert.equal(requests[0]!.method, "POST");
    assert.equal(requests[0]!.idempotent, false);
    assert.equal(requests[0]!.body, body);
    assert.equal(calls.length, 0, "no read before posting a fresh send");
    const evidence = (await requests[0]!.confirmDelivered!()) as { id: string };
    assert.equal(evidence.id, "1700000000500");
    assert.equal(calls[0]!.startTime, 200_000_000 - 5 * 60_000);
  });

  it("rechecks first when asked: found means no POST; unknown when the look fails; absent means post", async () => {
    const calls: Array<{ startTime: number; pageSize: number }> = [];
    const { core, requests } = coreWith(async () => created());
    const found = await deliver(core, pagesOf([[wireMessage("1700000000400", "cm-1")]], calls), CHAT, body, {
      recheck: true,
    });
    assert.deepEqual(found, {
      id: "1700000000400",
      clientMessageId: "cm-1",
      conversationId: CHAT,
      arrivalTime: new Date(1_700_000_000_400),
    });
    assert.equal(requests.length, 0, "already there: not posted again");
    assert.equal(calls[0]!.startTime, 200_000_000 - 24 * 60 * 60_000);

    const failing: RecentPages = async function* () {
      yield [];
      throw new TeamsError("server_error", "read failed");
    };
    await assert.rejects(deliver(core, failing, CHAT, body, { recheck: true }), (err: Error) => {
      assert.ok(err instanceof DeliveryUnknownError);
      assert.equal(err.clientMessageId, "cm-1");
      assert.match(err.message, /may have been sent — check before sending again \(its clientmessageid is cm-1\)/);
      return true;
    });
    assert.equal(requests.length, 0);
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      deliver(core, failing, CHAT, body, { recheck: true, signal: controller.signal }),
      (err: Error) => !(err instanceof DeliveryUnknownError),
    );
    const aborting: RecentPages = async function* () {
      yield [];
      throw new AbortError();
    };
    await assert.rejects(deliver(core, aborting, CHAT, body, { recheck: true }), AbortError);

    const absent = await deliver(core, pagesOf([[]]), CHAT, body, { recheck: true });
    assert.equal(absent.id, "1700000000500");
    assert.equal(requests.length, 1);
  });

  it("turns the transport's unknown outcome into one naming the clientmessageid; other errors pass", async () => {
    const cause = new TeamsError("timeout", "late");
    const unknown = coreWith(async () => {
      throw new DeliveryUnknownError("POST x may have been processed", { cause });
    });
    await assert.rejects(deliver(unknown.core, pagesOf([]), CHAT, body, {}), (err: Error) => {
      assert.ok(err instanceof DeliveryUnknownError);
      assert.equal(err.clientMessageId, "cm-1");
      assert.equal(err.cause, cause);
      return true;
    });
    const bare = coreWith(async () => {
      throw new DeliveryUnknownError("no cause");
    });
    await assert.rejects(deliver(bare.core, pagesOf([]), CHAT, body, {}), (err: Error) => {
      assert.ok(err instanceof DeliveryUnknownError && err.cause instanceof DeliveryUnknownError);
      return true;
    });
    const failed = coreWith(async () => {
      throw new TeamsError("server_error", "failed for good");
    });
    await assert.rejects(deliver(failed.core, pagesOf([]), CHAT, body, {}), (err: Error) => {
      assert.ok(!(err instanceof DeliveryUnknownError));
      return true;
    });
  });
});
