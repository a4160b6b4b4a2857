/**
 * A bot that cannot open its database says so in one line: the real entry point (src/index.ts main) in a
 * child process against a loopback port nobody listens on, and startApp against a real PostgreSQL and SQLite.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../src/app/config';
import { startApp } from '../../src/app/main';
import { StartupError, startupFailureText } from '../../src/app/startupFailure';
import { freeLoopbackPort } from '../e2e/support/network';
import { memoryLog } from '../support/memoryLog';

const REGISTER_TS = path.join(__dirname, '..', 'support', 'register-ts.js');
const MAIN = path.join(__dirname, '..', '..', 'src', 'index.ts');
const APPROVER = '00000000-0000-4000-8000-0000000000a2';
const SANDBOX = { APP_MODE: 'sandbox', PORT: '0', GRAPH_BASE_URL: 'http://127.0.0.1:9', APPROVER_IDS: APPROVER };
const STACK_FRAME = /^\s+at /m;

/** Runs `node src/index.ts` (as `npm run serve` runs lib/index.js) until it exits; restify's deprecation warning silenced. */
function runMain(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--no-deprecation', '-r', REGISTER_TS, MAIN], { env: { PATH: process.env.PATH ?? '', ...env } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.resume();
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the bot did not exit; stderr so far: ${stderr}`));
    }, 25_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('the entry point with the database down', () => {
  let url: string;
  let port: number;

  beforeAll(async () => {
    port = await freeLoopbackPort(); // free a moment ago: connecting to it is refused
    url = `postgres://bot:not-a-real-secret@127.0.0.1:${port}/adgb_down`;
  });

  it('prints one line naming the database, the reason and what to check, and exits 1', async () => {
    const { code, stderr } = await runMain({ ...SANDBOX, DATABASE_URL: url });
    expect(code).toBe(1);
    expect(stderr).toBe(
      `The bot could not start: cannot open the PostgreSQL database "adgb_down" at 127.0.0.1:${port}: connection refused. ` +
        'Check that PostgreSQL is running and reachable from here, and DATABASE_URL (host, port, database, user, password). ' +
        '(LOG_LEVEL=debug prints the stack trace)\n',
    );
  });

  it('adds the stack trace at LOG_LEVEL=debug, still without the password', async () => {
    const { code, stderr } = await runMain({ ...SANDBOX, DATABASE_URL: url, LOG_LEVEL: 'debug' });
    expect(code).toBe(1);
    expect(stderr.split('\n')[0]).toMatch(/^The bot could not start: cannot open the PostgreSQL database "adgb_down" .*: connection refused\. Check /);
    expect(stderr).toMatch(/ECONNREFUSED/);
    expect(stderr).toMatch(STACK_FRAME);
    expect(stderr).not.toContain('not-a-real-secret');
  });
});

describe('startApp with a database it cannot open', () => {
  let directory: string;

  beforeAll(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'startup-failure-'));
  });
  afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

  it('names the SQLite file and what to check when the path cannot be a database', async () => {
    const notADirectory = path.join(directory, 'plain-file');
    fs.writeFileSync(notADirectory, '');
    const file = path.join(notADirectory, 'bot.sqlite');
    const error = await startApp({ ...SANDBOX, SQLITE_PATH: file }, { logDestination: memoryLog().destination }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupError);
    expect(startupFailureText(error, undefined)).toMatch(
      new RegExp(`^The bot could not start: cannot open the SQLite database ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .+\\. Check that SQLITE_PATH names a file in a directory the bot may write to\\. \\(LOG_LEVEL=debug`),
    );
    expect(startupFailureText(error, undefined)).not.toMatch(/\n/);
  });

  const withPostgres = process.env.TEST_DATABASE_URL ? it : it.skip;
  withPostgres('passes on PostgreSQL\'s own reason when the server answers but the database does not exist', async () => {
    const missing = new URL(process.env.TEST_DATABASE_URL as string);
    missing.pathname = '/adgb_no_such_database';
    const error = await startApp({ ...SANDBOX, DATABASE_URL: missing.toString() }, { logDestination: memoryLog().destination }).catch((e: unknown) => e);
    expect(startupFailureText(error, 'info')).toMatch(
      /^The bot could not start: cannot open the PostgreSQL database "adgb_no_such_database" at 127\.0\.0\.1:5432: database "adgb_no_such_database" does not exist\. Check /,
    );
  });
});

describe('startupFailureText', () => {
  it('prints a configuration problem as the list of settings to fix', () => {
    expect(startupFailureText(new ConfigError(['PORT must be a number']), 'debug')).toBe('Invalid configuration (1 problem):\n  - PORT must be a number');
  });

  it('prints any other failure as one line, the stack only at debug or trace', () => {
    const error = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:3978'), { code: 'EADDRINUSE' });
    expect(startupFailureText(error, 'info')).toBe(
      'The bot could not start: listen EADDRINUSE: address already in use 127.0.0.1:3978. (LOG_LEVEL=debug prints the stack trace)',
    );
    expect(startupFailureText(error, 'trace')).toMatch(STACK_FRAME);
  });
});
