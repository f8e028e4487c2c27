/**
 * The other ways onto Trouter, end to end against the emulator: the modern `/v4/c` flow (§7.10: no
 * allocate, IC3 bearer, surl and registrar from `trouter.connected`, registration with the bearer
 * only) and the consumer account's Trouter and registrar (§7.11: TeamsCDLWebWorker_2.6 + TFL).
 */
import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Emulator } from "@teams-api/emulator";
import type { Message, TeamsClient } from "../src/index.js";
import { clientFor, PASSWORD } from "./auth-helpers.js";
import { CHAT, MRI, recordingFetch } from "./chat-fixtures.js";
import { pushWorld, Recorder, signedIn, TEST_TIMINGS } from "./realtime-helpers.js";

interface TrouterStatus {
  connections: Array<{ user: string | null; authenticated: boolean }>;
  registrations: Array<{ id: string; owner: string; templateKey: string; paths: string[] }>;
}

describe("Trouter: the /v4/c flow and the consumer account", { timeout: 60_000 }, () => {
  let emu: Emulator;
  let alice: TeamsClient;
  const status = async (): Promise<TrouterStatus> =>
    (await (await fetch(`${emu.origin}/_emulator/trouter`)).json()) as TrouterStatus;
  const texts = (r: Recorder): string[] => r.of("message").map((e) => (e.message as Message).text);

  before(async () => {
    emu = await pushWorld();
    alice = await signedIn(emu, "alice@contoso.com");
  });
  after(async () => {
    await emu.close();
  });

  it("/v4/c: connects without allocate, registers with the IC3 bearer only, receives a push, and deletes the registration", async () => {
    const rec = recordingFetch();
    const bob = clientFor(emu, { fetch: rec.fetch });
    await bob.signInWithPassword("bob@contoso.com", PASSWORD);
    const r = new Recorder();
    const listener = await bob.startRealtime({ flow: "v4c", onEvent: r.onEvent, timings: TEST_TIMINGS });
    try {
      assert.equal(rec.matching("POST", /\/trouter\/v4\/a$/).length, 0, "no allocate");
      assert.match(listener.endpoint?.surl ?? "", /\/trouter\/v4\/f\/[^/]+\/$/, "the surl trouter.connected named");
      const [registration] = rec.matching("POST", /\/registrar\/prod\/V2\/registrations$/);
      assert.ok(registration, "registered");
      assert.equal(registration.authScheme, "Bearer");
      assert.ok(!registration.headerNames.includes("x-skypetoken"), "the bearer only (§7.10)");
      const body = JSON.parse(registration.body) as { transports: { TROUTER: Array<{ path: string; ttl: number }> } };
      assert.equal(body.transports.TROUTER[0]?.path, listener.endpoint?.surl);
      assert.equal(body.transports.TROUTER[0]?.ttl, 3600, "an hour, as /v4/c clients register");
      assert.ok((await status()).registrations.some((x) => x.owner === MRI.bob));

      await alice.sendMessage(CHAT.aliceBob, "over v4/c");
      await r.until(() => texts(r).includes("over v4/c"), "the push over /v4/c");
    } finally {
      await bob.stopRealtime();
    }
    const [deleted] = rec.matching("DELETE", /\/registrar\/prod\/V2\/registrations\/.+$/);
    assert.equal(deleted?.authScheme, "Bearer");
    assert.ok(!(await status()).registrations.some((x) => x.owner === MRI.bob), "registration deleted");
  });

  it("a consumer account: Trouter and the registrar (TeamsCDLWebWorker_2.6, TFL) deliver Alice's message to Grace", async () => {
    const grace = await signedIn(emu, "grace@outlook.com");
    const r = new Recorder();
    await grace.startRealtime({ onEvent: r.onEvent, timings: TEST_TIMINGS, conversations: [CHAT.graceAlice] });
    try {
      const mine = (await status()).registrations.filter((x) => x.owner === MRI.grace);
      assert.deepEqual(
        mine.map((x) => x.templateKey),
        ["TeamsCDLWebWorker_2.6"],
      );
      assert.ok(
        (await status()).connections.some((c) => c.user === MRI.grace && c.authenticated),
        "Grace's socket authenticated with her consumer token",
      );
      await alice.sendMessage(CHAT.graceAlice, "hello Grace, pushed");
      await r.until(() => texts(r).includes("hello Grace, pushed"), "the push to the consumer");
      const got = r.of("message").find((e) => (e.message as Message).text === "hello Grace, pushed");
      assert.equal(got?.message.conversationId, CHAT.graceAlice);
      assert.equal(got?.replayed, false, "live, not replayed");
    } finally {
      await grace.stopRealtime();
    }
    assert.ok(!(await status()).registrations.some((x) => x.owner === MRI.grace));
  });
});
