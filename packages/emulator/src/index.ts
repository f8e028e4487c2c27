export type { EmulatorContext, Variants } from "./context.js";
export { DEFAULT_VARIANTS } from "./context.js";
export { DEFAULT_EMULATOR_PORT, type Emulator, type EmulatorOptions, startEmulator } from "./emulator.js";
export { PRODUCTION_HOSTNAMES } from "./hosts.js";
export type { FaultSpec } from "./http/faults.js";
export { DEMO_PASSWORD, type Tenant, type User } from "./state/directory.js";
export { DEMO_CHAT_IDS } from "./state/seed.js";
export { approveDeviceCode, signInByForm, webAppRefreshToken } from "./testing.js";
export { loopbackRegionGtms, productionRegionGtms } from "./urls.js";
