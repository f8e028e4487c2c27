/**
 * Public, friendly models. Every one is mapped from the wire (`@teams-api/protocol` wire types) at a
 * single boundary (services/map.ts) and keeps the wire object in `raw` for power users.
 */
import type {
  ConversationKind,
  ThreadActivityEvent,
  WireConversation,
  WireMessage,
  WireShortProfile,
  WireTenant,
  WireThread,
} from "@teams-api/protocol";

/**
 * A person as a message, reaction, member list or read receipt shows them: the MRI to act on and the
 * name to show. Models the library returns from a read (`getMessages`, `getConversationDetails`,
 * `getConsumptionHorizons`) carry names already resolved (profile, else the name the service sent,
 * else a placeholder) in one batched lookup — never a raw MRI for display.
 */
export interface Person {
  /** `8:orgid:<oid>`, `8:live:…`, `28:<bot>`… */
  readonly mri: string;
  /** The name to show; "" only in models mapped without resolution (`resolveNames: false`). */
  readonly displayName: string;
}

export interface Reaction {
  /** `like`, `heart`, `1f525_fire`, custom `<name>;<amsId>`… */
  readonly key: string;
  readonly count: number;
  /** The people who reacted, oldest first. */
  readonly users: Person[];
}

/**
 * A parsed `ThreadActivity/*` system message (member added, topic changed…): the protocol's
 * ThreadActivityEvent (`kind`, `initiator`, `members`, `topic`…).
 */
export type MessageActivity = ThreadActivityEvent;

export interface Message {
  /** Server id: arrival time in ms, as a string. */
  readonly id: string;
  readonly conversationId: string;
  /** The sender's idempotency/echo key; absent when the service sent none (or `"0"`). */
  readonly clientMessageId?: string;
  /** Bumps on edit, delete and reaction changes. */
  readonly version: number;
  /** The service's message type as sent (`Text`, `RichText/Html`, a thread activity, a call event…; docs/protocol.md lists them). */
  readonly messageType: string;
  readonly from: Person;
  /** Raw content as the service sent it (HTML for `RichText/Html`). Untrusted. */
  readonly content: string;
  /**
   * Terminal-safe plain text (mentions as `@Name`, images as `[image: …]`); for system messages the
   * rendered line ("Dana added Evan"). Still untrusted text.
   */
  readonly text: string;
  readonly composedAt?: Date;
  readonly arrivedAt: Date;
  readonly editedAt?: Date;
  readonly deletedAt?: Date;
  readonly isDeleted: boolean;
  /** Not something a person wrote: `ThreadActivity/*`, `Event/Call`, `Control/*`… */
  readonly isSystem: boolean;
  /** For `ThreadActivity/*` messages. */
  readonly activity?: MessageActivity;
  /** Reactions with at least one user (the channel `follow` flag is not a reaction). */
  readonly reactions: Reaction[];
  readonly mentions: Person[];
  /** Channel replies: the root post's id. */
  readonly rootMessageId?: string;
  /** Files and images the message carries (AMS objects). */
  readonly attachments: Attachment[];
  readonly raw: WireMessage;
}

export interface Conversation {
  readonly id: string;
  /** From the id's shape: `oneOnOne`, `group`, `channel`, `meeting`, `virtual`, `legacy`. */
  readonly kind: ConversationKind;
  /** As set by the members; "" when none. */
  readonly topic: string;
  /**
   * What to show a person: the topic, else the other member's name (1:1), else member names
   * ("Dana, Evan and 2 others"), "Notes" for `48:notes`. Never a raw id.
   */
  title: string;
  /** `chat`, `space` (channel), `meeting`, `streamofnotes`… ("" when absent). */
  readonly threadType: string;
  /** `Chat`, `OneOnOne`, `TeamsStandardChannel`, `Meeting`… */
  readonly productThreadType?: string;
  readonly lastMessage?: Message;
  readonly lastActivityAt?: Date;
  /** The newest message is from someone else and after my read horizon, or I marked it unread. */
  readonly isUnread: boolean;
  readonly memberCount?: number;
  readonly version: number;
  readonly raw: WireConversation;
}

export interface ConversationMember extends Person {
  /** `Admin`, `User`, `ReadOnly`, `None`. */
  readonly role: string;
}

export interface ConversationDetails extends Conversation {
  /** From the thread roster (empty for virtual conversations; channels list only you). */
  readonly members: ConversationMember[];
  readonly creator?: string;
  readonly createdAt?: Date;
  readonly rawThread?: WireThread;
}

