import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { guardedEnv } from './network';
import type { ProcessSupervisor } from './processes';

/**
 * The product's own sandbox, started from the compiled output (`npm run build`; test:e2e builds first) the
 * way `npm start` runs it: the Graph emulator and the bot in sandbox mode, each its own process.
 */

const ROOT = join(__dirname, '..', '..', '..');
const START_TIMEOUT_MS = 30_000;

function compiled(relativePath: string): string {
  const file = join(ROOT, 'lib', relativePath);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first (npm run test:e2e does)`);
  return file;
}

/** Starts `lib/<relativePath>` with the network guard preloaded. */
function startCompiled(supervisor: ProcessSupervisor, name: string, relativePath: string, violationsFile: string, env: NodeJS.ProcessEnv) {
  return supervisor.start({ name, command: process.execPath, args: [compiled(relativePath)], cwd: ROOT, env: guardedEnv(violationsFile, env) });
}

export async function startGraphEmulator(supervisor: ProcessSupervisor, violationsFile: string): Promise<string> {
  const emulator = startCompiled(supervisor, 'graph-emulator', 'sandbox/main.js', violationsFile, { GRAPH_EMULATOR_PORT: '0' });
  const [, url] = await emulator.waitForOutput(/Graph emulator listening on (http:\/\/127\.0\.0\.1:\d+)/, START_TIMEOUT_MS);
  return url;
}

export interface BotStartOptions {
  readonly graphBaseUrl: string;
  readonly sqlitePath: string;
  readonly approverIds: readonly string[];
  readonly violationsFile: string;
}

/** Starts the bot in sandbox mode on an ephemeral port and returns its messaging endpoint once it listens. */
export async function startBot(supervisor: ProcessSupervisor, options: BotStartOptions): Promise<string> {
  const bot = startCompiled(supervisor, 'bot', 'index.js', options.violationsFile, {
    APP_MODE: 'sandbox',
    HOST: '127.0.0.1',
    PORT: '0',
    GRAPH_BASE_URL: options.graphBaseUrl,
    SQLITE_PATH: options.sqlitePath,
    DATABASE_URL: '', // SQLite, whatever the calling shell has configured
    APPROVER_IDS: options.approverIds.join(','),
    LOG_LEVEL: 'info',
  });
  // pino's JSON line: {"level":30,…,"url":"http://127.0.0.1:<port>",…,"msg":"listening"}
  const [, url] = await bot.waitForOutput(/"url":"(http:\/\/127\.0\.0\.1:\d+)"[^\n]*"msg":"listening"/, START_TIMEOUT_MS);
  return `${url}/api/messages`;
}
