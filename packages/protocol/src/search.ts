/**
 * Search (PROTOCOL.md §4): Substrate message search and people suggestions (enterprise), and the
 * Skype-lineage message search (consumer). Paths, request builders, answer shapes, the query-string
 * grammar both ends read, and the `<c0>…</c0>` hit highlights.
 */

// ── Paths ────────────────────────────────────────────────────────────────────────────────────────

export const SEARCH_PATHS = {
  /** Substrate message search: `POST https://substrate.office.com/searchservice/api/v2/query` (§4.1). */
  substrateQuery: "/searchservice/api/v2/query",
  /** Substrate people suggestions: `POST …/search/api/v1/suggestions?scenario=powerbar` (§4.2). */
  suggestions: "/search/api/v1/suggestions",
  /** Consumer message search: `POST https://msgsearch.skype.com/v2/query` (§4.3). */
  consumerQuery: "/v2/query",
} as const;

/** Real hosts of the search services (they are not in regionGtms). */
export const SEARCH_HOSTS = {
  substrate: "https://substrate.office.com",
  consumer: "https://msgsearch.skype.com",
} as const;

/** Under one emulator origin, the consumer search host's paths live below this prefix. */
export const CONSUMER_SEARCH_MOUNT = "/msgsearch";

// ── Substrate message search (§4.1) ──────────────────────────────────────────────────────────────

export interface WireSubstrateEntityRequest {
  entityType: string;
  contentSources: string[];
  from: number;
  size: number;
  query: { queryString: string };
  propertySet?: string;
  fields?: string[];
  sort?: Array<{ field: string; sortDirection: "Desc" | "Asc" }>;
}

export interface WireSubstrateQueryRequest {
  cvid: string;
  logicalId: string;
  scenario: { Name: string };
  entityRequests: WireSubstrateEntityRequest[];
}

export interface WireSubstrateSource {
  DateTimeReceived: string;
  From?: { EmailAddress?: { Name?: string; Address?: string } };
  ChannelName?: string;
  TeamName?: string;
  /** `<thread>;messageid=<id>`: the conversation (and, for channels, the reply chain) of the hit. */
  ClientConversationId: string;
  ClientThreadId?: string;
  MessageId?: string;
  Extensions?: Record<string, unknown>;
}

export interface WireSubstrateResult {
  Id: string;
  ReferenceId: string;
  HitHighlightedSummary: string;
  Summary: string;
  Source: WireSubstrateSource;
}

export interface WireSubstrateQueryResponse {
  EntitySets: Array<{ ResultSets: Array<{ Total: number; Results: WireSubstrateResult[] }> }>;
}

/** A Teams message search request (the web client's powerbar form). */
export function buildSubstrateQuery(args: {
  queryString: string;
  from: number;
  size: number;
  cvid: string;
  logicalId: string;
}): WireSubstrateQueryRequest {
  return {
    cvid: args.cvid,
    logicalId: args.logicalId,
    scenario: { Name: "powerbar" },
    entityRequests: [
      {
        entityType: "Message",
        contentSources: ["Teams"],
        from: args.from,
        size: args.size,
        query: { queryString: args.queryString },
        sort: [{ field: "Time", sortDirection: "Desc" }],
      },
    ],
  };
}

/** The results of the first result set, leniently (missing sets → none). */
export function substrateResults(body: unknown): { total: number; results: unknown[] } | undefined {
  if (!body || typeof body !== "object") return undefined;
  const sets = (body as { EntitySets?: unknown }).EntitySets;
  if (!Array.isArray(sets)) return undefined;
  const first = (sets[0] as { ResultSets?: unknown } | undefined)?.ResultSets;
  if (first === undefined) return { total: 0, results: [] };
  if (!Array.isArray(first)) return undefined;
  const rs = first[0] as { Total?: unknown; Results?: unknown } | undefined;
  const results = Array.isArray(rs?.Results) ? rs.Results : [];
  return { total: typeof rs?.Total === "number" ? rs.Total : results.length, results };
}

// ── People suggestions (§4.2) ────────────────────────────────────────────────────────────────────

