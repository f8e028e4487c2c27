/**
 * Line-oriented output for the HTML renderer: collapses whitespace and block breaks, applies the
 * current line prefix (quote markers, list indentation) to each new line, and wraps to a width.
 * All text handed to it must already be sanitized.
 */
import { textWidth, wrapWords } from "./width.js";

export class TextBuilder {
  /** Prefix for lines that start from now on (set by the renderer as containers open and close). */
  prefix = "";
  /** Replaces `prefix` on the next line that starts (a list item's bullet). */
  marker: string | undefined;
  /** UTF-16 length of everything written so far, prefixes included. */
  length = 0;
  /** Bumped on every write of visible content; lets the renderer tell whether anything was written in between. */
  writes = 0;

  private readonly lines: string[] = [];
  private cur = "";
  private curPrefix = "";
  private curContPrefix = "";
  private curPre = false;
  private lineOpen = false;
  private pendingBreaks = 0;
  private pendingSpace = false;

  constructor(private readonly width: number | undefined) {}

  /** A block boundary: the next content starts on a new line. Runs collapse. */
  blockBreak(): void {
    if (this.pendingBreaks < 1) this.pendingBreaks = 1;
  }

  /** A `<br>`: one more line break, at most one blank line in a row. */
  lineBreak(): void {
    if (this.pendingBreaks < 2) this.pendingBreaks++;
  }

  /** Collapsible text: may start or end with a single space; contains no newline or control. */
  inline(text: string): void {
    if (text === "") return;
    let t = text;
    if (t.charCodeAt(0) === 0x20) {
      this.pendingSpace = true;
      t = t.slice(1);
    }
    const trailing = t.length > 0 && t.charCodeAt(t.length - 1) === 0x20;
    if (trailing) t = t.slice(0, -1);
    if (t !== "") this.write(t);
    if (trailing) this.pendingSpace = true;
  }

  /** Visible content at the current position (after any pending break or space). */
  write(t: string): void {
    this.startContent();
    if (this.pendingSpace) {
      this.cur += " ";
      this.length++;
      this.pendingSpace = false;
    }
    this.cur += t;
    this.length += t.length;
    this.writes++;
  }

  /** Content glued to what precedes it, leaving a pending space pending (closing markers). */
  writeTight(t: string): void {
    if (!this.lineOpen) return;
    this.cur += t;
    this.length += t.length;
    this.writes++;
  }

  /** Preformatted text: newlines are kept one for one, spaces are not collapsed, lines are not wrapped. */
  pre(text: string): void {
    const parts = text.split("\n");
    for (let k = 0; k < parts.length; k++) {
      if (k > 0) {
        this.startContent();
        this.endLine();
        this.openLine(this.prefix);
        this.curPre = true;
      }
      const part = parts[k] ?? "";
      if (part !== "") {
        this.startContent();
        if (this.pendingSpace) {
          // Inline code after a word: keep the space between them.
          this.cur += " ";
          this.length++;
          this.pendingSpace = false;
        }
        this.cur += part;
        this.length += part.length;
        this.curPre = true;
        this.writes++;
      }
    }
  }

  /** The finished text. */
  finish(): string {
    if (this.lineOpen && this.cur !== "") this.endLine();
    const lines = this.lines;
    while (lines.length > 0 && (lines[lines.length - 1] ?? "").trim() === "") lines.pop();
    return lines.join("\n");
  }

  private startContent(): void {
    if (!this.lineOpen) {
      this.pendingBreaks = 0;
      this.openLine(this.marker ?? this.prefix);
      return;
    }
    if (this.pendingBreaks === 0) return;
    let breaks = this.pendingBreaks;
    this.pendingBreaks = 0;
    if (this.cur !== "") this.endLine();
    else breaks--; // an empty open line already stands for one break
    for (let k = 1; k < breaks; k++) this.pushLine(this.prefix.trimEnd());
    this.openLine(this.marker ?? this.prefix);
  }

  private openLine(prefix: string): void {
    this.curPrefix = prefix;
    this.curContPrefix = this.prefix;
    this.marker = undefined;
    this.cur = "";
    this.curPre = false;
    this.pendingSpace = false;
    this.lineOpen = true;
    this.length += prefix.length + 1;
  }

  private endLine(): void {
    const width = this.width;
    if (width === undefined || this.curPre) {
      this.pushLine(this.curPrefix + this.cur);
    } else {
      const pieces = wrapWords(this.cur, width - textWidth(this.curContPrefix));
      for (let k = 0; k < pieces.length; k++) {
        this.pushLine((k === 0 ? this.curPrefix : this.curContPrefix) + pieces[k]);
      }
    }
    this.cur = "";
    this.lineOpen = false;
  }

  private pushLine(line: string): void {
    this.lines.push(line);
  }
}
