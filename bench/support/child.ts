/**
 * Child processes of a benchmark (the bot, the echo bot): started in their own process group, their output
 * kept for error messages, and all killed when the benchmark ends — normally, by an error or by Ctrl-C.
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

const STOP_GRACE_MS = 5000;
const OUTPUT_KEPT_CHARS = 100_000;

export class BenchChildren {
  private readonly running = new Set<ChildProcess>();
  private readonly killAll = (): void => {
    for (const child of this.running) if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  };
  private readonly interrupted = (): void => {
    this.killAll();
    process.exit(130);
  };

  constructor() {
    process.once('exit', this.killAll);
    process.once('SIGINT', this.interrupted);
    process.once('SIGTERM', this.interrupted);
  }

  start(name: string, args: readonly string[], env: NodeJS.ProcessEnv): BenchChild {
    const child = spawn(process.execPath, [...args], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    if (child.pid === undefined) throw new Error(`${name} did not start`);
    const pid = child.pid;
    const running = this.running;
    running.add(child);
    let output = '';
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-OUTPUT_KEPT_CHARS);
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
        await terminate(child);
        await exited;
      },
    };
  }

  /** Stops every child still running and removes the exit handlers. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.running].map((child) => terminate(child)));
    process.off('exit', this.killAll);
    process.off('SIGINT', this.interrupted);
    process.off('SIGTERM', this.interrupted);
  }
}

/** SIGTERM to the child's process group, SIGKILL after a grace period; resolves once it exited. */
async function terminate(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const pid = child.pid;
  const exited = once(child, 'exit');
  process.kill(-pid, 'SIGTERM');
  const timer = setTimeout(() => process.kill(-pid, 'SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
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
