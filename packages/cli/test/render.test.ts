import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { reactionKeyFromInput, reactionLabel } from "@teams-api/protocol";
import {
  AuthenticationError,
  InvalidArgumentError,
  NotSignedInError,
  RateLimitError,
  ServerError,
  TeamsError,
} from "teams-api";
import { describeError, EXIT, exitCodeFor, UsageError } from "../src/errors.js";
import { colorEnabled } from "../src/render/colors.js";
import { Output } from "../src/render/output.js";
import { redact } from "../src/render/redact.js";
import { oneLine, sanitizeTerminalText, truncate } from "../src/render/sanitize.js";
import { SPINNER_DELAY_MS, withSpinner } from "../src/render/spinner.js";

describe("sanitizing server text", () => {
  it("removes CSI, OSC (title, hyperlink, clipboard), DCS and stray controls, keeping the text", () => {
    const hostile =
      "hi \x1b[31mred\x1b[0m \x1b]0;pwned\x07 \x1b]8;;https://evil\x1b\\link\x1b]8;;\x1b\\ \x1b]52;c;Zm9v\x07 \x1bPq#0\x1b\\ \x9b2J\x07\x08end";
    const out = sanitizeTerminalText(hostile);
    assert.doesNotMatch(out, /[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    assert.match(out, /hi red/);
    assert.match(out, /link/);
    assert.match(out, /end$/);
    assert.doesNotMatch(out, /pwned|evil|Zm9v/);
  });
  it("drops bidi overrides; oneLine folds newlines", () => {
    assert.equal(sanitizeTerminalText("a\u202eb\u2066c"), "abc");
    assert.equal(oneLine(" a\r\n b\n\tc "), "a b c");
  });
  it("truncates by code points", () => {
    assert.equal(truncate("👍👍👍", 2), "👍…");
    assert.equal(truncate("abc", 3), "abc");
  });
});

describe("errors", () => {
  const named = (name: string, message: string, extra: object = {}): Error =>
    Object.assign(new Error(message), { name }, extra);

  it("map to the exit codes of GUIDE §3", () => {
    assert.equal(exitCodeFor(new UsageError("x")), EXIT.usage);
    assert.equal(exitCodeFor(new InvalidArgumentError("x")), EXIT.usage);
    assert.equal(exitCodeFor(new NotSignedInError()), EXIT.auth);
    assert.equal(exitCodeFor(new AuthenticationError("unauthorized", "x", { status: 401 })), EXIT.auth);
    assert.equal(exitCodeFor(new AuthenticationError("invalid_grant", "x", { status: 400 })), EXIT.auth);
    assert.equal(exitCodeFor(new RateLimitError("rate_limited", "x", { status: 429 })), EXIT.rateLimited);
    assert.equal(exitCodeFor(new ServerError("server_error", "x", { status: 503 })), EXIT.error);
    assert.equal(exitCodeFor(new TeamsError("not_automatable", "x")), EXIT.error);
    assert.equal(exitCodeFor(new Error("x")), EXIT.error);
  });
  it("are one sanitized line with credentials redacted", () => {
    const jwt = `eyJhbGciOiJSUzI1NiJ9.${"eyJzdWIiOiJhIn0"}.c2lnbmF0dXJl`;
    const msg = describeError(new Error(`bad\n token ${jwt} and refresh_token=0.EMUabcdefghijklmnop \x1b[2J`));
    assert.doesNotMatch(msg, /eyJ|0\.EMU|\x1b|\n/);
    assert.match(msg, /\.$/);
  });
  it("URLs lose their query strings", () => {
    const e = new Error(
      "GET http://127.0.0.1:1/login/authorize?client_id=x&state=abc&nonce=def got no answer within 30000 ms.",
    );
    assert.equal(describeError(e), "GET http://127.0.0.1:1/login/authorize got no answer within 30000 ms.");
  });
  it("a rate limit says when to retry", () => {
    const e = named("RateLimitError", "Too many requests", { retryAfterMs: 2500 });
    assert.equal(describeError(e), "Too many requests; try again in 3 s.");
  });
  it("redact leaves ordinary text alone", () => {
    assert.equal(redact("The user name or password is incorrect."), "The user name or password is incorrect.");
  });
});

describe("colours and reactions", () => {
  it("colour only on a TTY, never with NO_COLOR or --no-color", () => {
    assert.equal(colorEnabled({ isTTY: true }, { env: {} }), true);
    assert.equal(colorEnabled({ isTTY: false }, { env: {} }), false);
    assert.equal(colorEnabled({ isTTY: true }, { env: { NO_COLOR: "1" } }), false);
    assert.equal(colorEnabled({ isTTY: true }, { env: {}, noColor: true }), false);
  });
  it("reaction keys and labels", () => {
    assert.equal(reactionLabel("like"), "👍");
    assert.equal(reactionLabel("1f525_fire"), "🔥");
    assert.equal(reactionLabel("custom;0-abc"), "custom");
    assert.equal(reactionKeyFromInput("👍"), "like");
    assert.equal(reactionKeyFromInput("❤️"), "heart");
    assert.equal(reactionKeyFromInput("Laugh"), "laugh");
    assert.equal(reactionKeyFromInput("🔥"), "1f525_fire");
    assert.equal(reactionKeyFromInput("🐎"), "1f40e_horse");
    assert.equal(reactionKeyFromInput("partyparrot;0-weu-d1-abc"), "partyparrot;0-weu-d1-abc");
    assert.equal(reactionKeyFromInput("lol"), undefined);
  });
});

describe("spinner", () => {
  /** A stream standing in for stderr, and a promise the test settles itself: no real time passes. */
  const setup = (isTTY: boolean) => {
    const stream = {
      isTTY,
      written: "",
      write(s: string) {
        this.written += s;
        return true;
      },
    };
    let resolve!: (v: number) => void;
    const work = new Promise<number>((r) => {
      resolve = r;
    });
    return { stream, work, resolve };
  };

  it("draws nothing when the stream is not a terminal", async (t) => {
    t.mock.timers.enable({ apis: ["setTimeout", "setInterval"] });
    const { stream, work, resolve } = setup(false);
    const done = withSpinner("x", work, stream);
    t.mock.timers.tick(10 * SPINNER_DELAY_MS);
    resolve(1);
    assert.equal(await done, 1);
    assert.equal(stream.written, "");
  });

  it("on a terminal, draws only after the delay and clears its line", async (t) => {
    t.mock.timers.enable({ apis: ["setTimeout", "setInterval"] });
    const quick = setup(true);
    quick.resolve(1);
    await withSpinner("quick", quick.work, quick.stream);
    assert.equal(quick.stream.written, "", "an answer within the delay draws nothing");

    const slow = setup(true);
    const done = withSpinner("slow", slow.work, slow.stream);
    t.mock.timers.tick(SPINNER_DELAY_MS - 1);
    assert.equal(slow.stream.written, "");
    t.mock.timers.tick(1);
    assert.match(slow.stream.written, /slow/);
    slow.resolve(2);
    assert.equal(await done, 2);
    assert.ok(slow.stream.written.endsWith("\r\x1b[2K"), "the spinner line is cleared");
  });

  it("says what a retry wait is about and how long it lasts", async (t) => {
    t.mock.timers.enable({ apis: ["setTimeout", "setInterval", "Date"], now: 1_000_000 });
    const { stream, work, resolve } = setup(true);
    const out = new Output({
      stderr: stream as unknown as NodeJS.WriteStream,
      stdout: stream as unknown as NodeJS.WriteStream,
    });
    const done = out.spin("Loading chats…", work);
    t.mock.timers.tick(SPINNER_DELAY_MS);
    assert.doesNotMatch(stream.written, /retrying/);
    out.retryWait({ reason: "rate_limited", delayMs: 28_000, retryAfter: true, retry: 1, method: "GET", url: "x" });
    t.mock.timers.tick(80);
    assert.match(stream.written, /Loading chats… — rate limited — retrying in 28 s/);
    t.mock.timers.tick(10_000);
    assert.match(stream.written, /retrying in 18 s/);
    t.mock.timers.tick(18_000);
    stream.written = "";
    t.mock.timers.tick(80);
    assert.doesNotMatch(stream.written, /retrying/, "the note goes when the wait is over");
    resolve(1);
    assert.equal(await done, 1);
  });
});
