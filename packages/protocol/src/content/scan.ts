/**
 * A flat, linear-time markup scanner over htmlparser2's Tokenizer.
 *
 * htmlparser2's `Parser` keeps its open-element stack with `Array#unshift` and finds close tags
 * with `indexOf`, which is quadratic on deeply nested input (100,000 nested `<b>` take seconds).
 * This wrapper uses only the Tokenizer — a state machine that never recurses — and leaves the
 * element stack to the caller, who can keep it linear. Entities are decoded by the Tokenizer
 * (HTML or XML tables; no DTDs, so no entity-expansion attacks).
 */
import { type QuoteType, Tokenizer, type TokenizerCallbacks } from "htmlparser2";

/** Attributes of one tag, names lowercased; the first occurrence of a name wins. Read with own keys only. */
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

/** Tokenizer callbacks that rebuild tags and attributes and coalesce text. One per scan. */
class Scanner implements TokenizerCallbacks {
  tokenizer: Tokenizer | undefined;
  private textBuf = "";
  private tagName = "";
  private attrs: Record<string, string> | null = null;
  private attrName = "";
  private attrValue = "";

  constructor(
    private readonly input: string,
    private readonly handler: ScanHandler,
    private readonly xml: boolean,
  ) {}

  private flushText(): void {
    if (this.textBuf !== "") {
      const t = this.textBuf;
      this.textBuf = "";
      this.handler.text(t);
    }
  }

  private check(): void {
    if (this.handler.stopped) this.tokenizer?.pause();
  }

  private endOpen(selfClosing: boolean): void {
    const a = this.attrs ?? EMPTY_ATTRS;
    this.attrs = null;
    this.handler.open(this.tagName, a, selfClosing);
    this.check();
  }

  ontext(start: number, end: number): void {
    this.textBuf += this.input.slice(start, end);
  }
  ontextentity(cp: number): void {
    this.textBuf += String.fromCodePoint(cp);
  }
  onopentagname(start: number, end: number): void {
    this.flushText();
    this.check();
    this.tagName = this.input.slice(start, end).toLowerCase();
    this.attrs = null;
  }
  onattribname(start: number, end: number): void {
    this.attrName = this.input.slice(start, end).toLowerCase();
    this.attrValue = "";
  }
  onattribdata(start: number, end: number): void {
    this.attrValue += this.input.slice(start, end);
  }
  onattribentity(cp: number): void {
    this.attrValue += String.fromCodePoint(cp);
  }
  onattribend(_quote: QuoteType): void {
    if (this.attrs === null) this.attrs = {};
    // First occurrence wins (HTML); `__proto__` would reach the prototype, so it is never stored.
    if (!Object.hasOwn(this.attrs, this.attrName) && this.attrName !== "__proto__") {
      this.attrs[this.attrName] = this.attrValue;
    }
    this.attrValue = "";
  }
  onopentagend(): void {
    this.endOpen(false);
  }
  onselfclosingtag(): void {
    this.endOpen(true);
  }
  onclosetag(start: number, end: number): void {
    this.flushText();
    this.check();
    this.handler.close(this.input.slice(start, end).toLowerCase());
    this.check();
  }
  oncdata(start: number, end: number): void {
    if (this.xml) this.textBuf += this.input.slice(start, end);
  }
  oncomment(): void {}
  ondeclaration(): void {}
  onprocessinginstruction(): void {}
  onend(): void {
    this.flushText();
  }
}

/** Scans `input`, calling `handler` for each tag and text run, in document order. */
export function scanMarkup(input: string, handler: ScanHandler, options: ScanOptions = {}): void {
  const xml = options.xml ?? false;
  const scanner = new Scanner(input, handler, xml);
  const tokenizer = new Tokenizer({ xmlMode: xml, decodeEntities: true }, scanner);
  scanner.tokenizer = tokenizer;
  tokenizer.write(input);
  if (!handler.stopped) tokenizer.end();
}
