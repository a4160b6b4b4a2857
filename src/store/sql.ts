/**
 * The little SQL surface both adapters provide, so the store is written once. Statements use PostgreSQL's
 * `$1` placeholders; the SQLite executor rewrites them to SQLite's equivalent `?1`.
 */
export type SqlValue = string | number | null;
export type SqlRow = Readonly<Record<string, unknown>>;

export interface SqlSession {
  query(sql: string, params?: readonly SqlValue[]): Promise<readonly SqlRow[]>;
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface SqlExecutor extends SqlSession {
  readonly dialect: 'sqlite' | 'postgres';
  /** Runs `work` atomically: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  isUniqueViolation(error: unknown): boolean;
  close(): Promise<void>;
}
