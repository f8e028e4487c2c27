/**
 * The chat service's size limit for one message (PROTOCOL.md §9.6): about 28 KB, counting the HTML
 * and the message's properties (mentions, files, cards). Above it the service answers 413. The
 * client checks before sending; the emulator refuses like the service.
 */

/** Largest message the chat service accepts, in bytes of UTF-8. */
export const MAX_MESSAGE_BYTES = 28 * 1024;

/** A message's size as the limit counts it: its content plus its properties as JSON, in UTF-8 bytes. */
export function messageSize(content: string, properties?: unknown): number {
  let size = Buffer.byteLength(content, "utf8");
  if (properties !== undefined && properties !== null) {
    size += Buffer.byteLength(typeof properties === "string" ? properties : JSON.stringify(properties), "utf8");
  }
  return size;
}
