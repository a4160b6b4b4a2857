/**
 * PostgreSQL adapter, for several bot instances sharing one database: a `pg` pool, transactions on one
 * pooled client, READ COMMITTED (the store's conditional statements re-check their WHERE clause on the
 * row a concurrent writer committed, which is exactly the compare-and-set we need).
 */
import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { Pool, type PoolClient, type PoolConfig } from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';
import { silentLogger, type Logger } from '../shared/logger';
import { type Clock, systemClock } from '../shared/clock';
import { migrate } from './migrations';
import { StoreIntegrityError } from './errors';
import type { Store } from './store';
import type { SqlExecutor, SqlSession, SqlValue } from './sql';
import { createSqlStore, verifyReadable } from './sqlStore';

export interface PostgresStoreOptions {
  readonly url: string;
  readonly poolSize?: number;
  readonly schema?: string;
  readonly connection?: PostgresConnectionOptions;
  /** Stamps the times the store writes itself (default: the system clock). */
  readonly clock?: Clock;
}

/** How to connect beyond what the URL says. */
export interface PostgresConnectionOptions {
  /** Asked for every new connection, e.g. an Entra access token ({@link entraTokenPassword}); replaces the URL's. */
  readonly password?: () => Promise<string>;
  /** The only CA certificates (PEM) the server's certificate may chain to, host name checked (verify-full). */
  readonly ca?: readonly string[];
  /** How long opening a connection (or waiting for a pooled one) may take; default 10 s. */
  readonly connectTimeoutMs?: number;
  /** How long one statement may take, on the client and (statement_timeout) on the server; default 30 s. */
  readonly queryTimeoutMs?: number;
  readonly logger?: Logger;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_QUERY_TIMEOUT_MS = 30_000;

/** The token audience of Azure Database for PostgreSQL's Entra authentication. */
export const POSTGRES_ENTRA_SCOPE = 'https://ossrdbms-aad.database.windows.net/.default';
/** A token is fetched again once it has less than this left: a login with it must not race its expiry. */
const TOKEN_RENEW_BEFORE_MS = 5 * 60_000;

/**
 * A password callback that logs in with an Entra access token for PostgreSQL. Tokens live about an hour and
 * PostgreSQL checks them only at login, so each new connection gets the cached token until five minutes
 * before it expires, then a fresh one.
 */
export function entraTokenPassword(credential: TokenCredential, clock: Clock = systemClock): () => Promise<string> {
  let current: AccessToken | undefined;
  return async () => {
    if (!current || current.expiresOnTimestamp - clock.now().getTime() < TOKEN_RENEW_BEFORE_MS) {
      const token = await credential.getToken(POSTGRES_ENTRA_SCOPE);
      if (!token) throw new Error(`no Entra token for ${POSTGRES_ENTRA_SCOPE} (is the managed identity assigned to this app?)`);
      current = token;
    }
    return current.token;
  };
}

/**
 * The roots Azure Database for PostgreSQL server certificates chain to (DigiCert Global Root G2, Microsoft RSA
 * and ECC Root Certificate Authority 2017), taken from Node's own CA store by SHA-256 fingerprint so nothing is
 * downloaded or committed, and no other public CA is trusted for the database. (The older DigiCert Global Root
 * CA is left out: Azure moved off it and Node 22's store no longer has it.)
 */
const AZURE_POSTGRES_ROOTS = new Set([
  'CB:3C:CB:B7:60:31:E5:E0:13:8F:8D:D3:9A:23:F9:DE:47:FF:C3:5E:43:C1:14:4C:EA:27:D4:6A:5A:B1:CB:5F',
  'C7:41:F7:0F:4B:2A:8D:88:BF:2E:71:C1:41:22:EF:53:EF:10:EB:A0:CF:A5:E6:4C:FA:20:F4:18:85:30:73:E0',
  '35:8D:F3:9D:76:4A:F9:E1:B7:66:E9:C9:72:DF:35:2E:E1:5C:FA:C2:27:AF:6A:D1:D7:0E:8E:4A:6E:DC:BA:02',
]);

export function azurePostgresCaCertificates(): string[] {
  const found = rootCertificates.filter((pem) => AZURE_POSTGRES_ROOTS.has(new X509Certificate(pem).fingerprint256));
  if (found.length !== AZURE_POSTGRES_ROOTS.size) {
    throw new Error(`this Node.js lacks ${AZURE_POSTGRES_ROOTS.size - found.length} of the Azure PostgreSQL root certificates in its CA store`);
  }
  return found;
}

const DEFAULT_POOL_SIZE = 10;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const UNIQUE_VIOLATION = '23505';

export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const schema = options.schema ?? 'public';
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`The PostgreSQL schema name "${schema}" is not allowed: use lower-case letters, digits and _.`);
  }
  const connection = options.connection ?? {};
  const logger = connection.logger ?? silentLogger;
  const timeouts = {
    connectMs: connection.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    queryMs: connection.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS,
  };
  const base = poolConfig(options.url, connection, timeouts);
  await ensureSchema(base, schema, timeouts, logger);
  const pool = new Pool({ ...base, max: options.poolSize ?? DEFAULT_POOL_SIZE, options: `-c search_path=${schema}` });
  logIdleErrors(pool, logger);
  const executor = createPostgresExecutor(pool, timeouts, logger);
  try {
    await migrate(executor);
    await verifyReadable(executor);
    return createSqlStore(executor, options.clock ?? systemClock);
  } catch (error) {
    await pool.end();
    if (error instanceof StoreIntegrityError) {
      throw new StoreIntegrityError(`PostgreSQL schema "${schema}": ${error.message}`);
    }
    throw error;
  }
}

