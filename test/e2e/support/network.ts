import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';

/**
 * Loopback-only networking for the end-to-end suite: every Node process gets the network guard preloaded
 * (refuses and records non-loopback connections); the browser's requests are checked by BrowserRequestGuard.
 */

export const NETWORK_GUARD_PATH = join(__dirname, 'network-guard.js');

/** Environment for a child Node process: the guard preloaded, its refusals written to `violationsFile`. */
export function guardedEnv(violationsFile: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const inherited = process.env.NODE_OPTIONS ?? '';
  const preload = inherited.includes(NETWORK_GUARD_PATH) ? inherited : `${inherited} --require ${NETWORK_GUARD_PATH}`.trim();
  return { ...process.env, ...extra, NODE_OPTIONS: preload, E2E_NETWORK_VIOLATIONS_FILE: violationsFile };
}

export function createViolationsFile(dir: string): string {
  const file = join(dir, 'network-violations.jsonl');
  writeFileSync(file, '');
  return file;
}

/** Every refused non-loopback connection attempt recorded so far, one JSON line each. */
export function readViolations(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '');
}

/** True when this process can see no network interface but loopback (e.g. inside `unshare -n`). */
export function onlyLoopbackInterfaces(): boolean {
  return Object.values(networkInterfaces())
    .flat()
    .every((address) => address === undefined || address.internal);
}

/** A port that was free a moment ago on 127.0.0.1 (for programs that cannot be told to use port 0). */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address for a port-0 listener');
  return address.port;
}

export function isLoopbackUrl(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'data:' || protocol === 'blob:') return true;
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}
