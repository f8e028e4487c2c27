/**
 * Paged chat-service lists (conversations, messages): one page per request, older pages through
 * `_metadata.backwardLink` (PROTOCOL.md §2.5–2.6), as an async iterable. A consumer that stops
 * iterating stops the requests: no page is fetched that nobody reads.
 */
import { ProtocolError } from "../../errors.js";
import type { ApiRequest, ApiResponse, RequestOptions } from "../../http/types.js";
import { PageWalk, wireId } from "../paging.js";
import type { ChatCore } from "./core.js";

export interface PageRequest {
  /** Absolute URL of the first page. */
  url: string;
  query?: ApiRequest["query"];
  /** The list's field in each page body. */
  key: "conversations" | "messages";
  /** Pages read at most. @default PAGING_DEFAULTS.maxPages */
  maxPages?: number;
}

/**
 * The raw pages of a list, newest first, each with only the items no earlier page brought; ends at
 * the last page, an empty page, a repeated link, a page with nothing new, or the page cap.
 */
export async function* rawPages(
  core: ChatCore,
  first: PageRequest,
  options: RequestOptions,
): AsyncGenerator<unknown[], void, undefined> {
  const v1 = await core.v1(options);
  const walk = new PageWalk(wireId, first.maxPages);
  let url: string | undefined = first.url;
  let query = first.query;
  while (url) {
    const res: ApiResponse<unknown> = await core.request<unknown>(
      { method: "GET", url, ...(query ? { query } : {}) },
      options,
    );
    const body = res.body as Record<string, unknown> | null;
    if (!body || typeof body !== "object" || !Array.isArray(body[first.key])) {
      throw new ProtocolError(`The chat service sent a ${first.key} page in an unexpected shape.`);
    }
    const meta = body["_metadata"] as Record<string, unknown> | undefined;
    const link = meta && typeof meta["backwardLink"] === "string" ? meta["backwardLink"] : "";
    // The stop rules (./paging.ts): last page, empty page, repeated link, nothing new, page cap.
    const { fresh, follow } = walk.page(body[first.key] as unknown[], link);
    yield fresh;
    if (!follow) return;
    url = core.followLink(link, v1);
    query = undefined;
  }
}

/** Items mapped from raw pages, each id once (a page boundary may repeat one). */
export async function* uniqueItems<T extends { id: string }>(
  pages: AsyncIterable<unknown[]>,
  map: (raw: unknown) => T,
  decoratePage?: (items: T[]) => Promise<T[]>,
): AsyncGenerator<T, void, undefined> {
  const seen = new Set<string>();
  for await (const page of pages) {
    const fresh: T[] = [];
    for (const raw of page) {
      const item = map(raw);
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      fresh.push(item);
    }
    yield* decoratePage ? await decoratePage(fresh) : fresh;
  }
}

/** The first `count` items of an async iterable (all of them for `Infinity`). */
export async function take<T>(items: AsyncIterable<T>, count: number): Promise<T[]> {
  const out: T[] = [];
  if (!(count > 0)) return out;
  for await (const item of items) {
    out.push(item);
    if (out.length >= count) break;
  }
  return out;
}
