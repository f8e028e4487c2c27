/** MRIs (user ids) and thread ids (PROTOCOL.md §8.1–8.2). */

export type MriKind = "orgid" | "live" | "skype" | "bot" | "virtual" | "pstn" | "visitor" | "thread" | "other";

/** What kind of identity an MRI names, from its prefix. */
export function mriKind(mri: string): MriKind {
  if (mri.startsWith("8:orgid:")) return "orgid";
  if (mri.startsWith("8:live:")) return "live";
  if (mri.startsWith("8:teamsvisitor:")) return "visitor";
  if (mri.startsWith("8:")) return "skype";
  if (mri.startsWith("28:")) return "bot";
  if (mri.startsWith("48:")) return "virtual";
  if (mri.startsWith("4:")) return "pstn";
  if (mri.startsWith("19:")) return "thread";
  return "other";
}

/** The MRI of an Entra ID user. */
export function orgidMri(objectId: string): string {
  return `8:orgid:${objectId}`;
}

/** The MRI for a skypetoken `skypeid` claim (`orgid:<oid>` or `live:.cid.<hex>`): `8:` + skypeid. */
export function mriFromSkypeId(skypeId: string): string {
  return skypeId.startsWith("8:") ? skypeId : `8:${skypeId}`;
}

/**
 * The MRI at the end of a `from` value. The service sends a full contact URL
 * (`https://…/v1/users/ME/contacts/8:orgid:…`), sometimes a bare MRI; only the last segment counts.
 */
export function mriFromContactUrl(from: string): string {
  if (!from) return "";
  const noQuery = from.split("?")[0] ?? from;
  const marker = "/contacts/";
  const idx = noQuery.lastIndexOf(marker);
  const tail = idx >= 0 ? noQuery.slice(idx + marker.length) : noQuery.slice(noQuery.lastIndexOf("/") + 1);
  try {
    return decodeURIComponent(tail);
  } catch {
    return tail;
  }
}

/** The bare object id of an `8:orgid:` MRI, or the MRI without its `8:` prefix otherwise. */
export function mriLocalPart(mri: string): string {
  if (mri.startsWith("8:orgid:")) return mri.slice("8:orgid:".length);
  if (mri.startsWith("8:")) return mri.slice(2);
  return mri;
}

/**
 * The implicit 1:1 chat id of two users: `19:<a>_<b>@unq.gbl.spaces` with the two ids (MRIs without
 * the `8:orgid:` prefix) sorted lexicographically.
 */
export function oneOnOneThreadId(mriA: string, mriB: string): string {
  const [a, b] = [mriLocalPart(mriA), mriLocalPart(mriB)].sort();
  return `19:${a}_${b}@unq.gbl.spaces`;
}

/** The two members' local ids of a `@unq.gbl.spaces` 1:1 id, or undefined. */
export function parseOneOnOneThreadId(id: string): [string, string] | undefined {
  const m = /^19:([^_@]+)_([^@]+)@unq\.gbl\.spaces$/.exec(id);
  return m ? [m[1]!, m[2]!] : undefined;
}

export type ConversationKind = "oneOnOne" | "group" | "channel" | "meeting" | "virtual" | "legacy";

/** What kind of conversation an id names, from its shape. */
export function conversationKind(id: string): ConversationKind {
  if (id.startsWith("48:")) return "virtual";
  if (id.endsWith("@unq.gbl.spaces")) return "oneOnOne";
  if (id.startsWith("19:meeting_")) return "meeting";
  if (id.endsWith("@thread.tacv2")) return "channel";
  if (id.startsWith("19:")) return "group";
  return "legacy";
}

/** Channel reply-chain addressing: `<channel>;messageid=<rootId>`. */
export function replyChainId(channelId: string, rootMessageId: string): string {
  return `${channelId};messageid=${rootMessageId}`;
}

/** Splits `<thread>;messageid=<root>` into its parts. */
export function parseReplyChainId(id: string): { threadId: string; rootMessageId?: string } {
  const idx = id.indexOf(";messageid=");
  if (idx < 0) return { threadId: id };
  return { threadId: id.slice(0, idx), rootMessageId: id.slice(idx + ";messageid=".length) };
}

/** Random bytes drawn 2 KiB at a time: a send needs 8, and one call per send shows in the send benchmark. */
let idPool = new Uint8Array(0);
let idPoolView = new DataView(idPool.buffer);
let idPoolOffset = 0;

/**
 * A fresh clientmessageid: a random 19-digit numeric string, the form the web client sends (§2.8).
 * With `random` (a seeded generator of [0, 1) numbers), the same sequence gives the same ids.
 */
export function newClientMessageId(random?: () => number): string {
  if (random) {
    const high = BigInt(Math.floor(random() * 8e9)) * 1_000_000_000n;
    return String(1_000_000_000_000_000_000n + high + BigInt(Math.floor(random() * 1e9)));
  }
  if (idPoolOffset + 8 > idPool.length) {
    idPool = globalThis.crypto.getRandomValues(new Uint8Array(2048));
    idPoolView = new DataView(idPool.buffer);
    idPoolOffset = 0;
  }
  const n = idPoolView.getBigUint64(idPoolOffset) % 9_000_000_000_000_000_000n;
  idPoolOffset += 8;
  return (n + 1_000_000_000_000_000_000n).toString();
}

/** What a clientmessageid may be: the idempotency key of a send. */
export function isClientMessageId(id: unknown): id is string {
  return typeof id === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(id);
}

/**
 * Is this URL host name the local machine? `localhost`, IPv6 `[::1]` and the whole `127.0.0.0/8`
 * block. Plain http and loopback redirect URIs are allowed there only (the emulator; AAD's
 * native-client redirects).
 */
export function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === "localhost" || hostname === "[::1]" || hostname === "::1" || /^127\.\d+\.\d+\.\d+$/.test(hostname)
  );
}
