import type { Benchmark } from "./lib.js";
import { realWork } from "./real-work.js";

const bench: Benchmark = {
  name: "messages",
  description:
    "`teams messages <chat> --json` from a cold start with a saved session, against a bare script making the same requests",
  run: ({ runs }) => realWork((chats) => ["messages", chats["aliceBob"]!, "--json"], runs),
};
export default bench;
