/** The `npm start` entry of the emulator: a real child process on loopback. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { allowAppOnlyBindFromEnv, portFromEnv, stateFileFromEnv } from '../../src/sandbox/main';

const REGISTER_TS = path.join(__dirname, '..', 'support', 'register-ts.js');
const MAIN = path.join(__dirname, '..', '..', 'src', 'sandbox', 'main.ts');

function startMain(env: Record<string, string>): { child: ChildProcessWithoutNullStreams; url: Promise<string> } {
  const child = spawn(process.execPath, ['-r', REGISTER_TS, MAIN], { env: { ...process.env, ...env } });
  const url = new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Graph emulator listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  return { child, url };
}

function exitOf(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

describe('sandbox main', () => {
  it('prints a loopback URL that serves Graph, requires the configured token, and stops on SIGTERM', async () => {
    const { child, url } = startMain({ GRAPH_EMULATOR_PORT: '0', GRAPH_EMULATOR_TOKEN: 'cli-token' });
    const exited = exitOf(child);
    const base = await url;
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${base}/v1.0/groups`)).status).toBe(401);
    expect((await fetch(`${base}/v1.0/groups`, { headers: { Authorization: 'Bearer cli-token' } })).status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('reads the port from GRAPH_EMULATOR_PORT, defaulting to 5980, and refuses anything else', () => {
    expect(portFromEnv(undefined)).toBe(5980);
    expect(portFromEnv(' ')).toBe(5980);
    expect(portFromEnv('6000')).toBe(6000);
    expect(() => portFromEnv('http')).toThrow(/GRAPH_EMULATOR_PORT/);
    expect(() => portFromEnv('70000')).toThrow(/GRAPH_EMULATOR_PORT/);
  });

  it('refuses app-only binds unless GRAPH_EMULATOR_ALLOW_APP_ONLY_BIND is exactly true', () => {
    expect(allowAppOnlyBindFromEnv(undefined)).toBe(false);
    expect(allowAppOnlyBindFromEnv('')).toBe(false);
    expect(allowAppOnlyBindFromEnv('false')).toBe(false);
    expect(allowAppOnlyBindFromEnv('true')).toBe(true);
    expect(() => allowAppOnlyBindFromEnv('yes')).toThrow(/GRAPH_EMULATOR_ALLOW_APP_ONLY_BIND must be true or false/);
  });

  it('keeps the tenant in GRAPH_EMULATOR_STATE_FILE (an absolute path), and in memory when it is unset or blank', () => {
    expect(stateFileFromEnv(undefined)).toBeUndefined();
    expect(stateFileFromEnv('  ')).toBeUndefined();
    expect(stateFileFromEnv('data/graph-tenant.json')).toBe(path.resolve('data/graph-tenant.json'));
  });
});
