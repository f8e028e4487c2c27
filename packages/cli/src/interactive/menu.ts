/**
 * A list to pick from: ↑/↓ (PgUp/PgDn, Home/End) move, Enter picks, typing filters, Esc clears the
 * filter or goes back, Ctrl+C goes back. Optional lines of content (a table, a result) sit above the
 * list, and "← Back" is always the last item.
 */
import { isCtrlC, type Key, printable } from "./keys.js";
import { BACK, type Back, type Rendered, type Ui, type View } from "./ui.js";
import { displayWidth, padToWidth, truncateToWidth } from "./width.js";

export interface MenuItem<T> {
  /** What the item says (sanitized by the caller); the filter matches it. */
  label: string;
  value: T;
  /** Dim text after the label (a preview, a time). */
  detail?: string;
  /** A coloured mark before the label (a presence dot, an unread mark), one or two columns. */
  mark?: string;
  /** Bold label (unread). */
  strong?: boolean;
}

export interface MenuOptions<T> {
  crumbs: readonly string[];
  /** The question above the list. */
  title: string;
  items: readonly MenuItem<T>[];
  /** Lines shown above the list (cut to the width), or made for the width. */
  content?: readonly string[] | ((width: number) => string[]);
  /** The value to start on. */
  initial?: T;
  /** Label of the way out. @default "← Back" (null: no back item, e.g. the main menu has Exit) */
  back?: string | null;
  /** Shown when the list is empty. */
  empty?: string;
  /** Standing status line (e.g. when the list was loaded). */
  status?: () => string;
  /** Whether two values are the same item (keeps the selection when the list is replaced). */
  sameItem?: (a: T, b: T) => boolean;
}

export class MenuView<T> implements View {
  readonly crumbs: readonly string[];
  readonly #ui: Ui;
  readonly #opts: MenuOptions<T>;
  #items: Array<MenuItem<T | Back>>;
  #filter = "";
  #index = 0;
  #top = 0;
  readonly #done: (value: T | Back) => void;

  constructor(ui: Ui, opts: MenuOptions<T>, done: (value: T | Back) => void) {
    this.#ui = ui;
    this.#opts = opts;
    this.crumbs = opts.crumbs;
    this.#items = [...opts.items];
    if (opts.back !== null) this.#items.push({ label: opts.back ?? "← Back", value: BACK });
    this.#done = done;
    const start = opts.initial === undefined ? -1 : this.#items.findIndex((i) => i.value === opts.initial);
    this.#index = Math.max(0, start);
  }

  /** Replaces the items (a refreshed list), keeping the selected one selected. */
  setItems(items: readonly MenuItem<T>[]): void {
    const current = this.#visible()[this.#index]?.value;
    this.#items = [...items];
    if (this.#opts.back !== null) this.#items.push({ label: this.#opts.back ?? "← Back", value: BACK });
    if (current === undefined) return;
    const same = (v: T | Back): boolean =>
      v === current || (v !== BACK && current !== BACK && Boolean(this.#opts.sameItem?.(v, current)));
    const i = this.#visible().findIndex((item) => same(item.value));
    if (i >= 0) this.#index = i;
  }

  #visible(): Array<MenuItem<T | Back>> {
    if (!this.#filter) return this.#items;
    const needle = this.#filter.toLowerCase();
    return this.#items.filter((i) => i.value === BACK || i.label.toLowerCase().includes(needle));
  }

  hint(): string {
    return "↑↓ move · Enter select · type to filter · Esc/Ctrl+C back";
  }

  status(): string {
    return this.#opts.status?.() ?? "";
  }

  onKey(key: Key): void {
    const items = this.#visible();
    const typed = printable(key);
    if (isCtrlC(key)) {
      this.#done(BACK);
      return;
    }
    if (typed !== undefined && (typed !== " " || this.#filter !== "")) {
      this.#filter += typed;
      this.#index = 0;
      return;
    }
    switch (key.name) {
      case "up":
        this.#index = (this.#index - 1 + items.length) % items.length;
        return;
      case "down":
        this.#index = (this.#index + 1) % items.length;
        return;
      case "pageup":
        this.#index = Math.max(0, this.#index - 10);
        return;
      case "pagedown":
        this.#index = Math.min(items.length - 1, this.#index + 10);
        return;
      case "home":
        this.#index = 0;
        return;
      case "end":
        this.#index = items.length - 1;
        return;
      case "backspace":
        this.#filter = [...this.#filter].slice(0, -1).join("");
        this.#index = 0;
        return;
      case "escape":
        if (this.#filter) {
          this.#filter = "";
          this.#index = 0;
        } else if (this.#opts.back !== null) this.#done(BACK);
        return;
      case "return":
      case "enter": {
        const item = items[this.#index];
        if (item) this.#done(item.value);
        return;
      }
    }
  }

  render(width: number, height: number): Rendered {
    const c = this.#ui.c;
    const lines: string[] = [];
    const items = this.#visible();
    if (this.#index >= items.length) this.#index = Math.max(0, items.length - 1);
    const content = typeof this.#opts.content === "function" ? this.#opts.content(width) : (this.#opts.content ?? []);
    // The list keeps at least a few rows; content gives way first.
    const listRoom = Math.min(items.length + 2, Math.max(4, height - content.length));
    for (const l of content.slice(0, Math.max(0, height - listRoom))) lines.push(l);
    lines.push(c.bold(`? ${this.#opts.title}`));
    lines.push(
      this.#filter ? `  ${c.yellow("Filter:")} ${this.#filter}${c.dim("  (Esc clears)")}` : c.dim("  Type to filter"),
    );
    const rows = Math.max(1, height - lines.length);
    if (this.#index < this.#top) this.#top = this.#index;
    if (this.#index >= this.#top + rows) this.#top = this.#index - rows + 1;
    this.#top = Math.max(0, Math.min(this.#top, Math.max(0, items.length - rows)));
    if (items.length === 1 && this.#opts.items.length === 0 && this.#opts.empty) {
      lines.push(c.dim(`  ${this.#opts.empty}`));
    }
    // Labels share one column so details line up: as wide as the widest shown label, within reason.
    const shownItems = items.slice(this.#top, this.#top + rows);
    // The details get what the labels leave, but at most 45% of the row.
    const detailWidth = Math.min(
      Math.max(0, ...shownItems.map((i) => (i.detail ? displayWidth(i.detail) + 2 : 0))),
      Math.floor(width * 0.45),
    );
    const labelCol = Math.min(Math.max(...shownItems.map((i) => displayWidth(i.label)), 8), width - 4 - detailWidth);
    shownItems.forEach((item, k) => {
      const active = this.#top + k === this.#index;
      const pointer = active ? c.cyan("❯ ") : "  ";
      const mark = item.mark !== undefined ? `${item.mark} ` : "";
      const room = width - 2 - displayWidth(mark);
      const col = Math.min(labelCol, room);
      const rest = room - col - 2;
      const detail = item.detail && rest > 6 ? `  ${truncateToWidth(item.detail, rest)}` : "";
      const label = detail ? padToWidth(item.label, col) : truncateToWidth(item.label, room);
      const styled = active ? c.cyan(c.bold(label)) : item.strong ? c.bold(label) : label;
      lines.push(`${pointer}${mark}${styled}${c.dim(detail)}`);
    });
    return { lines };
  }
}

/** Shows a menu until the user picks something (or goes back). */
export function menu<T>(ui: Ui, opts: MenuOptions<T>): Promise<T | Back> {
  return new Promise((resolve) => {
    ui.show(new MenuView(ui, opts, resolve));
  });
}
