export * from "./constants.js";
export * from "./content/index.js";
export * from "./forms.js";
export * from "./ids.js";
export * from "./json.js";
export * from "./sanitize.js";
export * from "./time.js";
export * from "./trouter/index.js";
export type * from "./wire.js";
