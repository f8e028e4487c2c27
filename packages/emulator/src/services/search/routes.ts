import {
  AUDIENCES,
  buildQueryString,
  CONSUMER_RESULT_KEYS,
  parseQueryString,
  SEARCH_PATHS,
  type WireConsumerSearchResult,
  type WireSubstrateQueryResponse,
  type WireSubstrateResult,
  type WireSuggestion,
} from "@teams-api/protocol";
import type { EmulatorContext } from "../../context.js";
import {
  type BearerCaller,
  type EmuRequest,
  type EmuResponse,
  HttpError,
  route,
  type ServiceTable,
  type SkypeCaller,
} from "../../http/types.js";
import type { User } from "../../state/directory.js";
import type { VerifiedBearer } from "../login/tokens.js";
import { searchMessages } from "./matcher.js";

/**
 * Search (PROTOCOL.md §4): Substrate message search and people suggestions for enterprise accounts
 * (Bearer with the Substrate audience — or Outlook search's — plus `x-anchormailbox` naming the
 * caller's own mailbox), and the Skype-lineage message search for consumer accounts
 * (`X-Skypetoken`, under `/msgsearch` on the emulator's origin, msgsearch.skype.com for real).
 *
 * Matching is real full-text search over the messages the caller can see — the conversations they
 * are a member of, nobody else's — ranked by how often the terms occur, then newest first (or by
 * time when the request sorts by `Time`). An empty query is a 400.
 */

const SUBSTRATE_AUDIENCES = [AUDIENCES.substrate, "https://outlook.office.com/search", "https://outlook.office.com"];
const MAX_SIZE = 500;