/** What a send returns. */
export interface SentMessage {
  /** The server id (`OriginalArrivalTime`), usable for edit/delete/reactions. */
  readonly id: string;
  readonly clientMessageId: string;
  readonly conversationId: string;
  readonly arrivalTime: Date;
}

/** A chat created by `createChat`. */
export interface CreatedChat {
  readonly id: string;
  readonly kind: ConversationKind;
  /** The first message, when one was sent. */
  readonly message?: SentMessage;
}

/** A member's read position (`GET /v1/threads/{id}/consumptionhorizons`). */
export interface ConsumptionHorizon extends Person {
  /** Last message read; undefined when the member never read anything. */
  readonly messageId?: string;
  readonly readAt?: Date;
}

/** A middle-tier user profile (short or full). */
export interface UserProfile {
  readonly mri: string;
  readonly objectId?: string;
  readonly displayName: string;
  readonly givenName?: string;
  readonly surname?: string;
  readonly email?: string;
  readonly userPrincipalName?: string;
  readonly jobTitle?: string;
  readonly department?: string;
  readonly companyName?: string;
  readonly location?: string;
  readonly tenantName?: string;
  /** `ADUser`, `Federated`, `BOT`, `TFLUser`, `SkypeUser`. */
  readonly type?: string;
  /** `Member` or `Guest`. */
  readonly userType?: string;
  readonly raw: WireShortProfile;
}

export interface TenantInfo {
  readonly tenantId: string;
  readonly tenantName: string;
  readonly userId: string;
  readonly isInvitationRedeemed: boolean;
  readonly countryLetterCode?: string;
  readonly userType: string;
  readonly tenantType?: string;
  readonly raw: WireTenant;
}

/** A file or image a message carries (an AMS object, PROTOCOL.md §5.5). */
export interface Attachment {
  readonly kind: "image" | "file";
  /** AMS object id (`0-weu-d4-…`): what `client.media.downloadFile` takes; for a SharePoint file, its item id. */
  readonly objectId: string;
  /**
   * Where the bytes live: AMS (downloadable with `client.media`), or OneDrive/SharePoint
   * (`properties.files`; open `url` in a browser).
   */
  readonly store: "ams" | "sharepoint";
  /** As the sender named it, terminal-safe; "" when the message does not say. Untrusted. */
  readonly fileName: string;
  /** Bytes, when the message says. */
  readonly size?: number;
  /** The object URL (`…/v1/objects/<id>`), when the message says. */
  readonly url?: string;
  /** Text sent with a file (file messages carry it in their description). Terminal-safe; untrusted. */
  readonly caption?: string;
}

/** One part of a search hit's summary: text, and whether the search matched it. */
export interface HighlightPart {
  /** Terminal-safe; untrusted. */
  readonly text: string;
  readonly hit: boolean;
}

/** A message a search found (PROTOCOL.md §4). */
export interface SearchResult {
  /** The conversation (thread) id: usable with `getMessages`. */
  readonly conversationId: string;
  /** The message's id, when the service says it. */
  readonly messageId?: string;
  /** Channel reply chains: the root post's id. */
  readonly rootMessageId?: string;
  /** The sender (`mri` is "" when the service names them only by address). */
  readonly from: Person;
  /** The sender's email address, when the service gives one. */
  readonly fromAddress?: string;
  readonly sentAt?: Date;
  /** The summary as plain, terminal-safe text. */
  readonly text: string;
  /** The summary split into parts, hits marked. */
  readonly highlights: HighlightPart[];
  readonly channelName?: string;
  readonly teamName?: string;
  readonly raw: unknown;
}

/** A person a people search suggests. */
export interface PersonSuggestion extends Person {
  readonly email?: string;
  readonly jobTitle?: string;
  readonly department?: string;
  readonly companyName?: string;
  readonly raw: unknown;
}

/** What `client.media.uploadFile` returns. */
export interface UploadedFile {
  /** The message that references the file. */
  readonly message: SentMessage;
  /** AMS object id. */
  readonly objectId: string;
  readonly fileName: string;
  readonly size: number;
  readonly kind: "image" | "file";
}

/** What `client.media.downloadFile` returns. */
export interface DownloadedFile {
  /** Absolute path of the saved file (inside the target directory). */
  readonly path: string;
  readonly objectId: string;
  readonly size: number;
  /** The name the server or message gave, before it was made safe. Untrusted. */
  readonly suggestedName: string;
}
