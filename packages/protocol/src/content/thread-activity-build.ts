/**
 * Builds `ThreadActivity/*` messages (PROTOCOL.md §8.3; docs/protocol.md §8.3): the inverse of
 * {@link parseThreadActivity} for the XML events the service writes into a conversation —
 * membership, roles, topic and thread settings. `parseThreadActivity(...build(e))` gives `e` back.
 */
import { escapeHtml } from "./escape.js";
import type {
  MembershipEvent,
  RoleUpdateEvent,
  ThreadActivityMember,
  ThreadPropertyEvent,
  TopicUpdateEvent,
} from "./thread-activity.js";

/** The events with an XML form. */
export type BuildableThreadActivity = MembershipEvent | RoleUpdateEvent | TopicUpdateEvent | ThreadPropertyEvent;

const TYPES: Readonly<Record<BuildableThreadActivity["kind"], string>> = {
  addMember: "AddMember",
  deleteMember: "DeleteMember",
  memberJoined: "MemberJoined",
  memberLeft: "MemberLeft",
  roleUpdate: "RoleUpdate",
  topicUpdate: "TopicUpdate",
  joiningEnabledUpdate: "JoiningEnabledUpdate",
  historyDisclosedUpdate: "HistoryDisclosedUpdate",
  pictureUpdate: "PictureUpdate",
};

const el = (tag: string, text: string): string => `<${tag}>${escapeHtml(text)}</${tag}>`;

/** `<target>mri</target>`, or with its name and role `<target><id>…</id><friendlyname>…</friendlyname><role>…</role></target>`. */
function target(m: ThreadActivityMember): string {
  if (!m.friendlyName && !m.role) return el("target", m.mri);
  const name = m.friendlyName ? el("friendlyname", m.friendlyName) : "";
  const role = m.role ? el("role", m.role) : "";
  return `<target>${el("id", m.mri)}${name}${role}</target>`;
}

/** The `messagetype` and XML `content` of a ThreadActivity message. */
export function buildThreadActivity(event: BuildableThreadActivity): { messagetype: string; content: string } {
  const type = event.kind === "topicUpdate" && event.space ? "SpaceTopicUpdated" : TYPES[event.kind];
  const tag = type.toLowerCase();
  let inner = "";
  if (event.time !== undefined) inner += el("eventtime", String(event.time));
  if (event.initiator) inner += el("initiator", event.initiator);
  if (event.initiatorName)
    inner += `<detailedinitiatorinfo>${el("friendlyname", event.initiatorName)}</detailedinitiatorinfo>`;
  switch (event.kind) {
    case "topicUpdate":
      inner += el("value", event.topic);
      break;
    case "joiningEnabledUpdate":
    case "historyDisclosedUpdate":
    case "pictureUpdate":
      inner += el("value", event.value);
      break;
    default:
      inner += event.members.map(target).join("");
  }
  return { messagetype: `ThreadActivity/${type}`, content: `<${tag}>${inner}</${tag}>` };
}
