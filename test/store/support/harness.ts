/**
 * Fresh databases for the store tests: a temporary SQLite file, or a fresh PostgreSQL schema per store
 * (TEST_DATABASE_URL), dropped afterwards, so runs never see each other's rows.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { openStore, type Store, type StoreOptions } from '../../../src/store';

export interface StoreHarness {
  readonly dialect: 'sqlite' | 'postgres';
  readonly options: StoreOptions;
  /** Opens (again) the same database. */
  open(): Promise<Store>;
  /** Runs SQL behind the store's back, with CHECK constraints off: how corrupt or foreign rows get in. */
  raw(sql: string): Promise<void>;
  dispose(): Promise<void>;
}

export const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'];

/** Both adapters for `describe.each`; PostgreSQL's factory is undefined (skip) without TEST_DATABASE_URL. */
export function adapterHarnesses(): ReadonlyArray<readonly [string, (() => StoreHarness) | undefined]> {
  const url = TEST_DATABASE_URL;
  return [
    ['SQLite', sqliteHarness],
    ['PostgreSQL', url ? () => postgresHarness(url) : undefined],
  ];
}

export function sqliteHarness(): StoreHarness {
  const dir = mkdtempSync(join(tmpdir(), 'adgb-store-'));
  const options: StoreOptions = { kind: 'sqlite', path: join(dir, 'nested', 'adgb.sqlite') };
  return {
    dialect: 'sqlite',
    options,
    open: () => openStore(options),
    async raw(sql) {
      mkdirSync(dirname(options.path), { recursive: true });
      const db = new Database(options.path);
      try {
        db.pragma('ignore_check_constraints = ON');
        db.exec(sql);
      } catch (error) {
        // The native module's SqliteError can belong to another jest realm: rethrow as this realm's Error.
        throw new Error(typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error), { cause: error });
      } finally {
        db.close();
      }
    },
    async dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function postgresHarness(url: string): StoreHarness {
  const schema = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const options: StoreOptions = { kind: 'postgres', url, schema, poolSize: 20 };
  async function withClient(work: (client: Client) => Promise<void>): Promise<void> {
    const client = new Client({ connectionString: url, options: `-c search_path=${schema}` });
    await client.connect();
    try {
      await work(client);
    } finally {
      await client.end();
    }
  }
  return {
    dialect: 'postgres',
    options,
    open: () => openStore(options),
    async raw(sql) {
      await withClient(async (client) => {
        // PostgreSQL cannot switch CHECKs off per session: drop the named ones (this schema is throw-away).
        await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
        await client.query(
          'ALTER TABLE IF EXISTS requests DROP CONSTRAINT IF EXISTS requests_state_check; ' +
            'ALTER TABLE IF EXISTS audit_log DROP CONSTRAINT IF EXISTS audit_log_kind_check',
        );
        await client.query(sql);
      });
    },
    async dispose() {
      await withClient(async (client) => {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      });
    },
  };
}

/**
 * A whole throw-away database on the server of `serverUrl` (for processes that cannot be given a schema):
 * its URL, and `drop()` to remove it (forcibly, even with connections left open).
 */
export async function createTestDatabase(serverUrl: string, prefix: string): Promise<{ readonly url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${process.pid}_${randomBytes(3).toString('hex')}`;
  async function onServer(sql: string): Promise<void> {
    const client = new Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }
  await onServer(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** Every store a suite opened, closed once at the end (a test that fails midway still cleans up). */
export function trackStores(): { open(harness: StoreHarness): Promise<Store>; closeAll(): Promise<void> } {
  const open: Store[] = [];
  return {
    async open(harness) {
      const store = await harness.open();
      open.push(store);
      return store;
    },
    async closeAll() {
      await Promise.all(open.splice(0).map((store) => store.close().catch(() => undefined)));
    },
  };
}
