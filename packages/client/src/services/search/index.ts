/**
 * Search (PROTOCOL.md §4). Enterprise accounts search messages through Substrate
 * (`POST /searchservice/api/v2/query`, Bearer for the Substrate audience plus `x-anchormailbox`
 * naming the caller's mailbox) and people through Substrate suggestions; consumer accounts search
 * messages through the Skype-lineage msgsearch form with their skypetoken. Hosts come from the
 * cloud (Substrate and msgsearch are not in regionGtms); on the emulator they are its origin.
 */
import { randomUUID } from "node:crypto";
import {
  AUDIENCES,
  buildConsumerSearch,
  buildQueryString,
  buildSubstrateQuery,
  buildSuggestionsRequest,
  mriKind,
  parseQueryString,
  SEARCH_PATHS,
  substrateResults,
  suggestionsOf,
} from "@teams-api/protocol";
import { InvalidArgumentError, ProtocolError } from "../../errors.js";
import type { RequestOptions, ServiceContext } from "../../http/types.js";
import type { PersonSuggestion, SearchResult } from "../../models.js";
import type { NameResolver } from "../names.js";
import { requestOptions } from "../util.js";
import { toConsumerSearchResult, toSearchResult, toSuggestion } from "./map.js";

export interface SearchMessagesOptions extends RequestOptions {
  /** Only messages from this person: a display name, an email address or an MRI. */
  from?: string;
  /** Only messages in this conversation (id). */
  in?: string;
  /** Only messages sent before this time. */
  before?: Date;
  /** Only messages sent after this time. */
  after?: Date;
  /** At most this many results. @default 25 */
  limit?: number;
}

/** Where the search services live for this session. */
export interface SearchHosts {
  /** Substrate root (`https://substrate.office.com`). */
  readonly substrate: string;
  /** Consumer message search root (`https://msgsearch.skype.com`). */
  readonly consumer: string;
}

export const SEARCH_DEFAULTS = {
  limit: 25,
  /** Results asked per request. */
  pageSize: 25,
  /** Requests one search makes at most (filters applied here may need more than one page). */
  maxPages: 8,
  /** Longest query accepted. */
  maxQueryLength: 1000,
} as const;

export class SearchService {
  readonly #ctx: ServiceContext;
  readonly #hosts: () => SearchHosts;
  readonly #names: NameResolver | undefined;

  constructor(context: ServiceContext, deps: { hosts: () => SearchHosts; names?: NameResolver }) {
    this.#ctx = context;
    this.#hosts = deps.hosts;
    this.#names = deps.names;
  }

  /**
   * Messages matching `query` (words all match; "quoted phrases" match as written), best match
   * first, from the conversations you are in. `from`, `in`, `before` and `after` narrow it down.
   */
  async searchMessages(query: string, options: SearchMessagesOptions = {}): Promise<SearchResult[]> {
    const text = checkQuery(query, options.from);
    const limit = checkLimit(options.limit);
    const identity = await this.#ctx.identity(options);
    const from = await this.#fromName(options.from);
    const keep = (r: SearchResult): boolean =>
      (!options.in || r.conversationId === options.in) &&
      (!options.before || (r.sentAt !== undefined && r.sentAt < options.before)) &&
      (!options.after || (r.sentAt !== undefined && r.sentAt > options.after));
    const out: SearchResult[] = [];
    const pageSize = Math.min(SEARCH_DEFAULTS.pageSize, limit);
    for (let page = 0; page < SEARCH_DEFAULTS.maxPages && out.length < limit; page++) {
      const batch =
        identity.kind === "consumer"
          ? await this.#consumerPage(text, from, options.in, page * pageSize, pageSize, options)
          : await this.#substratePage(text, from, identity, page * pageSize, pageSize, options);
      for (const r of batch.results) if (keep(r) && out.length < limit) out.push(r);
      if (batch.size < pageSize) break;
    }
    return out;
  }

