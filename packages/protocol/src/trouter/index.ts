export * from "./envelope.js";
export * from "./events.js";
export * from "./frames.js";
export * from "./shapes.js";
