/**
 * Production-hosts mode (issue 7, PROTOCOL.md §9.6): the emulator answers as the real Microsoft
 * hosts, routing by `Host`; every URL it emits names those hosts over https; a regional chat host
 * serves only its region's users; an unknown host is a plain 404 naming it. Requests go to the
 * emulator's port with the real `Host` header (what a hosts file or a TLS front end would do); the
 * TLS front end and CONNECT proxy are checked at the end with the local CA.
 */
import * as assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type TLSSocket, connect as tlsConnect } from "node:tls";
import { AUDIENCES, CLIENT_IDS } from "@teams-api/protocol";
import { type Emulator, startEmulator } from "../src/emulator.js";
import { PRODUCTION_HOSTNAMES } from "../src/hosts.js";
import { bearerFor } from "./identity-helpers.js";

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: wire JSON in tests is untyped on purpose.
  json: any;
}

/** One request to the emulator's port as `https://<host><path>` would arrive behind a TLS front end. */
function call(
  emu: Emulator,
  method: string,
  url: string,
  o: { headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port: emu.port,
        method,
        path: `${u.pathname}${u.search}`,
        headers: {
          host: u.host,
          ...o.headers,
          ...(o.body !== undefined ? { "content-length": Buffer.byteLength(o.body) } : {}),
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8").on("data", (d: string) => {
          text += d;
        });
        res.on("end", () => {
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on("error", reject);
    req.end(o.body);
  });
}

