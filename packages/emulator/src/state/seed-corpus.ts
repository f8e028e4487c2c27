/**
 * The demo world's corpus: the lines people say, the links, code and lists they share, and the
 * Teams markup they say it in (PROTOCOL.md §8.4). Pure data and pure functions; the writer
 * (seed-writer.ts) draws from it.
 */

import { buildReplyQuote, escapeHtml } from "@teams-api/protocol";

export const EMOJI: ReadonlyArray<[id: string, title: string, alt: string]> = [
  ["smile", "Smile", "🙂"],
  ["laugh", "Laugh", "😆"],
  ["heart", "Heart", "❤️"],
  ["cool", "Cool", "😎"],
  ["yes", "Yes", "👍"],
  ["surprised", "Surprised", "😮"],
];

/** Teams quote-reply markup (§8.4): the protocol's Reply quote, then the reply. */
export function quoteHtml(quoted: { id: number; from: string; name: string; text: string }, reply: string): string {
  const quote = buildReplyQuote({
    messageId: String(quoted.id),
    authorMri: quoted.from,
    authorName: quoted.name,
    preview: quoted.text,
  });
  return `${quote}<p>${escapeHtml(reply)}</p>`;
}

export const LINES = [
  "Morning! Did the build go green overnight?",
  "I pushed the fix for the login redirect, can you take a look?",
  "The staging deploy is done, smoke tests pass.",
  "Can we move the sync to after lunch?",
  "I'll draft the release notes this afternoon.",
  "Customer feedback from the pilot is mostly positive.",
  "The dashboard numbers look off for last week.",
  "Let me check with the data team and get back to you.",
  "Are we still planning the demo for Thursday?",
  "I've updated the roadmap slide with the new dates.",
  "Quick question about the API pagination.",
  "The design review went well, a few small tweaks requested.",
  "Who owns the on-call rotation this week?",
  "I'm out tomorrow afternoon, dentist appointment.",
  "Nice work on the migration, zero downtime!",
  "The contract is signed, we can start onboarding.",
  "I think the flaky test is a race in the retry logic.",
  "Let's keep the scope small for this sprint.",
  "Do you have the link to the budget sheet?",
  "The new icons look great on dark mode.",
  "I'll set up a call with the vendor next week.",
  "Merged. Thanks for the thorough review.",
  "Latency is down 30% since the cache change.",
  "We need a decision on the pricing tiers by Friday.",
  "Can someone cover the standup notes today?",
  "The accessibility audit found three issues, all minor.",
  "Coffee at 3?",
  "Running five minutes late, start without me.",
  "That makes sense, let's go with option B.",
  "I'll write it up in the wiki so we don't forget.",
  "The intern presentations are on Wednesday.",
  "Good catch, I missed that edge case.",
  "Reminder: timesheets are due today.",
  "The printer on the 3rd floor is broken again.",
  "Can you share your screen in the next meeting?",
  "We hit the rate limit on the search API in load tests.",
  "The translation files for Portuguese are ready.",
  "Let's sync on the hiring plan tomorrow.",
  "I'm happy with the copy, ship it.",
  "Thanks! That unblocks me.",
];

export const SHORT = [
  "ok",
  "Sounds good",
  "Thanks!",
  "On it",
  "Agreed",
  "👍",
  "Will do",
  "Perfect",
  "Haha, yes",
  "Got it",
];

export const LINKS: ReadonlyArray<[href: string, label: string]> = [
  ["https://contoso.sharepoint.com/sites/falcon/Shared%20Documents/spec.docx", "Falcon spec"],
  ["https://dev.azure.com/contoso/falcon/_build/results?buildId=4812", "build 4812"],
  ["https://contoso.sharepoint.com/sites/falcon/roadmap.pptx", "roadmap deck"],
  ["https://github.com/contoso/falcon/pull/231", "PR #231"],
];

export const CODE = [
  "npm run build -- --watch",
  "git rebase -i origin/main",
  "SELECT count(*) FROM events WHERE day = today()",
  "kubectl rollout restart deploy/api",
];

export const LIST_ITEMS = [
  "update the changelog",
  "fix the broken link in the footer",
  "ping legal about the terms",
  "review open PRs",
  "book the room for the retro",
  "check the error budget",
  "prepare the demo data",
];

export const ROOT_SUBJECTS = [
  "Sprint planning",
  "Release checklist",
  "Retro notes",
  "Launch timeline",
  "Welcome!",
  "Incident follow-up",
  "Design crit",
  "",
];
