import { describeStoreContract, expectForeignDatabaseRefused } from './support/contract';
import { TEST_DATABASE_URL, postgresHarness } from './support/harness';

const url = TEST_DATABASE_URL;

if (!url) {
  console.warn('PostgreSQL store suite SKIPPED: set TEST_DATABASE_URL (e.g. postgres://ci:ci@127.0.0.1:5432/adgb_test) to run it.');
}

(url ? describe : describe.skip)('PostgreSQL store', () => {
  const harnessFor = () => postgresHarness(url ?? '');

  describeStoreContract(harnessFor);

  describe('PostgreSQL specifics', () => {
    it('refuses a schema that belongs to something else', () => expectForeignDatabaseRefused(harnessFor()));

    it('lets several instances start together on an empty schema (migrations run once)', async () => {
      const harness = harnessFor();
      const stores = await Promise.all([harness.open(), harness.open(), harness.open()]);
      try {
        const created = await Promise.all(stores.map((store, index) => store.createRequest({
          policyKey: `p${index}`, policyName: `P${index}`, scenario: 'userDriven', requester: { aadObjectId: 'a', name: 'A' },
          names: { displayName: 'd', mailNickname: `m${index}`, uniqueName: `u${index}` }, createdAt: '2026-01-01T00:00:00.000Z',
        })));
        expect(new Set(created.map((result) => result.request.id)).size).toBe(3);
      } finally {
        await Promise.all(stores.map((store) => store.close()));
        await harness.dispose();
      }
    });

    it('rejects a schema name that could inject SQL', async () => {
      const { openStore } = await import('../../src/store');
      await expect(openStore({ kind: 'postgres', url: url ?? '', schema: 'x"; DROP SCHEMA public; --' })).rejects.toThrow(/schema name .* is not allowed/);
    });
  });
});
