/** Opens the configured store: migrations applied and every row checked readable before it is returned. */
import { openPostgresStore } from './postgres';
import { openSqliteStore } from './sqlite';
import type { Store, StoreOptions } from './port';

export type { Store, StoreOptions } from './port';
export { StoreIntegrityError } from './port';
export { DEFAULT_SQLITE_PATH } from './sqlite';

export function openStore(options: StoreOptions): Promise<Store> {
  return options.kind === 'sqlite' ? openSqliteStore(options.path) : openPostgresStore(options);
}
