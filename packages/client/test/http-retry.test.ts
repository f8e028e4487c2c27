/** Pure parts of the retry policy: full-jitter backoff bounds and Retry-After parsing. */
import * as assert from "node:assert/strict";
import { getEventListeners } from "node:events";
import { describe, it } from "node:test";
import {
  backoffDelay,
  isNotProcessedStatus,
  isRetryableStatus,
  parseRetryAfter,
  retryAfterFromHeaders,
  sleep,
} from "../src/http/retry.js";

describe("backoff", () => {
  it("is full jitter under min(cap, base·2^n)", () => {
    assert.equal(
      backoffDelay(0, () => 0),
      0,
    );
    assert.equal(
      backoffDelay(0, () => 0.999999),
      499,
    );
    assert.equal(
      backoffDelay(1, () => 0.5),
      500,
    );
    assert.equal(
      backoffDelay(3, () => 0.5),
      2000,
    );
    // capped at 30 s however many retries
    assert.equal(
      backoffDelay(10, () => 0.999999),
      29_999,
    );
    assert.equal(
      backoffDelay(1000, () => 0.999999),
      29_999,
    );
    for (let n = 0; n < 12; n++) {
      for (let i = 0; i < 50; i++) {
        const d = backoffDelay(n);
        assert.ok(d >= 0 && d < Math.min(30_000, 500 * 2 ** n), `delay ${d} for attempt ${n}`);
      }
    }
  });

  it("honours custom base and cap", () => {
    assert.equal(
      backoffDelay(2, () => 0.5, { baseMs: 100, capMs: 300 }),
      150,
    );
  });
});

describe("Retry-After", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  it("reads delta-seconds", () => {
    assert.equal(parseRetryAfter("30", now), 30_000);
    assert.equal(parseRetryAfter(" 1 ", now), 1000);
    assert.equal(parseRetryAfter("0", now), 0);
    assert.equal(parseRetryAfter("1.5", now), 1500);
  });
  it("reads HTTP dates, past dates as 0", () => {
    assert.equal(parseRetryAfter("Thu, 01 Jan 2026 00:00:10 GMT", now), 10_000);
    assert.equal(parseRetryAfter("Wed, 31 Dec 2025 23:59:00 GMT", now), 0);
  });
  it("ignores garbage", () => {
    for (const v of [undefined, null, "", "soon", "-5", "12abc", "1e3"])
      assert.equal(parseRetryAfter(v, now), undefined, String(v));
  });
  it("prefers retry-after-ms", () => {
    assert.equal(retryAfterFromHeaders(new Headers({ "retry-after-ms": "250", "retry-after": "9" }), now), 250);
    assert.equal(retryAfterFromHeaders(new Headers({ "retry-after": "2" }), now), 2000);
    assert.equal(retryAfterFromHeaders(new Headers(), now), undefined);
  });
});

describe("retryable statuses", () => {
  it("retries connection-level statuses only", () => {
    for (const s of [408, 429, 500, 502, 503, 504]) assert.equal(isRetryableStatus(s), true, String(s));
    for (const s of [200, 400, 401, 403, 404, 409]) assert.equal(isRetryableStatus(s), false, String(s));
  });
  it("knows which statuses prove the request was not processed", () => {
    assert.equal(isNotProcessedStatus(429), true);
    assert.equal(isNotProcessedStatus(408), true);
    assert.equal(isNotProcessedStatus(503), false);
  });
});

