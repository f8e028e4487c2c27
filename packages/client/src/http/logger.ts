import type { Redactor } from "./redact.js";
import type { Logger } from "./types.js";

/** Wraps a logger so every line passes the redactor first, on one line. A logger that throws is ignored. */
export function redactingLogger(logger: Logger | undefined, redactor: Redactor): Logger | undefined {
  if (!logger) return undefined;
  const wrap =
    (level: keyof Logger) =>
    (message: string): void => {
      try {
        logger[level](redactor.string(String(message)).replace(/[\r\n]+/g, " "));
      } catch {
        // a broken logger must not break requests
      }
    };
  return { debug: wrap("debug"), info: wrap("info"), warn: wrap("warn"), error: wrap("error") };
}
