/** Presence and middle-tier codecs: path templates, request builders, lenient parsers of the samples. */
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import {
  forceAvailabilityBody,
  isPresencePushUrl,
  MT_PATHS,
  NOTE_NEVER_EXPIRES,
  PINNED_NOTE_MARKER,
  PRESENCE_PATHS,
  parseBuddyList,
  parseGetPresenceResponse,
  parsePresencePush,
  pathTemplate,
  presenceSubscriptionBody,
  presenceTrouterUri,
  publishNoteBody,
  splitNoteMessage,
} from "../src/index.js";

const SAMPLES = new URL("../../../../shared/protocol/samples/", import.meta.url);
const sample = (name: string) => JSON.parse(readFileSync(new URL(name, SAMPLES), "utf8"));

describe("presence codecs", { timeout: 10_000 }, () => {
  it("builds and matches path templates with encoded parameters", () => {
    const t = pathTemplate<"epid">("/v1/pubsub/subscriptions/{epid}");
    assert.equal(t.build({ epid: "a/b c" }), "/v1/pubsub/subscriptions/a%2Fb%20c");
    const m = new RegExp(`^${t.pattern}$`).exec("/v1/pubsub/subscriptions/1f4d");
    assert.equal(m?.groups?.epid, "1f4d");
    assert.ok(new RegExp(`^${PRESENCE_PATHS.getPresence.pattern}$`).test("/v1/presence/getpresence"));
    assert.ok(new RegExp(`^${PRESENCE_PATHS.getPresence.pattern}$`).test("/v1/presence/getpresence/"));
    assert.equal(MT_PATHS.user.build({ id: "8:orgid:x" }), "/beta/users/8%3Aorgid%3Ax/");
  });

  it("builds the sample's write bodies", () => {
    const writes = sample("presence-writes.json").exchanges as Array<{ name: string; request: { body: unknown } }>;
    const body = (name: string) => writes.find((w) => w.name === name)!.request.body;
    assert.deepEqual(
      forceAvailabilityBody("DoNotDisturb", Date.parse("2024-06-12T17:00:00.000Z")),
      body("force_availability"),
    );
    assert.deepEqual(forceAvailabilityBody("Offline"), { availability: "Offline", activity: "OffWork" });
    const subscribe = body("subscribe") as { trouterUri: string; subscriptionsToAdd: Array<{ mri: string }> };
    assert.deepEqual(
      presenceSubscriptionBody(
        presenceTrouterUri(subscribe.trouterUri.replace(/\/TeamsUnifiedPresenceService$/, "/")),
        subscribe.subscriptionsToAdd.map((s) => s.mri),
      ),
      subscribe,
    );
    assert.deepEqual(
      publishNoteBody("Working from Lisbon this week", {
        pinned: true,
        expiresAt: Date.parse("2024-06-14T23:59:59.000Z"),
      }),
      body("publish_note"),
    );
  });

  it("escapes note text and splits the pinned marker back off", () => {
    const b = publishNoteBody("<b>me</b> & you");
    assert.equal(b.message, "&lt;b&gt;me&lt;/b&gt; &amp; you");
    assert.equal(b.expiry, NOTE_NEVER_EXPIRES);
    assert.deepEqual(splitNoteMessage(`Out${PINNED_NOTE_MARKER}`), { html: "Out", pinned: true });
    assert.deepEqual(splitNoteMessage("Out"), { html: "Out", pinned: false });
  });

  it("parses the read sample and the Trouter push leniently", () => {
    const read = sample("presence-getpresence.json");
    const items = parseGetPresenceResponse(read.response.body);
    assert.equal(items?.length, 2);
    assert.equal(items?.[0]?.presence?.availability, "Busy");
    assert.equal(items?.[1]?.presence?.calendarData?.isOutOfOffice, true);
    const pushed = parsePresencePush(JSON.stringify(read.push_via_trouter.body_json_string_decoded));
    assert.equal(pushed?.[0]?.presence?.forcedAvailability?.availability, "Available");
    assert.equal(parseGetPresenceResponse({ value: [] }), undefined);
    assert.deepEqual(parseGetPresenceResponse([{ mri: 5 }, null, { mri: "8:x", presence: { capabilities: "x" } }]), [
      { mri: "8:x", etagMatch: false, presence: { availability: "PresenceUnknown" } },
    ]);
    assert.equal(parsePresencePush("not json"), undefined);
    assert.ok(isPresencePushUrl("https://t/v4/f/abc/TeamsUnifiedPresenceService"));
    assert.ok(isPresencePushUrl("https://t/v4/f/abc/unifiedPresenceService/"));
    assert.ok(!isPresencePushUrl("https://t/v4/f/abc/messaging"));
  });

  it("flattens a buddy list, dropping malformed entries", () => {
    const buddies = parseBuddyList({
      value: [
        { id: "1", displayName: "Favorites", buddies: [{ mri: "8:orgid:a", displayName: "A" }, { displayName: "x" }] },
        { id: "2", displayName: "Other", buddies: "nope" },
        null,
      ],
    });
    assert.deepEqual(buddies, [{ mri: "8:orgid:a", displayName: "A", group: "Favorites" }]);
    assert.deepEqual(parseBuddyList(null), []);
  });
});
