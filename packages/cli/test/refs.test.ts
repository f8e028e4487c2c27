import * as assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { UsageError } from "../src/errors.js";
import { ListingStore } from "../src/listings.js";
import { cacheDir } from "../src/paths.js";
import { type ChatCandidate, resolveChatRef, resolveMessageRef } from "../src/refs.js";

const CHATS: ChatCandidate[] = [
  { id: "19:aaa_bbb@unq.gbl.spaces", title: "Bob Example" },
  { id: "19:group1@thread.v2", title: "Launch planning" },
  { id: "19:group2@thread.v2", title: "Launch retro" },
  { id: "19:group3@thread.v2", title: "Bob Example, Dana and Evan" },
];

const sources = (listed: string[] = []) => {
  let fetched = 0;
  return {
    listed,
    candidates: async () => {
      fetched++;
      return CHATS;
    },
    get fetched() {
      return fetched;
    },
  };
};

describe("chat references", () => {
  it("an id is taken as is, without fetching anything", async () => {
    const s = sources();
    assert.equal(await resolveChatRef("19:whatever@thread.v2", s), "19:whatever@thread.v2");
    assert.equal(await resolveChatRef("48:notes", s), "48:notes");
    assert.equal(s.fetched, 0);
  });

  it("a number is the row of the last listing", async () => {
    const s = sources(["19:x@thread.v2", "19:y@thread.v2"]);
    assert.equal(await resolveChatRef("2", s), "19:y@thread.v2");
    assert.equal(s.fetched, 0);
  });

  it("a number outside the listing, or with no listing, is a usage error that says what to run", async () => {
    await assert.rejects(resolveChatRef("3", sources(["19:x@thread.v2"])), (e: Error) => {
      assert.ok(e instanceof UsageError);
      assert.match(e.message, /has 1.*teams chats/);
      return true;
    });
    await assert.rejects(resolveChatRef("0", sources(["19:x@thread.v2"])), UsageError);
    await assert.rejects(resolveChatRef("1", sources([])), /run `teams chats` first/);
  });

  it("a unique fragment matches case-insensitively", async () => {
    assert.equal(await resolveChatRef("RETRO", sources()), "19:group2@thread.v2");
  });

  it("an exact title wins over longer titles containing it", async () => {
    assert.equal(await resolveChatRef("bob example", sources()), "19:aaa_bbb@unq.gbl.spaces");
  });

  it("an ambiguous fragment lists the candidates by title", async () => {
    await assert.rejects(resolveChatRef("launch", sources()), (e: Error) => {
      assert.ok(e instanceof UsageError);
      assert.match(e.message, /matches 2 chats/);
      assert.match(e.message, /Launch planning/);
      assert.match(e.message, /Launch retro/);
      assert.doesNotMatch(e.message, /19:/);
      return true;
    });
  });

  it("an unknown fragment is a usage error; hostile input is shown sanitized", async () => {
    await assert.rejects(resolveChatRef("nobody\x1b]0;pwned\x07", sources()), (e: Error) => {
      assert.ok(e instanceof UsageError);
      assert.doesNotMatch(e.message, /\x1b/);
      return true;
    });
  });
});

describe("message references", () => {
  const listed = ["1700000000001", "1700000000002", "1700000000003"];
  it("a short number is the row of the chat's last message listing", () => {
    assert.equal(resolveMessageRef("3", listed), "1700000000003");
  });
  it("a long id is taken as is", () => {
    assert.equal(resolveMessageRef("1712345678901", undefined), "1712345678901");
  });
  it("a short number without a listing, or out of range, is a usage error", () => {
    assert.throws(() => resolveMessageRef("2", undefined), /teams messages/);
    assert.throws(() => resolveMessageRef("4", listed), UsageError);
    assert.throws(() => resolveMessageRef("0", listed), UsageError);
    assert.throws(() => resolveMessageRef("", listed), UsageError);
  });
});

describe("listing store", () => {
  const dir = mkdtempSync(join(tmpdir(), "teams-listings-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps ids in a 0600 file in a 0700 directory and reads them back", () => {
    const store = new ListingStore(join(dir, "nested"));
    store.saveChats(["19:a@thread.v2", "19:b@thread.v2"], ["Offsite", ""]);
    store.saveMessages("19:a@thread.v2", ["1", "2"]);
    const again = new ListingStore(join(dir, "nested")).read();
    assert.deepEqual(again.chats, ["19:a@thread.v2", "19:b@thread.v2"]);
    assert.deepEqual(again.titles, { "19:a@thread.v2": "Offsite" }, "titles as listed, none for an empty one");
    assert.deepEqual(again.messages["19:a@thread.v2"], ["1", "2"]);
    assert.equal(statSync(store.path).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, "nested")).mode & 0o777, 0o700);
  });

  it("a damaged file is an empty cache, not a failure", () => {
    const store = new ListingStore(dir);
    writeFileSync(store.path, "{not json");
    assert.deepEqual(store.read(), { version: 1, chats: [], titles: {}, messages: {} });
    store.saveChats(["19:c@thread.v2"]);
    assert.match(readFileSync(store.path, "utf8"), /19:c@thread.v2/);
    store.clear();
    assert.deepEqual(store.read().chats, []);
  });

  it("lives next to TEAMS_TOKEN_FILE, else under XDG_CACHE_HOME", () => {
    assert.equal(cacheDir({ TEAMS_TOKEN_FILE: "/tmp/x/session.json" }), "/tmp/x");
    assert.equal(cacheDir({ XDG_CACHE_HOME: "/c" }), "/c/teams-api");
    assert.equal(cacheDir({ TEAMS_CACHE_DIR: "/d", TEAMS_TOKEN_FILE: "/tmp/x/s.json" }), "/d");
  });
});
