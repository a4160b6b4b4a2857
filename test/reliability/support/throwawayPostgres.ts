/**
 * A PostgreSQL cluster of our own (initdb + pg_ctl in a temporary directory, 127.0.0.1 on a free port, as
 * the `postgres` user when we are root), so a test can stop and restart the database under a running bot
 * without touching the shared cluster other suites use. Trust authentication: it lives for one test file.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort } from '../../e2e/support/network';

const PG_ROOT = '/usr/lib/postgresql';
const COMMAND_TIMEOUT_MS = 60_000;

/** The newest installed server's bin directory, or undefined when PostgreSQL is not installed. */
export function postgresBinDir(): string | undefined {
  if (!existsSync(PG_ROOT)) return undefined;
  const versions = readdirSync(PG_ROOT).filter((entry) => /^\d+$/.test(entry)).sort((a, b) => Number(b) - Number(a));
  const dir = versions.map((version) => join(PG_ROOT, version, 'bin')).find((candidate) => existsSync(join(candidate, 'pg_ctl')));
  return dir;
}

export interface ThrowawayPostgres {
  /** postgres://ci@127.0.0.1:<port>/postgres */
  readonly url: string;
  /** Starts it (no-op when running). */
  start(): void;
  /** `immediate` is a crash (no checkpoint); `fast` a clean shutdown. Both cut every connection. */
  stop(mode?: 'immediate' | 'fast'): void;
  destroy(): void;
}

function ownerIds(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

export async function createThrowawayPostgres(binDir: string): Promise<ThrowawayPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'adgb-throwaway-pg-'));
  const data = join(dir, 'data');
  const owner = ownerIds();
  if (owner) chownSync(dir, owner.uid, owner.gid);
  // As root, PostgreSQL refuses to run: use the postgres account.
  const run = (command: string, args: readonly string[]): void => {
    const [file, argv] = owner ? ['runuser', ['-u', 'postgres', '--', join(binDir, command), ...args]] : [join(binDir, command), [...args]];
    execFileSync(file, argv, { stdio: 'pipe', timeout: COMMAND_TIMEOUT_MS });
  };
  const port = await freeLoopbackPort();
  run('initdb', ['-D', data, '-U', 'ci', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  let running = false;
  const cluster: ThrowawayPostgres = {
    url: `postgres://ci@127.0.0.1:${port}/postgres`,
    start() {
      if (running) return;
      run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '30', 'start']);
      running = true;
    },
    stop(mode = 'fast') {
      if (!running) return;
      run('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '30', 'stop']);
      running = false;
    },
    destroy() {
      try {
        cluster.stop('immediate');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  return cluster;
}
