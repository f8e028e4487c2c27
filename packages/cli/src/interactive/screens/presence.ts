/**
 * Presence: everyone you chat with, with coloured dots (pick one to chat), and Set my status
 * (availability, reset, status message). The title bar shows your own status.
 */
import { SETTABLE_AVAILABILITIES, type SettableAvailability } from "@teams-api/protocol";
import type { Presence } from "teams-api";
import { knownPeople } from "../../people.js";
import type { Colors } from "../../render/colors.js";
import { oneLine } from "../../render/sanitize.js";
import { chatScreen } from "../chat/view.js";
import { type Ctx, explain } from "../context.js";
import { menu } from "../menu.js";
import { prompt } from "../prompt.js";
import { BACK } from "../ui.js";

const LABELS: Readonly<Record<string, string>> = {
  Available: "Available",
  AvailableIdle: "Available (idle)",
  Away: "Away",
  BeRightBack: "Be right back",
  Busy: "Busy",
  BusyIdle: "Busy (idle)",
  DoNotDisturb: "Do not disturb",
  Offline: "Offline",
  PresenceUnknown: "Unknown",
};

export function availabilityLabel(availability: string): string {
  return LABELS[availability] ?? oneLine(availability);
}

/** A coloured dot for an availability: green available, red busy, yellow away, grey offline. */
export function presenceDot(c: Colors, availability: string): string {
  if (availability.startsWith("Available")) return c.green("●");
  if (availability.startsWith("Busy") || availability === "DoNotDisturb") return c.red("●");
  if (availability === "Away" || availability === "BeRightBack") return c.yellow("●");
  if (availability === "Offline") return c.dim("○");
  return c.dim("?");
}

/** "Busy · In a call · “At lunch”" */
export function presenceDetail(p: Presence): string {
  const parts = [availabilityLabel(p.availability)];
  if (p.activity && p.activity !== p.availability && LABELS[p.activity] === undefined) parts.push(oneLine(p.activity));
  if (p.outOfOffice) parts.push("out of office");
  if (p.statusMessage) parts.push(`“${oneLine(p.statusMessage.text)}”`);
  return parts.join(" · ");
}

/** Shows the user's own status in the title bar. */
export async function refreshOwnStatus(ctx: Ctx): Promise<void> {
  try {
    const [mine] = await ctx.client.presence.getPresence([ctx.me.mri]);
    if (mine)
      ctx.ui.who = `${oneLine(ctx.me.displayName)} ${presenceDot(ctx.ui.c, mine.availability)} ${availabilityLabel(mine.availability)} `;
    ctx.ui.render();
  } catch {
    // The title bar keeps the name alone.
  }
}

export async function checkPresenceScreen(ctx: Ctx): Promise<void> {
  const crumbs = ["Presence"];
  for (;;) {
    let rows: Array<{ mri: string; name: string; presence: Presence }>;
    try {
      rows = await ctx.ui.task("Loading presence…", async (signal) => {
        const mris = await knownPeople(ctx.client, signal);
        const [names, presences] = await Promise.all([
          ctx.client.names.displayNames(mris),
          ctx.client.presence.getPresence(mris, { signal }),
        ]);
        return presences
          .map((p) => ({ mri: p.mri, name: oneLine(names.get(p.mri) ?? ctx.client.names.peek(p.mri)), presence: p }))
          .sort((a, b) => a.name.localeCompare(b.name));
      });
    } catch (err) {
      explain(ctx, err);
      return;
    }
    const pick = await menu(ctx.ui, {
      crumbs,
      title: "Presence of the people you chat with (Enter opens a chat)",
      items: rows.map((r) => ({
        label: r.name,
        value: r,
        mark: presenceDot(ctx.ui.c, r.presence.availability),
        detail: presenceDetail(r.presence),
      })),
      empty: "You share no chats with anyone yet.",
    });
    if (pick === BACK) return;
    try {
      const chat = await ctx.ui.task(`Opening your chat with ${pick.name}…`, (signal) =>
        ctx.client.chat.createChat([pick.mri], { signal }),
      );
      await chatScreen(ctx, { id: chat.id, title: pick.name }, ["Chat", pick.name]);
    } catch (err) {
      explain(ctx, err);
    }
  }
}

type StatusChoice = SettableAvailability | "reset" | "message" | "clear";

export async function setStatusScreen(ctx: Ctx): Promise<void> {
  const crumbs = ["Set my status"];
  for (;;) {
    const c = ctx.ui.c;
    const choice = await menu<StatusChoice>(ctx.ui, {
      crumbs,
      title: "Set my status",
      items: [
        ...SETTABLE_AVAILABILITIES.map((a) => ({
          label: a === "Offline" ? "Appear offline" : availabilityLabel(a),
          value: a as StatusChoice,
          mark: presenceDot(c, a),
        })),
        { label: "Reset (automatic, from your activity)", value: "reset", mark: " " },
        { label: "Set a status message…", value: "message", mark: " " },
        { label: "Clear the status message", value: "clear", mark: " " },
      ],
    });
    if (choice === BACK) return;
    try {
      if (choice === "message") {
        const text = await prompt(ctx.ui, { crumbs, id: "status-message", question: "Your status message:" });
        if (text === BACK) continue;
        await ctx.ui.task("Setting your status message…", (signal) =>
          ctx.client.presence.setStatusMessage(text, { signal }),
        );
        ctx.ui.notice("Status message set.", "ok");
      } else if (choice === "clear") {
        await ctx.ui.task("Clearing…", (signal) => ctx.client.presence.clearStatusMessage({ signal }));
        ctx.ui.notice("Status message cleared.", "ok");
      } else if (choice === "reset") {
        await ctx.ui.task("Resetting your status…", (signal) => ctx.client.presence.resetStatus({ signal }));
        ctx.ui.notice("Your status follows your activity again.", "ok");
      } else {
        await ctx.ui.task("Setting your status…", (signal) => ctx.client.presence.setStatus(choice, { signal }));
        ctx.ui.notice(`Your status is ${availabilityLabel(choice)}.`, "ok");
      }
      await refreshOwnStatus(ctx);
      return;
    } catch (err) {
      explain(ctx, err);
    }
  }
}