describe("production-hosts mode", { timeout: 300_000 }, () => {
  let emu: Emulator;
  let dataDir: string;
  const bearer = (audience: string, login = "alice@contoso.com") => bearerFor(emu, login, audience);
  const skype = (login = "alice@contoso.com") =>
    emu.context.tokens.mintSkypeToken(emu.users.find((u) => u.login === login)!).token;

  let tmp: string;
  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), "teams-emulator-tls-"));
    // A directory that does not exist yet: the emulator creates it, owner-only.
    dataDir = join(tmp, "data", "teams-emulator");
    emu = await startEmulator({ port: 0, productionHosts: true, tls: { dataDir } });
  });
  after(async () => {
    await emu.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it("answers an unknown host with a plain 404 that names it, and a known host's unknown path plainly too", async () => {
    const r = await call(emu, "GET", "https://example.com/v1/users/ME/conversations");
    assert.equal(r.status, 404);
    assert.match(String(r.headers["content-type"]), /^text\/plain/);
    assert.match(r.text, /does not emulate the host 'example\.com'/);
    const page = await call(emu, "GET", "https://teams.microsoft.com/nothing-here");
    assert.equal(page.status, 404);
    assert.match(String(page.headers["content-type"]), /^text\/plain/);
  });

  it("serves sign-in at the root of login.microsoftonline.com, with discovery and iss on that host", async () => {
    const d = await call(emu, "GET", "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration");
    assert.equal(d.status, 200);
    assert.equal(d.json.token_endpoint, "https://login.microsoftonline.com/common/oauth2/v2.0/token");
    assert.equal(d.json.authorization_endpoint, "https://login.microsoftonline.com/common/oauth2/v2.0/authorize");
    const t = await call(
      emu,
      "GET",
      "https://login.microsoftonline.com/5c3e9a1d-8f2b-4d7a-9e61-0b4f2c8d7a10/v2.0/.well-known/openid-configuration",
    );
    assert.equal(t.json.issuer, "https://login.microsoftonline.com/5c3e9a1d-8f2b-4d7a-9e61-0b4f2c8d7a10/v2.0");
  });

  it("hands out https://microsoft.com/devicelogin, whose form posts relative to the page", async () => {
    const dc = await call(emu, "POST", "https://login.microsoftonline.com/organizations/oauth2/v2.0/devicecode", {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        client_id: CLIENT_IDS.teamsNative,
        scope: "https://api.spaces.skype.com/.default offline_access",
      }).toString(),
    });
    assert.equal(dc.status, 200);
    assert.equal(dc.json.verification_uri, "https://microsoft.com/devicelogin");
    const page = await call(emu, "GET", dc.json.verification_uri);
    assert.equal(page.status, 200);
    assert.match(page.text, /<form method="post" action="devicelogin"/);
  });

  it("grants the scope names as AAD does: full URIs in the reply, the names in scp", async () => {
    const scope = "https://substrate.office.com/.default";
    const { grant } = await import("../src/services/login/tokens.js").then((m) => m.parseScopeParam(scope, false));
    assert.deepEqual(grant.granted, ["https://substrate.office.com/SubstrateSearch-Internal.ReadWrite"]);
    assert.deepEqual(grant.scp, ["SubstrateSearch-Internal.ReadWrite"]);
  });

  it("authz on every host the fact sheet names hands out the real hostnames for the caller's region", async () => {
    for (const url of [
      "https://teams.microsoft.com/api/authsvc/v1.0/authz",
      "https://teams.cloud.microsoft/api/authsvc/v1.0/authz",
      "https://authsvc.teams.microsoft.com/v1.0/authz",
    ]) {
      const r = await call(emu, "POST", url, { headers: { authorization: `Bearer ${bearer(AUDIENCES.spaces)}` } });
      assert.equal(r.status, 200, url);
      const g = r.json.regionGtms as Record<string, string>;
      assert.equal(g.chatService, "https://emea.ng.msg.teams.microsoft.com");
      assert.equal(g.middleTier, "https://teams.microsoft.com/api/mt/part/emea-02");
      assert.equal(g.unifiedPresence, "https://presence.teams.microsoft.com");
      for (const [k, v] of Object.entries(g)) {
        const host = new URL(v).hostname;
        assert.ok(v.startsWith("https://"), `${k} is https`);
        assert.ok(PRODUCTION_HOSTNAMES.includes(host), `${k}: ${host} is a host the emulator answers as`);
      }
    }
    const consumer = await call(emu, "POST", "https://teams.live.com/api/auth/v1.0/authz/consumer", {
      headers: { authorization: `Bearer ${bearer("service::api.fl.spaces.skype.com::MBI_SSL", "grace@outlook.com")}` },
    });
    assert.equal(consumer.status, 200);
    assert.equal(consumer.json.regionGtms.chatService, "https://msgapi.teams.live.com");
  });

  it("a regional chat host serves only its region's users; links name the host the request came in on", async () => {
    const path = "/v1/users/ME/conversations?pageSize=2";
    const headers = { authentication: `skypetoken=${skype()}` };
    const home = await call(emu, "GET", `https://emea.ng.msg.teams.microsoft.com${path}`, { headers });
    assert.equal(home.status, 200);
    assert.match(home.json._metadata.backwardLink, /^https:\/\/emea\.ng\.msg\.teams\.microsoft\.com\/v1\//);
    for (const region of ["amer", "apac"]) {
      const away = await call(emu, "GET", `https://${region}.ng.msg.teams.microsoft.com${path}`, { headers });
      assert.equal(away.status, 404, region);
      assert.equal(away.json.errorCode, 404);
    }
    const consumerHost = await call(emu, "GET", `https://msgapi.teams.live.com${path}`, { headers });
    assert.equal(consumerHost.status, 404, "an enterprise user is not homed on the consumer host");
    const afd = await call(
      emu,
      "GET",
      `https://teams.microsoft.com/api/chatsvc/emea/v1/users/ME/conversations?pageSize=1`,
      { headers },
    );
    assert.equal(afd.status, 200);
    assert.match(JSON.stringify(afd.json), /https:\/\/teams\.microsoft\.com\/api\/chatsvc\/emea\/v1\//);
    assert.doesNotMatch(afd.text, /127\.0\.0\.1/);
  });

  it("CSA answers teams/users/me and conversationFolders with the chatsvcagg audience (§6.3)", async () => {
    const auth = { authorization: `Bearer ${bearer(AUDIENCES.chatServiceAggregator)}` };
    for (const base of [
      "https://teams.microsoft.com/api/csa/emea/api/v1",
      "https://teams.microsoft.com/api/csa/api/v1",
      "https://chatsvcagg.teams.microsoft.com/api/v1",
    ]) {
      const me = await call(emu, "GET", `${base}/teams/users/me?isPrefetch=false&enableMembershipSummary=true`, {
        headers: auth,
      });
      assert.equal(me.status, 200, base);
      assert.ok(me.json.teams.some((t: { displayName: string }) => t.displayName === "Falcon Team"));
      assert.ok(me.json.chats.some((c: { title: string }) => c.title === "Project Falcon"));
      assert.equal(me.json.privateFeeds[0].id, "48:notes");
    }
    const folders = await call(
      emu,
      "GET",
      "https://teams.microsoft.com/api/csa/emea/api/v1/teams/users/me/conversationFolders?supportsAdditionalSystemGeneratedFolders=true",
      { headers: auth },
    );
    assert.equal(folders.status, 200);
    assert.ok(Array.isArray(folders.json.conversationFolders));
    const spaces = await call(emu, "GET", "https://teams.microsoft.com/api/csa/emea/api/v1/teams/users/me", {
      headers: { authorization: `Bearer ${bearer(AUDIENCES.spaces)}` },
    });
    assert.equal(spaces.status, 401, "a spaces token is not a chatsvcagg token");
    const unknown = await call(emu, "GET", "https://teams.microsoft.com/api/csa/emea/api/v1/teams/users/me?x=1", {
      headers: auth,
    });
    assert.equal(unknown.status, 400, "unknown query parameters are refused");
  });

  it("Trouter allocates on go.trouter… and hands out the socket host of the caller's cloud (§7.2, §7.11)", async () => {
    const epid = "1f4d2c3b-7a6e-4d5c-9b8a-0e1f2d3c4b5a";
    for (const [host, login, socket] of [
      ["go.trouter.teams.microsoft.com", "alice@contoso.com", "https://trouter2-emea-a.trouter.teams.microsoft.com/"],
      ["go.trouter.skype.com", "grace@outlook.com", "https://trouter2-usce-a.trouter.skype.com/"],
    ] as const) {
      const r = await call(emu, "POST", `https://${host}/v4/a?epid=${epid}`, {
        headers: { "x-skypetoken": skype(login) },
      });
      assert.equal(r.status, 200, host);
      assert.equal(r.json.socketio, socket);
      assert.ok(String(r.json.surl).startsWith(`${socket}v4/f/`));
      const handshake = await call(
        emu,
        "GET",
        `${socket}socket.io/1/?${new URLSearchParams({ ...r.json.connectparams, epid }).toString()}`,
        { headers: { "x-skypetoken": skype(login) } },
      );
      assert.equal(handshake.status, 200, `the handshake on ${socket}: ${handshake.text}`);
    }
  });

  it("the control plane answers only on the emulator's own address", async () => {
    const own = await call(emu, "GET", `${emu.origin}/_emulator/health`);
    assert.equal(own.status, 200);
    const real = await call(emu, "GET", "https://teams.microsoft.com/_emulator/health");
    assert.equal(real.status, 404);
  });

  it("--tls: a local CA in the data directory; HTTPS and CONNECT tunnels with a certificate for every host", async () => {
    assert.ok(emu.caPath);
    assert.equal(emu.caPath, join(dataDir, "ca.pem"));
    assert.equal(emu.caCreated, true, "created on first use");
    assert.equal(statSync(dataDir).mode & 0o777, 0o700);
    assert.equal(statSync(join(dataDir, "ca-key.pem")).mode & 0o777, 0o600);
    const ca = readFileSync(emu.caPath, "utf8");
    assert.deepEqual(emu.env(), {
      TEAMS_CLOUD: "enterprise",
      HTTPS_PROXY: emu.origin,
      NODE_EXTRA_CA_CERTS: emu.caPath,
    });

    // Straight HTTPS on the same port, as with a hosts-file entry.
    let leaf: X509Certificate | undefined;
    const direct = await new Promise<number>((resolve, reject) => {
      const req = httpsRequest(
        {
          host: "127.0.0.1",
          port: emu.port,
          servername: "login.microsoftonline.com",
          headers: { host: "login.microsoftonline.com" },
          path: "/common/v2.0/.well-known/openid-configuration",
          ca,
          checkServerIdentity: () => undefined,
        },
        (res) => {
          leaf = new X509Certificate((res.socket as TLSSocket).getPeerCertificate().raw);
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end();
    });
    assert.equal(direct, 200);
    assert.ok(leaf?.verify(new X509Certificate(ca).publicKey), "the leaf is signed by the local CA");
    const names = String(leaf?.subjectAltName)
      .split(", ")
      .map((n) => n.replace(/^DNS:/, ""));
    for (const h of PRODUCTION_HOSTNAMES) assert.ok(names.includes(h), `the certificate names ${h}`);

    // CONNECT, then TLS verified against the CA for the real name.
    const tunnel = (target: string) =>
      new Promise<{ status: number; socket: import("node:net").Socket; head: Buffer }>((resolve, reject) => {
        const req = httpRequest({ host: "127.0.0.1", port: emu.port, method: "CONNECT", path: target });
        req.on("connect", (res, socket, head) => resolve({ status: res.statusCode ?? 0, socket, head }));
        req.on("error", reject);
        req.end();
      });
    const open = await tunnel("teams.microsoft.com:443");
    assert.equal(open.status, 200);
    const status = await new Promise<number>((resolve, reject) => {
      const secure = tlsConnect({ socket: open.socket, servername: "teams.microsoft.com", ca }, () => {
        secure.write(
          "GET /api/mt/part/emea-02/beta/users/tenants HTTP/1.1\r\nHost: teams.microsoft.com\r\nConnection: close\r\n\r\n",
        );
      });
      let head = "";
      secure.setEncoding("utf8").on("data", (d: string) => {
        head += d;
      });
      secure.on("end", () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0)));
      secure.on("error", reject);
    });
    assert.equal(status, 401, "the tunnelled request reached the middle tier (no bearer → its 401)");
    for (const target of ["example.com:443", "teams.microsoft.com:80", `127.0.0.1:${emu.port}`]) {
      const refused = await tunnel(target);
      assert.equal(refused.status, 502, `no tunnel to ${target}`);
      let body = refused.head.toString("utf8");
      for await (const chunk of refused.socket) body += String(chunk);
      assert.ok(body.includes(`does not emulate the host '${target}'`), body);
    }
  });

  it("--tls again on the same data directory reuses the CA", async () => {
    const again = await startEmulator({ port: 0, productionHosts: true, seed: "empty", tls: { dataDir } });
    try {
      assert.equal(again.caCreated, false);
      assert.equal(again.caPath, emu.caPath);
    } finally {
      await again.close();
    }
  });
});
