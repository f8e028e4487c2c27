/**
 * A flat, linear-time markup scanner over htmlparser2's Tokenizer.
 *
 * htmlparser2's `Parser` keeps its open-element stack with `Array#unshift` and finds close tags
 * with `indexOf`, which is quadratic on deeply nested input (100,000 nested `<b>` take seconds).
 * This wrapper uses only the Tokenizer — a state machine that never recurses — and leaves the
 * element stack to the caller, who can keep it linear. Entities are decoded by the Tokenizer
 * (HTML or XML tables; no DTDs, so no entity-expansion attacks).
 */
import { type QuoteType, Tokenizer } from "htmlparser2";

/** Attributes of one tag, names lowercased; the first occurrence of a name wins. */
export type Attrs = Readonly<Record<string, string>>;

export interface ScanHandler {
  /** A start tag. `selfClosing` is true for `<x/>` syntax. Names are lowercased. */
  open(name: string, attrs: Attrs, selfClosing: boolean): void;
  /** An end tag, name lowercased. Not matched against anything: that is the caller's job. */
  close(name: string): void;
  /** A run of text between tags, entities decoded (consecutive pieces are joined). */
  text(text: string): void;
  /** Set to true from any callback to stop scanning early. */
  stopped?: boolean;
}

export interface ScanOptions {
  /** XML mode: no HTML raw-text elements (`script`, `style`), XML entities only, CDATA is text. */
  xml?: boolean;
}

/** HTML elements that never have content or an end tag. */
export const HTML_VOID_ELEMENTS: ReadonlySet<string> = new Set([
  "area",
  "base",
  "br",
  "col",
  "embed",
  "hr",
  "img",
  "input",
  "keygen",
  "link",
  "meta",
  "param",
  "source",
  "track",
  "wbr",
]);

const EMPTY_ATTRS: Attrs = Object.freeze(Object.create(null) as Record<string, string>);

/** Scans `input`, calling `handler` for each tag and text run, in document order. */
export function scanMarkup(input: string, handler: ScanHandler, options: ScanOptions = {}): void {
  const xml = options.xml ?? false;
  let textBuf = "";
  let tagName = "";
  let attrs: Record<string, string> | null = null;
  let attrName = "";
  let attrValue = "";

  const flushText = (): void => {
    if (textBuf !== "") {
      const t = textBuf;
      textBuf = "";
      handler.text(t);
    }
  };
  const check = (): void => {
    if (handler.stopped) tokenizer.pause();
  };
  const endOpen = (selfClosing: boolean): void => {
    const a = attrs ?? EMPTY_ATTRS;
    attrs = null;
    handler.open(tagName, a, selfClosing);
    check();
  };

  const tokenizer: Tokenizer = new Tokenizer(
    { xmlMode: xml, decodeEntities: true },
    {
      ontext(start, end) {
        textBuf += input.slice(start, end);
      },
      ontextentity(cp) {
        textBuf += String.fromCodePoint(cp);
      },
      onopentagname(start, end) {
        flushText();
        check();
        tagName = input.slice(start, end).toLowerCase();
        attrs = null;
      },
      onattribname(start, end) {
        attrName = input.slice(start, end).toLowerCase();
        attrValue = "";
      },
      onattribdata(start, end) {
        attrValue += input.slice(start, end);
      },
      onattribentity(cp) {
        attrValue += String.fromCodePoint(cp);
      },
      onattribend(_quote: QuoteType) {
        if (attrs === null) attrs = Object.create(null) as Record<string, string>;
        if (!(attrName in attrs)) attrs[attrName] = attrValue;
        attrValue = "";
      },
      onopentagend() {
        endOpen(false);
      },
      onselfclosingtag() {
        endOpen(true);
      },
      onclosetag(start, end) {
        flushText();
        check();
        handler.close(input.slice(start, end).toLowerCase());
        check();
      },
      oncdata(start, end) {
        if (xml) textBuf += input.slice(start, end);
      },
      oncomment() {},
      ondeclaration() {},
      onprocessinginstruction() {},
      onend() {
        flushText();
      },
    },
  );
  tokenizer.write(input);
  if (!handler.stopped) tokenizer.end();
}
