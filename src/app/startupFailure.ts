/**
 * Why the bot could not start, as one line an operator can act on: what failed, where, and what to check.
 * The stack trace is for developers and is printed only at LOG_LEVEL debug or trace.
 */
import { ConfigError } from './config';
import { type Store, type StoreOptions, StoreIntegrityError, openStore } from '../store';

export class StartupError extends Error {
  constructor(
    what: string,
    /** What the operator should check, e.g. "that PostgreSQL is running …". */
    readonly check: string,
    options: { readonly cause: unknown },
  ) {
    super(what, options);
    this.name = 'StartupError';
  }
}

/** Opens the configured store, or explains which database could not be opened and what to check. */
export async function openStoreAtStartup(options: StoreOptions): Promise<Store> {
  try {
    return await openStore(options);
  } catch (error) {
    throw new StartupError(`cannot open the ${databaseOf(options)}: ${reasonOf(error)}`, checkFor(options, error), { cause: error });
  }
}

/** Where the database is, without the credentials a connection string may carry. */
function databaseOf(options: StoreOptions): string {
  if (options.kind === 'sqlite') return `SQLite database ${options.path}`;
  try {
    const url = new URL(options.url);
    return `PostgreSQL database "${decodeURIComponent(url.pathname.slice(1))}" at ${url.hostname}:${url.port || '5432'}`;
  } catch {
    return 'PostgreSQL database (DATABASE_URL is not a URL)';
  }
}

const NETWORK_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ECONNRESET: 'connection reset',
};

/** The driver's reason in a few words. Connecting to `localhost` fails with an AggregateError without a message. */
function reasonOf(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const reason = NETWORK_REASONS[code] ?? (error instanceof Error && error.message !== '' ? error.message : code || String(error));
  return reason.split('\n')[0] ?? reason;
}

function checkFor(options: StoreOptions, error: unknown): string {
  const setting = options.kind === 'sqlite' ? 'SQLITE_PATH' : 'DATABASE_URL';
  if (error instanceof StoreIntegrityError) return `that ${setting} names this bot's database`;
  return options.kind === 'sqlite'
    ? 'that SQLITE_PATH names a file in a directory the bot may write to'
    : 'that PostgreSQL is running and reachable from here, and DATABASE_URL (host, port, database, user, password)';
}

/** The text main() prints before exiting: one line, plus the stack only when asked for. */
export function startupFailureText(error: unknown, logLevel: string | undefined): string {
  if (error instanceof ConfigError) return error.message; // the operator's list of settings to fix
  const withStack = logLevel === 'debug' || logLevel === 'trace';
  const cause = error instanceof StartupError ? error.cause : error;
  const line =
    error instanceof StartupError
      ? `The bot could not start: ${error.message}. Check ${error.check}.`
      : `The bot could not start: ${reasonOf(error)}.`;
  if (withStack) return `${line}\n${cause instanceof Error ? cause.stack ?? cause.message : String(cause)}`;
  return `${line} (LOG_LEVEL=debug prints the stack trace)`;
}
