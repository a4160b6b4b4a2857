/**
 * The one contract both store adapters must pass. Each test gets a fresh database from the harness.
 */
import type { Actor } from '../../../src/domain/actor';
import type { PolicyGroupRecord } from '../../../src/domain/policyGroup';
import { StoreIntegrityError, type Store } from '../../../src/store';
import type { AuditFilter, NewRequestRecord } from '../../../src/requests/ports';
import { trackStores, type StoreHarness } from './harness';
import { describeInventoryContract } from './inventoryContract';

export const alice: Actor = { aadObjectId: '00000000-0000-0000-0000-00000000a11c', name: 'Alice Helpdesk' };
export const bob: Actor = { aadObjectId: '00000000-0000-0000-0000-000000000b0b', name: 'Bob Approver' };

export function newRequest(policyName: string, overrides: Partial<NewRequestRecord> = {}): NewRequestRecord {
  const key = policyName.toLowerCase();
  return {
    policyKey: key,
    policyName,
    scenario: 'userDriven',
    names: { displayName: `APDP-${policyName}`, mailNickname: `apdp-${key.replace(/\W/g, '')}`, uniqueName: `apdp-${key.replace(/\W/g, '')}` },
    requester: alice,
    createdAt: '2026-01-01T10:00:00.000Z',
    ...overrides,
  };
}

function groupRecord(policyName: string, groupId: string): PolicyGroupRecord {
  const request = newRequest(policyName);
  return {
    ...request.names,
    policyKey: request.policyKey,
    policyName,
    scenario: 'userDriven',
    groupId,
    createdAt: '2026-01-01T11:00:00.000Z',
    createdBy: bob,
  };
}

const approval = (by: Actor, at: string) => ({ to: 'approved' as const, at, decision: { kind: 'approved' as const, by, at } });

export function describeStoreContract(makeHarness: () => StoreHarness): void {
  describe('store contract', () => contract(makeHarness));
  describeInventoryContract(makeHarness);
}

