/**
 * Every exchange in ../shared/protocol/samples/ replays in both address modes (issue 7, GUIDE §4):
 * the sample's request — method, URL, headers, body — goes to a fresh emulator, with real
 * credentials of the demo user in place of the sample's placeholders and the ids a previous answer
 * handed out in place of the sample's. Production mode routes by `Host` (the sample URL's host, at
 * the emulator's port: what a hosts file or the CONNECT proxy delivers); loopback mode sends the
 * same request to the service's prefix on the emulator's own origin. Each answer must have the
 * sample's status and its top-level fields; in production mode no URL it names may point anywhere
 * but an https production host, and nothing may name the emulator's own address. The per-service
 * tests check the deeper shapes.
 */
import * as assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { request } from "node:http";
import { after, before, describe, it } from "node:test";
import { AUDIENCES, CLIENT_IDS } from "@teams-api/protocol";
import { type Emulator, startEmulator } from "../src/emulator.js";
import { PRODUCTION_HOSTNAMES } from "../src/hosts.js";
import { membershipsOf } from "../src/services/login/memberships.js";
import { ALICE_BOB, BOB, FALCON, type Json, sample } from "./chat-helpers.js";

interface Exchange {
  name?: string;
  request: { method: string; url: string; headers?: Record<string, string>; body?: unknown };
  response: { status: number; headers?: Record<string, string>; body?: unknown };
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: Json;
}

/** Every `{request, response}` pair in a sample file, in document order. */
function exchangesOf(doc: unknown): Exchange[] {
  const out: Exchange[] = [];
  const walk = (o: unknown): void => {
    if (Array.isArray(o)) for (const v of o) walk(v);
    else if (o && typeof o === "object") {
      const r = o as Record<string, unknown>;
      if (r.request && r.response && typeof (r.request as Exchange["request"]).url === "string") {
        out.push(r as unknown as Exchange);
        return;
      }
      for (const v of Object.values(r)) walk(v);
    }
  };
  walk(doc);
  return out;
}

/** Where a production host's services sit on the loopback origin (hosts.ts `loopbackHosts`). */
function loopbackPath(url: URL): string {
  const host = url.hostname;
  const rest = url.pathname + url.search;
  if (host.endsWith(".ng.msg.teams.microsoft.com") || host === "msgapi.teams.live.com") return rest;
  if (host.endsWith(".asyncgw.teams.microsoft.com") || host.endsWith(".asm.skype.com")) return `/ams${rest}`;
  if (host.startsWith("presence.")) return `/ups/emea${rest}`;
  if (host.includes("trouter")) return `/trouter${rest}`;
  // teams.microsoft.com, teams.live.com, substrate.office.com: the same paths on one origin.
  return rest;
}

const CREDENTIAL_HEADERS = ["authorization", "authentication", "x-skypetoken"];

