export * from "./constants.js";
export * from "./forms.js";
export * from "./ids.js";
export * from "./json.js";
export * from "./time.js";
export type * from "./wire.js";
