import { generateKeyPairSync, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { join } from "node:path";
import type * as Forge from "node-forge";

// node-forge is CommonJS (and the project builds without esModuleInterop): load it as such, and
// only when `--tls` asks for a CA, so the plain emulator starts without it.
let forge: typeof Forge;

/**
 * The local certificate authority of `--tls` (like mitmproxy's): created on first use in the data
 * directory (`ca.pem`, and `ca-key.pem` readable by the owner only), reused afterwards, and printed
 * so a client can trust it (`NODE_EXTRA_CA_CERTS=<dir>/ca.pem`). Each start issues a fresh server
 * certificate for every hostname the emulator answers as, signed by that CA; its key never leaves
 * memory.
 */
export interface LocalCa {
  /** Path of the CA certificate (PEM) to trust. */
  readonly caPath: string;
  readonly caPem: string;
  /** True when this call created the CA. */
  readonly created: boolean;
  /** A server certificate (PEM chain: leaf, then CA) and its key, for the given names. */
  issue(hostnames: readonly string[]): { cert: string; key: string };
}

/** `$XDG_DATA_HOME/teams-emulator`, else `~/.local/share/teams-emulator`. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_DATA_HOME?.trim() || join(homedir(), ".local", "share");
  return join(base, "teams-emulator");
}

const CA_NAME = "teams-emulator local CA";
const DAY_MS = 86_400_000;

function rsaKeys(): { publicKey: Forge.pki.rsa.PublicKey; privateKey: Forge.pki.rsa.PrivateKey; privatePem: string } {
  // Node generates the key natively (fast); forge only builds and signs the certificates.
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(privatePem) as Forge.pki.rsa.PrivateKey;
  return { privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e), privatePem };
}

function serial(): string {
  // Positive, 16 bytes.
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString("hex");
}

function createCa(): { cert: Forge.pki.Certificate; keyPem: string } {
  const keys = rsaKeys();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - DAY_MS);
  cert.validity.notAfter = new Date(Date.now() + 3650 * DAY_MS);
  const subject = [
    { name: "commonName", value: CA_NAME },
    { name: "organizationName", value: "teams-emulator" },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { cert, keyPem: keys.privatePem };
}

/** Loads the CA from `dataDir`, creating it (and the directory, 0700) on first use. */
export function loadOrCreateCa(dataDir: string): LocalCa {
  forge ??= createRequire(import.meta.url)("node-forge") as typeof Forge;
  const caPath = join(dataDir, "ca.pem");
  const keyPath = join(dataDir, "ca-key.pem");
  let created = false;
  let caCert: Forge.pki.Certificate;
  let caKey: Forge.pki.rsa.PrivateKey;
  if (existsSync(caPath) && existsSync(keyPath)) {
    caCert = forge.pki.certificateFromPem(readFileSync(caPath, "utf8"));
    caKey = forge.pki.privateKeyFromPem(readFileSync(keyPath, "utf8")) as Forge.pki.rsa.PrivateKey;
  } else {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const ca = createCa();
    writeFileSync(keyPath, ca.keyPem, { mode: 0o600 });
    chmodSync(keyPath, 0o600);
    writeFileSync(caPath, forge.pki.certificateToPem(ca.cert), { mode: 0o644 });
    caCert = ca.cert;
    caKey = forge.pki.privateKeyFromPem(ca.keyPem) as Forge.pki.rsa.PrivateKey;
    created = true;
  }
  const caPem = forge.pki.certificateToPem(caCert);

  const issue = (hostnames: readonly string[]): { cert: string; key: string } => {
    const keys = rsaKeys();
    const cert = forge.pki.createCertificate();
    cert.publicKey = keys.publicKey;
    cert.serialNumber = serial();
    cert.validity.notBefore = new Date(Date.now() - DAY_MS);
    // Under the 398-day limit clients enforce for server certificates.
    cert.validity.notAfter = new Date(Date.now() + 397 * DAY_MS);
    cert.setSubject([{ name: "commonName", value: hostnames[0] ?? "localhost" }]);
    cert.setIssuer(caCert.subject.attributes);
    const ip = (name: string) => /^\d{1,3}(?:\.\d{1,3}){3}$/.test(name);
    cert.setExtensions([
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: hostnames.map((n) => (ip(n) ? { type: 7, ip: n } : { type: 2, value: n })),
      },
    ]);
    cert.sign(caKey, forge.md.sha256.create());
    return { cert: `${forge.pki.certificateToPem(cert)}${caPem}`, key: keys.privatePem };
  };

  return { caPath, caPem, created, issue };
}
