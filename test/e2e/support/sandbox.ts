import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { guardedEnv } from './network';
import type { PlaygroundUser } from './playground';
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

/** The sandbox's OAuth connection name, from the compiled emulator (the one place that names it). */
function sandboxConnectionName(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the compiled module, as npm start reads it
  const main: unknown = require(compiled('sandbox/main.js'));
  return z.object({ SANDBOX_CONNECTION_NAME: z.string() }).parse(main).SANDBOX_CONNECTION_NAME;
}

/** Starts `lib/<relativePath>` with the network guard preloaded. */
function startCompiled(supervisor: ProcessSupervisor, name: string, relativePath: string, violationsFile: string, env: NodeJS.ProcessEnv) {
  return supervisor.start({ name, command: process.execPath, args: [compiled(relativePath)], cwd: ROOT, env: guardedEnv(violationsFile, env) });
}

/**
 * The emulator also serves the stub of the Bot Framework token service, which signs in `people` (the
 * Playground's users, as `npm start` passes them): the bot's approvers then act in Intune with their own token.
 */
export async function startGraphEmulator(supervisor: ProcessSupervisor, violationsFile: string, people: readonly PlaygroundUser[]): Promise<string> {
  const emulator = startCompiled(supervisor, 'graph-emulator', 'sandbox/main.js', violationsFile, { GRAPH_EMULATOR_PORT: '0', SANDBOX_PEOPLE: JSON.stringify(people) });
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
    // Sign-in through the emulator's token-service stub, as `npm start` sets it up.
    OAUTH_CONNECTION_NAME: sandboxConnectionName(),
    SANDBOX_TOKEN_SERVICE_URL: options.graphBaseUrl,
    LOG_LEVEL: 'info',
  });
  // pino's JSON line: {"level":30,…,"url":"http://127.0.0.1:<port>",…,"msg":"listening"}
  const [, url] = await bot.waitForOutput(/"url":"(http:\/\/127\.0\.0\.1:\d+)"[^\n]*"msg":"listening"/, START_TIMEOUT_MS);
  return `${url}/api/messages`;
}
