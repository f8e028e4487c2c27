/**
 * Every message in the shared protocol samples, rendered, with the expected text written out by
 * hand. The walk finds each object with a string `content` (and decodes JSON carried in strings,
 * like the Trouter push body), so a new sample message fails here until it has an expectation.
 */
import * as assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import {
  describeSystemMessage,
  htmlToText,
  parseEmotions,
  parseMentions,
  parseReplyQuote,
  summarizeReactions,
} from "../src/index.js";

const SAMPLES = new URL("../../../../shared/protocol/samples/", import.meta.url);

const ALICE = "8:orgid:2b7e4f10-6c1d-4e8a-a3f5-9d0c1b2e3f41";
const BOB = "8:orgid:9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
const CAROL = "8:orgid:c0ffee00-1234-4abc-9def-0123456789ab";
const PEOPLE: Record<string, string> = { [ALICE]: "Alice Example", [BOB]: "Bob Example", [CAROL]: "Carol Guest" };
const nameOf = (mri: string): string => PEOPLE[mri] ?? mri;

interface Found {
  where: string;
  messagetype: string;
  content: string;
  properties: Record<string, unknown>;
}

function collect(file: string, value: unknown, path: string, out: Found[]): void {
  if (typeof value === "string") {
    const body = value.startsWith("3:::") ? value.slice(4) : value;
    if (body.startsWith("{") && body.includes("content")) {
      try {
        collect(file, JSON.parse(body), `${path}(json)`, out);
      } catch {
        // Not JSON after all.
      }
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      collect(file, v, `${path}/${i}`, out);
    });
    return;
  }
  if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (typeof o["content"] === "string") {
      const props = typeof o["properties"] === "object" && o["properties"] !== null ? o["properties"] : {};
      out.push({
        where: `${file}${path}`,
        messagetype: String(o["messagetype"] ?? o["messageType"] ?? "RichText/Html"),
        content: o["content"] as string,
        properties: props as Record<string, unknown>,
      });
    }
    for (const [k, v] of Object.entries(o)) collect(file, v, `${path}/${k}`, out);
  }
}

const found: Found[] = [];
for (const file of readdirSync(SAMPLES)
  .filter((f) => f.endsWith(".json"))
  .sort()) {
  collect(file, JSON.parse(readFileSync(new URL(file, SAMPLES), "utf8")), "", found);
}

const MENTION_ALICE = "@Alice please check the doc";
const EMOJI = "Yes! See you then 🙂";
const HI = "Hi Alice, are we still on for 3pm?";

/** What each sample message renders to: htmlToText, or describeSystemMessage for system messages. */
const EXPECTED: Record<string, string> = {
  "chat-conversations-list.json/response/body/conversations/0/lastMessage": MENTION_ALICE,
  "chat-conversations-list.json/response/body/conversations/1/lastMessage": "Alice Example added Carol Guest",
  "chat-messages-list.json/response/body/messages/0": MENTION_ALICE,
  "chat-messages-list.json/response/body/messages/1": "",
  "chat-messages-list.json/response/body/messages/2": EMOJI,
  "chat-messages-list.json/response/body/messages/3": HI,
  "chat-messages-list.json/thread_activity_example": "Alice Example added Carol Guest",
  "chat-mutations.json/exchanges/0/request/body": "Draft is in the Files tab (updated).",
  "chat-send-message.json/request/body": "Draft is in the Files tab.",
  "chat-send-message.json/variants/channel_reply/body": "Agreed.",
  "chat-send-message.json/variants/mention": "@Bob can you review?",
  "chat-send-message.json/variants/quote_reply": `> Bob Example: ${HI}\nYes, 3pm works.`,
  "chat-send-message.json/variants/typing": "",
  "chat-send-message.json/variants/inline_image": "[image]",
  "csa-teams-users-me.json/response/body/teams/0/channels/0/lastMessage": "Kickoff notes",
  "events-eventmessages.json/events/0/resource": HI,
  "events-eventmessages.json/events/1/resource": "",
  "events-eventmessages.json/events/2/resource": EMOJI,
  "events-eventmessages.json/events/3/resource/lastMessage": MENTION_ALICE,
  "trouter-session-frames.json/frames/12/raw(json)/body(json)/resource": HI,
};

function render(m: Found): string {
  return (
    describeSystemMessage(m.messagetype, m.content, nameOf) ??
    htmlToText(
      m.content,
      m.properties["mentions"] !== undefined ? { mentions: m.properties["mentions"] as string } : {},
    )
  );
}

describe("shared protocol samples", () => {
  it("has a hand-written expectation for every sample message, and no stale ones", () => {
    assert.deepEqual(found.map((m) => m.where).sort(), Object.keys(EXPECTED).sort());
  });

  for (const m of found) {
    it(`renders ${m.where}`, () => {
      assert.equal(render(m), EXPECTED[m.where]);
    });
  }

  it("renders the legacy File.1 URIObject of the AMS sample", () => {
    const sample = JSON.parse(readFileSync(new URL("ams-image-upload.json", SAMPLES), "utf8"));
    assert.equal(htmlToText(sample.legacy_file_message_content), "[file: plan.pdf (118 KB)]");
  });

  it("renders presence notes (HTML with <pinnednote>)", () => {
    const get = JSON.parse(readFileSync(new URL("presence-getpresence.json", SAMPLES), "utf8"));
    assert.equal(htmlToText(get.response.body[0].presence.note.message), "Heads-down on Falcon");
  });

  it("reads the sample reactions and mentions", () => {
    const reacted = found.find((m) => m.where === "chat-messages-list.json/response/body/messages/2");
    assert.deepEqual(summarizeReactions(reacted?.properties["emotions"]), [{ key: "like", count: 1, users: [BOB] }]);
    assert.equal(parseEmotions(reacted?.properties["emotions"])[0]?.users[0]?.time, 1718200200000);
    const mention = found.find((m) => m.where === "chat-messages-list.json/response/body/messages/0");
    assert.deepEqual(parseMentions(mention?.properties["mentions"]), [
      {
        "@type": "http://schema.skype.com/Mention",
        itemid: "0",
        mri: ALICE,
        mentionType: "person",
        displayName: "Alice",
      },
    ]);
  });

  it("reads the sample reply quote", () => {
    const quote = found.find((m) => m.where === "chat-send-message.json/variants/quote_reply");
    assert.deepEqual(parseReplyQuote(quote?.content ?? ""), {
      messageId: "1718200100123",
      authorMri: BOB,
      authorName: "Bob Example",
      preview: HI,
    });
  });
});
