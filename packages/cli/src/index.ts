// The terminal app as a library: run it in-process (tests, embedding) or build on its pieces.
export { App, type AppIo, type Cloud, clientOptions, type GlobalOptions } from "./app.js";
export { describeError, EXIT, exitCodeFor, UsageError } from "./errors.js";
export { runInteractive } from "./interactive/loop.js";
export { buildProgram, main, reportError } from "./main.js";
export { wrap } from "./render/messages.js";
export { oneLine, sanitizeTerminalText } from "./render/sanitize.js";
export { installTerminalGuards, restoreTerminal } from "./terminal.js";
export { VERSION } from "./version.js";
