import { knownPeople, resolvePeople } from "../../people.js";
import { oneLine } from "../../render/sanitize.js";
import { chatScreen } from "../chat/view.js";
import { type Ctx, explain } from "../context.js";
import { menu } from "../menu.js";
import { prompt } from "../prompt.js";
import { BACK, type Back } from "../ui.js";

const SOMEONE_ELSE = ":email";

/** Everyone you share a chat with, by name; or anyone by email address. */
export async function pickPerson(ctx: Ctx, crumbs: readonly string[]): Promise<{ mri: string; name: string } | Back> {
  let people: Array<[string, string]>;
  try {
    people = await ctx.ui.task("Loading people…", async (signal) => {
      const mris = await knownPeople(ctx.client, signal);
      const names = await ctx.client.names.displayNames(mris);
      return [...names].sort((a, b) => a[1].localeCompare(b[1]));
    });
  } catch (err) {
    explain(ctx, err);
    return BACK;
  }
  for (;;) {
    const pick = await menu(ctx.ui, {
      crumbs,
      title: "Who?",
      items: [
        ...people.map(([mri, name]) => ({ label: oneLine(name), value: mri })),
        { label: "Someone else (by email address)…", value: SOMEONE_ELSE },
      ],
    });
    if (pick === BACK) return BACK;
    if (pick !== SOMEONE_ELSE) return { mri: pick, name: oneLine(ctx.client.names.peek(pick)) };
    const email = await prompt(ctx.ui, { crumbs, id: "person-email", question: "Their email address:" });
    if (email === BACK) continue;
    try {
      const [person] = await ctx.ui.task("Looking them up…", (signal) =>
        resolvePeople(ctx.client, [email], { signal }),
      );
      if (person) return { mri: person.mri, name: oneLine(person.displayName) };
    } catch (err) {
      ctx.ui.drafts.set("person-email", email);
      explain(ctx, err);
    }
  }
}

export async function chatWithScreen(ctx: Ctx): Promise<void> {
  for (;;) {
    const person = await pickPerson(ctx, ["Chat"]);
    if (person === BACK) return;
    try {
      const chat = await ctx.ui.task(`Opening your chat with ${person.name}…`, (signal) =>
        ctx.client.chat.createChat([person.mri], { signal }),
      );
      await chatScreen(ctx, { id: chat.id, title: person.name }, ["Chat", person.name]);
    } catch (err) {
      explain(ctx, err);
    }
  }
}

export async function newChatScreen(ctx: Ctx): Promise<void> {
  const crumbs = ["New chat"];
  for (;;) {
    const who = await prompt(ctx.ui, {
      crumbs,
      id: "new-chat-people",
      question: "Who? Names of people you chat with, or email addresses, separated by commas:",
    });
    if (who === BACK) return;
    let people: Array<{ mri: string; displayName: string }>;
    try {
      people = await ctx.ui.task("Finding them…", (signal) =>
        resolvePeople(
          ctx.client,
          who
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean),
          { signal },
        ),
      );
    } catch (err) {
      ctx.ui.drafts.set("new-chat-people", who);
      explain(ctx, err);
      continue;
    }
    const names = people.map((p) => oneLine(p.displayName));
    const topic = await prompt(ctx.ui, {
      crumbs,
      id: "new-chat-topic",
      question: `Chat with ${names.join(", ")}. Topic (optional; Enter for none):`,
      allowEmpty: true,
    });
    if (topic === BACK) {
      ctx.ui.drafts.set("new-chat-people", who);
      continue;
    }
    try {
      const chat = await ctx.ui.task("Creating the chat…", (signal) =>
        ctx.client.chat.createChat(
          people.map((p) => p.mri),
          { signal, ...(topic.trim() ? { topic: topic.trim() } : {}) },
        ),
      );
      const title = topic.trim() ? oneLine(topic) : names.join(", ");
      await chatScreen(ctx, { id: chat.id, title }, ["New chat", title]);
      return;
    } catch (err) {
      ctx.ui.drafts.set("new-chat-people", who);
      explain(ctx, err);
    }
  }
}
