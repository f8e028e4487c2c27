/**
 * The default `fetch`. Without a proxy: the client's own fetch on node:http (node-fetch.ts) for the
 * transport's requests, which follow redirects by hand, and Node's global fetch for anything that
 * asks fetch to follow them. When HTTPS_PROXY / HTTP_PROXY is set: undici's fetch through an
 * `EnvHttpProxyAgent` (which also honours NO_PROXY). undici is loaded only when a proxy is
 * configured, so a plain start stays fast.
 */

/** The subset of `fetch` the library uses. Inject your own through the `fetch` option. */
export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

export type Env = Readonly<Record<string, string | undefined>>;

function envValue(env: Env, name: string): string | undefined {
  const v = env[name] ?? env[name.toLowerCase()];
  return v && v.trim() !== "" ? v.trim() : undefined;
}

/** Proxy settings from the environment (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`, any case). */
export function proxyFromEnv(env: Env): { httpProxy?: string; httpsProxy?: string; noProxy?: string } | undefined {
  const httpsProxy = envValue(env, "HTTPS_PROXY");
  const httpProxy = envValue(env, "HTTP_PROXY");
  if (!httpsProxy && !httpProxy) return undefined;
  const noProxy = envValue(env, "NO_PROXY");
  return {
    ...(httpProxy ? { httpProxy } : {}),
    ...(httpsProxy ? { httpsProxy } : {}),
    ...(noProxy ? { noProxy } : {}),
  };
}

/** A fetch honouring the proxy variables of `env`; `direct` serves `redirect: "manual"` requests without one. */
export function createDefaultFetch(env: Env, direct: FetchLike): FetchLike {
  const proxy = proxyFromEnv(env);
  if (!proxy) return (input, init) => (init?.redirect === "manual" ? direct : globalThis.fetch)(input, init);
  let proxied: Promise<FetchLike> | undefined;
  const load = async (): Promise<FetchLike> => {
    const undici = await import("undici");
    // HTTP_PROXY serves http:// targets, HTTPS_PROXY https:// ones (falling back to HTTP_PROXY, as
    // undici does). Values come from the injected env, never straight from process.env.
    const dispatcher = new undici.EnvHttpProxyAgent({
      httpProxy: proxy.httpProxy ?? "",
      httpsProxy: proxy.httpsProxy ?? proxy.httpProxy ?? "",
      noProxy: proxy.noProxy ?? "",
    });
    return (input, init) =>
      undici.fetch(input, {
        ...(init as Record<string, unknown>),
        dispatcher,
      } as never) as unknown as Promise<Response>;
  };
  return async (input, init) => {
    proxied ??= load();
    return (await proxied)(input, init);
  };
}
