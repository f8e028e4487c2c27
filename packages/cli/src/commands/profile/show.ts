import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { Command } from "commander";
import type { UserProfile } from "teams-api";
import type { App } from "../../app.js";
import { UsageError } from "../../errors.js";
import { resolvePeople } from "../../people.js";
import { oneLine } from "../../render/sanitize.js";
import type { AppFor } from "../../shared/command.js";

export function register(program: Command, appFor: AppFor): void {
  program
    .command("profile")
    .description("show a person's profile (yours when no one is named)")
    .argument("[who]", "email address or name of someone you chat with")
    .option("--picture <file>", "also save their profile picture to this file (never overwrites)")
    .action(async (who: string | undefined, opts: { picture?: string }, cmd: Command) => {
      await run(appFor(cmd), who, opts);
    });
}

export async function run(app: App, who: string | undefined, opts: { picture?: string } = {}): Promise<UserProfile> {
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
  let picture: string | undefined;
  if (opts.picture !== undefined) {
    if (!opts.picture.trim()) throw new UsageError("--picture needs a file name.");
    const mri = profile.mri;
    const found = await app.out.spin("Loading the picture…", client.middleTier.getProfilePicture(mri));
    if (!found) throw new UsageError(`${oneLine(profile.displayName)} has no profile picture.`);
    picture = resolve(opts.picture);
    try {
      await writeFile(picture, found.bytes, { flag: "wx", mode: 0o644 });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "EEXIST") throw new UsageError(`${oneLine(picture)} already exists; choose another file name.`);
      throw new UsageError(`Could not save the picture to ${oneLine(picture)} (${code ?? "error"}).`);
    }
  }
  if (app.out.json) {
    app.out.printJson({
      mri: profile.mri,
      ...(picture ? { picture } : {}),
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
  if (picture) app.out.line(`${c.dim("Picture".padEnd(width))}  saved to ${oneLine(picture)}`);
  return profile;
}
