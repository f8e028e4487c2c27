/** Argument checks every chat method runs before any request (InvalidArgumentError, never a 400). */
import { isClientMessageId, MAX_MESSAGE_BYTES, messageSize } from "@teams-api/protocol";
import { InvalidArgumentError, MessageTooLargeError } from "../../errors.js";

const CONVERSATION_ID = /^(19:[^\s/?#]+|48:[A-Za-z0-9_.-]+|[12348]:[^\s/?#]+|28:[^\s/?#]+)$/;
export const THREAD_ID = /^19:[^\s/?#;]+$/;
const MESSAGE_ID = /^\d{1,20}$/;
const MRI = /^(8|28|4|2|1):[^\s/?#;]+$/;

export function checkConversationId(id: unknown): asserts id is string {
  if (typeof id !== "string" || !CONVERSATION_ID.test(id)) {
    throw new InvalidArgumentError(`That is not a conversation id (expected 19:…, 48:… or 8:…).`);
  }
}
export function checkThreadId(id: unknown): asserts id is string {
  if (typeof id !== "string" || !THREAD_ID.test(id)) {
    throw new InvalidArgumentError(`That is not a group chat or channel id (expected 19:…).`);
  }
}
export function checkMessageId(id: unknown): asserts id is string {
  if (typeof id !== "string" || !MESSAGE_ID.test(id)) {
    throw new InvalidArgumentError(`That is not a message id (expected the numeric server id).`);
  }
}
export function checkMri(mri: unknown): asserts mri is string {
  if (typeof mri !== "string" || !MRI.test(mri)) {
    throw new InvalidArgumentError(`That is not a user id (expected 8:orgid:…, 8:live:… or 28:…).`);
  }
}
export function checkContent(content: unknown): asserts content is string {
  if (typeof content !== "string" || content.trim() === "") {
    throw new InvalidArgumentError("A message cannot be empty.");
  }
}
export function checkCount(count: number | undefined): void {
  if (count !== undefined && !(count > 0)) throw new InvalidArgumentError("count must be a positive number.");
}
export function checkClientMessageId(id: string): void {
  if (!isClientMessageId(id)) {
    throw new InvalidArgumentError("clientMessageId must be 1–64 letters, digits, '-' or '_'.");
  }
}
/** The service refuses a message over ~28 KB with 413 (§9.6): say so before sending it. */
export function checkMessageSize(content: string, properties: unknown): void {
  const size = messageSize(content, properties);
  if (size > MAX_MESSAGE_BYTES) throw new MessageTooLargeError(size, MAX_MESSAGE_BYTES);
}
