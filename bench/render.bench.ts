/**
 * Message rendering: `htmlToText` over 10,000 real-shaped Teams messages against a bare
 * strip-tags baseline (one regex plus a handful of entities) in the same process. The baseline is
 * what a careless client would do: it handles no mentions, quotes, lists, emoji or control
 * characters, so the ratio is the price of rendering correctly and safely.
 */
import { prng } from "@teams-api/emulator";
import { htmlToText } from "@teams-api/protocol";
import { alternate, type Benchmark, median } from "./lib.js";

const MESSAGES = 10_000;

const WORDS = (
  "the deploy is green again can you review my PR before standup we moved the launch to Thursday " +
  "please check the doc and leave comments I'll sync with design after lunch budget numbers look " +
  "fine to me ship it thanks everyone great work on the release notes latency dropped by half"
).split(" ");
const PEOPLE = [
  ["8:orgid:2b7e4f10-6c1d-4e8a-a3f5-9d0c1b2e3f41", "Alice", "Example"],
  ["8:orgid:9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", "Bob", "Example"],
  ["8:orgid:c0ffee00-1234-4abc-9def-0123456789ab", "Carol", "Guest"],
] as const;
const EMOJI = [
  ["smile", "🙂", "Smile"],
  ["laugh", "😄", "Laugh"],
  ["heart", "❤️", "Heart"],
  ["like", "👍", "Like"],
] as const;

interface Sample {
  content: string;
  mentions?: string;
}

function corpus(count: number): Sample[] {
  // The seed's PRNG (mulberry32), so every run renders the same corpus.
  const r = prng(20240612);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const words = (min: number, max: number): string => {
    const n = min + Math.floor(r() * (max - min + 1));
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(pick(WORDS));
    return out.join(" ");
  };
  const inline = (): string => {
    const x = r();
    if (x < 0.15) return `${words(2, 6)} <b>${words(1, 3)}</b> ${words(2, 8)}`;
    if (x < 0.25) return `${words(2, 6)} <i>${words(1, 3)}</i> ${words(1, 5)}`;
    if (x < 0.3) return `${words(2, 6)} &amp; ${words(1, 4)} &lt;3 ${words(1, 3)}`;
    return words(3, 18);
  };
  const emoji = (): string => {
    const [id, alt, title] = pick(EMOJI);
    return `<span class="animated-emoticon-20-${id}" title="${title}" type="(${id})"><img itemscope="" itemtype="http://schema.skype.com/Emoji" itemid="${id}" src="https://statics.teams.cdn.office.net/evergreen-assets/skype/v2/${id}/20.png" title="${title}" alt="${alt}" style="width:20px;height:20px;"></span>`;
  };

  const out: Sample[] = [];
  for (let i = 0; i < count; i++) {
    const x = r();
    if (x < 0.34) {
      const paras = 1 + Math.floor(r() * 3);
      let html = "";
      for (let p = 0; p < paras; p++) html += `<p>${inline()}</p>`;
      out.push({ content: html });
    } else if (x < 0.49) {
      const [mri, first, last] = pick(PEOPLE);
      if (r() < 0.5) {
        out.push({
          content: `<p><span itemscope="" itemtype="http://schema.skype.com/Mention" itemid="0">${first}</span> ${inline()}</p>`,
          mentions: JSON.stringify([
            { "@type": "http://schema.skype.com/Mention", itemid: "0", mri, mentionType: "person", displayName: first },
          ]),
        });
      } else {
        out.push({
          content: `<p>${words(1, 4)} <span itemscope="" itemtype="http://schema.skype.com/Mention" itemid="0">${first}</span>&nbsp;<span itemscope="" itemtype="http://schema.skype.com/Mention" itemid="1">${last}</span> ${inline()}</p>`,
          mentions: JSON.stringify([
            { "@type": "http://schema.skype.com/Mention", itemid: "0", mri, mentionType: "person", displayName: first },
            { "@type": "http://schema.skype.com/Mention", itemid: "1", mri, mentionType: "person", displayName: last },
          ]),
        });
      }
    } else if (x < 0.59) {
      out.push({ content: `<p>${inline()} ${emoji()}</p>` });
    } else if (x < 0.69) {
      const [mri, first, last] = pick(PEOPLE);
      const id = String(1718200000000 + i);
      out.push({
        content: `<blockquote itemscope="" itemtype="http://schema.skype.com/Reply" itemid="${id}"><strong itemprop="mri" itemid="${mri}">${first} ${last}</strong><span itemprop="time" itemid="${id}"></span><p itemprop="preview">${words(4, 16)}</p></blockquote><p>${inline()}</p>`,
      });
    } else if (x < 0.77) {
      const tag = r() < 0.6 ? "ul" : "ol";
      let items = "";
      const n = 2 + Math.floor(r() * 4);
      for (let k = 0; k < n; k++) {
        items +=
          r() < 0.2
            ? `<li>${words(2, 6)}<ul><li>${words(2, 5)}</li><li>${words(1, 4)}</li></ul></li>`
            : `<li>${inline()}</li>`;
      }
      out.push({ content: `<p>${words(2, 6)}:</p><${tag}>${items}</${tag}>` });
    } else if (x < 0.85) {
      const url = `https://contoso.sharepoint.com/sites/team/${pick(WORDS)}/${Math.floor(r() * 1e6)}`;
      const text = r() < 0.5 ? url : words(1, 4);
      out.push({ content: `<p>${words(2, 8)} <a href="${url}" title="${url}">${text}</a> ${words(0, 6)}</p>` });
    } else if (x < 0.9) {
      out.push({
        content:
          r() < 0.5
            ? `<p>run <code>npm test -- ${pick(WORDS)}</code> ${words(1, 6)}</p>`
            : `<pre class="language-ts">const ${pick(WORDS)} = await client.chat.send(id, &quot;${words(1, 3)}&quot;);\nif (x &lt; 3) {\n    retry();\n}</pre>`,
      });
    } else if (x < 0.94) {
      const id = `0-weu-d4-${Math.floor(r() * 1e12).toString(16)}`;
      out.push({
        content: `<p>${words(0, 5)}<img itemscope="" itemtype="http://schema.skype.com/AMSImage" src="https://eu-prod.asyncgw.teams.microsoft.com/v1/objects/${id}/views/imgo" width="250" height="180" id="${id}"></p>`,
      });
    } else if (x < 0.98) {
      const [mri, first] = pick(PEOPLE);
      out.push({
        content:
          r() < 0.5
            ? `<at id="${mri}">${first}</at> ${words(3, 10)} <ss type="smile">:)</ss>`
            : `<quote author="${mri}" authorname="${first}" timestamp="1718200000"><legacyquote>[12:00] ${first}: </legacyquote>${words(3, 10)}<legacyquote>\n\n&lt;&lt;&lt; </legacyquote></quote>${words(2, 8)}`,
      });
    } else {
      // An occasional long message: many paragraphs, a list and a quote (about 5–10 KB).
      let html = "";
      const paras = 30 + Math.floor(r() * 30);
      for (let p = 0; p < paras; p++) html += `<p>${inline()} ${inline()}</p>`;
      html += `<ul><li>${words(3, 8)}</li><li>${words(3, 8)}</li></ul><blockquote>${words(10, 30)}</blockquote>`;
      out.push({ content: html });
    }
  }
  return out;
}

