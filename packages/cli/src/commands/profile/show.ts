import type { Command } from "commander";
import type { UserProfile } from "teams-api";
import type { App } from "../../app.js";
import { UsageError } from "../../errors.js";
import { resolvePeople } from "../../people.js";
import { oneLine } from "../../render/sanitize.js";
import type { AppFor } from "../types.js";

export function register(program: Command, appFor: AppFor): void {
  program
    .command("profile")
    .description("show a person's profile (yours when no one is named)")
    .argument("[who]", "email address or name of someone you chat with")
    .action(async (who: string | undefined, _opts: unknown, cmd: Command) => {
      await run(appFor(cmd), who);
    });
}

export async function run(app: App, who: string | undefined): Promise<UserProfile> {
  const client = await app.session();
  let profile: UserProfile | undefined;
  if (!who || who.trim().toLowerCase() === "me") {
    profile = await app.out.spin("Loading your profile…", client.middleTier.getUserProfile());
  } else {
    const [person] = await app.out.spin("Looking them up…", resolvePeople(client, [who]));
    profile = person && (await app.out.spin("Loading the profile…", client.middleTier.getUser(person.mri)));
    if (!profile) throw new UsageError(`No profile found for ${oneLine(who)}.`);
  }
  const raw = profile.raw as unknown as Record<string, unknown>;
  const fields: Array<[string, string | undefined]> = [
    ["Name", profile.displayName],
    ["Email", profile.email],
    ["Job title", profile.jobTitle],
    ["Department", profile.department],
    ["Company", profile.companyName ?? profile.tenantName],
    ["Office", profile.location],
    ["Phone", typeof raw.telephoneNumber === "string" ? raw.telephoneNumber : undefined],
    ["Mobile", typeof raw.mobile === "string" ? raw.mobile : undefined],
    ["Account", profile.userType === "Guest" ? "Guest" : profile.type === "TFLUser" ? "Personal" : undefined],
  ];
  if (app.out.json) {
    app.out.printJson({
      mri: profile.mri,
      ...Object.fromEntries(
        fields.map(([k, v]) => [k.toLowerCase().replace(/ (\w)/g, (_, ch: string) => ch.toUpperCase()), v || null]),
      ),
    });
    return profile;
  }
  const shown = fields.filter(([, v]) => v);
  const width = Math.max(...shown.map(([k]) => k.length));
  const c = app.out.c;
  for (const [k, v] of shown) app.out.line(`${c.dim(k.padEnd(width))}  ${oneLine(v!)}`);
  return profile;
}
