/**
 * The bot's log is JSON, line by line, from the first line on: the real entry point (src/index.ts, as
 * `npm run serve` runs lib/index.js) in a child process, sandbox mode against the Graph emulator, with
 * Node's warnings left on (restify's dependencies emit DEP0111 as they load).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type GraphEmulator, startGraphEmulator } from '../../src/sandbox/graphEmulator';

const REGISTER_TS = path.join(__dirname, '..', 'support', 'register-ts.js');
const MAIN = path.join(__dirname, '..', '..', 'src', 'index.ts');

interface Run {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
}

/** Starts the bot, stops it with SIGTERM once it listens, and returns everything it wrote. */
function runUntilListening(env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', REGISTER_TS, MAIN], { env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    let stopping: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      // The SIGTERM handler is installed just after the 'listening' line; give the process a moment to get there.
      if (stdout.includes('"msg":"listening"') && !stopping) stopping = setTimeout(() => child.kill('SIGTERM'), 300);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the bot did not start and stop; stdout: ${stdout} stderr: ${stderr}`));
    }, 25_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code });
    });
  });
}

describe('the process log', () => {
  let emulator: GraphEmulator;
  let directory: string;

  beforeAll(async () => {
    emulator = await startGraphEmulator({});
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'process-log-'));
  });
  afterAll(async () => {
    await emulator.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('is JSON on every line, Node warnings included, and nothing goes to stderr', async () => {
    const run = await runUntilListening({
      APP_MODE: 'sandbox',
      PORT: '0',
      GRAPH_BASE_URL: emulator.url,
      SQLITE_PATH: path.join(directory, 'bot.sqlite'),
      APPROVER_IDS: '00000000-0000-4000-8000-0000000000a2',
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n').filter((line) => line !== '');
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.map((entry) => entry['msg'])).toEqual(expect.arrayContaining(['starting', 'listening', 'stopped']));
    expect(entries).toContainEqual(
      expect.objectContaining({ msg: 'process warning', warning: expect.objectContaining({ name: 'DeprecationWarning', code: 'DEP0111' }) }),
    );
  });
});
