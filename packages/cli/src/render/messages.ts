import { formatBytes, reactionLabel } from "@teams-api/protocol";
import type { Attachment, Message, Person } from "teams-api";
import type { Colors } from "./colors.js";
import { oneLine, sanitizeTerminalText } from "./sanitize.js";
import { shortTime } from "./time.js";

/** Names for MRIs, already resolved (never a raw MRI). */
export type NameOf = (mri: string) => string;

/** What a message says, as terminal-safe text (may hold newlines). */
export function messageBody(m: Message): string {
  if (m.isDeleted) return "(message deleted)";
  // The library renders system messages as sentences ("Dana added Evan") with names resolved.
  if (m.isSystem && !m.messageType.startsWith("Event/Call")) return oneLine(m.text) || oneLine(m.messageType);
  if (m.messageType.startsWith("Event/Call")) return "Call";
  if (m.attachments.length > 0) return attachmentsBody(m);
  const text = sanitizeTerminalText(m.text).trim();
  return text === "" ? `(${oneLine(m.messageType) || "empty message"})` : text;
}

/** "📎 report.pdf (1.2 MB)" / "🖼 whiteboard.png". */
export function attachmentLabel(a: Attachment): string {
  if (a.kind === "image") return `🖼 ${oneLine(a.fileName) || "image"}`;
  const size = a.size !== undefined ? formatBytes(a.size) : "";
  return `📎 ${oneLine(a.fileName) || "file"}${size ? ` (${size.replace(" ", "\u00a0")})` : ""}`;
}

/** A message with files: one line per file, then what the message says besides them (its caption). */
function attachmentsBody(m: Message): string {
  const labels = m.attachments.map(attachmentLabel);
  const caption = m.attachments.find((a) => a.caption)?.caption;
  // The rendered text names each file as `[file: …]` / `[image: …]`: the labels say that already.
  const rest = caption ?? sanitizeTerminalText(m.text.replace(/\[(?:image|file|GIF)(?::[^\]\n]*)?\]/g, "")).trim();
  return [...labels, ...(rest ? [rest] : [])].join("\n");
}

/** "👍 2 (Bob Example, Alice Example)  ❤️ 1 (Carol Guest)": the names the library resolved, unless `name` overrides. */
export function reactionsLine(m: Message, name?: NameOf): string {
  return reactionsOf(m, (u) => (name ? name(u.mri) : u.displayName));
}

function reactionsOf(m: Message, name: (p: Person) => string): string {
  return m.reactions
    .map((r) => `${oneLine(reactionLabel(r.key))} ${r.count} (${r.users.map((u) => oneLine(name(u))).join(", ")})`)
    .join("  ");
}

export interface MessageLinesOptions {
  colors: Colors;
  /** Terminal width; long text wraps under its column. */
  width?: number;
  /** Show the 1-based short numbers used by `teams reply 3`. @default true */
  numbers?: boolean;
  /** The signed-in user's MRI: their messages say "You". */
  selfMri?: string;
  now?: Date;
  /** Fixed sender column width (a chat view keeps its columns across batches); measured when absent. */
  senderWidth?: number;
  /** Fixed time column width; measured when absent. */
  timeWidth?: number;
}

/** Word-wraps text to `width` columns (code points), breaking words longer than a line. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split("\n")) {
    let line = "";
    // A no-break space (file sizes: "1.4 MB") holds its words together.
    for (const word of para.split(/([^\S\u00a0]+)/)) {
      if ([...line].length + [...word].length > width && line.trim() !== "") {
        out.push(line.trimEnd());
        line = word.trimStart();
      } else line += word;
      while ([...line].length > width) {
        out.push([...line].slice(0, width).join(""));
        line = [...line].slice(width).join("");
      }
    }
    out.push(line.trimEnd());
  }
  return out;
}

/** Width of the sender column for these messages: the longest name, 3 to 20 characters. */
export function senderColumnWidth(messages: readonly Message[], name: (p: Person) => string): number {
  return Math.min(20, Math.max(3, ...messages.filter((m) => !m.isSystem).map((m) => [...name(m.from)].length)));
}

/**
 * The chat log, oldest first: `  3  14:30  Bob Example   text`, continuation lines under the text,
 * reactions and edits on their own dim line, system messages as readable dim sentences. Names are
 * the `Person` names the library resolved; the signed-in user is "You".
 */
export function messageLines(messages: readonly Message[], options: MessageLinesOptions): string[] {
  const c = options.colors;
  const numbers = options.numbers ?? true;
  const width = Math.max(40, options.width ?? 100);
  const self = options.selfMri?.toLowerCase();
  const isSelf = (mri: string): boolean => self !== undefined && mri.toLowerCase() === self;
  const nameOf = (p: Person): string => (isSelf(p.mri) ? "You" : oneLine(p.displayName));
  const senderWidth = options.senderWidth ?? senderColumnWidth(messages, nameOf);
  const times = messages.map((m) => shortTime(m.arrivedAt, options.now));
  const timeWidth = options.timeWidth ?? Math.max(5, ...times.map((t) => t.length));
  const numWidth = numbers ? String(messages.length).length : 0;
  const out: string[] = [];
  messages.forEach((m, i) => {
    const num = numbers ? `${String(i + 1).padStart(numWidth)}  ` : "";
    const time = (times[i] ?? "").padEnd(timeWidth);
    const prefix = `${num}${time}  `;
    const indent = " ".repeat(prefix.length);
    if (m.isSystem) {
      out.push(`${c.dim(num)}${c.dim(time)}  ${c.dim(`· ${oneLine(messageBody(m))}`)}`);
      return;
    }
    const sender = nameOf(m.from);
    const senderCell = [...sender].length > senderWidth ? `${[...sender].slice(0, senderWidth - 1).join("")}…` : sender;
    const padded = senderCell + " ".repeat(Math.max(0, senderWidth - [...senderCell].length));
    const textWidth = Math.max(20, width - prefix.length - senderWidth - 2);
    const body = messageBody(m);
    const lines = wrap(body, textWidth);
    const textIndent = indent + " ".repeat(senderWidth + 2);
    const first = m.isDeleted ? c.dim(lines[0] ?? "") : (lines[0] ?? "");
    out.push(`${c.dim(num)}${c.dim(time)}  ${c.bold(padded)}  ${first}`);
    for (const l of lines.slice(1)) out.push(`${textIndent}${l}`);
    const extras: string[] = [];
    if (m.editedAt && !m.isDeleted) extras.push("(edited)");
    if (m.reactions.length) extras.push(reactionsOf(m, nameOf));
    if (extras.length) out.push(`${textIndent}${c.dim(extras.join("  "))}`);
  });
  return out;
}
