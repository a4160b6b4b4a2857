/**
 * The store contract for issue 14 (policy identity, adoption, the health watch's records and its claim), run
 * on both adapters from contract.ts.
 */
import type { Actor } from '../../../src/domain/actor';
import type { PolicyGroupRecord } from '../../../src/domain/policyGroup';
import type { ReportedFinding } from '../../../src/requests/ports';
import type { Store } from '../../../src/store';
import { trackStores, type StoreHarness } from './harness';

const carol: Actor = { aadObjectId: '00000000-0000-0000-0000-0000000ca401', name: 'Carol Approver' };
const dave: Actor = { aadObjectId: '00000000-0000-0000-0000-0000000da4e0', name: 'Dave Approver' };
const AT = '2026-12-01T08:00:00.000Z';

function adopted(policyKey: string, groupId: string, by: Actor, uniqueName: string | null = null): PolicyGroupRecord {
  return {
    policyKey,
    policyName: policyKey,
    scenario: 'userDriven',
    displayName: `Hand-made ${groupId}`,
    mailNickname: `hand-${groupId}`,
    uniqueName,
    groupId,
    createdAt: AT,
    createdBy: by,
    adopted: true,
  };
}

const adoptAudit = (policyKey: string, actor: Actor) => ({ kind: 'groupAdopted' as const, at: AT, actor, policyKey, detail: 'adopted' });

