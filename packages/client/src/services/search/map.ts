/**
 * Search answers → public models (the search service's wire boundary). Lenient: a result missing
 * what a model needs is dropped, never a crash; every text is made terminal-safe here.
 */
import {
  CONSUMER_RESULT_KEYS,
  consumerMetadata,
  mriFromContactUrl,
  parseHighlights,
  parseReplyChainId,
  sanitizeTerminalText,
  type WireSubstrateResult,
  type WireSuggestion,
} from "@teams-api/protocol";
import type { HighlightPart, PersonSuggestion, SearchResult } from "../../models.js";

const clean = (s: string): string => sanitizeTerminalText(s, { allowNewlines: false });

function highlightsOf(summary: string): { text: string; highlights: HighlightPart[] } {
  const highlights = parseHighlights(summary)
    .map((p) => ({ text: clean(p.text), hit: p.hit }))
    .filter((p) => p.text !== "");
  return { text: highlights.map((p) => p.text).join(""), highlights };
}

const date = (iso: unknown): Date | undefined => {
  const ms = typeof iso === "string" ? Date.parse(iso) : Number.NaN;
  return Number.isFinite(ms) ? new Date(ms) : undefined;
};

/** A Substrate result (§4.1), or undefined when it does not say where the message is. */
export function toSearchResult(wire: unknown): SearchResult | undefined {
  if (!wire || typeof wire !== "object") return undefined;
  const w = wire as Partial<WireSubstrateResult>;
  const source = w.Source;
  if (!source || typeof source !== "object") return undefined;
  const conv = typeof source.ClientConversationId === "string" ? source.ClientConversationId : "";
  const threadId = typeof source.ClientThreadId === "string" && source.ClientThreadId ? source.ClientThreadId : "";
  const parsed = conv ? parseReplyChainId(conv) : undefined;
  const conversationId = threadId || parsed?.threadId || "";
  if (!conversationId) return undefined;
  const messageId = typeof source.MessageId === "string" && source.MessageId ? source.MessageId : parsed?.rootMessageId;
  const rootMessageId = conversationId.endsWith("@thread.tacv2") ? parsed?.rootMessageId : undefined;
  const summary =
    typeof w.HitHighlightedSummary === "string"
      ? w.HitHighlightedSummary
      : typeof w.Summary === "string"
        ? w.Summary
        : "";
  const sender = source.From?.EmailAddress;
  const sentAt = date(source.DateTimeReceived);
  return {
    conversationId,
    ...(messageId ? { messageId } : {}),
    ...(rootMessageId && rootMessageId !== messageId ? { rootMessageId } : {}),
    from: { mri: "", displayName: clean(typeof sender?.Name === "string" ? sender.Name : "") },
    ...(typeof sender?.Address === "string" && sender.Address ? { fromAddress: clean(sender.Address) } : {}),
    ...(sentAt ? { sentAt } : {}),
    ...highlightsOf(summary),
    ...(typeof source.ChannelName === "string" && source.ChannelName ? { channelName: clean(source.ChannelName) } : {}),
    ...(typeof source.TeamName === "string" && source.TeamName ? { teamName: clean(source.TeamName) } : {}),
    raw: wire,
  };
}

/** A consumer (msgsearch, §4.3) result from its MetadataList. */
export function toConsumerSearchResult(wire: unknown): SearchResult | undefined {
  const meta = consumerMetadata(wire);
  const K = CONSUMER_RESULT_KEYS;
  const conversationId = meta?.[K.threadId];
  if (!meta || !conversationId) return undefined;
  const summary = meta[K.highlighted] ?? meta[K.content] ?? "";
  const sentAt = date(meta[K.composeTime]);
  const fromRaw = meta[K.from];
  const from = fromRaw ? mriFromContactUrl(fromRaw) : "";
  return {
    conversationId,
    ...(meta[K.messageId] ? { messageId: meta[K.messageId] } : {}),
    from: { mri: from, displayName: clean(meta[K.displayName] ?? "") },
    ...(sentAt ? { sentAt } : {}),
    ...highlightsOf(meta[K.highlighted] !== undefined ? summary : summary.replace(/</g, "&lt;")),
    raw: wire,
  };
}

/** A people suggestion (§4.2); undefined without an MRI. */
export function toSuggestion(wire: unknown): PersonSuggestion | undefined {
  if (!wire || typeof wire !== "object") return undefined;
  const w = wire as Partial<WireSuggestion>;
  if (typeof w.MRI !== "string" || !w.MRI) return undefined;
  const opt = (key: keyof WireSuggestion, as: string): Record<string, string> => {
    const v = w[key];
    return typeof v === "string" && v ? { [as]: clean(v) } : {};
  };
  const name = w.DisplayName || [w.GivenName, w.Surname].filter(Boolean).join(" ");
  const email = Array.isArray(w.EmailAddresses) ? w.EmailAddresses.find((e) => typeof e === "string") : undefined;
  return {
    mri: w.MRI,
    displayName: clean(name ?? ""),
    ...(email ? { email: clean(email) } : {}),
    ...opt("JobTitle", "jobTitle"),
    ...opt("Department", "department"),
    ...opt("CompanyName", "companyName"),
    raw: wire,
  };
}
