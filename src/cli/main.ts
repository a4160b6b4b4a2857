/**
 * The admin command line (`npm run admin -- <command>`): the audit export, the policy→group list and a
 * whole-tenant drift check, over the same environment, store and Graph directory as the bot.
 * `runCli` is the whole program without the process around it, so tests run it in-process.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { type Environment, ConfigError, type LogLevel, type StoreConfig, loadConfig, loadStoreConfig } from '../app/config';
import { createLogger } from '../app/log';
import { createGraphAccess, createServices, type Services } from '../app/services';
import { StartupError, openStoreAtStartup } from '../app/startupFailure';
import type { Store } from '../store';
import { type CliCommand, type OutputForm, USAGE, UsageError, parseCommandLine } from './args';
import { sandboxEnvironment } from './sandbox';
import type { Layout } from './table';
import {
  type CliOutput,
  EXIT_ERROR,
  EXIT_OK,
  adopt,
  allGroups,
  auditCsv,
  checkAll,
  cliActor,
  groupsTable,
  policiesExitCode,
  policiesJson,
  policiesText,
} from './commands';

export type { CliOutput } from './commands';
export { EXIT_DRIFT, EXIT_ERROR, EXIT_OK } from './commands';

/** Runs one command line; resolves to the exit code and never throws (every failure is explained on `err`). */
export async function runCli(argv: readonly string[], env: Environment, output: CliOutput): Promise<number> {
  try {
    const { command, sandbox } = parseCommandLine(argv);
    return await run(command, sandbox ? sandboxEnvironment(env) : env, output);
  } catch (error) {
    output.err(`${failureText(error)}\n`);
    return EXIT_ERROR;
  }
}

async function run(command: CliCommand, env: Environment, output: CliOutput): Promise<number> {
  switch (command.kind) {
    case 'help':
      output.out(USAGE);
      return EXIT_OK;
    case 'auditExport':
      return withStore(await openExistingStore(loadStoreConfig(env)), async (store) => {
        const { csv, entries } = await auditCsv(store, command);
        if (command.out === undefined) {
          output.out(csv);
          return EXIT_OK;
        }
        await writeFile(command.out, csv).catch((error: unknown) => {
          throw new Error(`cannot write ${command.out}: ${error instanceof Error ? error.message : String(error)}`);
        });
        output.out(`Wrote ${entries} audit entr${entries === 1 ? 'y' : 'ies'} to ${command.out}.\n`);
        return EXIT_OK;
      });
    case 'groups':
      return withStore(await openExistingStore(loadStoreConfig(env)), async (store) => {
        const groups = await allGroups(store);
        output.out(command.json ? `${JSON.stringify(groups, null, 2)}\n` : groupsTable(groups, layoutOf(command, output)));
        return EXIT_OK;
      });
    case 'check':
      return withServices(env, output, ({ requests }, store) => checkAll({ catalogue: store, requests }, cliActor(command.as, osUser(env)), command.repairOwner, output, layoutOf(command, output)));
    case 'policies':
      // A read with the operator's own Graph and database credentials, like `groups`: no approver to check.
      return withServices(env, output, async ({ inventory }) => {
        const { entries } = await inventory.take();
        output.out(command.json ? policiesJson(entries) : policiesText(entries, layoutOf(command, output)));
        return policiesExitCode(entries);
      });
    case 'adopt':
      return withServices(env, output, ({ requests }) => adopt(requests, command.policyId, cliActor(command.as, osUser(env)), output));
  }
}

const osUser = (env: Environment): string | undefined => env['USER'] ?? env['USERNAME'];

const layoutOf = (command: Pick<OutputForm, 'wide'>, output: CliOutput): Layout => ({ wide: command.wide, ...(output.columns !== undefined && { width: output.columns }) });

/** The bot's services over its existing database; log lines (Graph calls at debug) go to stderr, so stdout is only the report. */
async function withServices(env: Environment, output: CliOutput, use: (services: Services, store: Store) => Promise<number>): Promise<number> {
  const config = loadConfig(env);
  const logger = cliLogger(env['LOG_LEVEL'] ? config.logLevel : 'warn', output);
  return withStore(await openExistingStore(config.store), (store) => use(createServices(config, store, createGraphAccess(config, logger), logger), store));
}

/**
 * Warnings and errors unless LOG_LEVEL asks for more: as JSON lines for a pipe or a log collector; for a person
 * at a terminal, warnings and errors only, each as one sentence, so no JSON is mixed into the report's sentences.
 */
function cliLogger(level: LogLevel, output: CliOutput): ReturnType<typeof createLogger> {
  if (!output.interactive) return createLogger({ level, destination: { write: (line: string) => output.err(line) } });
  return createLogger({ level: atLeastWarn(level), destination: { write: (line: string) => output.err(readableLogLine(line)) } });
}

const QUIETER_THAN_WARN: readonly LogLevel[] = ['warn', 'error', 'fatal', 'silent'];
const atLeastWarn = (level: LogLevel): LogLevel => (QUIETER_THAN_WARN.includes(level) ? level : 'warn');

const PINO_WARN = 40;
const logLine = z.object({ level: z.number(), msg: z.string().optional(), err: z.object({ message: z.string() }).partial().optional() });

/** `{"level":40,"msg":"…","err":{"message":"…"}}` → `admin: warning: … (…)`. */
export function readableLogLine(line: string): string {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return line;
  }
  const parsed = logLine.safeParse(json);
  if (!parsed.success) return line;
  const { level, msg, err } = parsed.data;
  const cause = err?.message ? ` (${err.message})` : '';
  return `admin: ${level > PINO_WARN ? 'error' : 'warning'}: ${msg ?? 'see the log'}${cause}\n`;
}

/**
 * The bot's database, never a new one: opening SQLite creates a missing file, so a mistyped SQLITE_PATH would
 * otherwise export an empty audit log as if it were the real one.
 */
async function openExistingStore(store: StoreConfig): Promise<Store> {
  if (store.kind === 'sqlite' && !existsSync(store.path)) {
    throw new Error(`there is no SQLite database at ${store.path}; check SQLITE_PATH (the admin CLI reads the bot's database, it never creates one)`);
  }
  return openStoreAtStartup(store);
}

async function withStore(store: Store, use: (store: Store) => Promise<number>): Promise<number> {
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

function failureText(error: unknown): string {
  if (error instanceof UsageError) return `admin: ${error.message}\nRun "npm run admin -- help" for the commands and their options.`;
  if (error instanceof ConfigError) return `admin: ${error.message}`;
  if (error instanceof StartupError) return `admin: ${error.message}. Check ${error.check}.`;
  return `admin: ${error instanceof Error ? error.message : String(error)}`;
}

/** Runs the command line of this process on its stdout and stderr. */
export function runCliProcess(): void {
  const output: CliOutput = {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    ...(process.stdout.isTTY && { columns: process.stdout.columns }),
    interactive: process.stderr.isTTY,
  };
  // exitCode, not exit(): a large CSV on a pipe is written out before the process ends.
  void runCli(process.argv.slice(2), process.env, output).then((code) => {
    process.exitCode = code;
  });
}
