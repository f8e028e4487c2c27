import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  describeSystemMessage,
  formatCallDuration,
  parseCallEvent,
  parseThreadActivity,
  renderThreadActivity,
  type ThreadActivityEvent,
} from "../src/index.js";
import { hostileHtml, hostileString, numRuns, unsafeReason } from "./arbitraries.js";

const NAMES: Record<string, string> = { "8:d": "Dana", "8:e": "Evan", "8:f": "Frank", "8:g": "Gina" };
const nameOf = (mri: string): string => NAMES[mri] ?? mri;
const TA = "ThreadActivity/";

function line(type: string, content: string): string | undefined {
  return describeSystemMessage(TA + type, content, nameOf);
}

describe("parseThreadActivity", () => {
  it("reads AddMember XML with several targets and detailedtargetinfo", () => {
    const ev = parseThreadActivity(
      `${TA}AddMember`,
      "<addmember><eventtime>1718100000000</eventtime><initiator>8:d</initiator><target>8:e</target><target>8:z</target>" +
        "<detailedtargetinfo><id>8:z</id><friendlyName>Zed</friendlyName><role>User</role></detailedtargetinfo></addmember>",
    );
    assert.deepEqual(ev, {
      kind: "addMember",
      members: [{ mri: "8:e" }, { mri: "8:z", friendlyName: "Zed", role: "user" }],
      time: 1718100000000,
      initiator: "8:d",
    });
  });

  it("accepts any root tag and surrounding whitespace", () => {
    const ev = parseThreadActivity(
      "DeleteMember",
      "  <member><initiator>8:d</initiator><target> 8:e </target></member>\n",
    );
    assert.deepEqual(ev, { kind: "deleteMember", members: [{ mri: "8:e" }], initiator: "8:d" });
  });

  it("reads TopicUpdate, RoleUpdate and the <value> updates", () => {
    assert.deepEqual(
      parseThreadActivity(
        `${TA}TopicUpdate`,
        "<topicupdate><eventtime>5</eventtime><initiator>8:d</initiator><value>Launch &amp; more</value></topicupdate>",
      ),
      { kind: "topicUpdate", topic: "Launch & more", time: 5, initiator: "8:d" },
    );
    assert.deepEqual(
      parseThreadActivity(
        `${TA}RoleUpdate`,
        "<roleupdate><eventtime>5</eventtime><initiator>8:d</initiator><target><id>8:e</id><role>Admin</role></target></roleupdate>",
      ),
      { kind: "roleUpdate", members: [{ mri: "8:e", role: "admin" }], time: 5, initiator: "8:d" },
    );
    assert.deepEqual(
      parseThreadActivity(
        `${TA}JoiningEnabledUpdate`,
        "<joiningenabledupdate><value>true</value></joiningenabledupdate>",
      ),
      {
        kind: "joiningEnabledUpdate",
        value: "true",
      },
    );
    assert.deepEqual(
      parseThreadActivity(
        `${TA}PictureUpdate`,
        "<pictureupdate><initiator>8:d</initiator><value>URL@https://x/p.png</value></pictureupdate>",
      ),
      {
        kind: "pictureUpdate",
        value: "URL@https://x/p.png",
        initiator: "8:d",
      },
    );
  });

  it("reads the JSON forms: MemberJoined/Left, TopicUpdated, SpaceTopicUpdated, MemberConsumptionHorizonUpdate", () => {
    assert.deepEqual(
      parseThreadActivity(
        `${TA}MemberJoined`,
        '{"eventtime":7,"initiator":"8:d","members":[{"id":"8:e","friendlyname":"Evan E"},{"id":"8:f","meetingMemberType":"x"}]}',
      ),
      {
        kind: "memberJoined",
        members: [{ mri: "8:e", friendlyName: "Evan E" }, { mri: "8:f" }],
        time: 7,
        initiator: "8:d",
      },
    );
    assert.deepEqual(parseThreadActivity(`${TA}TopicUpdated`, '{"oldValue":"Old","newValue":"New","user":"8:d"}'), {
      kind: "topicUpdate",
      topic: "New",
      previousTopic: "Old",
      initiator: "8:d",
    });
    assert.deepEqual(parseThreadActivity(`${TA}SpaceTopicUpdated`, '{"newValue":"Team","user":"8:d"}'), {
      kind: "topicUpdate",
      topic: "Team",
      space: true,
      initiator: "8:d",
    });
    assert.deepEqual(
      parseThreadActivity(
        `${TA}MemberConsumptionHorizonUpdate`,
        '{"user":"8:e","consumptionhorizon":"1;2;3","messageVisibilityTime":9,"version":1}',
      ),
      { kind: "memberConsumptionHorizonUpdate", user: "8:e", consumptionHorizon: "1;2;3", messageVisibilityTime: 9 },
    );
  });

  it("is lenient: malformed content is unknown", () => {
    for (const [type, content] of [
      ["AddMember", ""],
      ["AddMember", "<addmember><initiator>8:d</initiator></addmember>"],
      ["AddMember", "<<<>>>"],
      ["MemberJoined", '{"members":"x"}'],
      ["MemberJoined", "{not json"],
      ["TopicUpdate", "<topicupdate/>"],
      ["SomethingNew", "<x/>"],
      ["MemberConsumptionHorizonUpdate", "{}"],
    ] as const) {
      assert.equal(parseThreadActivity(TA + type, content).kind, "unknown", `${type} ${content}`);
    }
  });

  it("does not expand entities beyond the predefined ones (no DTD processing)", () => {
    const billion =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><topicupdate><value>&lol2;</value></topicupdate>';
    const ev = parseThreadActivity(`${TA}TopicUpdate`, billion);
    assert.equal(ev.kind, "topicUpdate");
    assert.ok(ev.kind === "topicUpdate" && ev.topic.length < 20, JSON.stringify(ev));
  });

  it("property: never throws on arbitrary types and content", () => {
    const types = fc.oneof(
      fc
        .constantFrom(
          "AddMember",
          "DeleteMember",
          "TopicUpdate",
          "RoleUpdate",
          "JoiningEnabledUpdate",
          "HistoryDisclosedUpdate",
          "PictureUpdate",
          "MemberJoined",
          "MemberLeft",
          "TopicUpdated",
          "SpaceTopicUpdated",
          "MemberConsumptionHorizonUpdate",
        )
        .map((t) => TA + t),
      hostileString,
    );
    const content = fc.oneof(
      hostileHtml,
      fc.json(),
      hostileString,
      fc.jsonValue().map((v) => JSON.stringify(v)),
    );
    fc.assert(
      fc.property(types, content, (type, body) => {
        const ev = parseThreadActivity(type, body);
        assert.equal(typeof ev.kind, "string");
        const text = renderThreadActivity(ev, nameOf);
        assert.equal(unsafeReason(text, false), undefined);
        assert.ok(!text.includes("\n"));
      }),
      { numRuns },
    );
  });
});

