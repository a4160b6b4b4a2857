/**
 * On PostgreSQL a bot instance resumes another's interrupted request only once it has sat untouched for a
 * minute (so a live instance's work is not stolen). Tests that restart a killed bot at once move that clock
 * instead of waiting: the request rows in an interruptible state are dated two minutes back.
 */
import { Client } from 'pg';

const BACKDATE = "UPDATE requests SET updated_at = $at WHERE state IN ('approved', 'provisioning')";
const twoMinutesAgo = (): string => new Date(Date.now() - 120_000).toISOString();

export async function backdateInterruptedPostgresRequests(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(BACKDATE.replace('$at', '$1'), [twoMinutesAgo()])).rowCount ?? 0;
  } finally {
    await client.end();
  }
}