export const SUGGESTION_FIELDS = [
  "Id",
  "MRI",
  "DisplayName",
  "EmailAddresses",
  "GivenName",
  "Surname",
  "JobTitle",
  "CompanyName",
  "Department",
] as const;

export interface WireSuggestionsRequest {
  EntityRequests: Array<{
    EntityType: string;
    Fields: string[];
    Query: { QueryString: string; DisplayQueryString: string };
    Provenances: string[];
    Size: number;
    From: number;
    Filter?: unknown;
  }>;
  Cvid: string;
  AppName: string;
  Scenario: { Name: string };
}

export interface WireSuggestion {
  Id: string;
  MRI?: string;
  DisplayName?: string;
  GivenName?: string;
  Surname?: string;
  EmailAddresses?: string[];
  JobTitle?: string;
  CompanyName?: string;
  Department?: string;
  UserPrincipalName?: string;
  PeopleType?: string;
  PeopleSubtype?: string;
}

export interface WireSuggestionsResponse {
  Groups: Array<{ Suggestions: WireSuggestion[] }>;
}

export function buildSuggestionsRequest(args: { query: string; size: number; cvid: string }): WireSuggestionsRequest {
  return {
    EntityRequests: [
      {
        EntityType: "People",
        Fields: [...SUGGESTION_FIELDS],
        Query: { QueryString: args.query, DisplayQueryString: args.query },
        Provenances: ["Mailbox", "Directory"],
        Size: args.size,
        From: 0,
      },
    ],
    Cvid: args.cvid,
    AppName: "Microsoft Teams",
    Scenario: { Name: "powerbar" },
  };
}

/** Every suggestion of every group, leniently. */
export function suggestionsOf(body: unknown): unknown[] | undefined {
  if (!body || typeof body !== "object") return undefined;
  const groups = (body as { Groups?: unknown }).Groups;
  if (!Array.isArray(groups)) return undefined;
  return groups.flatMap((g) => {
    const s = (g as { Suggestions?: unknown } | null)?.Suggestions;
    return Array.isArray(s) ? s : [];
  });
}

// ── Consumer message search (§4.3, low confidence) ──────────────────────────────────────────────

export interface WireConsumerSearchRequest {
  OPTION: { RESULTBASE: number; RESULTCOUNT: number };
  QUERYSTRING: { AND: Array<Record<string, unknown>> };
}

/** One consumer result: the message's properties as a key/value list. */
export interface WireConsumerSearchResult {
  MetadataList: Array<{ Key: string; Value: string }>;
}

/** Keys of a consumer result's MetadataList (the emulator sends these; the client reads them leniently). */
export const CONSUMER_RESULT_KEYS = {
  threadId: "ThreadId",
  messageId: "MessageId",
  from: "From",
  displayName: "DisplayName",
  content: "Content",
  highlighted: "HitHighlightedSummary",
  composeTime: "ComposeTime",
} as const;

export function buildConsumerSearch(args: {
  terms: readonly string[];
  threadId?: string;
  from: number;
  size: number;
}): WireConsumerSearchRequest {
  const and: Array<Record<string, unknown>> = [{ OR: args.terms.map((t) => ({ Content: t })) }];
  if (args.threadId) and.push({ ThreadId: args.threadId });
  return { OPTION: { RESULTBASE: args.from, RESULTCOUNT: args.size }, QUERYSTRING: { AND: and } };
}

/** A consumer result's MetadataList as a record (first value of each key wins). */
export function consumerMetadata(result: unknown): Record<string, string> | undefined {
  const list = (result as { MetadataList?: unknown } | null)?.MetadataList;
  if (!Array.isArray(list)) return undefined;
  const out: Record<string, string> = {};
  for (const item of list) {
    const k = (item as { Key?: unknown } | null)?.Key;
    const v = (item as { Value?: unknown } | null)?.Value;
    if (typeof k === "string" && typeof v === "string" && !(k in out)) out[k] = v;
  }
  return out;
}

// ── Query strings (KQL subset) ───────────────────────────────────────────────────────────────────

/** What a search asks for: words and "quoted phrases" (all must match), optionally a sender. */
export interface ParsedQuery {
  /** Lower-case terms; a phrase keeps its inner spaces. */
  readonly terms: string[];
  /** `from:` restrictions (lower-case): a name, a name prefix or an address. */
  readonly from: string[];
}

