/**
 * Search (PROTOCOL.md §4) replayed from samples/substrate-search.json: Substrate message search
 * and people suggestions with the sample's shapes, real matching over the caller's own
 * conversations only, `<c0>` highlights, ClientConversationId back to the message, quotes,
 * Unicode, empty queries, auth; and the consumer (msgsearch) form.
 */
import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CONSUMER_SEARCH_MOUNT, consumerMetadata, parseHighlights, SEARCH_PATHS } from "@teams-api/protocol";
import {
  ALICE,
  ALICE_BOB,
  assertShape,
  BOB,
  ChatWorld,
  DANA,
  FALCON,
  GENERAL,
  GRACE,
  type Json,
  sample,
} from "./chat-helpers.js";
import { signIn } from "./identity-helpers.js";

interface Exchange {
  name: string;
  request: { method: string; url: string; headers: Record<string, string>; body: Json };
  response: { status: number; body: Json };
}
const SUBSTRATE = sample<{ exchanges: Exchange[] }>("substrate-search.json");
const ex = (name: string): Exchange => SUBSTRATE.exchanges.find((e) => e.name === name)!;
const SUBSTRATE_SCOPE = "https://substrate.office.com/.default openid profile offline_access";

describe("search", { timeout: 60_000 }, () => {
  let world: ChatWorld;
  const bearer = new Map<string, { token: string; anchor: string }>();

  const query = async (
    who: string,
    body: Json,
    headers: Record<string, string | undefined> = {},
  ): Promise<{ status: number; json: Json }> => {
    const b = bearer.get(who)!;
    const h: Record<string, string> = {
      Authorization: `Bearer ${b.token}`,
      "x-anchormailbox": b.anchor,
      "Content-Type": "application/json",
    };
    for (const [k, v] of Object.entries(headers)) {
      if (v === undefined) delete h[k];
      else h[k] = v;
    }
    const res = await fetch(`${world.origin}${SEARCH_PATHS.substrateQuery}`, {
      method: "POST",
      headers: h,
      body: JSON.stringify(body),
    });
    return { status: res.status, json: await res.json() };
  };
  const messageQuery = (queryString: string, extra: Json = {}): Json => {
    const body = structuredClone(ex("message_search").request.body);
    body.entityRequests[0].query.queryString = queryString;
    Object.assign(body.entityRequests[0], extra);
    return body;
  };
  const results = (json: Json): Json[] => json.EntitySets[0].ResultSets[0].Results;

  before(async () => {
    world = await ChatWorld.start();
    for (const [mri, login] of [
      [ALICE, "alice@contoso.com"],
      [DANA, "dana@contoso.com"],
    ] as const) {
      const t = await signIn(world.emu, login, { scope: SUBSTRATE_SCOPE });
      const user = world.emu.users.find((u) => u.mri === mri)!;
      bearer.set(mri, { token: t.access_token, anchor: `Oid:${user.oid}@${user.tenantId}` });
    }
    await world.send(FALCON, "<p>Let me check the budget report</p>", BOB);
    await world.send(FALCON, "<p>The Q3 plan is ready; budget attached</p>", ALICE);
    await world.send(ALICE_BOB, "<p>Private: my budget budget worries</p>", BOB);
    await world.send(ALICE_BOB, "<p>Café crème at 10? 🎉 Ünïcödé</p>", ALICE);
    await world.send(ALICE_BOB, "<p>a literal &lt;c0&gt;tag&lt;/c0&gt; and budget</p>", ALICE);
    await world.send(GENERAL, "<p>Channel budget review on Friday</p>", BOB);
  });
  after(() => world.close());

  it("replays the sample: shapes, highlights, ClientConversationId pointing at the message", async () => {
    const { status, json } = await query(ALICE, ex("message_search").request.body);
    assert.equal(status, 200);
    const expected = structuredClone(ex("message_search").response.body);
    const channelHit = results(json).find((h: Json) => h.Source.ClientThreadId === GENERAL);
    assertShape({ ...json, EntitySets: [{ ResultSets: [{ Total: 1, Results: [channelHit] }] }] }, expected);
    assert.equal(channelHit.Source.ChannelName, "General");
    assert.equal(channelHit.Source.TeamName, "Falcon Team");
    // Chats have no channel or team name: every other field of the sample is there.
    const source = expected.EntitySets[0].ResultSets[0].Results[0].Source;
    delete source.ChannelName;
    delete source.TeamName;
    assertShape(json, expected);
    const hits = results(json);
    assert.ok(hits.length >= 4, `${hits.length} hits`);
    assert.ok(json.EntitySets[0].ResultSets[0].Total >= hits.length);
    // Ranked: the message saying "budget" twice comes first.
    assert.match(hits[0].Summary, /budget budget/);
    for (const h of hits.slice(0, 6)) {
      assert.ok(parseHighlights(h.HitHighlightedSummary).some((p) => p.hit && p.text.toLowerCase() === "budget"));
      const [threadId, messageId] = h.Source.ClientConversationId.split(";messageid=");
      assert.equal(threadId, h.Source.ClientThreadId);
      const msg = await world.message(threadId, messageId, ALICE);
      assert.ok(msg, "the hit points at a real message");
      assert.equal(h.Source.MessageId, messageId);
    }
    const report = hits.find((h: Json) => /budget report/.test(h.Summary));
    assert.equal(report.HitHighlightedSummary, "Let me check the <c0>budget</c0> report");
    assert.equal(report.Source.From.EmailAddress.Name, "Bob Example");
    // A literal <c0> in a message cannot fake a hit.
    const literal = hits.find((h: Json) => /literal/.test(h.Summary));
    assert.ok(!parseHighlights(literal.HitHighlightedSummary).some((p) => p.hit && p.text === "tag"));
    assert.match(literal.HitHighlightedSummary, /&lt;c0&gt;tag/);
  });

  it("never shows other people's chats", async () => {
    const { json } = await query(DANA, messageQuery("budget"));
    for (const h of results(json)) {
      assert.notEqual(h.Source.ClientThreadId, FALCON);
      assert.notEqual(h.Source.ClientThreadId, ALICE_BOB);
    }
  });

  it("quoted phrases, Unicode, from:, paging and time sort", async () => {
    const phrase = results((await query(ALICE, messageQuery('"q3 plan"'))).json);
    assert.equal(phrase.length, 1);
    assert.match(phrase[0].HitHighlightedSummary, /<c0>Q3 plan<\/c0>/);
    assert.equal(results((await query(ALICE, messageQuery('"plan q3"'))).json).length, 0);
    const unicode = results((await query(ALICE, messageQuery("CAFÉ ünïcödé"))).json);
    assert.equal(unicode.length, 1);
    assert.match(unicode[0].HitHighlightedSummary, /<c0>Café<\/c0>/);
    assert.equal(results((await query(ALICE, messageQuery("🎉"))).json).length, 1);
    const fromBob = results((await query(ALICE, messageQuery('budget AND from:"Bob Example"'))).json);
    assert.ok(
      fromBob.length >= 2 && fromBob.every((h: Json) => h.Source.From.EmailAddress.Address === "bob@contoso.com"),
    );
    const page = results((await query(ALICE, messageQuery("budget", { from: 1, size: 2 }))).json);
    assert.equal(page.length, 2);
    const byTime = results(
      (await query(ALICE, messageQuery("budget", { sort: [{ field: "Time", sortDirection: "Desc" }] }))).json,
    );
    const times = byTime.map((h: Json) => Date.parse(h.Source.DateTimeReceived));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
    );
  });

  it("errors: empty query 400, no anchor 400, someone else's mailbox 403, wrong audience 401", async () => {
    for (const q of ["", "   ", '""', "AND"]) {
      const r = await query(ALICE, messageQuery(q));
      assert.equal(r.status, 400, q);
      assert.match(r.json.message, /no search terms/);
    }
    assert.equal((await query(ALICE, messageQuery("budget"), { "x-anchormailbox": undefined })).status, 400);
    assert.equal(
      (await query(ALICE, messageQuery("budget"), { "x-anchormailbox": bearer.get(DANA)!.anchor })).status,
      403,
    );
    const spaces = await signIn(world.emu, "alice@contoso.com");
    assert.equal(
      (await query(ALICE, messageQuery("budget"), { Authorization: `Bearer ${spaces.access_token}` })).status,
      401,
    );
  });

  it("people suggestions replay the sample", async () => {
    const e = ex("people_suggestions");
    const res = await fetch(`${world.origin}${SEARCH_PATHS.suggestions}?scenario=powerbar`, {
      method: "POST",
      headers: { Authorization: `Bearer ${bearer.get(ALICE)!.token}`, "Content-Type": "application/json" },
      body: JSON.stringify(e.request.body),
    });
    assert.equal(res.status, 200);
    const json = (await res.json()) as Json;
    assertShape(json, e.response.body);
    const bob = json.Groups[0].Suggestions[0];
    assert.equal(bob.MRI, BOB);
    assert.equal(bob.DisplayName, "Bob Example");
  });

  it("consumer search (msgsearch) with X-Skypetoken, optionally inside one thread", async () => {
    const grace = world.emu.users.find((u) => u.mri === GRACE)!;
    const chat = world.state.conversationsOf(GRACE).find((t) => t.kind !== "notes")!;
    await world.send(chat.id, "<p>consumer budget note</p>", GRACE);
    const call = (body: Json) =>
      fetch(`${world.origin}${CONSUMER_SEARCH_MOUNT}${SEARCH_PATHS.consumerQuery}`, {
        method: "POST",
        headers: {
          "X-Skypetoken": world.emu.context.tokens.mintSkypeToken(grace).token,
          "Content-Type": "application/json",
        },
        body: JSON.stringify(body),
      });
    const res = await call({
      OPTION: { RESULTBASE: 0, RESULTCOUNT: 25 },
      QUERYSTRING: { AND: [{ OR: [{ Content: "budget" }] }, { ThreadId: chat.id }] },
    });
    assert.equal(res.status, 200);
    const list = (await res.json()) as Json[];
    assert.equal(list.length, 1);
    const meta = consumerMetadata(list[0])!;
    assert.equal(meta.ThreadId, chat.id);
    assert.match(meta.HitHighlightedSummary!, /<c0>budget<\/c0>/);
    const empty = await call({
      OPTION: { RESULTBASE: 0, RESULTCOUNT: 25 },
      QUERYSTRING: { AND: [{ OR: [{ Content: "" }] }] },
    });
    assert.equal(empty.status, 400);
  });
});
