/** Opens the configured store: migrations applied and every row checked readable before it is returned. */
import { type PostgresConnectionOptions, openPostgresStore } from './postgres';
import { openSqliteStore } from './sqlite';
import type { Clock } from '../shared/clock';
import type { Store } from './store';

export type { Store } from './store';
export { StoreIntegrityError } from './errors';

export type StoreOptions = (
  | { readonly kind: 'sqlite'; readonly path: string }
  | {
      readonly kind: 'postgres';
      readonly url: string;
      readonly poolSize?: number;
      /** PostgreSQL schema holding the tables (created when missing); default `public`. */
      readonly schema?: string;
      /** Token password, CA, timeouts and logger (src/store/postgres.ts). */
      readonly connection?: PostgresConnectionOptions;
    }
) & {
  /** Stamps the times the store writes itself, such as when a conversation was saved (default: the system clock). */
  readonly clock?: Clock;
};

export function openStore(options: StoreOptions): Promise<Store> {
  return options.kind === 'sqlite' ? openSqliteStore(options.path, options.clock ? { clock: options.clock } : {}) : openPostgresStore(options);
}
