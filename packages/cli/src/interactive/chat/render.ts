/**
 * The chat log as terminal lines: day separators, times, sender names (own messages as "You"),
 * quoted replies, files and images, edits, deletions, reactions (wrapped), system lines, and the
 * state of each send (sending… → sent, or failed with the reason and /retry). Every line fits
 * `width`. Only the tail the screen needs is rendered, and each message's lines are cached.
 */
import type { Message } from "teams-api";
import type { Colors } from "../../render/colors.js";
import { messageBody, reactionsLine } from "../../render/messages.js";
import { oneLine } from "../../render/sanitize.js";
import { displayWidth, padToWidth, truncateToWidth, wrapToWidth } from "../width.js";
import type { ChatModel, PendingSend } from "./model.js";

export interface LogOptions {
  width: number;
  colors: Colors;
  /** Resolved names (never raw ids). */
  nameOf: (mri: string) => string;
  selfMri: string;
  now?: Date;
}

interface Cols {
  num: number;
  sender: number;
  text: number;
}

const NAME_COLORS = ["magenta", "blue", "yellow", "cyan", "red"] as const;

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return Math.abs(h);
}

export function dayLabel(d: Date, now: Date = new Date()): string {
  const day = (x: Date): number => new Date(x.getFullYear(), x.getMonth(), x.getDate()).getTime();
  const diff = Math.round((day(now) - day(d)) / 86_400_000);
  if (diff === 0) return "Today";
  if (diff === 1) return "Yesterday";
  return d.toLocaleDateString("en-GB", {
    weekday: "long",
    day: "numeric",
    month: "long",
    ...(d.getFullYear() !== now.getFullYear() ? { year: "numeric" } : {}),
  });
}

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

function hhmm(d: Date): string {
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

export class LogRenderer {
  readonly #cache = new WeakMap<Message, { key: string; lines: string[] }>();

  /** Columns before the text: number, time, sender. */
  #columns(o: LogOptions, count: number): Cols {
    const num = String(Math.max(1, count)).length;
    const sender = o.width < 80 ? 12 : 18;
    const text = Math.max(10, o.width - num - 1 - 5 - 2 - sender - 2);
    return { num, sender, text };
  }

  #sender(mri: string, o: LogOptions): { name: string; self: boolean } {
    if (mri && mri.toLowerCase() === o.selfMri.toLowerCase()) return { name: "You", self: true };
    return { name: oneLine(o.nameOf(mri)) || "Someone", self: false };
  }

  #paintName(name: string, self: boolean, c: Colors): string {
    if (self) return c.green(c.bold(name));
    const color = NAME_COLORS[hash(name) % NAME_COLORS.length]!;
    return c.bold(c[color](name));
  }

  /** A body line styled by what it is: a quoted reply, a file or image. */
  #paintBody(line: string, c: Colors): string {
    if (line.startsWith("> ")) return c.dim(`│ ${line.slice(2)}`);
    return line.replace(/\[(image|file|video|audio|GIF|card)(: [^\]]*)?\]/g, (m) => c.cyan(m));
  }

  #messageLines(m: Message, number: number, o: LogOptions, cols: Cols): string[] {
    const key = `${o.width}|${number}|${cols.num}|${cols.sender}`;
    const hit = this.#cache.get(m);
    if (hit && hit.key === key) return hit.lines;
    const c = o.colors;
    const num = c.dim(String(number).padStart(cols.num));
    const time = c.dim(hhmm(m.arrivedAt));
    const lead = `${num} ${time}  `;
    const indent = " ".repeat(cols.num + 1 + 5 + 2 + cols.sender + 2);
    const lines: string[] = [];
    if (m.isSystem) {
      for (const [i, l] of wrapToWidth(`· ${oneLine(messageBody(m))}`, o.width - cols.num - 8).entries()) {
        lines.push(i === 0 ? `${lead}${c.dim(l)}` : `${" ".repeat(cols.num + 8)}${c.dim(l)}`);
      }
    } else {
      const who = this.#sender(m.from.mri, o);
      const name = padToWidth(truncateToWidth(who.name, cols.sender), cols.sender);
      const body = wrapToWidth(messageBody(m), cols.text);
      body.forEach((l, i) => {
        const text = m.isDeleted ? c.dim(c.italic(l)) : this.#paintBody(l, c);
        lines.push(i === 0 ? `${lead}${this.#paintName(name, who.self, c)}  ${text}` : `${indent}${text}`);
      });
      const extras: string[] = [];
      if (m.editedAt && !m.isDeleted) extras.push("(edited)");
      if (m.reactions.length) extras.push(reactionsLine(m, (mri) => this.#sender(mri, o).name));
      if (extras.length) for (const l of wrapToWidth(extras.join("  "), cols.text)) lines.push(`${indent}${c.dim(l)}`);
    }
    this.#cache.set(m, { key, lines });
    return lines;
  }

  #pendingLines(p: PendingSend, o: LogOptions, cols: Cols): string[] {
    const c = o.colors;
    const lead = `${" ".repeat(cols.num)} ${c.dim(hhmm(p.at))}  `;
    const indent = " ".repeat(cols.num + 1 + 5 + 2 + cols.sender + 2);
    const name = this.#paintName(padToWidth("You", cols.sender), true, c);
    const body = wrapToWidth(p.text, cols.text);
    const lines = body.map((l, i) => (i === 0 ? `${lead}${name}  ${c.dim(l)}` : `${indent}${c.dim(l)}`));
    const state =
      p.state === "sending"
        ? c.dim("sending…")
        : p.state === "sent"
          ? c.green("✓ sent")
          : c.red(`✗ not sent: ${oneLine(p.reason ?? "failed")} — /retry sends it again`);
    for (const l of wrapToWidth(state, cols.text)) lines.push(`${indent}${l}`);
    return lines;
  }

  /**
   * The last `need` lines of the log (or all of it when shorter), and whether they reach the
   * oldest loaded message (so PgUp should load older history).
   */
  tail(model: ChatModel, o: LogOptions, need: number): { lines: string[]; reachedTop: boolean } {
    const c = o.colors;
    const messages = model.messages;
    const cols = this.#columns(o, messages.length);
    const out: string[][] = [];
    let count = 0;
    for (const p of [...model.pending].reverse()) {
      const block = this.#pendingLines(p, o, cols);
      out.push(block);
      count += block.length;
    }
    const now = o.now ?? new Date();
    const separator = (d: Date): string => {
      const label = ` ${dayLabel(d, now)} `;
      const side = Math.max(2, Math.floor((o.width - displayWidth(label)) / 2));
      return c.dim(truncateToWidth(`${"─".repeat(side)}${label}${"─".repeat(side)}`, o.width, ""));
    };
    let i = messages.length - 1;
    for (; i >= 0 && count < need; i--) {
      const m = messages[i]!;
      const block = [...this.#messageLines(m, i + 1, o, cols)];
      const prev = messages[i - 1];
      if (!prev || !sameDay(prev.arrivedAt, m.arrivedAt)) block.unshift(separator(m.arrivedAt));
      out.push(block);
      count += block.length;
    }
    const lines = out.reverse().flat();
    return { lines, reachedTop: i < 0 };
  }
}
