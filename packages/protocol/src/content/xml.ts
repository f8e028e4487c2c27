/**
 * A tiny, safe XML reader for the small documents in system messages (`<addmember>…`,
 * `<partlist>…`): a flat list of elements with their attributes and direct text, built by the
 * non-recursive tokenizer. Predefined and numeric entities only — no DTDs, no entity expansion.
 */
import { type Attrs, scanMarkup } from "./scan.js";

export interface XmlElement {
  /** Lowercased tag name. */
  name: string;
  /** Index of the parent in the list, -1 for top-level elements. */
  parent: number;
  attrs: Attrs;
  /** Text directly inside this element (not in its children), entities decoded. */
  text: string;
  /** Indexes of child elements. */
  children: number[];
}

/** Limits that keep hostile input cheap. */
const MAX_ELEMENTS = 10_000;
const MAX_TEXT = 64 * 1024;

/** Reads `input` into a flat element list (document order). Never throws. */
export function readXml(input: string): XmlElement[] {
  const elements: XmlElement[] = [];
  if (typeof input !== "string") return elements;
  const stack: number[] = [];
  const openCount = new Map<string, number>();
  const handler = {
    stopped: false,
    open(name: string, attrs: Attrs, selfClosing: boolean) {
      if (elements.length >= MAX_ELEMENTS) {
        handler.stopped = true;
        return;
      }
      const parent = stack.length > 0 ? (stack[stack.length - 1] ?? -1) : -1;
      const index = elements.length;
      elements.push({ name, parent, attrs, text: "", children: [] });
      if (parent >= 0) elements[parent]?.children.push(index);
      if (!selfClosing) {
        stack.push(index);
        openCount.set(name, (openCount.get(name) ?? 0) + 1);
      }
    },
    close(name: string) {
      if ((openCount.get(name) ?? 0) === 0) return;
      for (;;) {
        const i = stack.pop();
        if (i === undefined) return;
        const n = elements[i]?.name ?? "";
        openCount.set(n, (openCount.get(n) ?? 1) - 1);
        if (n === name) return;
      }
    },
    text(t: string) {
      const i = stack[stack.length - 1];
      if (i === undefined) return;
      const e = elements[i];
      if (e && e.text.length < MAX_TEXT) e.text += t;
    },
  };
  try {
    scanMarkup(input, handler, { xml: true });
  } catch {
    // The tokenizer does not throw on any input we know of; stay lenient regardless.
  }
  return elements;
}

/** The first element named `name` among `parent`'s children (or top-level elements for -1). */
export function childNamed(elements: readonly XmlElement[], parent: number, name: string): XmlElement | undefined {
  const ids = parent < 0 ? topLevel(elements) : (elements[parent]?.children ?? []);
  for (const i of ids) {
    const e = elements[i];
    if (e?.name === name) return e;
  }
  return undefined;
}

/** All of `parent`'s children named `name`, as indexes. */
export function childrenNamed(elements: readonly XmlElement[], parent: number, name: string): number[] {
  const ids = parent < 0 ? topLevel(elements) : (elements[parent]?.children ?? []);
  return ids.filter((i) => elements[i]?.name === name);
}

function topLevel(elements: readonly XmlElement[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < elements.length; i++) if (elements[i]?.parent === -1) out.push(i);
  return out;
}

/** Trimmed direct text of the first child named `name`, or undefined. */
export function childText(elements: readonly XmlElement[], parent: number, name: string): string | undefined {
  const e = childNamed(elements, parent, name);
  return e === undefined ? undefined : e.text.trim();
}
