/**
 * The one place services touch message markup. Delegates to the protocol content helpers
 * (`@teams-api/protocol` content/) once they land; until then minimal stand-ins keep the services
 * usable. Nothing else in the client parses or builds HTML.
 */

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Control characters (except newline and tab) and bidi overrides never reach a terminal. */
function stripUnsafe(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, "");
}

/** Teams HTML → plain text. Stand-in for the protocol's `htmlToText`. */
export function htmlToText(html: string): string {
  let s = html;
  s = s.replace(/<img\b[^>]*>/gi, (tag) => {
    const alt = /\balt="([^"]*)"/i.exec(tag)?.[1];
    if (/schema\.skype\.com\/Emoji/i.test(tag) && alt) return alt;
    const name = alt || /\b(?:title|id)="([^"]*)"/i.exec(tag)?.[1] || "image";
    return `[image: ${name}]`;
  });
  s = s.replace(/<span\b[^>]*schema\.skype\.com\/Mention[^>]*>([\s\S]*?)<\/span>/gi, (_m, name: string) => `@${name}`);
  s = s.replace(/<br\s*\/?>/gi, "\n");
  s = s.replace(/<\/(p|div|li|h[1-6]|blockquote|pre|tr)>/gi, "\n");
  s = s.replace(/<li\b[^>]*>/gi, "• ");
  s = s.replace(/<[^>]*>/g, "");
  s = decodeEntities(s);
  s = stripUnsafe(s).replace(/[ \t]+\n/g, "\n");
  return s.replace(/\n{3,}/g, "\n\n").trim();
}

