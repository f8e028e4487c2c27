import { createHash } from "node:crypto";
import { deflateSync } from "node:zlib";
import { MT_TYPES, type WireBuddyGroup } from "@teams-api/protocol";
import type { EmulatorContext } from "../../context.js";
import { type EmuRequest, type EmuResponse, HttpError } from "../../http/types.js";
import type { User } from "../../state/directory.js";
import { acquaintancesOf } from "./acquaintances.js";

/**
 * The middle tier's people endpoints beyond the caller's own directory (PROTOCOL.md §6.2, §4.2):
 * federated and consumer profiles, people search, the buddy list and profile pictures.
 *
 * Across clouds and tenants the real service answers for the people a user talks to: the consumer
 * middle tier names the enterprise people in a consumer's chats (fetchFederated), the enterprise one
 * names consumers (fetchTflConsumers) and other tenants' users. "Talks to" includes former members
 * of a conversation, so a removal still names who was removed.
 */
export interface PeopleDeps {
  ctx: EmulatorContext;
  /** The caller's own-directory rule (same tenant, or consumer to consumer). */
  sameDirectory(caller: User, user: User): boolean;
  shortProfile(user: User): Record<string, unknown>;
}

const mrisOf = (req: EmuRequest): string[] => {
  const body = req.json<unknown>();
  if (!Array.isArray(body) || body.some((m) => typeof m !== "string")) {
    throw new HttpError(400, "The request body must be a JSON array of user MRIs.", { code: "BadRequest" });
  }
  return (body as string[]).map((m) => m.trim()).filter(Boolean);
};

export function peopleHandlers(deps: PeopleDeps) {
  const { ctx } = deps;
  const acquainted = (caller: User): Set<string> => acquaintancesOf(ctx.chat, caller.mri);

  /** Federated: other tenants (enterprise callers), or enterprise people a consumer talks to. */
  const federatedVisible = (caller: User, user: User, known: Set<string>): boolean => {
    if (user.kind !== "enterprise" || deps.sameDirectory(caller, user)) return false;
    return caller.kind === "enterprise" || known.has(user.mri.toLowerCase());
  };

  const lookup = (caller: User, mris: string[], rule: (u: User, known: Set<string>) => boolean, type: string) => {
    const known = acquainted(caller);
    const value = mris
      .map((m) => ctx.directory.byMri(m))
      .filter((u): u is User => u !== undefined && rule(u, known))
      .map((u) => ({ ...deps.shortProfile(u), type }));
    return { status: 200, body: { type: MT_TYPES.userIdentity, value } };
  };

  return {
    /** Whether the caller may look this user up at all (own directory, federation, or acquaintance). */
    canSee(caller: User, user: User): boolean {
      return (
        deps.sameDirectory(caller, user) ||
        federatedVisible(caller, user, acquainted(caller)) ||
        (caller.kind === "enterprise" && user.kind === "consumer")
      );
    },

    fetchFederated(caller: User, req: EmuRequest): EmuResponse {
      return lookup(caller, mrisOf(req), (u, known) => federatedVisible(caller, u, known), "Federated");
    },

    fetchTflConsumers(caller: User, req: EmuRequest): EmuResponse {
      if (caller.kind !== "enterprise") {
        throw new HttpError(
          403,
          "Consumer profiles are looked up with fetchShortProfile on the consumer middle tier.",
          { code: "Forbidden" },
        );
      }
      return lookup(caller, mrisOf(req), (u) => u.kind === "consumer", "TFLUser");
    },

    /** `POST /beta/users/searchV2`, body = the query text: people of the caller's directory by name or address. */
    searchV2(caller: User, req: EmuRequest): EmuResponse {
      const query = req.rawBody
        .toString("utf8")
        .trim()
        .replace(/^"(.*)"$/, "$1")
        .toLowerCase();
      if (!query) throw new HttpError(400, "The search text is empty.", { code: "BadRequest" });
      const words = query.split(/\s+/);
      const value = ctx.directory.users
        .filter((u) => deps.sameDirectory(caller, u) && !u.unlicensed)
        .filter((u) => {
          const fields = [u.displayName, u.givenName, u.surname, u.email, u.upn].map((f) => f.toLowerCase());
          return words.every((w) =>
            fields.some((f) => f.startsWith(w) || f.split(/[\s@.]/).some((p) => p.startsWith(w))),
          );
        })
        .slice(0, 25)
        .map(deps.shortProfile);
      return { status: 200, body: { value } };
    },

    /** `GET /beta/contacts/buddylist`: the caller's buddy groups. */
    buddyList(caller: User): EmuResponse {
      const groups = demoBuddyGroups(ctx, caller).map((g) => ({
        ...g,
        buddies: g.buddies.map((b) => {
          const u = ctx.directory.byMri(b.mri);
          return u ? { ...deps.shortProfile(u), ...b } : b;
        }),
      }));
      return { status: 200, body: { value: groups } };
    },

    /**
     * `GET /beta/users/{mri}/profilepicturev2?size=HR<w>x<h>`: a square PNG in the person's own
     * colour, of the size asked (64×64 when none; up to 648, the largest the web client asks for).
     */
    profilePicture(caller: User, mri: string, sizeName: string | null): EmuResponse {
      const user = ctx.directory.byMri(mri);
      if (!user || !this.canSee(caller, user))
        throw new HttpError(404, `User '${mri}' was not found.`, { code: "UserNotFound" });
      const m = /^HR(\d{1,3})x\1$/.exec(sizeName ?? "HR64x64");
      const size = m ? Number(m[1]) : 0;
      if (!(size >= 1 && size <= 648)) throw new HttpError(400, `Invalid size '${sizeName}'.`);
      return {
        status: 200,
        headers: { "Content-Type": "image/png", "Cache-Control": "private, max-age=3600" },
        body: solidPng(size, createHash("sha256").update(user.mri).digest().subarray(0, 3)),
      };
    },
  };
}

/**
 * Demo buddy lists: colleagues in Favorites, plus the people of other clouds one talks to. Grace
 * (consumer) keeps Alice, whom she chats with.
 */
function demoBuddyGroups(ctx: EmulatorContext, caller: User): WireBuddyGroup[] {
  const by = (first: string) => ctx.directory.users.find((u) => u.givenName === first);
  const entry = (u: User | undefined) => (u ? [{ mri: u.mri, displayName: u.displayName }] : []);
  const lists: Record<string, Array<[string, string[]]>> = {
    Alice: [
      ["Favorites", ["Bob", "Dana"]],
      ["Other contacts", ["Carol", "Grace"]],
    ],
    Bob: [
      ["Favorites", ["Alice"]],
      ["Other contacts", ["Evan"]],
    ],
    Grace: [["Friends", ["Alice"]]],
  };
  return (lists[caller.givenName] ?? []).map(([name, people], i) => ({
    id: String(i + 1),
    displayName: name,
    buddies: people.flatMap((p) => entry(by(p))),
  }));
}

/** A minimal truecolour PNG of one colour. */
function solidPng(size: number, rgb: Uint8Array): Buffer {
  const row = Buffer.alloc(1 + size * 3);
  for (let x = 0; x < size; x++) row.set(rgb, 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: size }, () => row));
  const chunk = (type: string, data: Buffer): Buffer => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, "ascii");
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
