import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import {
  buildFileMessage,
  buildImageMessage,
  buildQueryString,
  fileMessageCaption,
  highlightTerms,
  htmlToText,
  parseAmsCredential,
  parseHighlights,
  parseMediaReferences,
  parseQueryString,
  parseSharedFiles,
} from "../src/index.js";

const SAMPLES = new URL("../../../../shared/protocol/samples/", import.meta.url);
const ams = JSON.parse(readFileSync(new URL("ams-image-upload.json", SAMPLES), "utf8")) as {
  legacy_file_message_content: string;
  modern_files_property_decoded: unknown[];
};
const ID = "0-weu-d4-6a1f0c9e2b7d48e5a3c1f0e9d8c7b6a5";
const URL_ = `https://eu-prod.asyncgw.teams.microsoft.com/v1/objects/${ID}`;

describe("media markup", { timeout: 10_000 }, () => {
  it("an image message round-trips: AMSImage <img> to imgo, amsreferences, caption after it", () => {
    const m = buildImageMessage({ objectUrl: URL_, objectId: ID, fileName: "white<board>.png", captionHtml: "look" });
    assert.equal(m.messagetype, "RichText/Html");
    assert.deepEqual(m.amsreferences, [ID]);
    assert.match(m.content, /itemtype="http:\/\/schema\.skype\.com\/AMSImage"/);
    assert.match(m.content, /\/views\/imgo"/);
    assert.deepEqual(parseMediaReferences(m.content, m.amsreferences), [
      { kind: "image", objectId: ID, url: URL_, fileName: "white<board>.png" },
    ]);
    assert.match(htmlToText(m.content), /look/);
  });

  it("a file message round-trips (File.1 URIObject with name, size and caption)", () => {
    const m = buildFileMessage({
      objectUrl: URL_,
      objectId: ID,
      fileName: 'q3 "plan".pdf',
      size: 1_234_567,
      caption: "for Friday",
    });
    assert.equal(m.messagetype, "RichText/Media_GenericFile");
    assert.deepEqual(parseMediaReferences(m.content, m.amsreferences), [
      { kind: "file", objectId: ID, url: URL_, fileName: 'q3 "plan".pdf', size: 1_234_567 },
    ]);
    assert.equal(fileMessageCaption(m.content), "for Friday");
    assert.match(htmlToText(m.content), /\[file: q3 "plan"\.pdf \(1\.2 MB\)\]/);
  });

  it("reads the sample's legacy file message and bare amsreferences", () => {
    const refs = parseMediaReferences(ams.legacy_file_message_content, [
      "0-cus-d1-00112233445566778899aabbccddeeff",
      "0-x",
    ]);
    assert.equal(refs.length, 2);
    assert.deepEqual(refs[0], {
      kind: "file",
      objectId: "0-cus-d1-00112233445566778899aabbccddeeff",
      url: "https://api.asm.skype.com/v1/objects/0-cus-d1-00112233445566778899aabbccddeeff",
      fileName: "plan.pdf",
      size: 120344,
    });
    assert.deepEqual(refs[1], { kind: "file", objectId: "0-x" });
    assert.deepEqual(parseMediaReferences("<p>hello</p>"), []);
    assert.deepEqual(parseMediaReferences('<p><img src="https://x/y.png"></p>'), []);
  });

  it("reads the sample's modern properties.files (JSON string or array), skipping junk", () => {
    const expected = [
      {
        id: "a1b2c3d4-e5f6-4789-9abc-def012345678",
        fileName: "plan.pdf",
        url: "https://contoso-my.sharepoint.com/personal/alice_contoso_com/Documents/Microsoft%20Teams%20Chat%20Files/plan.pdf",
      },
    ];
    assert.deepEqual(parseSharedFiles(JSON.stringify(ams.modern_files_property_decoded)), expected);
    assert.deepEqual(parseSharedFiles([...ams.modern_files_property_decoded, null, 3, { title: "no id" }]), expected);
    assert.deepEqual(parseSharedFiles("not json"), []);
    assert.deepEqual(parseSharedFiles(undefined), []);
  });

  it("reads every AMS credential form", () => {
    assert.deepEqual(parseAmsCredential("skype_token abc", undefined), { kind: "skype_token", token: "abc" });
    assert.deepEqual(parseAmsCredential("Bearer xyz", undefined), { kind: "bearer", token: "xyz" });
    assert.deepEqual(parseAmsCredential(undefined, "a=b; skypetoken_asm=t1"), { kind: "cookie", token: "t1" });
    assert.deepEqual(parseAmsCredential("Basic q", undefined), { kind: "none" });
  });
});

describe("search codecs", { timeout: 10_000 }, () => {
  it("parses words, phrases, from: and operators", () => {
    assert.deepEqual(parseQueryString('budget "Q3  plan" AND from:"Bob Example" OR café'), {
      terms: ["budget", "q3 plan", "café"],
      from: ["bob example"],
    });
    assert.deepEqual(parseQueryString('""'), { terms: [], from: [] });
    assert.deepEqual(parseQueryString('"unbalanced quote'), { terms: ["unbalanced quote"], from: [] });
    assert.equal(buildQueryString("budget", { from: "Bob Example" }), 'budget AND from:"Bob Example"');
    assert.equal(buildQueryString("  ", { from: "bob" }), "from:bob");
  });

  it("highlights terms (Unicode, case-insensitive) and parses them back", () => {
    const h = highlightTerms("Café <b> CAFÉ", ["café"]);
    assert.equal(h, "<c0>Café</c0> &lt;b&gt; <c0>CAFÉ</c0>");
    assert.deepEqual(parseHighlights(h), [
      { text: "Café", hit: true },
      { text: " <b> ", hit: false },
      { text: "CAFÉ", hit: true },
    ]);
    assert.equal(highlightTerms("a+b (x)", ["a+b", "(x)"]), "<c0>a+b</c0> <c0>(x)</c0>");
  });
});