export function describeInventoryContract(makeHarness: () => StoreHarness): void {
  describe('inventory, adoption and health watch (issue 14)', () => {
    let harness: StoreHarness;
    let store: Store;
    const stores = trackStores();

    beforeEach(async () => {
      harness = makeHarness();
      store = await stores.open(harness);
    });
    afterEach(async () => {
      await stores.closeAll();
      await harness.dispose();
    });

    it('keeps a policy identity across a rename: the record is found under the new name, and the rename is audited', async () => {
      await store.recordGroup({ ...adopted('contoso sales', 'g-1', carol, 'apdp-sales'), adopted: false, createdBy: carol });
      await store.recordPolicySightings([{ policyId: 'p-1', name: 'Contoso Sales', key: 'contoso sales', identityKey: 'contoso sales', scenario: 'userDriven' }], AT);
      const known = await store.recordPolicySightings([{ policyId: 'p-1', name: 'Contoso Field Sales', key: 'contoso field sales', identityKey: 'contoso field sales', scenario: 'userDriven' }], AT);
      expect(known).toEqual([{ policyId: 'p-1', policyKey: 'contoso sales', currentName: 'Contoso Field Sales', scenario: 'userDriven' }]);
      expect((await store.findGroup('contoso field sales'))?.groupId).toBe('g-1');
      expect((await store.findGroup('contoso sales'))?.groupId).toBe('g-1');
      const renames = (await store.listAudit()).filter((entry) => entry.kind === 'policyRenamed');
      expect(renames).toHaveLength(1);
      expect(renames[0]).toMatchObject({ policyKey: 'contoso sales' });
      expect(renames[0]?.detail).toContain('"Contoso Field Sales"');
    });

    it('prefers a record under the exact key over one reached through a renamed policy', async () => {
      await store.recordPolicySightings([{ policyId: 'p-1', name: 'Old', key: 'old', identityKey: 'old', scenario: 'userDriven' }], AT);
      await store.recordPolicySightings([{ policyId: 'p-1', name: 'New', key: 'new', identityKey: 'new', scenario: 'userDriven' }], AT);
      await store.adoptGroup(adopted('old', 'g-old', carol), adoptAudit('old', carol));
      await store.adoptGroup(adopted('new', 'g-new', carol), adoptAudit('new', carol));
      expect((await store.findGroup('new'))?.groupId).toBe('g-new');
    });

    it('records an adopted group (no uniqueName) once, audited in the same write; a second approver gets the first record', async () => {
      const results = await Promise.all([
        store.adoptGroup(adopted('kiosks', 'g-hand', carol), adoptAudit('kiosks', carol)),
        store.adoptGroup(adopted('kiosks', 'g-hand', dave), adoptAudit('kiosks', dave)),
      ]);
      expect(results.map((result) => result.kind).sort()).toEqual(['adopted', 'policyHasGroup']);
      const record = await store.findGroup('kiosks');
      expect(record).toMatchObject({ groupId: 'g-hand', adopted: true, uniqueName: null });
      expect((await store.listAudit()).filter((entry) => entry.kind === 'groupAdopted')).toHaveLength(1);
      expect(await store.listAllGroups()).toHaveLength(1);
    });

    it("refuses to adopt a group that is already another policy's, naming that policy", async () => {
      await store.adoptGroup(adopted('kiosks', 'g-hand', carol), adoptAudit('kiosks', carol));
      const second = await store.adoptGroup(adopted('lobby', 'g-hand', carol), adoptAudit('lobby', carol));
      expect(second).toMatchObject({ kind: 'groupTaken', record: { policyKey: 'kiosks' } });
      expect((await store.listAudit()).filter((entry) => entry.kind === 'groupAdopted')).toHaveLength(1);
    });

    it('gives exactly one of several racing instances each health-check pass, and the next one only when it is due', async () => {
      const next = '2026-12-01T14:00:00.000Z';
      const claims = await Promise.all(['a', 'b', 'c', 'd'].map((holder) => store.claimHealthCheck(holder, AT, next)));
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await store.claimHealthCheck('b', '2026-12-01T13:59:59.000Z', '2026-12-01T20:00:00.000Z')).toBe(false);
      expect(await store.claimHealthCheck('b', next, '2026-12-01T20:00:00.000Z')).toBe(true);
    });

    it('settles reported findings and their audit together; a finding reported twice stays one row', async () => {
      const finding: ReportedFinding = { subject: { kind: 'policy', policyId: 'p-1' }, code: 'sharedGroup', detail: 'shared', reportedAt: AT };
      const orphan: ReportedFinding = { subject: { kind: 'group', groupId: 'g-1' }, code: 'orphanGroup', detail: 'orphan', reportedAt: AT };
      await store.settleFindings([finding, orphan], [], { kind: 'healthCheckRun', at: AT, detail: '2 new' });
      await store.settleFindings([finding], [], { kind: 'healthCheckRun', at: AT, detail: 'again' });
      expect(await store.listReportedFindings()).toEqual([orphan, finding]);
      await store.settleFindings([], [finding, orphan], { kind: 'healthCheckRun', at: AT, detail: '2 cleared' });
      expect(await store.listReportedFindings()).toEqual([]);
      expect((await store.listAudit()).map((entry) => entry.kind)).toEqual(['healthCheckRun', 'healthCheckRun', 'healthCheckRun']);
    });

    it('refuses to start on a reported finding whose code the inventory does not know, naming the row', async () => {
      await store.settleFindings([{ subject: { kind: 'policy', policyId: 'p-1' }, code: 'noGroup', detail: 'none', reportedAt: AT }], [], { kind: 'healthCheckRun', at: AT });
      await stores.closeAll();
      await harness.raw("UPDATE reported_findings SET code = 'noLongerACode'");
      await expect(harness.open()).rejects.toThrow(/reported_findings row subject=p-1: code: .*'noLongerACode'/);
    });

    it('leaves nothing behind when the audit of a settlement fails', async () => {
      const finding: ReportedFinding = { subject: { kind: 'policy', policyId: 'p-1' }, code: 'noGroup', detail: 'none', reportedAt: AT };
      // An audit kind the CHECK constraint refuses makes the transaction fail after the finding was written.
      const bad = { kind: 'notAKind', at: AT } as unknown as Parameters<Store['settleFindings']>[2];
      // toHaveProperty, not toThrow: SQLite's native error may belong to another jest realm.
      await expect(store.settleFindings([finding], [], bad)).rejects.toHaveProperty('message', expect.stringMatching(/check/i));
      expect(await store.listReportedFindings()).toEqual([]);
    });
  });
}
