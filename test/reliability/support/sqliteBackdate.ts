/**
 * A bot instance resumes another's interrupted request only once it has sat untouched for a minute (so a
 * live instance's work is not stolen). Tests that restart a killed bot at once move that clock instead of
 * waiting: the request rows in an interruptible state are dated two minutes back.
 */
import Database from 'better-sqlite3';

export function backdateInterruptedRequests(sqlitePath: string): number {
  const db = new Database(sqlitePath);
  try {
    const twoMinutesAgo = new Date(Date.now() - 120_000).toISOString();
    return db.prepare("UPDATE requests SET updated_at = ? WHERE state IN ('approved', 'provisioning')").run(twoMinutesAgo).changes;
  } finally {
    db.close();
  }
}