describe("renderThreadActivity", () => {
  it("renders membership changes", () => {
    assert.equal(
      line("AddMember", "<addmember><initiator>8:d</initiator><target>8:e</target></addmember>"),
      "Dana added Evan",
    );
    assert.equal(
      line("AddMember", "<addmember><initiator>8:d</initiator><target>8:e</target><target>8:f</target></addmember>"),
      "Dana added Evan and Frank",
    );
    assert.equal(
      line(
        "AddMember",
        "<addmember><initiator>8:d</initiator><target>8:e</target><target>8:f</target><target>8:g</target></addmember>",
      ),
      "Dana added Evan, Frank and Gina",
    );
    assert.equal(
      line("AddMember", "<addmember><initiator>8:e</initiator><target>8:e</target></addmember>"),
      "Evan joined",
    );
    assert.equal(line("AddMember", "<addmember><target>8:e</target></addmember>"), "Evan was added");
    assert.equal(
      line("DeleteMember", "<deletemember><initiator>8:d</initiator><target>8:e</target></deletemember>"),
      "Dana removed Evan",
    );
    assert.equal(
      line("DeleteMember", "<deletemember><initiator>8:e</initiator><target>8:e</target></deletemember>"),
      "Evan left",
    );
    assert.equal(line("MemberJoined", '{"members":[{"id":"8:e"},{"id":"8:f"}]}'), "Evan and Frank joined");
    assert.equal(line("MemberLeft", '{"members":[{"id":"8:e"}]}'), "Evan left");
  });

  it("prefers the resolver's name, then the event's friendly name, then a short id", () => {
    assert.equal(line("MemberJoined", '{"members":[{"id":"8:orgid:zz","friendlyname":"Zed"}]}'), "Zed joined");
    assert.equal(line("MemberJoined", '{"members":[{"id":"8:orgid:1234"}]}'), "1234 joined");
    const many = Array.from({ length: 6 }, (_, i) => ({ id: `8:x${i}`, friendlyname: `P${i}` }));
    assert.equal(line("MemberJoined", JSON.stringify({ members: many })), "P0, P1, P2 and 3 others joined");
    const throwing = (): string => {
      throw new Error("lookup failed");
    };
    assert.equal(describeSystemMessage(`${TA}MemberLeft`, '{"members":[{"id":"8:e"}]}', throwing), "e left");
  });

  it("renders topic, role and setting changes", () => {
    assert.equal(
      line("TopicUpdate", "<topicupdate><initiator>8:d</initiator><value>Launch</value></topicupdate>"),
      "Dana changed the topic to “Launch”",
    );
    assert.equal(
      line("TopicUpdate", "<topicupdate><initiator>8:d</initiator><value></value></topicupdate>"),
      "Dana removed the topic",
    );
    assert.equal(line("TopicUpdated", '{"newValue":"Q3","oldValue":"Q2"}'), "The topic was changed to “Q3”");
    assert.equal(
      line("SpaceTopicUpdated", '{"newValue":"Falcon","user":"8:d"}'),
      "Dana changed the team name to “Falcon”",
    );
    assert.equal(
      line(
        "RoleUpdate",
        "<roleupdate><initiator>8:d</initiator><target><id>8:e</id><role>admin</role></target></roleupdate>",
      ),
      "Dana made Evan an admin",
    );
    assert.equal(
      line(
        "RoleUpdate",
        "<roleupdate><initiator>8:d</initiator><target><id>8:e</id><role>User</role></target><target><id>8:f</id><role>User</role></target></roleupdate>",
      ),
      "Dana made Evan and Frank members",
    );
    assert.equal(
      line("JoiningEnabledUpdate", "<x><initiator>8:d</initiator><value>true</value></x>"),
      "Dana turned on joining by link",
    );
    assert.equal(line("JoiningEnabledUpdate", "<x><value>false</value></x>"), "Joining by link was turned off");
    assert.equal(
      line("HistoryDisclosedUpdate", "<x><initiator>8:d</initiator><value>false</value></x>"),
      "Dana hid the chat history from new members",
    );
    assert.equal(
      line("PictureUpdate", "<x><initiator>8:d</initiator><value>u</value></x>"),
      "Dana changed the picture",
    );
    assert.equal(
      line("MemberConsumptionHorizonUpdate", '{"user":"8:e","consumptionhorizon":"1;2;3"}'),
      "Evan read the conversation",
    );
    assert.equal(line("PinnedItemAdded", '{"eventtime":1}'), "Conversation updated");
  });

  it("sanitizes names and topics from the server", () => {
    const hostile: ThreadActivityEvent = {
      kind: "topicUpdate",
      topic: "a\x1b]52;c;AAAA\x07b\u202e\nc",
      initiator: "8:q",
      initiatorName: "x",
    };
    const text = renderThreadActivity(hostile, () => "Mal\x1b[31mlory\n");
    assert.equal(text, "Mallory changed the topic to “ab c”");
  });
});

