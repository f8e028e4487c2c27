/**
 * The chat view's slash commands. Messages are named by the short numbers shown in the log
 * (`/reply 3`, `/react 3 🔥`); every server string shown goes through the one sanitizer.
 */
import { reactionKeyFromInput, reactionLabel } from "@teams-api/protocol";
import type { Message } from "teams-api";
import { oneLine } from "../../render/sanitize.js";
import { explain } from "../context.js";
import { uploadTo } from "../screens/files.js";
import { presenceDetail, presenceDot } from "../screens/presence.js";
import type { ChatView } from "./view.js";

interface Command {
  name: string;
  args: string;
  help: string;
  run(view: ChatView, rest: string): Promise<void> | void;
}

function messageArg(view: ChatView, rest: string, usage: string): { message: Message; text: string } | undefined {
  const m = /^(\d+)(?:\s+([\s\S]*))?$/.exec(rest.trim());
  if (!m) {
    view.ui.notice(`Usage: ${usage} (N is the number at the left of a message)`, "warn");
    return undefined;
  }
  const message = view.model.byNumber(Number(m[1]));
  if (!message) {
    view.ui.notice(`There is no message ${m[1]} here; the numbers are at the left of each message.`, "warn");
    return undefined;
  }
  return { message, text: m[2] ?? "" };
}

async function attempt(view: ChatView, label: string, work: (signal: AbortSignal) => Promise<unknown>, done: string) {
  try {
    await view.ui.task(label, work);
    view.ui.notice(done, "ok");
    await view.refresh("Refreshing…");
  } catch (err) {
    explain(view.ctx, err);
  }
}

/** Message N, if it is the user's own (edits and deletes); says why not otherwise. */
function ownMessageArg(
  view: ChatView,
  rest: string,
  usage: string,
  verb: string,
): { message: Message; text: string } | undefined {
  const a = messageArg(view, rest, usage);
  if (!a) return undefined;
  if (a.message.isSystem || a.message.from.mri.toLowerCase() !== view.ctx.me.mri.toLowerCase()) {
    view.ui.notice(`You can only ${verb} your own messages.`, "warn");
    return undefined;
  }
  return a;
}

/**
 * A command on message N (`/reply N …`): finds message N — with `own`, only the user's own — and
 * says why not when it cannot, before `act` runs.
 */
function onMessage(
  name: string,
  args: string,
  help: string,
  spec: { own: boolean; act(view: ChatView, target: { message: Message; text: string }): Promise<void> | void },
): Command {
  const usage = `/${name} ${args}`;
  return {
    name,
    args,
    help,
    async run(v, rest) {
      const target = spec.own ? ownMessageArg(v, rest, usage, name) : messageArg(v, rest, usage);
      if (target) await spec.act(v, target);
    },
  };
}

