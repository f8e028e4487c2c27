/**
 * Pushed presence subscriptions survive what the real service does to them (PROTOCOL.md §3.4,
 * §7.9): a Trouter reconnect hands out a new surl (pushes to the old one are lost), and a
 * subscription expires after an hour. The client posts it again in both cases; the emulator's
 * socket-kill fault and its clock drive them.
 */
import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Emulator } from "@teams-api/emulator";
import type { Presence, PresenceSubscription, RealtimeEvent, RealtimeListener, TeamsClient } from "../src/index.js";
import { control } from "./auth-helpers.js";
import { MRI } from "./chat-fixtures.js";
import { pushWorld, signedIn, TEST_TIMINGS } from "./realtime-helpers.js";

/** Resolves once `test` holds for something pushed; rejects after `ms` (a deadline, not a sleep). */
function deadline<T>(ms: number, what: string, wire: (done: (v: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
    wire((v) => {
      clearTimeout(timer);
      resolve(v);
    });
  });
}

describe("pushed presence subscriptions after reconnects and renewals", { timeout: 60_000 }, () => {
  let emu: Emulator;
  let alice: TeamsClient;
  let bob: TeamsClient;
  let sub: PresenceSubscription;
  let listener: RealtimeListener;
  const pushed: Presence[] = [];
  const onPresence = new Set<(p: Presence) => void>();
  const onResubscribed = new Set<(reason: string) => void>();
  const onState = new Set<(e: RealtimeEvent) => void>();

  /** Alice publishes a status message; Bob's subscription must hear it within 1 s. */
  const heardWithinOneSecond = async (text: string): Promise<void> => {
    let heard = false;
    let wake: (() => void) | undefined;
    const l = (p: Presence) => {
      if (p.mri !== MRI.alice || p.statusMessage?.text !== text) return;
      heard = true;
      wake?.();
    };
    onPresence.add(l);
    try {
      // The second starts once the service has the change (Alice's own request, token included,
      // is not push latency); a push that came even sooner counts.
      await alice.presence.setStatusMessage(text);
      if (!heard)
        await deadline<void>(1000, `Bob hearing "${text}"`, (done) => {
          wake = () => done();
        });
    } finally {
      onPresence.delete(l);
    }
  };
  const next = <T>(set: Set<(v: T) => void>, accept: (v: T) => boolean, what: string): Promise<T> =>
    deadline<T>(10_000, what, (done) => {
      const l = (v: T) => {
        if (!accept(v)) return;
        set.delete(l);
        done(v);
      };
      set.add(l);
    });

  before(async () => {
    emu = await pushWorld();
    // Alice has Teams open elsewhere (a device that never expires), so her changes show.
    emu.context.presence.seed(MRI.alice, { device: "Desktop" });
    alice = await signedIn(emu, "alice@contoso.com");
    bob = await signedIn(emu, "bob@contoso.com");
    listener = await bob.startRealtime({
      timings: TEST_TIMINGS,
      onEvent: (e) => {
        for (const l of onState) l(e);
      },
    });
    sub = await bob.presence.subscribe(
      [MRI.alice],
      (p) => {
        pushed.push(p);
        for (const l of [...onPresence]) l(p);
      },
      {
        // Short enough that the test sees renewals; each is a real POST.
        resubscribeIntervalMs: 250,
        onResubscribed: (reason) => {
          for (const l of onResubscribed) l(reason);
        },
      },
    );
  });
  after(async () => {
    await sub?.close();
    await bob?.stopRealtime();
    await emu.close();
  });

  it("is pushed, not polled", async () => {
    assert.equal(sub.mode, "push");
    await heardWithinOneSecond("first");
  });

  it("after the socket is killed, the subscription is posted on the new surl and changes still arrive within 1 s", async () => {
    const before = listener.endpoint?.surl;
    assert.ok(before);
    const reconnected = next(onState, (e) => e.type === "state" && e.state === "connected", "reconnect");
    const resubscribed = next(onResubscribed, (r) => r === "reconnect", "re-post after reconnect");
    const res = await control(emu, "/trouter/drop", { user: "bob@contoso.com" });
    assert.equal(res.status, 200);
    await reconnected;
    const after = listener.endpoint?.surl;
    assert.ok(after && after !== before, "a new allocation: pushes to the old surl are lost");
    await resubscribed;
    await heardWithinOneSecond("after reconnect");
  });

  it("is posted again before the hourly expiry: still pushed after 70 minutes of emulator time", async () => {
    await control(emu, "/clock", { advanceMs: 50 * 60_000 });
    // A renewal posted after the clock moved: the subscription now lasts to minute 110.
    await next(onResubscribed, (r) => r === "renewal", "renewal");
    await control(emu, "/clock", { advanceMs: 20 * 60_000 });
    await heardWithinOneSecond("after an hour");
  });
});
