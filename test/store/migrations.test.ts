/**
 * Upgrading a database written by an earlier release: rows kept, new audit kinds accepted, still append-only;
 * requests gain a conversation of origin.
 */
import { AUDIT_KINDS } from '../../src/requests/ports';
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

  describe('from version 3 to 5', () => {
    run('drops the unused bot storage, keeps groups (not bound yet) and the approval cards as card copies keyed by conversation', async () => {
      if (!factory) return;
      harness = factory();
      await harness.raw(
        `${schemaAtVersion(3, harness.dialect)};
         INSERT INTO policy_groups (policy_key, policy_name, scenario, display_name, mail_nickname, unique_name, group_id, created_at,
           created_by_id, created_by_name)
         VALUES ('sales', 'Sales', 'userDriven', 'APDP-Sales', 'apdp-sales', 'apdp-sales', 'g-1', '2026-01-01T10:00:00.000Z', 'a', 'Alice');
         INSERT INTO approval_cards (request_id, activity_id, reference, recorded_at)
         VALUES ('REQ-1', 'm-1', '{"conversation":{"id":"19:approvals","name":"","conversationType":"channel","isGroup":true}}', '2026-01-01T10:00:00.000Z');`,
      );
      const store = await harness.open();
      try {
        expect(await store.findGroup('sales')).toMatchObject({ groupId: 'g-1', createdBy: { name: 'Alice' } });
        expect(await store.findGroup('sales')).not.toHaveProperty('binding');
        expect(await store.listCardCopies('REQ-1')).toEqual([
          { requestId: 'REQ-1', activityId: 'm-1', view: 'approval', conversation: { conversation: { id: '19:approvals', name: '', conversationType: 'channel', isGroup: true } } },
        ]);
        // The same message id in another conversation is another copy.
        await store.recordCardCopy({ requestId: 'REQ-1', activityId: 'm-1', view: 'request', conversation: { conversation: { id: 'a:29:hana', name: '', conversationType: 'personal', isGroup: false } } });
        expect(await store.listCardCopies('REQ-1')).toHaveLength(2);
        await expect(harness.raw('SELECT * FROM bot_storage')).rejects.toThrow();
      } finally {
        await store.close();
      }
    });
  });

  describe('from version 5 to 6', () => {
    run('keeps groups and their bindings as bot-made, the audit log append-only, and lets adopted groups have no uniqueName', async () => {
      if (!factory) return;
      harness = factory();
      await harness.raw(
        `${schemaAtVersion(5, harness.dialect)};
         INSERT INTO policy_groups (policy_key, policy_name, scenario, display_name, mail_nickname, unique_name, group_id, created_at,
           created_by_id, created_by_name, intune_policy_id, bound_at, bound_by_id, bound_by_name)
         VALUES ('sales', 'Sales', 'userDriven', 'APDP-Sales', 'apdp-sales', 'apdp-sales', 'g-1', '2026-01-01T10:00:00.000Z', 'a', 'Alice',
           'p-1', '2026-01-02T10:00:00.000Z', 'b', 'Bob');
         INSERT INTO audit_log (at, kind, detail) VALUES ('2026-01-01T10:00:00.000Z', 'groupRestored', 'old row');`,
      );
      const store = await harness.open();
      try {
        const kept = await store.findGroup('sales');
        expect(kept).toMatchObject({ groupId: 'g-1', uniqueName: 'apdp-sales', binding: { intunePolicyId: 'p-1' } });
        expect(kept).not.toHaveProperty('adopted');
        const adopted = await store.adoptGroup(
          { policyKey: 'kiosks', policyName: 'Kiosks', scenario: 'userDriven', displayName: 'Kiosks', mailNickname: 'kiosks', uniqueName: null, groupId: 'g-2', createdAt: '2026-01-03T10:00:00.000Z', createdBy: { aadObjectId: 'b', name: 'Bob' }, adopted: true },
          { kind: 'groupAdopted', at: '2026-01-03T10:00:00.000Z', policyKey: 'kiosks' },
        );
        expect(adopted).toMatchObject({ kind: 'adopted', record: { uniqueName: null, adopted: true } });
        expect((await store.listAudit()).map((entry) => entry.kind)).toEqual(['groupRestored', 'groupAdopted']);
        await expect(harness.raw('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
      } finally {
        await store.close();
      }
    });
  });
  describe('from version 7 to the latest (8: assign, 9: bind claim, 10: replace)', () => {
    run('keeps the audit log append-only and accepts the assignment and replacement kinds (and every kind the service writes)', async () => {
      if (!factory) return;
      harness = factory();
      await harness.raw(
        `${schemaAtVersion(7, harness.dialect)};
         INSERT INTO audit_log (at, kind, detail) VALUES ('2026-01-01T10:00:00.000Z', 'healthCheckRun', 'old row');`,
      );
      const store = await harness.open();
      try {
        for (const kind of AUDIT_KINDS) await store.appendAudit({ kind, at: '2026-01-02T10:00:00.000Z', detail: kind });
        expect((await store.listAudit()).map((entry) => entry.detail)).toEqual(['old row', ...AUDIT_KINDS]);
        await expect(harness.raw('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
      } finally {
        await store.close();
      }
    });
  });
});
