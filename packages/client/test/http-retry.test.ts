/** Pure parts of the retry policy: full-jitter backoff bounds and Retry-After parsing. */
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  backoffDelay,
  isNotProcessedStatus,
  isRetryableStatus,
  parseRetryAfter,
  retryAfterFromHeaders,
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