/** Quotes a value for KQL when it holds spaces or quotes. */
function kqlValue(v: string): string {
  return /[\s"():]/.test(v) ? `"${v.replace(/"/g, "")}"` : v;
}

/**
 * The query string for what a person typed plus a sender restriction: `budget "q3 plan" AND
 * from:alice`. Typed text is kept as is (quotes make phrases).
 */
export function buildQueryString(text: string, options: { from?: string } = {}): string {
  const parts = [text.trim()].filter(Boolean);
  if (options.from?.trim()) parts.push(`from:${kqlValue(options.from.trim())}`);
  return parts.join(" AND ");
}

/**
 * Reads a query string: words, "phrases", `from:x` / `from:"x y"`, the operators `AND` (implied)
 * and `OR` (treated as AND — every term must match). Unbalanced quotes close at the end.
 */
export function parseQueryString(queryString: string): ParsedQuery {
  const terms: string[] = [];
  const from: string[] = [];
  const re = /(\w+):"([^"]*)"?|(\w+):(\S+)|"([^"]*)"?|(\S+)/gu;
  for (const m of queryString.normalize("NFC").matchAll(re)) {
    const prop = (m[1] ?? m[3])?.toLowerCase();
    const propValue = m[2] ?? m[4];
    if (prop !== undefined && propValue !== undefined) {
      if (prop === "from") {
        if (propValue.trim()) from.push(propValue.trim().toLowerCase());
        continue;
      }
      terms.push(`${prop}:${propValue}`.toLowerCase());
      continue;
    }
    const phrase = m[5];
    if (phrase !== undefined) {
      const p = phrase.trim().replace(/\s+/g, " ").toLowerCase();
      if (p) terms.push(p);
      continue;
    }
    const word = m[6];
    if (word === undefined || word === "AND" || word === "OR") continue;
    const w = word.toLowerCase();
    if (w) terms.push(w);
  }
  return { terms, from };
}

// ── Hit highlights ───────────────────────────────────────────────────────────────────────────────

/** One piece of a highlighted summary: text, and whether it is a hit. */
export interface HighlightPart {
  readonly text: string;
  readonly hit: boolean;
}

const decodeEntities = (s: string): string =>
  s.replace(/&(lt|gt|amp|quot|#39|apos);/g, (_, e: string) =>
    e === "lt" ? "<" : e === "gt" ? ">" : e === "amp" ? "&" : e === "quot" ? '"' : "'",
  );

const encodeEntities = (s: string): string =>
  s.replace(/[&<>]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;"));

/** Splits `…<c0>budget</c0>…` into parts (entities decoded). Unpaired markers are dropped. */
export function parseHighlights(summary: string): HighlightPart[] {
  const parts: HighlightPart[] = [];
  let hit = false;
  for (const piece of String(summary ?? "").split(/(<\/?c0>)/i)) {
    if (/^<c0>$/i.test(piece)) hit = true;
    else if (/^<\/c0>$/i.test(piece)) hit = false;
    else if (piece) parts.push({ text: decodeEntities(piece), hit });
  }
  return parts;
}

/**
 * Marks every occurrence of the terms in `text` with `<c0>…</c0>` (case-insensitive, overlapping
 * matches merged); the rest is entity-encoded so a literal `<c0>` in a message cannot fake a hit.
 */
export function highlightTerms(text: string, terms: readonly string[]): string {
  const wanted = terms.filter(Boolean).map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  if (wanted.length === 0) return encodeEntities(text);
  // Longest first, so a phrase wins over a word inside it.
  wanted.sort((a, b) => b.length - a.length);
  const re = new RegExp(wanted.join("|"), "giu");
  let out = "";
  let pos = 0;
  for (const m of text.normalize("NFC").matchAll(re)) {
    if (!m[0]) continue;
    out += `${encodeEntities(m.input.slice(pos, m.index))}<c0>${encodeEntities(m[0])}</c0>`;
    pos = m.index + m[0].length;
  }
  return out + encodeEntities(text.normalize("NFC").slice(pos));
}