describe("describeSystemMessage", () => {
  it("describes Event/Call", () => {
    const ended =
      '<partlist type="ended" alt=""><part identity="8:d"><name>Dana</name><duration>123</duration></part><part identity="8:e"><name>Evan</name><duration>12.7</duration></part></partlist>';
    assert.equal(describeSystemMessage("Event/Call", ended, nameOf), "Call ended (2m 3s)");
    assert.equal(
      describeSystemMessage("Event/Call", '<partlist type="started" alt=""></partlist>', nameOf),
      "Call started",
    );
    assert.equal(
      describeSystemMessage("Event/Call", '<partlist type="missed"><part identity="8:d"/></partlist>', nameOf),
      "Missed call",
    );
    assert.equal(describeSystemMessage("Event/Call", '<partlist type="ended"></partlist>', nameOf), "Call ended");
    assert.equal(describeSystemMessage("Event/Call", "<ended/>", nameOf), "Call ended");
    assert.equal(describeSystemMessage("Event/Call", "garbage", nameOf), "Call");
    assert.deepEqual(parseCallEvent(ended), {
      type: "ended",
      duration: 123,
      participants: [
        { mri: "8:d", name: "Dana", duration: 123 },
        { mri: "8:e", name: "Evan", duration: 12 },
      ],
    });
  });

  it("formats durations", () => {
    assert.equal(formatCallDuration(45), "45s");
    assert.equal(formatCallDuration(123), "2m 3s");
    assert.equal(formatCallDuration(3605), "1h 0m 5s");
    assert.equal(formatCallDuration(-3), "0s");
  });

  it("covers call recordings and leaves normal messages and control traffic alone", () => {
    assert.equal(
      describeSystemMessage(
        "RichText/Media_CallRecording",
        '<URIObject><RecordingStatus status="Success"/></URIObject>',
        nameOf,
      ),
      "Call recording",
    );
    assert.equal(describeSystemMessage("RichText/Media_CallTranscript", "{}", nameOf), "Call transcript");
    for (const t of [
      "RichText/Html",
      "Text",
      "RichText",
      "Control/Typing",
      "Control/ClearTyping",
      "RichText/UriObject",
    ]) {
      assert.equal(describeSystemMessage(t, "<p>x</p>", nameOf), undefined, t);
    }
  });

  it("property: never throws; the line is single-line and terminal-safe", () => {
    const type = fc.oneof(
      fc.constantFrom("Event/Call", "ThreadActivity/AddMember", "ThreadActivity/TopicUpdate", "RichText/Html"),
      hostileString,
    );
    fc.assert(
      fc.property(type, fc.oneof(hostileHtml, hostileString), (t, content) => {
        const out = describeSystemMessage(t, content, (m) => m);
        if (out !== undefined) {
          assert.equal(unsafeReason(out, false), undefined);
          assert.ok(!out.includes("\n"));
        }
      }),
      { numRuns },
    );
  });
});
