/**
 * Middle tier (PROTOCOL.md §6.1–6.2): profiles, user lookup, tenants. Base URL from
 * `regionGtms.middleTier`; Bearer for the middle-tier audience plus `x-skypetoken`.
 */
import { MT_PATHS, MT_QUERIES, mriKind } from "@teams-api/protocol";
import { InvalidArgumentError, NotFoundError, ProtocolError, TeamsApiError } from "../errors.js";
import { BodyTooLargeError, readBodyCapped } from "../http/body.js";
import type { ApiResponse, AuthScheme, RequestOptions, ServiceContext } from "../http/types.js";
import type { TenantInfo, UserProfile } from "../models.js";
import { toProfile, toTenant } from "./map.js";
import { requestOptions } from "./util.js";

/** Largest profile picture read: the biggest size the web client asks for is a few hundred KB. */
export const MAX_PICTURE_BYTES = 4 * 1024 * 1024;

/** A profile picture's bytes and their media type. */
export interface ProfilePicture {
  readonly bytes: Uint8Array;
  /** `image/png`, `image/jpeg`… as the middle tier labelled it. */
  readonly contentType: string;
}

/** How many MRIs one fetchShortProfile call carries. */
export const SHORT_PROFILE_BATCH_SIZE = 100;

export class MiddleTierService {
  readonly #ctx: ServiceContext;

  constructor(context: ServiceContext) {
    this.#ctx = context;
  }

