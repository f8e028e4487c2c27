// The baseline of the real-work benchmarks: a bare node script that reads the saved session, takes
// its cached skypetoken and bearer token, and makes the given requests with plain fetch — the first
// alone, the rest concurrently — printing the answers. No library, no retries, no name resolution.
//
//   node bench/bare-replay.mjs <session.json> <requests.json> [--node-http]
//
// With --node-http the requests go through node:http instead of fetch (a process on Node's
// fetch pays for starting undici on its first call; the library's own fetch is on node:http), so the benchmark can
// also print the overhead over the leanest possible script.
import { readFileSync } from "node:fs";
import { request } from "node:http";

const [sessionFile, planFile, mode] = process.argv.slice(2);
const session = JSON.parse(readFileSync(sessionFile, "utf8"));
const plan = JSON.parse(readFileSync(planFile, "utf8"));

function headersFor(req) {
  const headers = { accept: "application/json" };
  if (req.body) headers["content-type"] = "application/json";
  for (const [name, what] of Object.entries(req.credentials)) {
    if (what === "skypetoken") {
      headers[name] = name === "authentication" ? `skypetoken=${session.skype.token}` : session.skype.token;
    } else {
      headers[name] = `Bearer ${session.accessTokens[what.slice("bearer:".length)].token}`;
    }
  }
  return headers;
}

function sendNodeHttp(req) {
  return new Promise((resolve, reject) => {
    const r = request(req.url, { method: req.method, headers: headersFor(req) }, (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (d) => {
        text += d;
      });
      res.on("end", () =>
        res.statusCode < 400 ? resolve(text) : reject(new Error(`${req.method} answered ${res.statusCode}`)),
      );
    });
    r.on("error", reject);
    r.end(req.body || undefined);
  });
}

async function send(req) {
  if (mode === "--node-http") return sendNodeHttp(req);
  const res = await fetch(req.url, {
    method: req.method,
    headers: headersFor(req),
    ...(req.body ? { body: req.body } : {}),
  });
  if (!res.ok) throw new Error(`${req.method} answered ${res.status}`);
  return res.text();
}

const [first, ...rest] = plan;
const out = [];
if (first) out.push(await send(first));
out.push(...(await Promise.all(rest.map(send))));
process.stdout.write(`[${out.filter((t) => t).join(",")}]\n`);
