/** Where Graph calls go: the configured origin, the nextLinks we follow, OData string literals. */
import { isLoopbackUrl } from '../shared/loopback';

export const GRAPH_BASE_URL = 'https://graph.microsoft.com';

export type Version = 'v1.0' | 'beta';

/** Double every single quote, as OData string literals require; the caller URL-encodes the result. */
export function odataStringLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The configured Graph origin: https, or plain http on loopback only (the sandbox), and nothing but an origin. */
export function validatedBaseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`The Graph base URL "${raw}" is not a URL.`);
  }
  const plainHttpOnLoopback = url.protocol === 'http:' && isLoopbackUrl(url);
  if (url.protocol !== 'https:' && !plainHttpOnLoopback) {
    throw new Error(`The Graph base URL must be https (plain http only on loopback, for the sandbox): ${raw}`);
  }
  if (url.pathname !== '/' || url.search !== '') {
    throw new Error(`The Graph base URL must be an origin without a path, e.g. ${GRAPH_BASE_URL}: ${raw}`);
  }
  return url;
}

/** A nextLink as a path and version on our own origin; one to anywhere else is refused. */
export function relativeLink(base: URL, link: string): { path: string; version: Version } {
  const url = new URL(link);
  const match = /^\/(v1\.0|beta)(\/.*)$/.exec(url.pathname);
  if (url.origin !== base.origin || !match) {
    throw new Error(`Refusing to follow a Graph nextLink outside ${base.origin}: ${link}`);
  }
  return { version: match[1] as Version, path: match[2] + url.search };
}
