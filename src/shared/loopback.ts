/**
 * Whether an address is this machine: where the sandbox may listen (authentication is off there) and where
 * the Graph emulator may be reached over plain http. One list for host names and URLs alike.
 */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/** A host as configured (`::1`) or as a URL spells it (`[::1]`). */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.replace(/^\[(.*)\]$/u, '$1').toLowerCase());
}

export function isLoopbackUrl(url: URL): boolean {
  return isLoopbackHost(url.hostname);
}
