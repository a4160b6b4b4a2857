/** Opens the configured store: migrations applied and every row checked readable before it is returned. */
import { openPostgresStore } from './postgres';
import { openSqliteStore } from './sqlite';
import type { Store, StoreOptions } from './store';

export type { Store, StoreOptions } from './store';
export { StoreIntegrityError } from './store';

export function openStore(options: StoreOptions): Promise<Store> {
  return options.kind === 'sqlite' ? openSqliteStore(options.path) : openPostgresStore(options);
}
