/**
 * Upgrading a database written by an earlier release: rows kept, new audit kinds accepted, still append-only;
 * requests gain a conversation of origin.
 */
import { MIGRATIONS } from '../../src/store/migrations';
import { adapterHarnesses, type StoreHarness } from './support/harness';

/** SQL that leaves a database as the release with schema `version` left it: its migrations applied and recorded. */
function schemaAtVersion(version: number, dialect: StoreHarness['dialect']): string {
  const applied = MIGRATIONS.filter((migration) => migration.version <= version);
  if (applied.length !== version) throw new Error(`no migrations up to version ${version}`);
  return [
    'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    ...applied.map((migration) => migration.sql[dialect]),
    ...applied.map((migration) => `INSERT INTO schema_migrations (version, name, applied_at) VALUES (${migration.version}, '${migration.name}', '2026-01-01T00:00:00.000Z')`),
  ].join(';\n');
}

describe.each(adapterHarnesses())('%s schema upgrade', (_name, factory) => {
  const run = factory ? it : it.skip;
  let harness: StoreHarness | undefined;
  afterEach(async () => {
    await harness?.dispose();
    harness = undefined;
  });

  describe('to version 2', () => {
    run('keeps the audit log, accepts the binding kinds and stays append-only', async () => {
      if (!factory) return;
      harness = factory();
      await harness.raw(
        `${schemaAtVersion(1, harness.dialect)};
         INSERT INTO audit_log (at, kind, actor_id, actor_name, detail) VALUES ('2026-01-01T10:00:00.000Z', 'denied', 'a', 'Alice', 'old row');`,
      );
      const store = await harness.open();
      try {
        const bound = await store.appendAudit({ kind: 'bound', at: '2026-01-02T10:00:00.000Z', policyKey: 'k', graphRequestId: 'rid-1', detail: 'bound' });
        const audit = await store.listAudit();
        expect(audit.map((entry) => [entry.kind, entry.detail])).toEqual([['denied', 'old row'], ['bound', 'bound']]);
        expect(bound.sequence).toBeGreaterThan(audit[0]?.sequence ?? Infinity);
        await expect(harness.raw('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
      } finally {
        await store.close();
      }
    });
  });

  describe('from version 2 to 3', () => {
    run('keeps the requests, which have no origin, and records the origin of new ones', async () => {
      if (!factory) return;
      harness = factory();
      await harness.raw(
        `${schemaAtVersion(2, harness.dialect)};
         INSERT INTO requests (policy_key, policy_name, scenario, display_name, mail_nickname, unique_name, ticket, requester_id,
           requester_name, state, created_at, updated_at)
         VALUES ('sales', 'Sales', 'userDriven', 'APDP-Sales', 'apdp-sales', 'apdp-sales', 'INC-1', 'a', 'Alice', 'pending',
           '2026-01-01T10:00:00.000Z', '2026-01-01T10:00:00.000Z');`,
      );
      const store = await harness.open();
      try {
        const old = await store.getRequest('REQ-1');
        expect(old).toMatchObject({ policyName: 'Sales', ticket: 'INC-1', state: 'pending', requester: { aadObjectId: 'a', name: 'Alice' } });
        expect(old).not.toHaveProperty('origin');
        const origin = { serviceUrl: 'http://127.0.0.1:1/', conversation: { id: '19:c', name: '', conversationType: 'groupChat', isGroup: true } };
        const created = await store.createRequest({
          policyKey: 'finance', policyName: 'Finance', scenario: 'automatic', requester: { aadObjectId: 'b', name: 'Bo' },
          names: { displayName: 'd', mailNickname: 'm', uniqueName: 'u' }, createdAt: '2026-01-02T10:00:00.000Z', origin,
        });
        expect(created).toMatchObject({ kind: 'created', request: { id: 'REQ-2', origin } });
      } finally {
        await store.close();
      }
    });
  });
});
