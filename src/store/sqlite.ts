/**
 * SQLite adapter (the default): one better-sqlite3 connection in WAL mode, on a local disk only (a network
 * filesystem is refused: WAL needs shared memory between processes, which SMB/NFS cannot provide, and their
 * locks are unreliable; use PostgreSQL there, as App Service requires). better-sqlite3 is synchronous,
 * but the store's transactions await between statements, so operations are queued: a transaction never
 * interleaves with another caller's statements. `BEGIN IMMEDIATE` takes the write lock up front so two
 * processes sharing the file serialise instead of failing on lock upgrade.
 */
import { mkdirSync, statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrations';
import { StoreIntegrityError } from './errors';
import type { Store } from './store';
import type { SqlExecutor, SqlSession, SqlValue } from './sql';
import { createSqlStore, verifyReadable } from './sqlStore';
import { type Clock, systemClock } from '../shared/clock';

const BUSY_TIMEOUT_MS = 5000;

/** Linux statfs f_type magic numbers of network and remote filesystems (linux/magic.h, fs/*). */
const NETWORK_FILESYSTEMS: ReadonlyMap<number, string> = new Map([
  [0xff534d42, 'CIFS/SMB'],
  [0xfe534d42, 'SMB2/3'],
  [0x517b, 'SMB'],
  [0x6969, 'NFS'],
  [0x01021997, '9P'],
  [0x00c36400, 'Ceph'],
  [0x5346414f, 'AFS'],
  [0x65735546, 'FUSE (e.g. blobfuse, sshfs)'],
]);

export interface SqliteStoreOptions {
  /** The statfs type of a directory; Linux's by default (tests pass another). */
  readonly filesystemType?: (directory: string) => number;
  /** Stamps the times the store writes itself (default: the system clock). */
  readonly clock?: Clock;
}

function linuxFilesystemType(directory: string): number {
  return process.platform === 'linux' ? statfsSync(directory).type : 0;
}

export async function openSqliteStore(path: string, options: SqliteStoreOptions = {}): Promise<Store> {
  const file = resolve(path);
  mkdirSync(dirname(file), { recursive: true });
  const network = NETWORK_FILESYSTEMS.get((options.filesystemType ?? linuxFilesystemType)(dirname(file)));
  if (network) {
    throw new Error(`${file} is on a network filesystem (${network}), where SQLite's WAL mode is unsupported and its locking unreliable: put SQLITE_PATH on a local disk, or use PostgreSQL (DATABASE_URL)`);
  }
  const db = new Database(file);
  try {
    configure(db, file);
    const executor = createSqliteExecutor(db);
    await migrate(executor);
    await verifyReadable(executor);
    return createSqlStore(executor, options.clock ?? systemClock);
  } catch (error) {
    db.close();
    if (error instanceof StoreIntegrityError) {
      throw new StoreIntegrityError(`${file}: ${error.message}`);
    }
    throw error;
  }
}

function configure(db: Database.Database, file: string): void {
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('foreign_keys = ON');
  } catch (error) {
    if (sqliteCode(error) === 'SQLITE_NOTADB') {
      throw new StoreIntegrityError(`${file} is not a SQLite database (is the path right?).`);
    }
    throw error;
  }
}

// Structural, not `instanceof`: the native module's SqliteError may come from another realm (jest, vm).
function sqliteCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

// The store writes PostgreSQL placeholders ($1); SQLite spells numbered parameters ?1, which
// better-sqlite3 binds from an object keyed by number.
function toSqlite(sql: string): string {
  return sql.replace(/\$(\d+)/g, '?$1');
}

function numbered(params: readonly SqlValue[]): Record<number, SqlValue> {
  return Object.fromEntries(params.map((value, index) => [index + 1, value]));
}

function createSqliteExecutor(db: Database.Database): SqlExecutor {
  const statements = new Map<string, Database.Statement>();
  let queue: Promise<unknown> = Promise.resolve();

  const session: SqlSession = {
    async query(sql: string, params: readonly SqlValue[] = []) {
      let statement = statements.get(sql);
      if (!statement) {
        statement = db.prepare(toSqlite(sql));
        statements.set(sql, statement);
      }
      const bound = numbered(params);
      if (statement.reader) return statement.all(bound) as Record<string, unknown>[];
      statement.run(bound);
      return [];
    },
    async exec(sql: string) {
      db.exec(sql);
    },
  };

  function serialised<T>(work: () => Promise<T>): Promise<T> {
    const result = queue.then(work);
    queue = result.catch(() => undefined);
    return result;
  }

  return {
    dialect: 'sqlite',
    query: (sql, params) => serialised(() => session.query(sql, params)),
    exec: (sql) => serialised(() => session.exec(sql)),
    transaction: (work) =>
      serialised(async () => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await work(session);
          db.exec('COMMIT');
          return result;
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw error;
        }
      }),
    isUniqueViolation: (error) =>
      sqliteCode(error) === 'SQLITE_CONSTRAINT_UNIQUE' || sqliteCode(error) === 'SQLITE_CONSTRAINT_PRIMARYKEY',
    close: () =>
      serialised(async () => {
        db.close();
      }),
  };
}