const ENTITIES: Record<string, string> = {
  "&lt;": "<",
  "&gt;": ">",
  "&amp;": "&",
  "&quot;": '"',
  "&#39;": "'",
  "&nbsp;": " ",
};

/** The naive renderer: strip every tag, decode the few common entities. */
function stripTags(html: string): string {
  return html.replace(/<[^>]*>/g, "").replace(/&(?:lt|gt|amp|quot|#39|nbsp);/g, (e) => ENTITIES[e] ?? e);
}

const bench: Benchmark = {
  name: "render",
  description: `htmlToText over ${MESSAGES.toLocaleString("en")} real-shaped messages against strip-tags`,
  async run({ runs }) {
    const messages = corpus(MESSAGES);
    const bytes = messages.reduce((n, m) => n + m.content.length, 0);
    let sink = 0;
    const baseline = (): void => {
      for (const m of messages) sink += stripTags(m.content).length;
    };
    const subject = (): void => {
      for (const m of messages) sink += htmlToText(m.content, m.mentions ? { mentions: m.mentions } : {}).length;
    };
    // Extra warm-up so both sides run optimized code before timing starts.
    for (let i = 0; i < 3; i++) {
      baseline();
      subject();
    }
    const { baselineMs, subjectMs } = await alternate(runs, baseline, subject);
    const s = median(subjectMs);
    const b = median(baselineMs);
    return {
      baseline: { name: "strip-tags regex", samplesMs: baselineMs },
      subject: { name: "htmlToText", samplesMs: subjectMs },
      target: 20,
      notes: {
        corpus: `${MESSAGES} messages, ${(bytes / 1024).toFixed(0)} KiB of HTML`,
        "htmlToText throughput": `${Math.round((MESSAGES / s) * 1000).toLocaleString("en")} messages/s (${((bytes / 1024 / 1024 / s) * 1000).toFixed(1)} MiB/s)`,
        "strip-tags throughput": `${Math.round((MESSAGES / b) * 1000).toLocaleString("en")} messages/s`,
        "per message": `${((s / MESSAGES) * 1000).toFixed(1)} µs`,
        checksum: String(sink % 1000),
      },
    };
  },
};
export default bench;