function contract(makeHarness: () => StoreHarness): void {
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

  describe('requests', () => {
    it('allocates short increasing ids, starts pending at version 1 and audits the request', async () => {
      const first = await store.createRequest(newRequest('Sales', { ticket: 'INC-1', justification: 'new site' }));
      const second = await store.createRequest(newRequest('Finance'));
      expect(first).toMatchObject({ kind: 'created', request: { id: 'REQ-1', state: 'pending', version: 1, ticket: 'INC-1' } });
      expect(second).toMatchObject({ kind: 'created', request: { id: 'REQ-2' } });
      expect(await store.getRequest('req-1')).toEqual(first.request);
      const audit = await store.listAudit({ requestId: 'REQ-1' });
      expect(audit).toEqual([
        expect.objectContaining({ kind: 'requested', actor: alice, policyKey: 'sales', at: '2026-01-01T10:00:00.000Z' }),
      ]);
    });

    it('keeps the conversation a request came from, filling in what Teams left out, and none when none was given', async () => {
      const thread = { id: '19:sales@thread.tacv2;messageid=7', name: '', conversationType: 'channel', isGroup: true, tenantId: 't-1' };
      const origin = {
        channelId: 'msteams',
        serviceUrl: 'http://127.0.0.1:1/',
        locale: 'en-GB',
        conversation: thread,
        user: { id: '29:alice', name: alice.name, aadObjectId: alice.aadObjectId },
        bot: { id: '28:bot', name: 'Device groups' },
      };
      const created = await store.createRequest(newRequest('Sales', { origin }));
      expect(created.request.origin).toEqual(origin);
      expect((await store.getRequest(created.request.id))?.origin).toEqual(origin);
      await harness.raw(
        `INSERT INTO requests (policy_key, policy_name, scenario, display_name, mail_nickname, unique_name, requester_id,
           requester_name, state, created_at, updated_at, origin)
         VALUES ('k', 'K', 'automatic', 'd', 'm', 'u', 'x', 'X', 'pending', 'c', 'c',
           '{"serviceUrl":"http://127.0.0.1:1/","conversation":{"id":"19:c"},"user":{"id":"29:x"}}')`,
      );
      expect((await store.getRequest('REQ-2'))?.origin).toEqual({
        serviceUrl: 'http://127.0.0.1:1/',
        conversation: { id: '19:c', name: '', conversationType: '', isGroup: false },
        user: { id: '29:x', name: '' },
      });
      const without = await store.createRequest(newRequest('Finance'));
      expect(without.request).not.toHaveProperty('origin');
    });

    it('refuses to start on a request whose origin is not a conversation reference, naming the row', async () => {
      await store.createRequest(newRequest('Sales', { origin: { conversation: { id: 'c', name: '', conversationType: 'channel', isGroup: true } } }));
      await store.close();
      await harness.raw(`UPDATE requests SET origin = '{"conversation":{"id":7}}' WHERE seq = 1`);
      await expect(harness.open()).rejects.toThrow(/requests row seq=1: origin\.conversation\.id: Expected string, received number/);
    });

    it('refuses a second active request for a policy and points to the first', async () => {
      const first = await store.createRequest(newRequest('Sales'));
      const second = await store.createRequest(newRequest('Sales', { requester: bob }));
      expect(second).toEqual({ kind: 'activeRequestExists', request: first.request });
    });

    it('draws no request number for a refused duplicate: the next request gets the next number', async () => {
      await store.createRequest(newRequest('Sales'));
      for (let i = 0; i < 3; i++) expect((await store.createRequest(newRequest('Sales', { requester: bob }))).kind).toBe('activeRequestExists');
      expect(await store.createRequest(newRequest('Finance'))).toMatchObject({ kind: 'created', request: { id: 'REQ-2' } });
    });

    it('accepts a new request once the previous one is no longer active', async () => {
      await store.createRequest(newRequest('Sales'));
      await store.transitionRequest('REQ-1', { state: 'pending' }, { to: 'cancelled', at: '2026-01-01T10:05:00.000Z' });
      const again = await store.createRequest(newRequest('Sales'));
      expect(again).toMatchObject({ kind: 'created', request: { id: 'REQ-2' } });
    });

    it('leaves a policy whose request is provisioned to its group record: a new request is accepted', async () => {
      const { request } = await store.createRequest(newRequest('Sales'));
      const at = '2026-01-01T10:02:00.000Z';
      await store.transitionRequest(request.id, { state: 'pending' }, approval(bob, at));
      await store.transitionRequest(request.id, { state: 'approved' }, { to: 'provisioning', at });
      await store.transitionRequest(request.id, { state: 'provisioning' }, { to: 'provisioned', at, groupId: 'g-1' });
      expect(await store.createRequest(newRequest('Sales'))).toMatchObject({ kind: 'created', request: { id: 'REQ-2' } });
    });

    it('lets exactly one of 50 concurrent requests for one policy through', async () => {
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, index) => store.createRequest(newRequest('Sales', { ticket: `T${index}` }))),
      );
      const created = results.filter((result) => result.kind === 'created');
      expect(created).toHaveLength(1);
      for (const result of results) expect(result.request.id).toBe(created[0]?.request.id);
    });

    it('applies a transition only from the expected state and version, and audits it atomically', async () => {
      const { request } = await store.createRequest(newRequest('Sales'));
      const audit = { kind: 'approved' as const, at: '2026-01-01T10:01:00.000Z', actor: bob, requestId: request.id };
      const approved = await store.transitionRequest(request.id, { state: 'pending', version: 1 }, approval(bob, audit.at), audit);
      expect(approved).toMatchObject({
        kind: 'applied',
        request: { state: 'approved', version: 2, updatedAt: audit.at, decision: { kind: 'approved', by: bob, at: audit.at } },
      });
      const stale = await store.transitionRequest(request.id, { state: 'approved', version: 1 }, { to: 'provisioning', at: audit.at }, audit);
      expect(stale).toEqual({ kind: 'conflict', request: approved.kind === 'applied' && approved.request });
      expect((await store.listAudit({ requestId: request.id })).map((entry) => entry.kind)).toEqual(['requested', 'approved']);
    });

    it('records the group id and failure reason, and clears the reason on retry', async () => {
      const { request } = await store.createRequest(newRequest('Sales'));
      const at = '2026-01-01T10:02:00.000Z';
      await store.transitionRequest(request.id, { state: 'pending' }, approval(bob, at));
      await store.transitionRequest(request.id, { state: 'approved' }, { to: 'provisioning', at });
      const failed = await store.transitionRequest(request.id, { state: 'provisioning' }, { to: 'failed', at, failureReason: 'Graph 503' });
      expect(failed).toMatchObject({ request: { state: 'failed', failureReason: 'Graph 503' } });
      const retried = await store.transitionRequest(request.id, { state: 'failed' }, { to: 'provisioning', at, failureReason: null });
      expect(retried.kind === 'applied' && retried.request.failureReason).toBeUndefined();
      const done = await store.transitionRequest(request.id, { state: 'provisioning' }, { to: 'provisioned', at, groupId: 'g-1' });
      expect(done).toMatchObject({ kind: 'applied', request: { state: 'provisioned', groupId: 'g-1', version: 6 } });
    });

    it('refuses to retry into an active state when another request now holds the policy', async () => {
      const { request } = await store.createRequest(newRequest('Sales'));
      const at = '2026-01-01T10:02:00.000Z';
      await store.transitionRequest(request.id, { state: 'pending' }, approval(bob, at));
      await store.transitionRequest(request.id, { state: 'approved' }, { to: 'provisioning', at });
      await store.transitionRequest(request.id, { state: 'provisioning' }, { to: 'failed', at, failureReason: 'x' });
      const newer = await store.createRequest(newRequest('Sales'));
      const retry = await store.transitionRequest(request.id, { state: 'failed' }, { to: 'provisioning', at });
      expect(retry).toEqual({ kind: 'activeRequestExists', request: newer.request });
      expect((await store.getRequest(request.id))?.state).toBe('failed');
    });

    it('decides exactly once among 100 concurrent decisions; the losers get the winner', async () => {
      const { request } = await store.createRequest(newRequest('Sales'));
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, index) => {
          const by = { aadObjectId: `approver-${index}`, name: `Approver ${index}` };
          const at = `2026-01-01T10:${String(index % 60).padStart(2, '0')}:00.000Z`;
          const change = index % 2 === 0 ? approval(by, at) : { to: 'rejected' as const, at, decision: { kind: 'rejected' as const, by, at } };
          return store.transitionRequest(request.id, { state: 'pending', version: 1 }, change, { kind: change.to, at, actor: by, requestId: request.id });
        }),
      );
      const applied = results.filter((result) => result.kind === 'applied');
      expect(applied).toHaveLength(1);
      const winner = applied[0]?.kind === 'applied' ? applied[0].request : undefined;
      for (const result of results.filter((r) => r.kind !== 'applied')) expect(result).toEqual({ kind: 'conflict', request: winner });
      expect((await store.listAudit({ requestId: request.id })).filter((entry) => entry.kind !== 'requested')).toHaveLength(1);
    });

    it('reports unknown and malformed ids as not found', async () => {
      expect(await store.getRequest('REQ-999')).toBeUndefined();
      expect(await store.getRequest('nonsense')).toBeUndefined();
      expect(await store.transitionRequest('REQ-999', { state: 'pending' }, { to: 'cancelled', at: 'x' })).toEqual({ kind: 'notFound' });
      expect(await store.transitionRequest('DROP TABLE', { state: 'pending' }, { to: 'cancelled', at: 'x' })).toEqual({ kind: 'notFound' });
    });

    it('lists by state (oldest first), by requester (newest first) and the latest per policy', async () => {
      await store.createRequest(newRequest('Sales'));
      await store.createRequest(newRequest('Finance', { requester: bob }));
      await store.createRequest(newRequest('Legal'));
      await store.transitionRequest('REQ-1', { state: 'pending' }, { to: 'cancelled', at: 'x' });
      await store.createRequest(newRequest('Sales'));
      expect((await store.listRequestsInStates(['pending'])).map((r) => r.id)).toEqual(['REQ-2', 'REQ-3', 'REQ-4']);
      expect((await store.listRequestsInStates([])).length).toBe(0);
      expect((await store.listRequestsByRequester(alice.aadObjectId)).map((r) => r.id)).toEqual(['REQ-4', 'REQ-3', 'REQ-1']);
      expect((await store.latestRequestForPolicy('sales'))?.id).toBe('REQ-4');
      expect(await store.latestRequestForPolicy('unknown')).toBeUndefined();
    });
  });

  describe('policy → group map', () => {
    it('records a group once and returns the existing record to a second writer', async () => {
      const first = await store.recordGroup(groupRecord('Sales', 'group-1'));
      const second = await store.recordGroup({ ...groupRecord('Sales', 'group-2'), createdBy: alice });
      expect(second).toEqual(first);
      expect(await store.findGroup('sales')).toEqual(first);
      expect(await store.findGroup('finance')).toBeUndefined();
    });

    it('replaces a record only where it still names the replaced group: of two racing replacers one writes', async () => {
      const purged = await store.recordGroup(groupRecord('Sales', 'group-1'));
      await store.recordBinding('sales', { intunePolicyId: 'policy-1', at: '2026-01-02T10:00:00.000Z', by: bob });
      const replacement = { ...groupRecord('Sales', 'group-2'), createdBy: alice, createdAt: '2026-02-01T10:00:00.000Z' };
      const [first, second] = await Promise.all([
        store.replaceGroup(replacement, purged.groupId),
        store.replaceGroup({ ...replacement, groupId: 'group-3', uniqueName: 'sales-3' }, purged.groupId),
      ]);
      // One swap wrote; the other was answered with the record that swap wrote.
      expect([first.replaced, second.replaced].sort()).toEqual([false, true]);
      expect(second.record).toEqual(first.record);
      expect(['group-2', 'group-3']).toContain(first.record.groupId);
      // The new group is not bound yet; the record still belongs to the same Intune policy.
      expect(first.record).toMatchObject({ policyKey: 'sales', createdBy: alice, createdAt: '2026-02-01T10:00:00.000Z', replacedGroupId: 'group-1' });
      expect(first.record.binding).toBeUndefined();
      expect(await store.findGroupOfIntunePolicy('policy-1')).toEqual(first.record);
      // A record that names another group is kept; a policy without one gets the new record.
      expect(await store.replaceGroup({ ...replacement, groupId: 'group-4', uniqueName: 'sales-4' }, purged.groupId)).toEqual({ record: first.record, replaced: false });
      expect(await store.replaceGroup(groupRecord('Finance', 'group-5'), 'group-0')).toMatchObject({ record: { policyKey: 'finance', groupId: 'group-5', replacedGroupId: 'group-0' }, replaced: true });
    });

    it('pages groups by policy name with a total', async () => {
      for (const [name, id] of [['Sales', 'g1'], ['Audit', 'g2'], ['Marketing', 'g3']] as const) {
        await store.recordGroup(groupRecord(name, id));
      }
      const page = await store.listGroups(1, 1);
      expect(page).toMatchObject({ total: 3, offset: 1, items: [{ policyName: 'Marketing' }] });
    });

    it('records which Intune policy uses a group, the latest bind winning, and nothing for an unknown policy', async () => {
      const recorded = await store.recordGroup(groupRecord('Sales', 'group-1'));
      expect(recorded.binding).toBeUndefined();
      await store.recordBinding('sales', { intunePolicyId: 'policy-1', at: '2026-01-02T10:00:00.000Z', by: bob });
      const rebound = await store.recordBinding('sales', { intunePolicyId: 'policy-2', at: '2026-01-03T10:00:00.000Z', by: alice });
      expect(rebound).toEqual({ ...recorded, binding: { intunePolicyId: 'policy-2', at: '2026-01-03T10:00:00.000Z', by: alice } });
      expect(await store.findGroup('sales')).toEqual(rebound);
      expect(await store.recordBinding('finance', { intunePolicyId: 'policy-3', at: '2026-01-03T10:00:00.000Z', by: alice })).toBeUndefined();
    });

    it('gives the bind claim of a policy to one of two racing claimants; the other learns whose it is, until it is released or abandoned', async () => {
      await store.recordGroup(groupRecord('Sales', 'group-1'));
      const claimOf = (by: Actor, at: string) => ({ policyKey: 'sales', groupId: 'group-1', seenBoundAt: null, at, by, staleBefore: '2026-01-02T09:58:00.000Z' });
      const bobs = claimOf(bob, '2026-01-02T10:00:00.000Z');
      const alices = claimOf(alice, '2026-01-02T10:00:00.001Z');
      const results = await Promise.all([store.claimBinding(bobs), store.claimBinding(alices)]);
      expect(results.filter((result) => result.kind === 'claimed')).toHaveLength(1);
      const winner = results[0]?.kind === 'claimed' ? bobs : alices;
      const loser = winner === bobs ? alices : bobs;
      expect(results).toContainEqual({ kind: 'held', by: winner.by, since: winner.at });
      // Someone else's release leaves the claim alone; the holder's frees it.
      await store.releaseBindClaim('sales', loser);
      expect(await store.claimBinding(loser)).toEqual({ kind: 'held', by: winner.by, since: winner.at });
      await store.releaseBindClaim('sales', winner);
      expect(await store.claimBinding(loser)).toEqual({ kind: 'claimed' });
      // A claim older than the claimant's lease is abandoned and taken over.
      expect(await store.claimBinding({ ...winner, at: '2026-01-02T10:05:00.000Z', staleBefore: '2026-01-02T10:03:00.000Z' })).toEqual({ kind: 'claimed' });
    });

    it('refuses a bind claim when the record moved on since it was read: bound meanwhile, another group, or no record', async () => {
      await store.recordGroup(groupRecord('Sales', 'group-1'));
      await store.recordBinding('sales', { intunePolicyId: 'policy-1', at: '2026-01-02T10:00:00.000Z', by: bob });
      const claim = { policyKey: 'sales', groupId: 'group-1', seenBoundAt: null, at: '2026-01-02T10:00:01.000Z', by: alice, staleBefore: '2026-01-02T09:58:00.000Z' };
      expect(await store.claimBinding(claim)).toEqual({ kind: 'changed' });
      expect(await store.claimBinding({ ...claim, groupId: 'group-2', seenBoundAt: '2026-01-02T10:00:00.000Z' })).toEqual({ kind: 'changed' });
      expect(await store.claimBinding({ ...claim, policyKey: 'finance' })).toEqual({ kind: 'changed' });
      expect(await store.claimBinding({ ...claim, seenBoundAt: '2026-01-02T10:00:00.000Z' })).toEqual({ kind: 'claimed' });
    });

    it('finds the record of an Intune policy by the id a bind recorded, or by the key the policy was first seen under', async () => {
      const bound = await store.recordGroup(groupRecord('Sales', 'group-1'));
      const seen = await store.recordGroup(groupRecord('Finance', 'group-2'));
      await store.recordBinding('sales', { intunePolicyId: 'policy-1', at: '2026-01-02T10:00:00.000Z', by: bob });
      await store.recordPolicySightings([{ policyId: 'policy-2', name: 'Finance East', key: 'finance east', identityKey: 'finance', scenario: 'userDriven' }], '2026-01-02T10:00:00.000Z');
      expect(await store.findGroupOfIntunePolicy('policy-1')).toMatchObject({ groupId: bound.groupId, binding: { intunePolicyId: 'policy-1' } });
      expect(await store.findGroupOfIntunePolicy('policy-2')).toEqual(seen);
      expect(await store.findGroupOfIntunePolicy('policy-3')).toBeUndefined();
    });
  });

  describe('audit log', () => {
    it('is append-only in the database itself', async () => {
      await store.appendAudit({ kind: 'denied', at: '2026-01-01T10:00:00.000Z', actor: alice, detail: 'not an approver' });
      await expect(harness.raw("UPDATE audit_log SET detail = 'nothing happened'")).rejects.toThrow(/append-only/);
      await expect(harness.raw('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
      expect(await store.listAudit()).toHaveLength(1);
    });

    it('filters by time in the database: since inclusive, until exclusive, zoned instants converted', async () => {
      for (const [at, requestId] of [
        ['2026-03-05T13:59:59.999Z', 'REQ-1'],
        ['2026-03-05T14:00:00.000Z', 'REQ-2'],
        ['2026-03-05T15:00:00.000Z', 'REQ-3'],
        ['2026-03-06T00:00:00.000Z', 'REQ-2'],
      ] as const) {
        await store.appendAudit({ kind: 'denied', at, requestId, detail: at });
      }
      const ids = async (filter: AuditFilter) => (await store.listAudit(filter)).map((entry) => entry.sequence);
      expect(await ids({ since: '2026-03-05T14:00:00.000Z' })).toEqual([2, 3, 4]);
      expect(await ids({ until: '2026-03-05T15:00:00.000Z' })).toEqual([1, 2]);
      expect(await ids({ since: '2026-03-05T15:00:00+01:00', until: '2026-03-06' })).toEqual([2, 3]);
      expect(await ids({ since: '2026-03-05T14:00:00.000Z', until: '2026-03-07T00:00:00.000Z', requestId: 'REQ-2' })).toEqual([2, 4]);
      expect(await ids({ since: '2026-03-07T00:00:00.000Z' })).toEqual([]);
      expect(await ids({ since: '2026-03-05T14:00:00.000Z', until: '2026-03-05T15:00:00.000Z' })).toEqual([2]);
    });

    it('refuses a time bound that is no instant, with a clear error', async () => {
      await expect(store.listAudit({ since: 'yesterday' })).rejects.toThrow(/audit filter's since is not an ISO-8601 instant: "yesterday"/);
      await expect(store.listAudit({ until: '' })).rejects.toThrow(/audit filter's until is not an ISO-8601 instant/);
    });
  });

  describe('conversations', () => {
    it('writes a personal conversation only when the reference changes', async () => {
      const chat = { serviceUrl: 'http://127.0.0.1:1/', conversation: { id: 'a:1', isGroup: false, conversationType: 'personal', name: '' } };
      expect(await store.savePersonalConversation(alice.aadObjectId, chat)).toBe(true);
      expect(await store.savePersonalConversation(alice.aadObjectId, { ...chat })).toBe(false);
      const moved = { ...chat, serviceUrl: 'http://127.0.0.1:2/' };
      expect(await store.savePersonalConversation(alice.aadObjectId, moved)).toBe(true);
      expect(await store.getPersonalConversation(alice.aadObjectId)).toEqual(moved);
      expect(await store.savePersonalConversation(bob.aadObjectId, chat)).toBe(true);
    });

    it('keeps the latest personal conversation per user, the approvals channel and every approval card', async () => {
      await store.savePersonalConversation(alice.aadObjectId, { conversation: { id: 'old', isGroup: false, conversationType: 'personal', name: '' } });
      await store.savePersonalConversation(alice.aadObjectId, { serviceUrl: 'http://127.0.0.1:1/', conversation: { id: 'new', isGroup: false, conversationType: 'personal', name: '' } });
      expect(await store.getPersonalConversation(alice.aadObjectId)).toMatchObject({ conversation: { id: 'new' } });
      expect(await store.getPersonalConversation(bob.aadObjectId)).toBeUndefined();

      expect(await store.getApprovalsChannel()).toBeUndefined();
      await store.setApprovalsChannel({ channelId: 'msteams', conversation: { id: 'c1', isGroup: true, conversationType: 'channel', name: '' } }, alice.aadObjectId);
      await store.setApprovalsChannel({ channelId: 'msteams', conversation: { id: 'c2', isGroup: true, conversationType: 'channel', name: '' } }, bob.aadObjectId);
      expect(await store.getApprovalsChannel()).toMatchObject({ conversation: { id: 'c2' } });

      await store.recordCardCopy({ requestId: 'REQ-1', activityId: 'a1', conversation: { conversation: { id: 'c2', isGroup: true, conversationType: 'channel', name: '' } }, view: 'approval' });
      await store.recordCardCopy({ requestId: 'REQ-1', activityId: 'a2', conversation: { conversation: { id: 'p1', isGroup: false, conversationType: 'personal', name: '' } }, view: 'request' });
      await store.recordCardCopy({ requestId: 'REQ-2', activityId: 'a3', conversation: {}, view: 'approval' });
      expect((await store.listCardCopies('REQ-1')).map((card) => [card.activityId, card.view])).toEqual([['a1', 'approval'], ['a2', 'request']]);
      // The same message recorded again (a card shown anew in place) is one copy, with its latest view; the same
      // message id in another conversation is another copy (ids are only unique within a conversation).
      const personal = { conversation: { id: 'p1', isGroup: false, conversationType: 'personal', name: '' } };
      await store.recordCardCopy({ requestId: 'REQ-1', activityId: 'a2', conversation: personal, view: 'approval' });
      await store.recordCardCopy({ requestId: 'REQ-1', activityId: 'a2', conversation: { conversation: { ...personal.conversation, id: 'p2' } }, view: 'request' });
      expect((await store.listCardCopies('REQ-1')).map((card) => [card.activityId, card.conversation.conversation?.id, card.view])).toEqual([
        ['a1', 'c2', 'approval'],
        ['a2', 'p1', 'approval'],
        ['a2', 'p2', 'request'],
      ]);
    });
  });

  describe('durability and start-up checks', () => {
    it('keeps everything across a restart and reports ready', async () => {
      await store.createRequest(newRequest('Sales'));
      await store.savePersonalConversation(alice.aadObjectId, { conversation: { id: 'p1', isGroup: false, conversationType: 'personal', name: '' } });
      await store.close();
      const reopened = await stores.open(harness);
      await expect(reopened.ping()).resolves.toBeUndefined();
      expect((await reopened.getRequest('REQ-1'))?.policyName).toBe('Sales');
      expect(await reopened.getPersonalConversation(alice.aadObjectId)).toMatchObject({ conversation: { id: 'p1' } });
      expect((await reopened.createRequest(newRequest('Finance'))).request.id).toBe('REQ-2');
    });

    it('fails ping once closed', async () => {
      await store.close();
      await expect(store.ping()).rejects.toThrow();
    });

    it('refuses to start on a request row with an unknown state, naming the row', async () => {
      await store.createRequest(newRequest('Sales'));
      await store.close();
      await harness.raw("UPDATE requests SET state = 'archived' WHERE seq = 1");
      const failure = harness.open();
      await expect(failure).rejects.toThrow(StoreIntegrityError);
      await expect(failure).rejects.toThrow(/requests row seq=1: state: .*'archived'/);
    });

    it('refuses to start on a malformed JSON column, naming the key', async () => {
      await store.savePersonalConversation(alice.aadObjectId, { conversation: { id: 'p1', isGroup: false, conversationType: 'personal', name: '' } });
      await store.close();
      await harness.raw(`UPDATE personal_conversations SET reference = '{not json' WHERE aad_object_id = '${alice.aadObjectId}'`);
      await expect(harness.open()).rejects.toThrow(/personal_conversations\.reference of [0-9a-f-]+: .*not valid JSON/);
    });

    it('refuses a schema newer than this build', async () => {
      await store.close();
      await harness.raw("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 'x')");
      await expect(harness.open()).rejects.toThrow(/schema is at version 99, newer than this build supports/);
    });
  });
}

/** A database that has tables but is not ours is refused before anything is written to it. */
/** Opening a fresh database that already holds someone else's table is refused; the database is disposed after. */
export async function expectForeignDatabaseRefused(harness: StoreHarness): Promise<void> {
  try {
    await harness.raw('CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)');
    await expect(harness.open()).rejects.toThrow(/not an autopilot-device-group-bot store: it has tables \(customers\)/);
  } finally {
    await harness.dispose();
  }
}
