/**
 * The version `teams --version` prints. A constant, not a package.json read, so the fast path in
 * bin.ts loads one tiny module; a test keeps it equal to package.json.
 */
export const VERSION = "0.1.0";