describe("retry policy edges (mutation gaps)", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");

  it("refuses garbage Date.parse would accept, and malformed retry-after-ms", () => {
    for (const v of ["1 2", "12/31", "2026-01-01", " 3 4 ", "1.", ".5"]) {
      assert.equal(parseRetryAfter(v, now), undefined, v);
    }
    // A date in letters, past and future; the result is never negative.
    assert.equal(parseRetryAfter("Thu, 01 Jan 2026 00:01:00 GMT", now), 60_000);
    assert.equal(parseRetryAfter("Sat, 01 Jan 2000 00:00:00 GMT", now), 0);
    assert.equal(parseRetryAfter("Mon, 99 Foo 2026 00:00:00 GMT", now), undefined);
    // Fractions of more than one digit; the obsolete RFC 850 date (dashes inside are fine).
    assert.equal(parseRetryAfter("1.25", now), 1250);
    assert.equal(parseRetryAfter("Thursday, 01-Jan-26 00:01:00 GMT", now), 60_000);
    // Date.parse reads these as 2026-01-01T00:00:10Z; neither is an HTTP date.
    assert.equal(parseRetryAfter("-01 Jan 2026 00:00:10 GMT", now), undefined);
    assert.equal(parseRetryAfter("2026-01-01T00:00:10Z", now), undefined);
    for (const ms of ["abc", "-5", "1e3", "", " ", "5s"]) {
      assert.equal(
        retryAfterFromHeaders(new Headers({ "retry-after-ms": ms, "retry-after": "2" }), now),
        2000,
        `retry-after-ms ${JSON.stringify(ms)} is ignored`,
      );
    }
    assert.equal(retryAfterFromHeaders(new Headers({ "retry-after-ms": " 12.6 " }), now), 13);
    assert.equal(retryAfterFromHeaders(new Headers({ "retry-after-ms": "0" }), now), 0);
    assert.equal(retryAfterFromHeaders(new Headers({ "retry-after-ms": "12.25" }), now), 12);
    // Headers strips only HTTP whitespace; a vertical tab is trimmed like any other white space.
    assert.equal(retryAfterFromHeaders(new Headers({ "retry-after-ms": "40\u000b" }), now), 40);
  });

  it("bounds the exponent and treats a negative attempt as the first", () => {
    assert.equal(
      backoffDelay(-3, () => 0.5),
      250,
    );
    assert.equal(
      backoffDelay(40, () => 0.5, { capMs: Number.POSITIVE_INFINITY }),
      500 * 2 ** 30 * 0.5,
    );
    assert.equal(
      backoffDelay(2, () => 0.5, { baseMs: 100 }),
      200,
    );
    assert.equal(
      backoffDelay(5, () => 0.5, { capMs: 1000 }),
      500,
    );
  });

  it("knows the edges of the retryable range", () => {
    for (const s of [407, 409, 499, 600, 501 - 200]) assert.equal(isRetryableStatus(s), false, String(s));
    for (const s of [500, 501, 599]) assert.equal(isRetryableStatus(s), true, String(s));
    for (const s of [500, 502, 504, 409, 200]) assert.equal(isNotProcessedStatus(s), false, String(s));
  });
});

describe("sleep", () => {
  it("resolves after the wait and lets go of the signal", async (t) => {
    t.mock.timers.enable({ apis: ["setTimeout"] });
    const controller = new AbortController();
    let done = false;
    const p = sleep(1000, controller.signal).then(() => {
      done = true;
    });
    t.mock.timers.tick(999);
    await Promise.resolve();
    assert.equal(done, false);
    t.mock.timers.tick(1);
    await p;
    assert.equal(done, true);
    assert.equal(getEventListeners(controller.signal, "abort").length, 0, "the abort listener is removed");
    // An abort after the wait is over changes nothing.
    controller.abort(new Error("late"));
  });

  it("rejects with the signal's reason when aborted during the wait, and at once when already aborted", async (t) => {
    t.mock.timers.enable({ apis: ["setTimeout"] });
    const controller = new AbortController();
    const p = sleep(60_000, controller.signal);
    const reason = new Error("stop");
    controller.abort(reason);
    await assert.rejects(p, (err) => err === reason);
    assert.equal(getEventListeners(controller.signal, "abort").length, 0, "the abort listener ran once and is gone");
    const gone = new AbortController();
    const why = new Error("before");
    gone.abort(why);
    await assert.rejects(sleep(10, gone.signal), (err) => err === why);
    // Without a signal it simply waits.
    const plain = sleep(5);
    t.mock.timers.tick(5);
    await plain;
  });
});
