import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { delay, ProcessSupervisor } from './support/processes';

/** The suite's promise that it leaves no process behind rests on these. */

const node = (script: string): { command: string; args: string[] } => ({ command: process.execPath, args: ['-e', script] });

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntilGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await delay(50);
  return !isAlive(pid);
}

describe('the process supervisor', () => {
  const dir = mkdtempSync(join(tmpdir(), 'adgb-e2e-processes-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stops a process together with the processes it started', async () => {
    const supervisor = new ProcessSupervisor(dir);
    const parent = supervisor.start({
      name: 'parent',
      ...node(`const c = require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }); console.log('grandchild ' + c.pid); setInterval(() => {}, 1000);`),
    });
    const [, grandchild] = await parent.waitForOutput(/grandchild (\d+)/, 10_000);

    await supervisor.stopAll();

    expect(parent.running).toBe(false);
    expect(await waitUntilGone(Number(grandchild), 5_000)).toBe(true);
  });

  it('reports a process that exits before printing what was awaited, with its output', async () => {
    const supervisor = new ProcessSupervisor(dir);
    const failing = supervisor.start({ name: 'failing', ...node(`console.error('bad config'); process.exit(3);`) });
    await expect(failing.waitForOutput(/listening/, 10_000)).rejects.toThrow(/failing exited before printing .*bad config/s);
    await supervisor.stopAll();
  });

  it('gives up waiting after the timeout', async () => {
    const supervisor = new ProcessSupervisor(dir);
    const silent = supervisor.start({ name: 'silent', ...node('setInterval(() => {}, 1000)') });
    await expect(silent.waitForOutput(/never/, 300)).rejects.toThrow(/did not print \/never\/ within 300 ms/);
    await supervisor.stopAll();
    expect(silent.running).toBe(false);
  });

  it('makes a supervised process exit when the process that started it dies', async () => {
    // A stand-in for the jest process: a parent that holds the child's stdin (as the supervisor does)
    // and is then killed outright, so no cleanup code of its own can run.
    const lifeline = join(__dirname, 'support', 'lifeline.js');
    const parent = spawn(
      process.execPath,
      ['-e', `const c = require('child_process').spawn(process.execPath, ['--require', ${JSON.stringify(lifeline)}, '-e', 'setInterval(() => {}, 1000)'], { stdio: ['pipe', 'ignore', 'ignore'], detached: true }); console.log(c.pid); setInterval(() => {}, 1000);`],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const childPid = await new Promise<number>((resolve) => parent.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))));
    expect(isAlive(childPid)).toBe(true);

    parent.kill('SIGKILL');

    expect(await waitUntilGone(childPid, 5_000)).toBe(true);
  });
});
