/**
 * Child processes of a benchmark (the bot, the echo bot): started in their own process group, their output
 * kept for error messages, and killed when the benchmark ends — normally, by an error or by Ctrl-C.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { delay } from './stats';

export interface BenchChild {
  readonly pid: number;
  output(): string;
  /** Resolves with the first match of `pattern` in the output. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
const killAll = (): void => {
  for (const child of running) if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
};
process.once('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

export function startChild(name: string, args: readonly string[], env: NodeJS.ProcessEnv): BenchChild {
  const child = spawn(process.execPath, [...args], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  if (child.pid === undefined) throw new Error(`${name} did not start`);
  const pid = child.pid;
  running.add(child);
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-100_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = once(child, 'exit').then(() => running.delete(child));
  return {
    pid,
    output: () => output,
    async waitForOutput(pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(output);
        if (match) return match;
        if (!running.has(child)) throw new Error(`${name} exited before printing ${pattern}:\n${output.slice(-3000)}`);
        if (Date.now() > deadline) throw new Error(`${name} did not print ${pattern} within ${timeoutMs} ms:\n${output.slice(-3000)}`);
        await delay(10);
      }
    },
    async stop() {
      if (!running.has(child)) return;
      process.kill(-pid, 'SIGTERM');
      const timer = setTimeout(() => running.has(child) && process.kill(-pid, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `url` until it answers 200. */
export async function waitForOk(url: string, timeoutMs: number, pollMs = 5): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
    await delay(pollMs);
  }
}