export const COMMANDS: Command[] = [
  { name: "help", args: "", help: "this list", run: (v) => showHelp(v) },
  { name: "back", args: "", help: "return to the previous menu (also Ctrl+C on an empty line)", run: (v) => v.back() },
  { name: "refresh", args: "", help: "reload the newest messages", run: (v) => v.refresh() },
  onMessage("reply", "N [text]", "reply to message N (without text: the next message you send is the reply)", {
    own: false,
    async act(v, a) {
      if (a.message.isSystem) {
        v.ui.notice("That is a system message; it cannot be replied to.", "warn");
        return;
      }
      if (a.text.trim()) await v.send(a.text, a.message.id);
      else v.mode = { kind: "reply", message: a.message };
    },
  }),
  onMessage("edit", "N [text]", "change your message N (without text: edit it in the input line)", {
    own: true,
    async act(v, a) {
      if (a.text.trim()) await v.edit(a.message, a.text);
      else {
        v.mode = { kind: "edit", message: a.message };
        v.input.set(a.message.text);
      }
    },
  }),
  onMessage("delete", "N", "delete your message N", {
    own: true,
    act: (v, a) =>
      attempt(
        v,
        "Deleting…",
        (signal) => v.ctx.client.chat.deleteMessage(v.conv.id, a.message.id, { signal }),
        "Deleted.",
      ),
  }),
  onMessage(
    "react",
    "N <emoji or name>",
    "react to message N: 👍 like, ❤️ heart, 😆 laugh, 😮 surprised, 😢 sad, 😡 angry, or any emoji",
    {
      own: false,
      async act(v, a) {
        if (!a.text.trim()) {
          v.ui.notice("Name the reaction: /react N 👍 (or like, heart, 🔥…)", "warn");
          return;
        }
        const key = reactionKeyFromInput(a.text);
        if (key === undefined) {
          v.ui.notice("That is not a reaction: use an emoji, or like, heart, laugh, surprised, sad, angry", "warn");
          return;
        }
        await attempt(
          v,
          "Reacting…",
          (signal) => v.ctx.client.chat.addReaction(v.conv.id, a.message.id, key, { signal }),
          `Reacted ${oneLine(reactionLabel(key))}.`,
        );
      },
    },
  ),
  {
    name: "members",
    args: "",
    help: "who is in this chat",
    async run(v) {
      try {
        const details = await v.ui.task("Loading members…", (signal) =>
          v.ctx.client.chat.getConversationDetails(v.conv.id, { signal }),
        );
        const names = details.members.map((m) => {
          const name = oneLine(m.displayName || v.ctx.client.names.peek(m.mri));
          const you = m.mri.toLowerCase() === v.ctx.me.mri.toLowerCase() ? " (you)" : "";
          return `  ${name}${you}${m.role === "Admin" ? "  · admin" : ""}`;
        });
        v.panel = [`Members (${names.length}):`, ...(names.length ? names : ["  (this chat lists no members)"])];
      } catch (err) {
        explain(v.ctx, err);
      }
    },
  },
  {
    name: "topic",
    args: "[new topic]",
    help: "show the chat's topic, or set it (group chats)",
    async run(v, rest) {
      const topic = rest.trim();
      if (!topic) {
        try {
          const d = await v.ui.task("Loading…", (signal) =>
            v.ctx.client.chat.getConversationDetails(v.conv.id, { signal }),
          );
          v.panel = [d.topic ? `Topic: ${oneLine(d.topic)}` : "This chat has no topic. Set one with /topic <text>."];
        } catch (err) {
          explain(v.ctx, err);
        }
        return;
      }
      if (!v.conv.id.startsWith("19:") || v.conv.id.includes("@unq.gbl.spaces")) {
        v.ui.notice("Only group chats have a topic.", "warn");
        return;
      }
      await attempt(
        v,
        "Setting the topic…",
        (signal) => v.ctx.client.chat.setTopic(v.conv.id, topic, { signal }),
        "Topic set.",
      );
    },
  },
  {
    name: "file",
    args: "<path>",
    help: "send a file (Tab completes the path)",
    async run(v, rest) {
      if (!rest.trim()) {
        v.ui.notice("Name the file: /file <path> (Tab completes it).", "warn");
        return;
      }
      if (!(await uploadTo(v.ctx, v.conv.id, v.conv.title, rest))) v.input.set(`/file ${rest}`);
      else await v.refresh("Refreshing…");
    },
  },
  {
    name: "presence",
    args: "",
    help: "who in this chat is available, busy, away or offline",
    async run(v) {
      try {
        const rows = await v.ui.task("Loading presence…", async (signal) => {
          const details = await v.ctx.client.chat.getConversationDetails(v.conv.id, { signal });
          const others = details.members.filter((m) => m.mri.toLowerCase() !== v.ctx.me.mri.toLowerCase());
          const presences = await v.ctx.client.presence.getPresence(
            others.map((m) => m.mri),
            { signal },
          );
          return presences.map((p) => {
            const name = oneLine(v.ctx.client.names.peek(p.mri));
            return `  ${presenceDot(v.ui.c, p.availability)} ${name}  ${v.ui.c.dim(presenceDetail(p))}`;
          });
        });
        v.panel = ["Presence:", ...(rows.length ? rows : ["  (no one else is in this chat)"])];
      } catch (err) {
        explain(v.ctx, err);
      }
    },
  },
  {
    name: "retry",
    args: "",
    help: "send the last failed message again (it cannot arrive twice)",
    run: (v) => v.retry(),
  },
];

export function helpLines(): string[] {
  const rows = COMMANDS.map((c) => [`/${c.name}${c.args ? ` ${c.args}` : ""}`, c.help] as const);
  const w = Math.max(...rows.map(([a]) => a.length));
  return [
    "Type a message and press Enter to send; Alt+Enter starts a new line; ↑/↓ bring back earlier lines.",
    "Commands (N is the number at the left of a message):",
    ...rows.map(([a, b]) => `  ${a.padEnd(w)}  ${b}`),
    "Start a message with // to send text that begins with /.",
  ];
}

function showHelp(v: ChatView): void {
  v.panel = helpLines();
}

export async function runCommand(view: ChatView, line: string): Promise<void> {
  const m = /^\/(\S+)\s*([\s\S]*)$/.exec(line);
  const name = m?.[1]?.toLowerCase() ?? "";
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    view.input.set(line);
    view.ui.notice(`Unknown command /${oneLine(name)}. /help lists them.`, "warn");
    return;
  }
  await command.run(view, m?.[2] ?? "");
}
