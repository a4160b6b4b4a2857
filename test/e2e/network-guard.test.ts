import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createViolationsFile, guardedEnv, isLoopbackUrl, readViolations } from './support/network';

/** The suite's "nothing but loopback" promise rests on this guard; prove it refuses and records. */

const run = promisify(execFile);

/** A child Node process (guard preloaded) that tries `url` and prints how that went. */
async function fetchFromGuardedChild(url: string, violationsFile: string): Promise<string> {
  const script = `fetch(${JSON.stringify(url)}).then(r => console.log('status ' + r.status), e => console.log('failed ' + (e.cause && e.cause.code)))`;
  const { stdout } = await run(process.execPath, ['-e', script], { env: guardedEnv(violationsFile), timeout: 20_000 });
  return stdout.trim();
}

describe('the end-to-end network guard', () => {
  const dir = mkdtempSync(join(tmpdir(), 'adgb-e2e-guard-'));
  let server: Server;
  let localUrl: string;

  beforeAll(async () => {
    server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    localUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets a child process reach loopback and records nothing', async () => {
    const violations = createViolationsFile(dir);
    expect(await fetchFromGuardedChild(localUrl, violations)).toBe('status 200');
    expect(readViolations(violations)).toEqual([]);
  });

  it.each(['http://192.0.2.10/', 'https://graph.microsoft.com/v1.0/groups', 'http://[2001:db8::1]:8080/'])(
    'refuses %s and records the attempt',
    async (url) => {
      const violations = createViolationsFile(dir);
      expect(await fetchFromGuardedChild(url, violations)).toBe('failed ENETUNREACH');
      const [recorded, ...more] = readViolations(violations);
      expect(more).toEqual([]);
      expect(JSON.parse(recorded ?? '{}')).toMatchObject({ host: new URL(url).hostname.replace(/^\[|\]$/g, '') });
    },
  );

  it('tells loopback URLs from the rest for the browser guard', () => {
    expect(['http://localhost:1/', 'http://127.0.0.1/x', 'http://[::1]:3/', 'data:text/plain,hi'].every(isLoopbackUrl)).toBe(true);
    expect(['https://res-1.cdn.office.net/a.js', 'http://10.0.0.1/', 'http://localhost.example.com/'].some(isLoopbackUrl)).toBe(false);
  });
});
