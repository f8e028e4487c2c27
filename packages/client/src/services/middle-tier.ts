/**
 * Middle tier (PROTOCOL.md §6.1–6.2): profiles, user lookup, tenants. Base URL from
 * `regionGtms.middleTier`; Bearer for the middle-tier audience plus `x-skypetoken`.
 */
import { InvalidArgumentError, ProtocolError } from "../errors.js";
import type { AuthScheme, RequestOptions, ServiceContext } from "../http/types.js";
import type { TenantInfo, UserProfile } from "../models.js";
import { toProfile, toTenant } from "./map.js";
import { requestOptions } from "./util.js";

/** How many MRIs one fetchShortProfile call carries. */
export const SHORT_PROFILE_BATCH_SIZE = 100;

const SHORT_PROFILE_QUERY = {
  isMailAddress: "false",
  canBeSmtpAddress: "false",
  enableGuest: "true",
  includeIBBarredUsers: "true",
  skypeTeamsInfo: "true",
  includeBots: "true",
} as const;

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
        query: { ...SHORT_PROFILE_QUERY },
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
    return wanted.map((m) => byMri.get(m.toLowerCase())).filter((p): p is UserProfile => p !== undefined);
  }

  /** The user with this email address or UPN, or undefined when there is none. */
  async getUserByEmail(email: string, options: RequestOptions = {}): Promise<UserProfile | undefined> {
    const e = email.trim();
    if (!/^[^\s@/?#]+@[^\s@/?#]+$/.test(e)) {
      throw new InvalidArgumentError(`"${email}" is not an email address.`);
    }
    const base = await this.#base(options);
    const res = await this.#ctx.transport.request<unknown>({
      ...requestOptions(options),
      method: "GET",
      url: `${base}/beta/users/${encodeURIComponent(e)}/`,
      query: {
        throwIfNotFound: "false",
        isMailAddress: "true",
        enableGuest: "true",
        includeIBBarredUsers: "true",
        skypeTeamsInfo: "true",
      },
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
