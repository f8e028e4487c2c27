/**
 * When a walk over `_metadata.backwardLink` pages ends, whatever the server sends: at the last page
 * (no link), at an empty page, at a link already followed, at a page that brings nothing new, and
 * at a page cap. A server that hands out an ever-new link therefore cannot keep a call going.
 */

export const PAGING_DEFAULTS = {
  /** Pages one walk reads at most (200 messages each: 100,000 messages). */
  maxPages: 500,
} as const;

/** Follows one walk: feed it each page, and it says which items are new and whether to go on. */
export class PageWalk {
  readonly #maxPages: number;
  readonly #idOf: (item: unknown) => string | undefined;
  readonly #links = new Set<string>();
  readonly #ids = new Set<string>();
  #pages = 0;

  /** `idOf` names an item (items without an id always count as new). */
  constructor(idOf: (item: unknown) => string | undefined, maxPages: number = PAGING_DEFAULTS.maxPages) {
    this.#idOf = idOf;
    this.#maxPages = maxPages;
  }

  /** Pages seen so far. */
  get pages(): number {
    return this.#pages;
  }

  /**
   * Records a page and its next link. `fresh` holds the items not seen on an earlier page (in page
   * order); `follow` is true when the walk should read `link` next.
   */
  page(items: readonly unknown[], link: string | undefined): { fresh: unknown[]; follow: boolean } {
    this.#pages++;
    const fresh: unknown[] = [];
    for (const item of items) {
      const id = this.#idOf(item);
      if (id !== undefined) {
        if (this.#ids.has(id)) continue;
        this.#ids.add(id);
      }
      fresh.push(item);
    }
    const follow =
      link !== undefined && link !== "" && fresh.length > 0 && !this.#links.has(link) && this.#pages < this.#maxPages;
    if (link) this.#links.add(link);
    return { fresh, follow };
  }
}

/** The `id` of a wire item (message or conversation), as a string. */
export function wireId(item: unknown): string | undefined {
  if (item === null || typeof item !== "object") return undefined;
  const id = (item as { id?: unknown }).id;
  return typeof id === "string" || typeof id === "number" ? String(id) : undefined;
}