  /** People whose name or address starts with `query` (Substrate suggestions; enterprise accounts). */
  async suggestPeople(query: string, options: RequestOptions & { limit?: number } = {}): Promise<PersonSuggestion[]> {
    const q = typeof query === "string" ? query.trim() : "";
    if (!q) throw new InvalidArgumentError("Type part of a name or an address to look for.");
    const limit = checkLimit(options.limit, 10);
    const identity = await this.#ctx.identity(options);
    if (identity.kind === "consumer") {
      throw new InvalidArgumentError(
        "People suggestions come from Substrate, which serves work and school accounts only.",
      );
    }
    const res = await this.#ctx.transport.request<unknown>({
      ...requestOptions(options),
      method: "POST",
      url: `${this.#hosts().substrate}${SEARCH_PATHS.suggestions}`,
      query: { scenario: "powerbar" },
      body: buildSuggestionsRequest({ query: q, size: limit, cvid: randomUUID() }),
      auth: { kind: "bearer", audience: AUDIENCES.substrate },
      idempotent: true,
    });
    const list = suggestionsOf(res.body);
    if (!list) throw new ProtocolError("Substrate sent people suggestions in an unexpected shape.");
    return list.map(toSuggestion).filter((p): p is PersonSuggestion => p !== undefined);
  }

  /** A `from` filter as the service matches it: a name or address (an MRI is resolved to a name). */
  async #fromName(from: string | undefined): Promise<string | undefined> {
    const f = from?.trim();
    if (!f) return undefined;
    if (mriKind(f) === "other" || !this.#names) return f;
    const name = await this.#names.displayName(f);
    return name || f;
  }

  async #substratePage(
    text: string,
    from: string | undefined,
    identity: { mri: string; tenantId: string | undefined },
    offset: number,
    size: number,
    options: RequestOptions,
  ): Promise<{ results: SearchResult[]; size: number }> {
    const oid = identity.mri.replace(/^8:orgid:/, "");
    const res = await this.#ctx.transport.request<unknown>({
      ...requestOptions(options),
      method: "POST",
      url: `${this.#hosts().substrate}${SEARCH_PATHS.substrateQuery}`,
      headers: { "x-anchormailbox": `Oid:${oid}@${identity.tenantId ?? ""}` },
      body: buildSubstrateQuery({
        queryString: buildQueryString(text, from ? { from } : {}),
        from: offset,
        size,
        cvid: randomUUID(),
        logicalId: randomUUID(),
      }),
      auth: { kind: "bearer", audience: AUDIENCES.substrate },
      // A search changes nothing: repeating it is harmless.
      idempotent: true,
    });
    const set = substrateResults(res.body);
    if (!set) throw new ProtocolError("Substrate sent search results in an unexpected shape.");
    return {
      results: set.results.map(toSearchResult).filter((r): r is SearchResult => r !== undefined),
      size: set.results.length,
    };
  }

  async #consumerPage(
    text: string,
    from: string | undefined,
    threadId: string | undefined,
    offset: number,
    size: number,
    options: RequestOptions,
  ): Promise<{ results: SearchResult[]; size: number }> {
    const res = await this.#ctx.transport.request<unknown>({
      ...requestOptions(options),
      method: "POST",
      url: `${this.#hosts().consumer}${SEARCH_PATHS.consumerQuery}`,
      body: buildConsumerSearch({
        terms: [text],
        ...(threadId ? { threadId } : {}),
        from: offset,
        size,
      }),
      auth: { kind: "skypetoken" },
      idempotent: true,
    });
    if (!Array.isArray(res.body)) throw new ProtocolError("The message search sent results in an unexpected shape.");
    const wanted = from?.toLowerCase();
    const results = res.body
      .map(toConsumerSearchResult)
      .filter((r): r is SearchResult => r !== undefined)
      // The consumer form has no sender clause: narrow it here.
      .filter(
        (r) => !wanted || r.from.displayName.toLowerCase().startsWith(wanted) || r.from.mri.toLowerCase() === wanted,
      );
    return { results, size: res.body.length };
  }
}

function checkQuery(query: string, from: string | undefined): string {
  if (typeof query !== "string") throw new InvalidArgumentError("The search query must be text.");
  const text = query.normalize("NFC").trim();
  if (text.length > SEARCH_DEFAULTS.maxQueryLength) {
    throw new InvalidArgumentError(`The search query is longer than ${SEARCH_DEFAULTS.maxQueryLength} characters.`);
  }
  if (parseQueryString(text).terms.length === 0) {
    throw new InvalidArgumentError(
      from?.trim()
        ? "Type a word or a phrase to look for in the messages from that person."
        : 'Type a word or a "quoted phrase" to look for.',
    );
  }
  return text;
}

function checkLimit(limit: number | undefined, fallback: number = SEARCH_DEFAULTS.limit): number {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    throw new InvalidArgumentError("limit must be a whole number from 1 to 500.");
  }
  return limit;
}