interface Timeouts {
  readonly connectMs: number;
  readonly queryMs: number;
}

/**
 * The URL parsed by pg's own parser, then what the URL cannot say. Passing the URL as `connectionString`
 * instead would let its (empty) password and its `sslmode` override the callback and the CA list.
 */
function poolConfig(url: string, connection: PostgresConnectionOptions, timeouts: Timeouts): PoolConfig {
  const parsed = parseIntoClientConfig(url);
  const ssl = connection.ca ? { ...(typeof parsed.ssl === 'object' ? parsed.ssl : {}), ca: [...connection.ca], rejectUnauthorized: true } : parsed.ssl;
  return {
    ...parsed,
    ssl,
    ...(connection.password ? { password: connection.password } : {}),
    connectionTimeoutMillis: timeouts.connectMs,
    query_timeout: timeouts.queryMs,
    statement_timeout: timeouts.queryMs,
  };
}

/** An idle client losing its connection must not crash the process; the next query reports the problem. */
function logIdleErrors(pool: Pool, logger: Logger): void {
  pool.on('error', (error) => logger.error({ err: error }, 'PostgreSQL: an idle pooled connection failed'));
}

async function ensureSchema(base: PoolConfig, schema: string, timeouts: Timeouts, logger: Logger): Promise<void> {
  const pool = new Pool({ ...base, max: 1 });
  logIdleErrors(pool, logger);
  try {
    await explainTimeout(() => pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`), timeouts, logger);
  } catch (error) {
    // Concurrent CREATE SCHEMA IF NOT EXISTS can still race on the catalog's unique index.
    if (!isUniqueViolation(error)) throw error;
  } finally {
    await pool.end();
  }
}

/** Thrown when PostgreSQL does not answer in time; says which limit was hit and what to check. */
export class PostgresTimeoutError extends Error {
  constructor(message: string, options: { readonly cause: unknown }) {
    super(message, options);
    this.name = 'PostgresTimeoutError';
  }
}

/** pg's own timeout errors carry no code, only these messages (pg 8: client.js, pg-pool). */
function timeoutKind(error: unknown): 'connect' | 'query' | undefined {
  const message = error instanceof Error ? error.message : '';
  if (/connection timeout|timeout exceeded when trying to connect/i.test(message)) return 'connect';
  if (/Query read timeout|statement timeout/i.test(message)) return 'query';
  return undefined;
}

async function explainTimeout<T>(work: () => Promise<T>, timeouts: Timeouts, logger: Logger): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const kind = timeoutKind(error);
    if (!kind) throw error;
    const limitMs = kind === 'connect' ? timeouts.connectMs : timeouts.queryMs;
    const what = kind === 'connect'
      ? `PostgreSQL did not accept a connection within ${limitMs} ms (DATABASE_CONNECT_TIMEOUT_MS): check that the server is up and reachable from here`
      : `a PostgreSQL statement did not finish within ${limitMs} ms (DATABASE_QUERY_TIMEOUT_MS): check the server's load and locks`;
    logger.error({ timeout: kind, limitMs, err: error }, what);
    throw new PostgresTimeoutError(what, { cause: error });
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === UNIQUE_VIOLATION;
}

function createPostgresExecutor(pool: Pool, timeouts: Timeouts, logger: Logger): SqlExecutor {
  const sessionOf = (client: Pool | PoolClient): SqlSession => ({
    async query(sql: string, params: readonly SqlValue[] = []) {
      const result = await explainTimeout(() => client.query(sql, [...params]), timeouts, logger);
      return result.rows as Record<string, unknown>[];
    },
    async exec(sql: string) {
      await explainTimeout(() => client.query(sql), timeouts, logger);
    },
  });
  return {
    dialect: 'postgres',
    ...sessionOf(pool),
    async transaction(work) {
      const client = await explainTimeout(() => pool.connect(), timeouts, logger);
      const session = sessionOf(client);
      let failure: unknown;
      try {
        await session.exec('BEGIN');
        const result = await work(session);
        await session.exec('COMMIT');
        return result;
      } catch (error) {
        failure = error;
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        // A connection whose statement timed out may still be busy on the server: discard it, don't pool it.
        client.release(failure instanceof PostgresTimeoutError ? failure : undefined);
      }
    },
    isUniqueViolation,
    close: () => pool.end(),
  };
}