/** The route tables, each below the root it is mounted at (`SEARCH_PATHS` split at its first segment). */
export function searchRoutes(ctx: EmulatorContext): {
  query: ServiceTable;
  suggestions: ServiceTable;
  consumer: ServiceTable;
} {
  /** The caller, once its anchor mailbox (when required) is its own. */
  const substrateCaller = (req: EmuRequest, bearer: VerifiedBearer, needAnchor: boolean): VerifiedBearer => {
    const caller = bearer;
    const anchor = req.headers["x-anchormailbox"]?.trim();
    if (!anchor) {
      if (needAnchor) throw new HttpError(400, "The x-anchormailbox header is required (Oid:<oid>@<tid>).");
      return caller;
    }
    const oid = /^Oid:([0-9a-f-]{36})@([0-9a-f-]{36})$/i.exec(anchor);
    const smtp = /^SMTP:(.+)$/i.exec(anchor);
    const mine = oid
      ? oid[1]!.toLowerCase() === caller.membership.oid.toLowerCase() &&
        oid[2]!.toLowerCase() === caller.tenantId.toLowerCase()
      : smtp
        ? smtp[1]!.toLowerCase() === caller.user.email.toLowerCase()
        : false;
    if (!oid && !smtp) throw new HttpError(400, "x-anchormailbox must be Oid:<oid>@<tid> or SMTP:<address>.");
    if (!mine) throw new HttpError(403, "The anchor mailbox is not the caller's own mailbox.");
    return caller;
  };

  const intField = (v: unknown, name: string, fallback: number, max: number): number => {
    if (v === undefined) return fallback;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > max) {
      throw new HttpError(400, `Field '${name}' must be an integer from 0 to ${max}.`);
    }
    return v;
  };

  const substrateQuery = (req: EmuRequest, { bearer }: BearerCaller): EmuResponse => {
    const caller = substrateCaller(req, bearer, true);
    const body = req.json<Record<string, unknown>>();
    const requests = body?.entityRequests;
    if (!Array.isArray(requests) || requests.length === 0) {
      throw new HttpError(400, "Field 'entityRequests' must be a non-empty array.");
    }
    const out: WireSubstrateQueryResponse = { EntitySets: [] };
    for (const r of requests as Array<Record<string, unknown>>) {
      if (r?.entityType !== "Message") {
        throw new HttpError(400, `entityType '${String(r?.entityType)}' is not emulated (Message).`);
      }
      const sources = r.contentSources;
      if (sources !== undefined && (!Array.isArray(sources) || !sources.includes("Teams"))) {
        throw new HttpError(400, "contentSources other than Teams are not emulated.");
      }
      const queryString = (r.query as { queryString?: unknown } | undefined)?.queryString;
      if (typeof queryString !== "string") throw new HttpError(400, "Field 'query.queryString' is required.");
      const query = parseQueryString(queryString);
      if (query.terms.length === 0) throw new HttpError(400, "The query string has no search terms.");
      const from = intField(r.from, "from", 0, 10_000);
      const size = intField(r.size, "size", 25, MAX_SIZE);
      const byTime = Array.isArray(r.sort) && r.sort.some((s) => (s as { field?: unknown })?.field === "Time");
      const { total, hits } = searchMessages(ctx, caller.user, query, { from, size, byTime });
      const results: WireSubstrateResult[] = hits.map((h) => ({
        Id: `AAMk${Buffer.from(`${h.thread.id}|${h.message.id}`).toString("base64url")}`,
        ReferenceId: `${h.message.clientmessageid}.1000.1`,
        HitHighlightedSummary: h.highlighted,
        Summary: h.text,
        Source: {
          DateTimeReceived: new Date(h.message.id).toISOString(),
          From: {
            EmailAddress: { Name: h.sender?.displayName ?? h.message.imdisplayname, Address: h.sender?.email ?? "" },
          },
          ...(h.thread.kind === "channel"
            ? { ChannelName: h.thread.topic || "General", TeamName: h.thread.team?.name ?? "" }
            : {}),
          ClientConversationId: `${h.thread.id};messageid=${h.message.rootId ?? h.message.id}`,
          ClientThreadId: h.thread.id,
          MessageId: String(h.message.id),
        },
      }));
      out.EntitySets.push({ ResultSets: [{ Total: total, Results: results }] });
    }
    return { status: 200, body: out };
  };

  const suggestions = (req: EmuRequest, { bearer }: BearerCaller): EmuResponse => {
    const caller = substrateCaller(req, bearer, false);
    const body = req.json<Record<string, unknown>>();
    const requests = body?.EntityRequests;
    if (!Array.isArray(requests) || requests.length === 0) {
      throw new HttpError(400, "Field 'EntityRequests' must be a non-empty array.");
    }
    const groups = (requests as Array<Record<string, unknown>>).map((r) => {
      if (r?.EntityType !== "People")
        throw new HttpError(400, `EntityType '${String(r?.EntityType)}' is not emulated (People).`);
      const q = (r.Query as { QueryString?: unknown } | undefined)?.QueryString;
      if (typeof q !== "string" || !q.trim()) throw new HttpError(400, "Field 'Query.QueryString' must not be empty.");
      const size = intField(r.Size, "Size", 10, 100);
      const want = q.trim().normalize("NFC").toLowerCase();
      const people = ctx.directory.users.filter(
        (u) =>
          u.kind === "enterprise" &&
          (u.tenantId === caller.tenantId || u.mri === caller.user.mri) &&
          [u.displayName, u.givenName, u.surname, u.email, u.upn].some((f) => f.toLowerCase().startsWith(want)),
      );
      return { Suggestions: people.slice(0, size).map((u) => suggestion(ctx, u)) };
    });
    return { status: 200, body: { Groups: groups } };
  };

  const consumerQuery = (req: EmuRequest, { user }: SkypeCaller): EmuResponse => {
    const body = req.json<Record<string, unknown>>();
    const option = body?.OPTION as { RESULTBASE?: unknown; RESULTCOUNT?: unknown } | undefined;
    const and = (body?.QUERYSTRING as { AND?: unknown } | undefined)?.AND;
    if (!Array.isArray(and)) throw new HttpError(400, "Field 'QUERYSTRING.AND' must be an array.");
    const texts: string[] = [];
    let threadId: string | undefined;
    for (const clause of and as Array<Record<string, unknown>>) {
      if (Array.isArray(clause?.OR)) {
        for (const c of clause.OR as Array<Record<string, unknown>>)
          if (typeof c?.Content === "string") texts.push(c.Content);
      } else if (typeof clause?.ThreadId === "string") threadId = clause.ThreadId;
      else if (typeof clause?.Content === "string") texts.push(clause.Content);
    }
    const query = parseQueryString(buildQueryString(texts.join(" ")));
    if (query.terms.length === 0) throw new HttpError(400, "The query has no Content terms.");
    const from = intField(option?.RESULTBASE, "OPTION.RESULTBASE", 0, 10_000);
    const size = intField(option?.RESULTCOUNT, "OPTION.RESULTCOUNT", 25, MAX_SIZE);
    const { hits } = searchMessages(ctx, user, query, { from, size, byTime: false, ...(threadId ? { threadId } : {}) });
    const K = CONSUMER_RESULT_KEYS;
    const results: WireConsumerSearchResult[] = hits.map((h) => ({
      MetadataList: [
        { Key: K.threadId, Value: h.thread.id },
        { Key: K.messageId, Value: String(h.message.id) },
        { Key: K.from, Value: h.message.from },
        { Key: K.displayName, Value: h.sender?.displayName ?? h.message.imdisplayname },
        { Key: K.content, Value: h.text },
        { Key: K.highlighted, Value: h.highlighted },
        { Key: K.composeTime, Value: new Date(h.message.id).toISOString() },
      ],
    }));
    return { status: 200, body: results };
  };

  const below = (path: string): RegExp => new RegExp(`^${path.replace(/^\/[^/]+/, "").replace(/[.]/g, "\\.")}/?$`);
  const substrate = { bearer: SUBSTRATE_AUDIENCES } as const;
  return {
    // substrate.office.com/searchservice/api/v2/query (`/searchservice` on the emulator's origin)
    query: {
      service: "search",
      routes: [route("POST", below(SEARCH_PATHS.substrateQuery), substrate, substrateQuery)],
    },
    // substrate.office.com/search/api/v1/suggestions (`/search`)
    suggestions: {
      service: "search",
      routes: [route("POST", below(SEARCH_PATHS.suggestions), substrate, suggestions)],
    },
    // msgsearch.skype.com/v2/query (`/msgsearch`)
    consumer: {
      service: "search",
      routes: [route("POST", new RegExp(`^${SEARCH_PATHS.consumerQuery}/?$`), "skypetoken", consumerQuery)],
    },
  };
}

function suggestion(ctx: EmulatorContext, u: User): WireSuggestion {
  const tenant = ctx.directory.tenant(u.tenantId);
  return {
    Id: `${u.oid}@${u.tenantId}`,
    MRI: u.mri,
    DisplayName: u.displayName,
    GivenName: u.givenName,
    Surname: u.surname,
    EmailAddresses: [u.email],
    ...(u.jobTitle ? { JobTitle: u.jobTitle } : {}),
    ...(tenant ? { CompanyName: tenant.name } : {}),
    ...(u.department ? { Department: u.department } : {}),
    UserPrincipalName: u.upn,
    PeopleType: "Person",
    PeopleSubtype: u.userType === "Guest" ? "Guest" : "OrganizationUser",
  };
}
