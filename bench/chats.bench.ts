import type { Benchmark } from "./lib.js";
import { realWork } from "./real-work.js";

const bench: Benchmark = {
  name: "chats",
  description:
    "`teams chats --json` from a cold start with a saved session, against a bare script making the same requests",
  run: ({ runs }) => realWork(() => ["chats", "--json"], runs),
};
export default bench;
