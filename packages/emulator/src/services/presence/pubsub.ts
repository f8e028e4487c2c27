import type { WirePresencePush } from "@teams-api/protocol";
import type { EmulatorContext } from "../../context.js";

/** Headers of a presence push as the service sends them (§3.4). */
export const PRESENCE_PUSH_HEADERS: Readonly<Record<string, string>> = {
  "x-ms-client-user-agent": "Microsoft.Skype.Presence.App/1.0",
  "X-Trouter-Delivery-Control": "async; ttl=600",
  "Content-Type": "application/json",
};

/**
 * Presence pubsub (§3.4): on every presence change, one push per live subscription watching that
 * user, as that subscriber sees it, raised as a `presencePush` event for the Trouter service to
 * deliver to the subscriber's socket. Subscribes to the store bus; handlers never push.
 */
export function presencePubsub(ctx: Pick<EmulatorContext, "events" | "presence">): () => void {
  return ctx.events.on("presence", ({ mri }) => {
    for (const sub of ctx.presence.subscribersOf(mri)) {
      const body: WirePresencePush = { presence: [ctx.presence.item(sub.owner, mri)] };
      ctx.events.emit("presencePush", {
        trouterUri: sub.trouterUri,
        subscriber: sub.owner,
        headers: PRESENCE_PUSH_HEADERS,
        body: JSON.stringify(body),
      });
    }
  });
}
