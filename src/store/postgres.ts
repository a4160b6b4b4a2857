/**
 * PostgreSQL adapter, for several bot instances sharing one database: a `pg` pool, transactions on one
 * pooled client, READ COMMITTED (the store's conditional statements re-check their WHERE clause on the
 * row a concurrent writer committed, which is exactly the compare-and-set we need).
 */
import { Pool, type PoolClient } from 'pg';
import { migrate } from './migrations';
import { StoreIntegrityError, type Store } from './store';
import type { SqlExecutor, SqlSession, SqlValue } from './sql';
import { createSqlStore, verifyReadable } from './sqlStore';

export interface PostgresStoreOptions {
  readonly url: string;
  readonly poolSize?: number;
  readonly schema?: string;
}

const DEFAULT_POOL_SIZE = 10;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const UNIQUE_VIOLATION = '23505';

export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const schema = options.schema ?? 'public';
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`The PostgreSQL schema name "${schema}" is not allowed: use lower-case letters, digits and _.`);
  }
  await ensureSchema(options.url, schema);
  const pool = new Pool({
    connectionString: options.url,
    max: options.poolSize ?? DEFAULT_POOL_SIZE,
    options: `-c search_path=${schema}`,
  });
  // An idle client losing its connection must not crash the process; the next query reports the problem.
  pool.on('error', () => undefined);
  const executor = createPostgresExecutor(pool);
  try {
    await migrate(executor);
    await verifyReadable(executor);
    return createSqlStore(executor);
  } catch (error) {
    await pool.end();
    if (error instanceof StoreIntegrityError) {
      throw new StoreIntegrityError(`PostgreSQL schema "${schema}": ${error.message}`);
    }
    throw error;
  }
}

async function ensureSchema(url: string, schema: string): Promise<void> {
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } catch (error) {
    // Concurrent CREATE SCHEMA IF NOT EXISTS can still race on the catalog's unique index.
    if (!isUniqueViolation(error)) throw error;
  } finally {
    await pool.end();
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === UNIQUE_VIOLATION;
}

function sessionOf(client: Pool | PoolClient): SqlSession {
  return {
    async query(sql: string, params: readonly SqlValue[] = []) {
      const result = await client.query(sql, [...params]);
      return result.rows as Record<string, unknown>[];
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  };
}

function createPostgresExecutor(pool: Pool): SqlExecutor {
  return {
    dialect: 'postgres',
    ...sessionOf(pool),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(sessionOf(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    isUniqueViolation,
    close: () => pool.end(),
  };
}
