import type { Command } from "commander";
import type { App } from "../../app.js";
import { oneLine } from "../../render/sanitize.js";
import { shortTime } from "../../render/time.js";
import { KIND_LABELS } from "../../shared/chat-kinds.js";
import type { AppFor } from "../../shared/command.js";

export interface ChatInfoOptions {
  chat: string;
}

export function register(chat: Command, appFor: AppFor): void {
  chat
    .command("info")
    .description("show a chat's name, kind and members with their roles")
    .argument("<chat>", "chat number from `teams chats`, part of its title, or its id")
    .action(async (ref: string, _opts: unknown, cmd: Command) => {
      await run(appFor(cmd), { chat: ref });
    });
}

const ROLE_LABELS: Readonly<Record<string, string>> = { Admin: "owner", User: "member", ReadOnly: "read-only" };

export async function run(app: App, opts: ChatInfoOptions): Promise<void> {
  const id = await app.chatId(opts.chat);
  const client = await app.session();
  const details = await app.out.spin("Loading…", client.chat.getConversationDetails(id));
  const [title, names, me] = await Promise.all([
    client.names.conversationTitle(details),
    client.names.displayNames(details.members.map((m) => m.mri)),
    client.whoami(),
  ]);
  const name = (mri: string): string => names.get(mri) ?? client.names.peek(mri);
  const members = [...details.members].sort(
    (a, b) => Number(b.role === "Admin") - Number(a.role === "Admin") || name(a.mri).localeCompare(name(b.mri)),
  );
  if (app.out.json) {
    app.out.printJson({
      id: details.id,
      title,
      topic: details.topic,
      kind: details.kind,
      createdAt: details.createdAt?.toISOString() ?? null,
      creator: details.creator ? { mri: details.creator, displayName: name(details.creator) } : null,
      members: members.map((m) => ({ mri: m.mri, displayName: name(m.mri), role: m.role })),
    });
    return;
  }
  const c = app.out.c;
  app.out.line(c.bold(oneLine(title)));
  app.out.line(`${c.dim("kind")}     ${KIND_LABELS[details.kind] ?? details.kind}`);
  if (details.topic) app.out.line(`${c.dim("topic")}    ${oneLine(details.topic)}`);
  if (details.createdAt) {
    const by = details.creator ? ` by ${oneLine(name(details.creator))}` : "";
    app.out.line(`${c.dim("created")}  ${shortTime(details.createdAt)}${by}`);
  }
  app.out.table({
    head: ["Member", "Role"],
    rows: members.map((m) => [
      `${oneLine(name(m.mri))}${m.mri.toLowerCase() === me.mri.toLowerCase() ? c.dim(" (you)") : ""}`,
      ROLE_LABELS[m.role] ?? oneLine(m.role),
    ]),
  });
}
