/**
 * Path templates shared by the client's requests and the emulator's routes, so the two cannot
 * drift: `"/v1/me/endpoints/{epid}"` builds `/v1/me/endpoints/1f4d…` (each value percent-encoded)
 * and matches it back with a named group per parameter.
 */
export interface PathTemplate<P extends string = never> {
  /** The template as written, e.g. `/v1/pubsub/subscriptions/{epid}`. */
  readonly template: string;
  /** The path with every `{name}` replaced by its encoded value. */
  build(params: Readonly<Record<P, string>>): string;
  /**
   * Regular-expression source for the (decoded) path, without anchors: each `{name}` becomes the
   * named group `(?<name>[^/]+)`; a trailing slash in the template is optional.
   */
  readonly pattern: string;
}

const PARAM = /\{([A-Za-z][A-Za-z0-9]*)\}/g;
const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function pathTemplate<P extends string = never>(template: string): PathTemplate<P> {
  const parts = template.split(PARAM);
  let pattern = "";
  parts.forEach((part, i) => {
    pattern += i % 2 === 1 ? `(?<${part}>[^/]+)` : escapeRegex(part);
  });
  if (pattern.endsWith("/")) pattern = `${pattern.slice(0, -1)}/?`;
  return {
    template,
    pattern,
    build: (params) =>
      template.replace(PARAM, (_, name: string) => encodeURIComponent((params as Record<string, string>)[name] ?? "")),
  };
}