  async #base(options: RequestOptions): Promise<string> {
    const gtms = await this.#ctx.endpoints(options);
    return gtms.middleTier.replace(/\/+$/, "");
  }

  async #auth(): Promise<AuthScheme> {
    return { kind: "bearer+skypetoken", audience: await this.#ctx.middleTierAudience() };
  }

  /**
   * Short profiles of these users, in the order asked (the service answers in any order); users it
   * does not know are left out. Duplicates are asked once; large lists go in batches.
   */
  async fetchShortProfiles(mris: readonly string[], options: RequestOptions = {}): Promise<UserProfile[]> {
    const wanted = [...new Set(mris.filter((m) => typeof m === "string" && m !== ""))];
    if (wanted.length === 0) return [];
    const base = await this.#base(options);
    const auth = await this.#auth();
    const byMri = new Map<string, UserProfile>();
    for (let i = 0; i < wanted.length; i += SHORT_PROFILE_BATCH_SIZE) {
      const batch = wanted.slice(i, i + SHORT_PROFILE_BATCH_SIZE);
      const res = await this.#ctx.transport.request<unknown>({
        ...requestOptions(options),
        method: "POST",
        url: `${base}/beta/users/fetchShortProfile`,
        query: { ...MT_QUERIES.fetchShortProfile },
        // The service wants a leading empty element (§9.4 #10).
        body: ["", ...batch],
        auth,
        // A read despite the verb: repeating it is harmless.
        idempotent: true,
      });
      const body = res.body as { value?: unknown } | null;
      if (!body || typeof body !== "object" || !Array.isArray(body.value)) {
        throw new ProtocolError("The middle tier sent short profiles in an unexpected shape.");
      }
      for (const raw of body.value) {
        const p = toProfile(raw);
        if (p) byMri.set(p.mri.toLowerCase(), p);
      }
    }
    await this.#fillAcrossClouds(
      wanted.filter((m) => !byMri.has(m.toLowerCase())),
      byMri,
      base,
      auth,
      options,
    );
    return wanted.map((m) => byMri.get(m.toLowerCase())).filter((p): p is UserProfile => p !== undefined);
  }

  /**
   * People outside the caller's own directory: other tenants and, for a consumer, the enterprise
   * people they talk to (`fetchFederated`); consumers, for an enterprise user (`fetchTflConsumers`).
   * Best effort: a refusal leaves them unnamed.
   */
  async #fillAcrossClouds(
    missing: readonly string[],
    byMri: Map<string, UserProfile>,
    base: string,
    auth: AuthScheme,
    options: RequestOptions,
  ): Promise<void> {
    if (missing.length === 0) return;
    const me = await this.#ctx.identity(options);
    const federated = missing.filter((m) => mriKind(m) === "orgid");
    const consumers = me.kind === "enterprise" ? missing.filter((m) => mriKind(m) === "live") : [];
    for (const [path, list] of [
      [MT_PATHS.fetchFederated.build({}), federated],
      [MT_PATHS.fetchTflConsumers.build({}), consumers],
    ] as const) {
      for (let i = 0; i < list.length; i += SHORT_PROFILE_BATCH_SIZE) {
        try {
          const res = await this.#ctx.transport.request<unknown>({
            ...requestOptions(options),
            method: "POST",
            url: `${base}${path}`,
            body: list.slice(i, i + SHORT_PROFILE_BATCH_SIZE),
            auth,
            idempotent: true,
          });
          const value = (res.body as { value?: unknown } | null)?.value;
          if (!Array.isArray(value)) continue;
          for (const raw of value) {
            const p = toProfile(raw);
            if (p) byMri.set(p.mri.toLowerCase(), p);
          }
        } catch (err) {
          if (!(err instanceof TeamsApiError) || err.status >= 500 || err.status === 429) throw err;
        }
      }
    }
  }

  /**
   * One person by MRI, email address or UPN — the full profile (phones, office, SIP address in
   * `raw`) — or undefined when nobody matches.
   */
  async getUser(emailOrMri: string, options: RequestOptions = {}): Promise<UserProfile | undefined> {
    const id = typeof emailOrMri === "string" ? emailOrMri.trim() : "";
    if (/^\d+:/.test(id)) return this.#getUser(id, false, options);
    return this.getUserByEmail(id, options);
  }

  /** The signed-in user's full profile. */
  async getUserProfile(options: RequestOptions = {}): Promise<UserProfile> {
    const me = await this.#ctx.identity(options);
    const profile = await this.#getUser(me.mri, false, options);
    if (!profile) throw new ProtocolError("The middle tier does not know the signed-in user.");
    return profile;
  }

  /** People search (`searchV2`, the new-chat picker): people of the caller's directory by name or address. */
  async searchPeople(query: string, options: RequestOptions & { limit?: number } = {}): Promise<UserProfile[]> {
    const text = typeof query === "string" ? query.trim() : "";
    if (!text) throw new InvalidArgumentError("Type part of a name or address to search for.");
    const base = await this.#base(options);
    const res = await this.#ctx.transport.request<unknown>({
      ...requestOptions(options),
      method: "POST",
      url: `${base}${MT_PATHS.searchV2.build({})}`,
      query: { ...MT_QUERIES.searchV2 },
      headers: { "Content-Type": "text/plain; charset=utf-8" },
      body: text,
      auth: await this.#auth(),
      idempotent: true,
    });
    const value = (res.body as { value?: unknown } | null)?.value;
    if (!Array.isArray(value)) throw new ProtocolError("The middle tier sent search results in an unexpected shape.");
    const people = value.map(toProfile).filter((p): p is UserProfile => p !== undefined);
    return options.limit !== undefined ? people.slice(0, Math.max(0, options.limit)) : people;
  }

  /** The user with this email address or UPN, or undefined when there is none. */
  async getUserByEmail(email: string, options: RequestOptions = {}): Promise<UserProfile | undefined> {
    const e = email.trim();
    if (!/^[^\s@/?#]+@[^\s@/?#]+$/.test(e)) {
      throw new InvalidArgumentError(`"${email}" is not an email address.`);
    }
    return this.#getUser(e, true, options);
  }

  async #getUser(id: string, isMail: boolean, options: RequestOptions): Promise<UserProfile | undefined> {
    const base = await this.#base(options);
    const res = await this.#ctx.transport.request<unknown>({
      ...requestOptions(options),
      method: "GET",
      url: `${base}${MT_PATHS.user.build({ id })}`,
      query: { ...MT_QUERIES.user, isMailAddress: String(isMail) },
      auth: await this.#auth(),
    });
    const body = res.body as { value?: unknown } | null | undefined;
    if (body === null || body === undefined || (typeof body === "string" && body === "")) return undefined;
    if (typeof body !== "object") throw new ProtocolError("The middle tier sent a user in an unexpected shape.");
    if (body.value === null || body.value === undefined) return undefined;
    const profile = toProfile(body.value);
    if (!profile) throw new ProtocolError("The middle tier sent a user without an id.");
    return profile;
  }

  /**
   * A person's profile picture (`GET /beta/users/{mri}/profilepicturev2`, §6.2), or undefined when
   * the middle tier knows no such person. `size` is the web client's `HR64x64`-style size name.
   */
  async getProfilePicture(
    mri: string,
    options: RequestOptions & { size?: string; displayName?: string } = {},
  ): Promise<ProfilePicture | undefined> {
    const id = typeof mri === "string" ? mri.trim() : "";
    if (!/^\d+:\S+$/.test(id)) throw new InvalidArgumentError(`"${mri}" is not an MRI.`);
    const size = options.size ?? MT_QUERIES.profilePicture.size;
    if (!/^[A-Za-z0-9]{1,16}$/.test(size)) throw new InvalidArgumentError(`"${size}" is not a picture size.`);
    const base = await this.#base(options);
    let res: ApiResponse<ReadableStream<Uint8Array> | null>;
    try {
      res = await this.#ctx.transport.request<ReadableStream<Uint8Array> | null>({
        ...requestOptions(options),
        method: "GET",
        url: `${base}${MT_PATHS.profilePicture.build({ mri: id })}`,
        query: { ...(options.displayName ? { displayname: options.displayName } : {}), size },
        auth: await this.#auth(),
        responseType: "stream",
      });
    } catch (err) {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    }
    const contentType = (res.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    const answer = new Response(res.body, { headers: res.headers });
    if (!contentType.startsWith("image/")) {
      await answer.body?.cancel().catch(() => {});
      throw new ProtocolError(`The middle tier sent a picture that is not an image (${contentType || "no type"}).`);
    }
    try {
      return { bytes: await readBodyCapped(answer, MAX_PICTURE_BYTES), contentType };
    } catch (err) {
      if (err instanceof BodyTooLargeError) throw new ProtocolError("The middle tier sent a picture over 4 MiB.");
      throw err;
    }
  }

  /** Tenants the signed-in user belongs to (home and guest). */
  async getTenants(options: RequestOptions = {}): Promise<TenantInfo[]> {
    const base = await this.#base(options);
    const res = await this.#ctx.transport.request<unknown>({
      ...requestOptions(options),
      method: "GET",
      url: `${base}/beta/users/tenants`,
      auth: await this.#auth(),
    });
    if (!Array.isArray(res.body)) throw new ProtocolError("The middle tier sent tenants in an unexpected shape.");
    return res.body.map(toTenant).filter((t): t is TenantInfo => t !== undefined);
  }
}
