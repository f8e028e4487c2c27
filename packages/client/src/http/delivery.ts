/**
 * The delivery rule (GUIDE §2, issue 12): a non-idempotent request (a message send) that got an
 * ambiguous answer has one of three outcomes — delivered (a check found it), not delivered (a check
 * says it is not there, and the service had finished with it), or unknown (no check could run, or
 * the service may still be working on it). Unknown is DeliveryUnknownError, and such a request is
 * never sent again automatically: it may still land.
 */
import { AbortError, DeliveryUnknownError, TeamsError } from "../errors.js";
import { discard } from "./body.js";

/** A check found nothing. */
export const ABSENT = Symbol("absent");
/** A check could not run. */
export const UNKNOWN = Symbol("unknown");

export type Confirmation = { evidence: unknown } | typeof ABSENT | typeof UNKNOWN;

/** Runs a delivery check. A caller's abort ends it with AbortError, never with UNKNOWN. */
export async function confirm(check: () => Promise<unknown>, signal: AbortSignal | undefined): Promise<Confirmation> {
  try {
    const evidence = await check();
    return evidence === undefined || evidence === false || evidence === null ? ABSENT : { evidence };
  } catch {
    if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
    return UNKNOWN;
  }
}

/** A gateway's failure (502, 504): the service behind it may still be processing the request. */
export function mayStillProcess(status: number): boolean {
  return status === 502 || status === 504;
}

/** The unknown outcome of `what` (method and redacted URL), after `cause`. */
export function unknownDelivery(what: string, cause: TeamsError): DeliveryUnknownError {
  return new DeliveryUnknownError(
    `${what} may have been processed: ${cause.message.replace(/\.$/, "")}, and no check could confirm it either way.`,
    { cause },
  );
}

/**
 * After a server failure answer to a non-idempotent request: the evidence when it landed after all,
 * DeliveryUnknownError when no check could tell (or a gateway answered, so the service may still be
 * working on it), undefined when it did not land (it may be sent again). The answer's body is let go
 * unless it is handed back (undefined).
 */
export async function settle(
  check: () => Promise<unknown>,
  signal: AbortSignal | undefined,
  response: Response,
  what: string,
): Promise<{ evidence: unknown } | undefined> {
  const found = await confirm(check, signal);
  if (typeof found === "object") {
    await discard(response);
    return found;
  }
  if (found === UNKNOWN || mayStillProcess(response.status)) {
    await discard(response);
    throw unknownDelivery(what, new TeamsError("server_error", `HTTP ${response.status}`));
  }
  return undefined;
}
