// The terminal app as a library: run it in-process (tests, embedding) or build on its pieces.
export { App, type AppIo, type Cloud, clientOptions, type GlobalOptions } from "./app.js";
export { EXIT, UsageError } from "./errors.js";
export { runInteractive } from "./interactive/loop.js";
export { buildProgram, main, reportError } from "./main.js";
export { sanitizeTerminalText } from "./render/sanitize.js";
export { VERSION } from "./version.js";
