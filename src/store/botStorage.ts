/**
 * botbuilder `Storage` over the store's database, with the eTag semantics of botbuilder's MemoryStorage:
 * a write whose item has no eTag or `'*'` always wins; otherwise it must carry the current eTag, else it is
 * refused with an eTag-conflict error. Reads return each item with its current eTag; missing keys are
 * omitted. A write of several items is atomic: on a conflict nothing is written.
 */
import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import type { SqlExecutor, SqlSession } from './sql';
import { parseJsonColumn } from './rows';

export function createSqlBotStorage(executor: SqlExecutor): Storage {
  return {
    async read(keys: string[]): Promise<StoreItems> {
      if (!keys) throw new ReferenceError('Keys are required when reading.');
      if (keys.length === 0) return {};
      const rows = await executor.query(
        `SELECT key, etag, document FROM bot_storage WHERE key IN (${placeholders(keys.length)})`,
        keys,
      );
      const items: StoreItems = {};
      for (const row of rows) {
        const key = String(row['key']);
        items[key] = { ...parseJsonColumn(row['document'], 'bot_storage', 'document', key), eTag: String(row['etag']) };
      }
      return items;
    },

    async write(changes: StoreItems): Promise<void> {
      if (!changes) throw new ReferenceError('Changes are required when writing.');
      await executor.transaction(async (session) => {
        for (const [key, item] of Object.entries(changes)) await writeItem(session, key, item);
      });
    },

    async delete(keys: string[]): Promise<void> {
      if (keys.length === 0) return;
      await executor.query(`DELETE FROM bot_storage WHERE key IN (${placeholders(keys.length)})`, keys);
    },
  };
}

function placeholders(count: number): string {
  return Array.from({ length: count }, (_, index) => `$${index + 1}`).join(', ');
}

async function writeItem(session: SqlSession, key: string, item: unknown): Promise<void> {
  if (typeof item !== 'object' || item === null) throw new TypeError(`Storage: item "${key}" must be an object.`);
  const { eTag, ...rest } = item as { eTag?: unknown };
  const document = JSON.stringify(rest);
  const nextETag = randomUUID();
  if (eTag === undefined || eTag === null || eTag === '*' || eTag === '') {
    await session.query(
      `INSERT INTO bot_storage (key, etag, document) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET etag = excluded.etag, document = excluded.document`,
      [key, nextETag, document],
    );
    return;
  }
  const updated = await session.query(
    'UPDATE bot_storage SET etag = $1, document = $2 WHERE key = $3 AND etag = $4 RETURNING key',
    [nextETag, document, key, String(eTag)],
  );
  if (updated.length > 0) return;
  // No row with that eTag: a missing item is written (as MemoryStorage does), a changed one is a conflict.
  const inserted = await session.query(
    'INSERT INTO bot_storage (key, etag, document) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING RETURNING key',
    [key, nextETag, document],
  );
  if (inserted.length === 0) throw new Error(`Storage: error writing "${key}" due to eTag conflict.`);
}