/** Plain (markdown-ish) text → Teams HTML. Stand-in for the protocol's `textToHtml`. */
export function textToHtml(text: string): string {
  const paragraphs = text.replace(/\r\n?/g, "\n").split(/\n{2,}/);
  return paragraphs.map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`).join("");
}

/** True when content is already Teams HTML rather than text the user typed. */
export function looksLikeHtml(content: string): boolean {
  return /^\s*<(p|div|span|b|strong|i|em|u|s|a|ul|ol|blockquote|pre|code|h[1-6]|table|img|br|readonly|at)\b[^>]*>/i.test(
    content,
  );
}

/** One mention: the span Teams sends and the `properties.mentions` entry pointing at it. */
export interface MentionInput {
  mri: string;
  displayName: string;
}

export function mentionSpan(itemId: number, displayName: string): string {
  return `<span itemscope="" itemtype="http://schema.skype.com/Mention" itemid="${itemId}">${escapeHtml(displayName)}</span>`;
}

/**
 * Turns `@Name` occurrences in already-built HTML into mention spans (in order of `mentions`), and
 * returns the `properties.mentions` JSON string. A mention whose `@Name` is not in the text is
 * prepended, so every listed person is really mentioned.
 */
export function applyMentions(html: string, mentions: readonly MentionInput[]): { html: string; property: string } {
  let out = html;
  const entries: object[] = [];
  mentions.forEach((m, i) => {
    const needle = `@${escapeHtml(m.displayName)}`;
    const span = mentionSpan(i, m.displayName);
    const at = out.indexOf(needle);
    if (at >= 0) out = out.slice(0, at) + span + out.slice(at + needle.length);
    else out = out.startsWith("<p>") ? `<p>${span} ${out.slice(3)}` : `${span} ${out}`;
    entries.push({
      "@type": "http://schema.skype.com/Mention",
      itemid: String(i),
      mri: m.mri,
      mentionType: "person",
      displayName: m.displayName,
    });
  });
  return { html: out, property: JSON.stringify(entries) };
}

/** The §8.4 Reply blockquote that starts a quote-reply. */
export function replyQuoteHtml(quoted: {
  messageId: string;
  authorMri: string;
  authorName: string;
  preview: string;
}): string {
  const preview = quoted.preview.length > 200 ? `${quoted.preview.slice(0, 199)}…` : quoted.preview;
  return (
    `<blockquote itemscope="" itemtype="http://schema.skype.com/Reply" itemid="${escapeHtml(quoted.messageId)}">` +
    `<strong itemprop="mri" itemid="${escapeHtml(quoted.authorMri)}">${escapeHtml(quoted.authorName)}</strong>` +
    `<span itemprop="time" itemid="${escapeHtml(quoted.messageId)}"></span>` +
    `<p itemprop="preview">${escapeHtml(preview)}</p></blockquote>`
  );
}

export interface ParsedActivity {
  kind: string;
  initiator?: string;
  targets: string[];
  value?: string;
  at?: number;
}

function tagText(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, "i").exec(xml);
  return m ? decodeEntities(m[1]!.replace(/<[^>]*>/g, "")).trim() : undefined;
}

/** Parses a `ThreadActivity/*` message body (XML or JSON form, §8.3). Undefined when unparseable. */
export function parseThreadActivity(messageType: string, content: string): ParsedActivity | undefined {
  if (!messageType.startsWith("ThreadActivity/")) return undefined;
  const kind = messageType.slice("ThreadActivity/".length);
  const trimmed = content.trim();
  if (trimmed.startsWith("{")) {
    try {
      const j = JSON.parse(trimmed) as Record<string, unknown>;
      const members = Array.isArray(j["members"]) ? (j["members"] as Array<Record<string, unknown>>) : [];
      const initiator = [j["initiator"], j["user"], j["userId"]].find((v) => typeof v === "string") as
        | string
        | undefined;
      const value = [j["newValue"], j["value"]].find((v) => typeof v === "string") as string | undefined;
      const at = Number(j["eventtime"]);
      return {
        kind,
        ...(initiator ? { initiator } : {}),
        targets: members.map((m) => m["id"]).filter((id): id is string => typeof id === "string"),
        ...(value !== undefined ? { value } : {}),
        ...(Number.isFinite(at) && at > 0 ? { at } : {}),
      };
    } catch {
      return { kind, targets: [] };
    }
  }
  const initiator = tagText(trimmed, "initiator");
  const targets: string[] = [];
  for (const m of trimmed.matchAll(/<target>([\s\S]*?)<\/target>/gi)) {
    const inner = m[1]!;
    const id = tagText(inner, "id") ?? decodeEntities(inner.replace(/<[^>]*>/g, "")).trim();
    if (id) targets.push(id);
  }
  const value = tagText(trimmed, "value") ?? tagText(trimmed, "role");
  const at = Number(tagText(trimmed, "eventtime"));
  return {
    kind,
    ...(initiator ? { initiator } : {}),
    targets,
    ...(value !== undefined ? { value } : {}),
    ...(Number.isFinite(at) && at > 0 ? { at } : {}),
  };
}

/** "Dana added Evan", "Alice changed the topic to "Launch"" — names already resolved. */
export function renderActivity(activity: ParsedActivity, name: (mri: string) => string): string {
  const who = activity.initiator ? name(activity.initiator) : "Someone";
  const whom = activity.targets.map(name);
  const list = whom.length <= 1 ? (whom[0] ?? "someone") : `${whom.slice(0, -1).join(", ")} and ${whom.at(-1)}`;
  switch (activity.kind) {
    case "AddMember":
    case "MemberJoined":
      if (activity.initiator && activity.targets.length === 1 && activity.targets[0] === activity.initiator)
        return `${who} joined`;
      return activity.initiator ? `${who} added ${list}` : `${list} joined`;
    case "DeleteMember":
    case "MemberLeft":
      if (activity.initiator && activity.targets.length === 1 && activity.targets[0] === activity.initiator)
        return `${who} left`;
      return activity.initiator ? `${who} removed ${list}` : `${list} left`;
    case "TopicUpdate":
    case "TopicUpdated":
    case "SpaceTopicUpdated":
      return activity.value ? `${who} changed the topic to "${activity.value}"` : `${who} removed the topic`;
    case "RoleUpdate":
      return `${who} made ${list} ${activity.value?.toLowerCase() === "admin" ? "an owner" : "a member"}`;
    case "PictureUpdate":
      return `${who} changed the picture`;
    default:
      return `${who}: ${activity.kind}`;
  }
}
