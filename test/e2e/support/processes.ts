import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';

/**
 * Starts the suite's child processes (Node programs) each in its own process group, so stopping one also
 * stops whatever it spawned. They are all stopped by stopAll() when the suite ends, and exit by themselves
 * if the suite's process dies without getting that far.
 */

const STOP_GRACE_MS = 5_000;
const OUTPUT_KEPT_CHARS = 200_000;

export interface ProcessSpec {
  /** Short name for logs and error messages; the output also goes to `<logDir>/<name>.log`. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

export class ManagedProcess {
  private output = '';
  private readonly exited: Promise<number | null>;
  private hasExited = false;

  constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    log: WriteStream,
  ) {
    const keep = (chunk: Buffer): void => {
      log.write(chunk);
      this.output = (this.output + chunk.toString('utf8')).slice(-OUTPUT_KEPT_CHARS);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.hasExited = true;
        log.end();
        resolve(code ?? (signal === null ? null : -1));
      });
      child.once('error', (error) => {
        keep(Buffer.from(`\nspawn error: ${error.message}\n`));
        this.hasExited = true;
        resolve(-1);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return !this.hasExited;
  }

  /** The last part of everything the process wrote, for error messages. */
  tail(chars = 3_000): string {
    return this.output.slice(-chars);
  }

  /** Resolves with the first match of `pattern` in the output; rejects on timeout or early exit. */
  async waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = this.output.match(pattern);
      if (match) return match;
      if (this.hasExited) throw new Error(`${this.name} exited before printing ${pattern}:\n${this.tail()}`);
      if (Date.now() > deadline) throw new Error(`${this.name} did not print ${pattern} within ${timeoutMs} ms:\n${this.tail()}`);
      await Promise.race([this.exited, delay(100)]);
    }
  }

  /** SIGTERM to the whole process group, SIGKILL after a grace period. */
  async stop(): Promise<void> {
    if (this.hasExited) return;
    signalGroup(this.child, 'SIGTERM');
    const killLater = setTimeout(() => signalGroup(this.child, 'SIGKILL'), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(killLater);
  }
}

/** Makes a supervised Node process exit when the suite's process dies (see lifeline.js). */
const LIFELINE = join(__dirname, 'lifeline.js');

export class ProcessSupervisor {
  private readonly processes: ManagedProcess[] = [];

  constructor(private readonly logDir: string) {
    mkdirSync(logDir, { recursive: true });
  }

  start(spec: ProcessSpec): ManagedProcess {
    const env = spec.env ?? process.env;
    const child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd,
      env: { ...env, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --require ${LIFELINE}`.trim() },
      stdio: ['pipe', 'pipe', 'pipe'], // stdin is the lifeline: never written, closed when this process dies
      detached: true, // its own process group: stop() can signal its descendants too
    });
    const managed = new ManagedProcess(spec.name, child, createWriteStream(join(this.logDir, `${spec.name}.log`)));
    this.processes.push(managed);
    return managed;
  }

  /** Stops every process started here, newest first (clients before the servers they talk to). */
  async stopAll(): Promise<void> {
    for (const managed of [...this.processes].reverse()) await managed.stop();
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error; // ESRCH: already gone
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
