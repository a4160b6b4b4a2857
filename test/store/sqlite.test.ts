import { writeFileSync, readFileSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, StoreIntegrityError } from '../../src/store';
import { openSqliteStore } from '../../src/store/sqlite';
import { describeStoreContract, expectForeignDatabaseRefused } from './support/contract';
import { sqliteHarness } from './support/harness';

describe('SQLite store', () => {
  describeStoreContract(sqliteHarness);

  describe('SQLite specifics', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'adgb-sqlite-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('creates the directories and the file on first run, in WAL mode', async () => {
      const path = join(dir, 'a', 'b', 'adgb.sqlite');
      const store = await openStore({ kind: 'sqlite', path });
      await store.createRequest({
        policyKey: 'k', policyName: 'K', scenario: 'automatic', requester: { aadObjectId: 'x', name: 'X' },
        names: { displayName: 'd', mailNickname: 'm', uniqueName: 'u' }, createdAt: '2026-01-01T00:00:00.000Z',
      });
      await store.close();
      expect(existsSync(path)).toBe(true);
      const db = new Database(path, { readonly: true });
      try {
        expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      } finally {
        db.close();
      }
    });

    it('refuses a file that is not a SQLite database, and leaves it untouched', async () => {
      const path = join(dir, 'notes.sqlite');
      const content = 'these are my notes, not a database\n'.repeat(200);
      writeFileSync(path, content);
      const opening = openStore({ kind: 'sqlite', path });
      await expect(opening).rejects.toThrow(StoreIntegrityError);
      await expect(opening).rejects.toThrow(/notes\.sqlite is not a SQLite database/);
      expect(readFileSync(path, 'utf8')).toBe(content);
    });

    it('refuses a SQLite database that belongs to something else', () => expectForeignDatabaseRefused(sqliteHarness()));

    it('refuses a directory on a network filesystem (App Service /home is SMB) before creating anything', async () => {
      const path = join(dir, 'share', 'bot.sqlite');
      const asked: string[] = [];
      const smb = (directory: string) => {
        asked.push(directory);
        return 0xfe534d42;
      };
      await expect(openSqliteStore(path, { filesystemType: smb })).rejects.toThrow(
        `${path} is on a network filesystem (SMB2/3), where SQLite's WAL mode is unsupported and its locking unreliable: put SQLITE_PATH on a local disk, or use PostgreSQL (DATABASE_URL)`,
      );
      expect(asked).toEqual([join(dir, 'share')]);
      expect(existsSync(path)).toBe(false);
    });

    it('reads the real filesystem type by default: a local disk opens', async () => {
      const store = await openSqliteStore(join(dir, 'local.sqlite'));
      await store.ping();
      await store.close();
    });
  });
});
