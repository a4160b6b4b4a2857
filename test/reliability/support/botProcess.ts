/**
 * The compiled bot (lib/index.js, as `npm run serve` runs it) as a child process: its own process group,
 * the network guard preloaded (any non-loopback connection is refused and recorded), killed with the suite.
 * Reuses the end-to-end suite's process supervisor and network guard.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ManagedProcess, ProcessSupervisor } from '../../e2e/support/processes';
import { createViolationsFile, guardedEnv, readViolations } from '../../e2e/support/network';
import { APPROVERS } from './activities';

const ROOT = join(__dirname, '..', '..', '..');
const BOT_ENTRY = join(ROOT, 'lib', 'index.js');
const START_TIMEOUT_MS = 30_000;
/** pino's JSON line: {"level":30,…,"url":"http://127.0.0.1:<port>",…,"msg":"listening"} */
const LISTENING = /"url":"(http:\/\/127\.0\.0\.1:\d+)"[^\n]*"msg":"listening"/;

export interface BotProcess {
  readonly managed: ManagedProcess;
  /** Base URL, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly endpoint: string;
}

/** Everything a suite's bot processes need, cleaned up by `stopAll`. */
export class BotProcesses {
  readonly dir = mkdtempSync(join(tmpdir(), 'adgb-reliability-procs-'));
  private readonly supervisor = new ProcessSupervisor(join(this.dir, 'logs'));
  private readonly violations = createViolationsFile(this.dir);
  private count = 0;

  constructor() {
    if (!existsSync(BOT_ENTRY)) throw new Error(`${BOT_ENTRY} is missing: run \`npm run build\` first (npm run test:reliability does)`);
  }

  /** Starts a bot with `env` over sandbox defaults (its own SQLite file); does not wait. */
  spawn(env: NodeJS.ProcessEnv): ManagedProcess {
    const name = `bot-${++this.count}`;
    return this.supervisor.start({
      name,
      command: process.execPath,
      args: [BOT_ENTRY],
      cwd: ROOT,
      env: guardedEnv(this.violations, {
        APP_MODE: 'sandbox',
        HOST: '127.0.0.1',
        PORT: '0',
        DATABASE_URL: '',
        SQLITE_PATH: join(this.dir, `${name}.sqlite`),
        APPROVER_IDS: APPROVERS.map((person) => person.aadObjectId).join(','),
        LOG_LEVEL: 'info',
        ...env,
      }),
    });
  }

  /** Starts a bot and resolves once it listens. */
  async start(env: NodeJS.ProcessEnv): Promise<BotProcess> {
    const managed = this.spawn(env);
    const [, url] = await managed.waitForOutput(LISTENING, START_TIMEOUT_MS);
    return { managed, url: url, endpoint: `${url}/api/messages` };
  }

  /** Every refused non-loopback connection any bot process attempted. */
  networkViolations(): string[] {
    return readViolations(this.violations);
  }

  async stopAll(): Promise<void> {
    await this.supervisor.stopAll();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** SIGKILL to the bot's process group, resolved once it is gone. */
export async function killHard(managed: ManagedProcess): Promise<void> {
  if (managed.pid !== undefined && managed.running) {
    try {
      process.kill(-managed.pid, 'SIGKILL');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
  await managed.stop();
}
