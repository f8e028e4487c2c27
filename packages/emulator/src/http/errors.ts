import type { ServiceKind } from "./types.js";

/**
 * The error body each real service answers with (PROTOCOL.md §9.2). Every error the emulator sends
 * goes through here, so a client never sees a shape the real service would not send.
 */
export function errorBody(
  service: ServiceKind,
  status: number,
  message: string,
  extra: { aadError?: string; aadCode?: number; code?: string | number } = {},
  requestId = "",
): unknown {
  switch (service) {
    case "login": {
      const code = extra.aadCode ?? 90000;
      return {
        error: extra.aadError ?? (status === 400 ? "invalid_request" : "server_error"),
        error_description: `AADSTS${code}: ${message} Trace ID: ${requestId} Correlation ID: ${requestId} Timestamp: ${new Date().toISOString().replace("T", " ").slice(0, 19)}Z`,
        error_codes: [code],
        timestamp: new Date().toISOString().replace("T", " ").slice(0, 19) + "Z",
        trace_id: requestId,
        correlation_id: requestId,
      };
    }
    case "authsvc":
      return typeof extra.code === "string"
        ? { errorCode: extra.code, message }
        : { status: { code: typeof extra.code === "number" ? extra.code : status * 100 + 20, text: message } };
    case "presence":
      return { errorCode: status, ...(typeof extra.code === "number" ? { errorSubCode: extra.code } : {}), message };
    case "mt":
    case "csa":
      return { errorCode: typeof extra.code === "string" ? extra.code : String(status), message };
    case "chat":
    case "ams":
    case "search":
    case "trouter":
    case "control":
      return status === 429
        ? {
            errorCode: 429,
            message,
            standardizedError: { errorCode: 429, errorSubCode: 1, errorDescription: "Too many requests" },
          }
        : { errorCode: typeof extra.code === "number" ? extra.code : status, message };
  }
}