describe("samples replay in both address modes", { timeout: 300_000 }, () => {
  for (const mode of ["loopback", "production"] as const) {
    describe(mode, () => {
      let emu: Emulator;
      before(async () => {
        emu = await startEmulator({ port: 0, productionHosts: mode === "production" });
      });
      after(() => emu.close());

      const user = (login: string) => emu.users.find((u) => u.login === login)!;
      const bearer = (audience: string, login: string): string => {
        const u = user(login);
        return emu.context.tokens.mintAccessToken({
          user: u,
          membership: membershipsOf(emu.context.directory, u)[0]!,
          clientId: login.endsWith("outlook.com") ? CLIENT_IDS.teamsConsumerWeb : CLIENT_IDS.teamsWeb,
          grant: { audience, scopes: [`${audience}/.default`], scp: ["user_impersonation"], granted: [] },
        }).token;
      };
      /** The credentials a real client sends to this URL (PROTOCOL.md §1.4), for the demo user. */
      const credentials = (url: URL): Record<string, string> => {
        const host = url.hostname;
        const path = url.pathname;
        if (host === "teams.live.com") {
          return {
            Authorization: `Bearer ${bearer("service::api.fl.spaces.skype.com::MBI_SSL", "grace@outlook.com")}`,
          };
        }
        const skype = emu.context.tokens.mintSkypeToken(user("alice@contoso.com")).token;
        const as = (audience: string) => ({ Authorization: `Bearer ${bearer(audience, "alice@contoso.com")}` });
        if (host.endsWith(".asyncgw.teams.microsoft.com")) return { Authorization: `skype_token ${skype}` };
        if (host.includes("trouter")) return { "X-Skypetoken": skype };
        if (host === "substrate.office.com") return as(AUDIENCES.substrate);
        if (host.startsWith("presence.")) return { ...as(AUDIENCES.presence), "x-skypetoken": skype };
        if (path.startsWith("/api/csa")) return { ...as(AUDIENCES.chatServiceAggregator), "x-skypetoken": skype };
        if (path.startsWith("/api/") || path.startsWith("/registrar")) {
          return { ...as(AUDIENCES.spaces), "x-skypetoken": skype };
        }
        return { Authentication: `skypetoken=${skype}` };
      };

      /** The sample's request at this emulator, with real credentials and the ids handed out so far. */
      const replay = (ex: Exchange["request"], ids: Map<string, string>): Promise<Answer> => {
        const swap = (text: string) => [...ids].reduce((t, [from, to]) => t.replaceAll(from, to), text);
        const url = new URL(swap(ex.url));
        const headers: Record<string, string> = { ...credentials(url) };
        for (const [k, v] of Object.entries(ex.headers ?? {})) {
          if (!CREDENTIAL_HEADERS.includes(k.toLowerCase()) && k.toLowerCase() !== "content-length") headers[k] = v;
        }
        let body: string | undefined;
        if (typeof ex.body === "string") body = ex.body;
        else if (ex.body !== undefined && ex.body !== null) {
          body = swap(JSON.stringify(ex.body));
          headers["Content-Type"] ??= "application/json";
        }
        headers["Content-Length"] = String(body === undefined ? 0 : Buffer.byteLength(body));
        if (mode === "production") headers.Host = url.host;
        const path = mode === "production" ? url.pathname + url.search : loopbackPath(url);
        return new Promise((resolve, reject) => {
          const req = request({ host: "127.0.0.1", port: emu.port, method: ex.method, path, headers }, (res) => {
            let text = "";
            res.setEncoding("latin1").on("data", (d: string) => {
              text += d;
            });
            res.on("end", () => {
              let json: Json;
              try {
                json = text ? JSON.parse(text) : undefined;
              } catch {
                json = undefined;
              }
              resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
            });
          });
          req.on("error", reject);
          req.end(body);
        });
      };

      /** The answer has the sample's status and top-level fields; production answers name only real hosts. */
      const check = (label: string, ex: Exchange, r: Answer): void => {
        assert.equal(r.status, ex.response.status, `${label}: ${r.text.slice(0, 300)}`);
        const expected = ex.response.body;
        if (expected && typeof expected === "object" && !Array.isArray(expected)) {
          for (const key of Object.keys(expected).filter((k) => !k.startsWith("_"))) {
            assert.ok(r.json && key in r.json, `${label}: the answer has '${key}'`);
          }
        }
        if (mode !== "production") return;
        const everything = `${JSON.stringify(r.headers)}\n${r.text}`;
        assert.ok(!everything.includes(`127.0.0.1:${emu.port}`), `${label} names the emulator's address`);
        assert.ok(!everything.includes(`localhost:${emu.port}`), `${label} names the emulator's address`);
        for (const [u] of everything.matchAll(/\bhttps?:\/\/[a-z0-9.-]+/gi)) {
          const host = new URL(u).hostname;
          if (/^(schema\.skype\.com|www\.w3\.org|statics\.teams\.cdn\.office\.net)$/.test(host)) continue; // markup, not services
          assert.ok(u.startsWith("https://"), `${label}: ${u} is https`);
          assert.ok(PRODUCTION_HOSTNAMES.includes(host), `${label}: ${host} is a host the emulator answers as`);
        }
      };

      const files = readdirSync(new URL("../../../../shared/protocol/samples/", import.meta.url))
        .filter((f) => f.endsWith(".json"))
        // The send comes first: the mutations act on the message it creates.
        .sort((a, b) => Number(b === "chat-send-message.json") - Number(a === "chat-send-message.json"));

      it("replays every exchange of every sample file", async () => {
        // Sample ids → the ids this emulator handed out (a created object, a sent message, …).
        const ids = new Map<string, string>();
        let replayed = 0;
        for (const file of files) {
          const doc = sample(file);
          const exchanges = exchangesOf(doc);
          if (file === "chat-mutations.json") {
            // The messages the sample's mutations name: Bob's last message to Alice, the AddMember line.
            const list = (cid: string) =>
              replay(
                {
                  method: "GET",
                  url: `https://emea.ng.msg.teams.microsoft.com/v1/users/ME/conversations/${encodeURIComponent(cid)}/messages?pageSize=200&startTime=1`,
                },
                ids,
              );
            const bobs = (await list(ALICE_BOB)).json.messages.find((m: Json) => m.from.endsWith(BOB) && m.content);
            const added = (await list(FALCON)).json.messages.find(
              (m: Json) => m.messagetype === "ThreadActivity/AddMember",
            );
            ids.set("1718200500000", bobs.id).set("7000000000000000001", bobs.clientmessageid);
            ids.set("1718100000000", added.id);
          }
          if (file === "registrar-registrations.json") {
            // The registration the sample deletes.
            const template = (doc as Json).request_template;
            const r = await replay({ ...template, body: (doc as Json).bodies[0].body ?? (doc as Json).bodies[0] }, ids);
            assert.ok(r.status >= 200 && r.status < 300, `registrar POST: ${r.status} ${r.text.slice(0, 200)}`);
          }
          for (const [i, ex] of exchanges.entries()) {
            const label = `${file} ${ex.name ?? i} (${mode})`;
            const r = await replay(ex.request, ids);
            check(label, ex, r);
            replayed++;
            // What this answer handed out replaces the sample's value from now on.
            const handed = ex.response.body as Json;
            if (handed?.id && r.json?.id && typeof handed.id === "string") ids.set(handed.id, r.json.id);
            if (handed?.OriginalArrivalTime && r.json?.OriginalArrivalTime) {
              ids.set(String(handed.OriginalArrivalTime), String(r.json.OriginalArrivalTime));
            }
          }
        }
        assert.ok(replayed >= 34, `replayed ${replayed} exchanges`);
      });
    });
  }
});
