import { startSweeper } from '../../src/requests/runner';
import { createRequestsService } from '../../src/requests/service';
import type { RequestEvent } from '../../src/requests/ports';
import type { Store } from '../../src/store';
import { sqliteHarness, trackStores, type StoreHarness } from '../store/support/harness';
import { DelegatedCredential } from '../../src/domain/delegation';
import { approver, approverIds, createWorld, helpdesk, otherApprover, type World } from './support/world';

const submission = { policyName: 'Contoso Sales', scenario: 'userDriven' as const, requester: helpdesk };

describe('requests service', () => {
  let harness: StoreHarness;
  let store: Store;
  let world: World;
  const stores = trackStores();

  beforeEach(async () => {
    harness = sqliteHarness();
    store = await stores.open(harness);
    world = createWorld(store);
  });
  afterEach(async () => {
    await world.service.idle();
    await stores.closeAll();
    await harness.dispose();
  });

  async function submitted(policyName = submission.policyName): Promise<string> {
    const result = await world.service.submit({ ...submission, policyName });
    if (result.kind !== 'created') throw new Error(`expected a created request, got ${result.kind}`);
    return result.request.id;
  }

  const auditKinds = async (requestId: string) => (await store.listAudit({ requestId })).map((entry) => entry.kind);
  const eventKinds = (events: readonly RequestEvent[]) => events.map((event) => event.kind);

  describe('submit', () => {
    it('files a pending request with the previewed names, trimmed fields, an audit entry and an event', async () => {
      const result = await world.service.submit({ ...submission, policyName: '  Contoso   Sales ', ticket: ' INC-42 ', justification: 'New site\nin Oslo' });
      expect(result).toMatchObject({
        kind: 'created',
        request: {
          id: 'REQ-1',
          state: 'pending',
          policyName: 'Contoso Sales',
          policyKey: 'contoso sales',
          ticket: 'INC-42',
          justification: 'New site\nin Oslo',
          names: { uniqueName: 'autopilot-dp-contoso-sales' },
          requester: helpdesk,
          createdAt: '2026-03-01T09:00:00.000Z',
        },
      });
      expect(eventKinds(world.events)).toEqual(['requested']);
      expect(await auditKinds('REQ-1')).toEqual(['requested']);
    });

    it.each([
      [{ policyName: '   ' }, 'policyName', /Enter the name/],
      [{ policyName: 42 as unknown as string }, 'policyName', /must be text/],
      [{ policyName: 'Forbidden fruit' }, 'policyName', /blocked word/],
      [{ scenario: 'hybrid' as unknown as 'automatic' }, 'scenario', /user-driven or automatic/],
      [{ ticket: 'x'.repeat(65) }, 'ticket', /at most 64/],
      [{ ticket: 'INC\u200b1' }, 'ticket', /invisible/],
      [{ justification: 'y'.repeat(1001) }, 'justification', /at most 1000/],
      [{ justification: 'bad\u0007bell' }, 'justification', /invisible/],
    ])('refuses %p with a clear message on %s and stores nothing', async (override, field, message) => {
      const result = await world.service.submit({ ...submission, ...override });
      expect(result).toMatchObject({ kind: 'invalid', field, message: expect.stringMatching(message) });
      expect(await store.listRequestsInStates(['pending'])).toEqual([]);
      expect(world.events).toEqual([]);
    });

    it('points a second request for the same policy (any spelling) to the active one', async () => {
      const first = await submitted();
      const second = await world.service.submit({ ...submission, policyName: 'CONTOSO  sales', requester: otherApprover });
      expect(second).toMatchObject({ kind: 'activeRequestExists', request: { id: first, requester: helpdesk } });
    });

    it('points to the existing group when the policy already has one', async () => {
      const id = await submitted();
      await world.service.approve(id, approver);
      await world.service.idle();
      const again = await world.service.submit(submission);
      expect(again).toMatchObject({ kind: 'groupExists', group: { policyKey: 'contoso sales', groupId: 'group-1' } });
    });
  });

  describe('approve and provision', () => {
    it('approves, then provisions in the background: provisioned with the group id, every step audited and announced', async () => {
      const id = await submitted();
      const decided = await world.service.approve(id, approver);
      expect(decided).toMatchObject({ kind: 'decided', request: { state: 'approved', decision: { kind: 'approved', by: approver } } });
      await world.service.idle();
      expect(await world.service.get(id)).toMatchObject({ state: 'provisioned', groupId: 'group-1' });
      expect(eventKinds(world.events)).toEqual(['requested', 'approved', 'provisioning', 'provisioned']);
      const audit = await store.listAudit({ requestId: id });
      expect(audit.map((entry) => [entry.kind, entry.actor?.name, entry.graphRequestId])).toEqual([
        ['requested', helpdesk.name, undefined],
        ['approved', approver.name, undefined],
        ['provisioningStarted', approver.name, undefined],
        ['graphCall', undefined, 'graph-1'],
        ['provisioned', approver.name, undefined],
      ]);
      expect(world.provisioning.ensureCalls).toEqual([{ policyName: 'Contoso Sales', actor: approver }]);
    });

    it('does not hold the approver while the group is being created', async () => {
      const id = await submitted();
      const gate = world.provisioning.hold();
      const decided = await world.service.approve(id, approver);
      expect(decided.kind).toBe('decided');
      expect((await world.service.get(id))?.state).toBe('provisioning');
      gate.release();
      await world.service.idle();
      expect((await world.service.get(id))?.state).toBe('provisioned');
    });

    it('refuses a non-approver, audits the attempt and leaves the request pending', async () => {
      const id = await submitted();
      const result = await world.service.approve(id, helpdesk);
      expect(result).toMatchObject({ kind: 'forbidden', reason: 'Only approvers can approve or reject requests.' });
      expect((await world.service.get(id))?.state).toBe('pending');
      const denied = (await store.listAudit({ requestId: id })).filter((entry) => entry.kind === 'denied');
      expect(denied).toEqual([expect.objectContaining({ actor: helpdesk, detail: 'approve: Only approvers can approve or reject requests.' })]);
    });

    it('refuses self-approval unless it is allowed', async () => {
      const own = await world.service.submit({ ...submission, requester: approver });
      const id = own.kind === 'created' ? own.request.id : '';
      expect(await world.service.approve(id, approver)).toMatchObject({ kind: 'forbidden', reason: expect.stringMatching(/your own request/) });

      const lenient = createRequestsService({ store, provisioning: world.provisioning, approvers: approverIds(approver), allowSelfApproval: true });
      expect(await lenient.approve(id, approver)).toMatchObject({ kind: 'decided' });
      await lenient.idle();
    });

    it('answers not found for unknown and malformed ids', async () => {
      expect(await world.service.approve('REQ-404', approver)).toEqual({ kind: 'notFound', requestId: 'REQ-404' });
      expect(await world.service.reject('<script>', approver)).toEqual({ kind: 'notFound', requestId: '<script>' });
      expect(await world.service.cancel('REQ-404', helpdesk)).toEqual({ kind: 'notFound', requestId: 'REQ-404' });
      expect(await world.service.retry('REQ-404', approver)).toEqual({ kind: 'notFound', requestId: 'REQ-404' });
    });

  });

  describe('reject and cancel', () => {
    it('rejects with a reason; a later approval is told who rejected and when', async () => {
      const id = await submitted();
      world.advance(60_000);
      const rejected = await world.service.reject(id, approver, '  Use the existing Sales group  ');
      expect(rejected).toMatchObject({ kind: 'decided', request: { state: 'rejected', decision: { kind: 'rejected', reason: 'Use the existing Sales group', at: '2026-03-01T09:01:00.000Z' } } });
      const late = await world.service.approve(id, otherApprover);
      expect(late).toMatchObject({ kind: 'alreadyDecided', request: { decision: { by: approver, at: '2026-03-01T09:01:00.000Z' } } });
      expect(world.provisioning.ensureCalls).toEqual([]);
    });

    it('refuses an over-long reason and keeps the request pending', async () => {
      const id = await submitted();
      expect(await world.service.reject(id, approver, 'r'.repeat(501))).toMatchObject({ kind: 'forbidden', reason: expect.stringMatching(/at most 500/) });
      expect((await world.service.get(id))?.state).toBe('pending');
    });

    it('lets only the requester cancel, only while pending', async () => {
      const id = await submitted();
      expect(await world.service.cancel(id, approver)).toMatchObject({ kind: 'forbidden', reason: expect.stringMatching(/Only the person who asked/) });
      expect(await world.service.cancel(id, helpdesk)).toMatchObject({ kind: 'decided', request: { state: 'cancelled' } });
      expect(await world.service.cancel(id, helpdesk)).toMatchObject({ kind: 'forbidden', reason: `${id} was cancelled; only a pending request can be cancelled.` });
      expect(await world.service.approve(id, approver)).toMatchObject({ kind: 'forbidden', reason: `${id} was cancelled; only a pending request can be approved.` });
      expect(await auditKinds(id)).toEqual(['requested', 'denied', 'cancelled']);
    });

    it('tells a requester cancelling too late who approved', async () => {
      const id = await submitted();
      await world.service.approve(id, approver);
      expect(await world.service.cancel(id, helpdesk)).toMatchObject({ kind: 'alreadyDecided', request: { decision: { by: approver } } });
    });
  });

  describe('failures and retry', () => {
    const graphFailure = Object.assign(new Error('Graph 503 serviceNotAvailable'), { requestId: 'graph-failed-1' });

    it('marks the request failed with the reason and the Graph request id, then an approver retries it', async () => {
      const id = await submitted();
      world.provisioning.failNext(1, graphFailure);
      await world.service.approve(id, approver);
      await world.service.idle();
      expect(await world.service.get(id)).toMatchObject({ state: 'failed', failureReason: 'Graph 503 serviceNotAvailable' });
      const audit = await store.listAudit({ requestId: id });
      expect(audit.find((entry) => entry.kind === 'graphCall')?.graphRequestId).toBe('graph-failed-1');
      expect(audit.at(-1)).toMatchObject({ kind: 'failed', detail: 'Graph 503 serviceNotAvailable' });

      expect(await world.service.retry(id, helpdesk)).toMatchObject({ kind: 'forbidden', reason: 'Only approvers can retry provisioning.' });
      const retried = await world.service.retry(id, otherApprover);
      expect(retried).toMatchObject({ kind: 'decided', request: { state: 'provisioning' } });
      expect(retried.kind === 'decided' && retried.request.failureReason).toBeUndefined();
      await world.service.idle();
      expect(await world.service.get(id)).toMatchObject({ state: 'provisioned', groupId: 'group-1' });
      expect(eventKinds(world.events)).toEqual(['requested', 'approved', 'provisioning', 'failed', 'provisioning', 'provisioned']);
    });

    it('refuses to retry a request that did not fail', async () => {
      const id = await submitted();
      expect(await world.service.retry(id, approver)).toMatchObject({
        kind: 'forbidden',
        reason: `${id} is waiting for approval; only an approved or failed request can be provisioned.`,
      });
    });

    it('refuses to retry when a newer request holds the policy, pointing to it', async () => {
      const id = await submitted();
      world.provisioning.failNext(1, graphFailure);
      await world.service.approve(id, approver);
      await world.service.idle();
      const newer = await submitted();
      expect(await world.service.retry(id, approver)).toMatchObject({ kind: 'forbidden', request: { id: newer }, reason: expect.stringMatching(new RegExp(`${newer} is now the active request`)) });
    });

    it('keeps the committed decision when the notifier fails', async () => {
      const warnings: unknown[] = [];
      const service = createRequestsService({
        store,
        provisioning: world.provisioning,
        approvers: approverIds(approver),
        notifier: { notify: async () => Promise.reject(new Error('Teams is down')) },
        logger: { info: () => undefined, error: () => undefined, warn: (fields) => void warnings.push(fields) },
      });
      const id = await submitted();
      expect(await service.approve(id, approver)).toMatchObject({ kind: 'decided' });
      await service.idle();
      expect((await service.get(id))?.state).toBe('provisioned');
      expect(warnings.length).toBeGreaterThanOrEqual(3);
    });
  });

  describe('resuming interrupted work', () => {
    async function leaveInterrupted(state: 'approved' | 'provisioning'): Promise<string> {
      const id = await submitted();
      const at = '2026-03-01T08:59:30.000Z'; // before the service's clock: an old crash
      await store.transitionRequest(id, { state: 'pending' }, { to: 'approved', at, decision: { kind: 'approved', by: approver, at } });
      if (state === 'provisioning') await store.transitionRequest(id, { state: 'approved' }, { to: 'provisioning', at });
      return id;
    }

    it.each(['approved', 'provisioning'] as const)('finishes a request a crash left in %s', async (state) => {
      const id = await leaveInterrupted(state);
      expect(await world.service.resumeInterrupted()).toBe(1);
      await world.service.idle();
      expect(await world.service.get(id)).toMatchObject({ state: 'provisioned', groupId: 'group-1' });
      expect(world.provisioning.ensureCalls).toEqual([{ policyName: 'Contoso Sales', actor: approver }]);
      expect((await store.listAudit({ requestId: id })).find((entry) => entry.kind === 'provisioningStarted')).toMatchObject({ detail: 'resumed after an interruption' });
    });

    it('reuses the group a crashed instance already created instead of making a second one', async () => {
      const id = await leaveInterrupted('provisioning');
      world.provisioning.groups.set('autopilot-dp-contoso-sales', 'group-made-before-crash');
      await world.service.resumeInterrupted();
      await world.service.idle();
      expect(await world.service.get(id)).toMatchObject({ state: 'provisioned', groupId: 'group-made-before-crash' });
      expect(world.provisioning.groups.size).toBe(1);
    });

    it('leaves recent work to the instance doing it until it is older than resumeAfterMs', async () => {
      const patient = createWorld(store, { resumeAfterMs: 5 * 60_000 });
      await leaveInterrupted('provisioning');
      expect(await patient.service.resumeInterrupted()).toBe(0);
      patient.advance(5 * 60_000);
      expect(await patient.service.resumeInterrupted()).toBe(1);
      await patient.service.idle();
    });

    it('lets only one of two instances resuming together provision the request', async () => {
      const id = await leaveInterrupted('provisioning');
      const second = createWorld(store);
      await Promise.all([world.service.resumeInterrupted(), second.service.resumeInterrupted()]);
      await Promise.all([world.service.idle(), second.service.idle()]);
      expect(world.provisioning.ensureCalls.length + second.provisioning.ensureCalls.length).toBe(1);
      expect((await world.service.get(id))?.state).toBe('provisioned');
    });

    it('runs from a periodic sweeper until stopped', async () => {
      const id = await leaveInterrupted('approved');
      let announceProvisioned = (): void => undefined;
      const provisioned = new Promise<void>((resolve) => {
        announceProvisioned = resolve;
      });
      const service = createRequestsService({
        store,
        provisioning: world.provisioning,
        approvers: approverIds(approver),
        resumeAfterMs: 0,
        notifier: { notify: async (event) => (event.kind === 'provisioned' ? (announceProvisioned(), {}) : {}) },
      });
      const sweeper = startSweeper(service, { intervalMs: 5 });
      await provisioned;
      await sweeper.stop();
      await service.idle();
      expect((await world.service.get(id))?.state).toBe('provisioned');
    });
  });

  describe('queries and drift checks', () => {
    it('reports a policy status, pending requests, a requester’s requests and the group catalogue', async () => {
      const sales = await submitted();
      const finance = await submitted('Finance');
      await world.service.approve(sales, approver);
      await world.service.idle();
      expect(await world.service.statusOfPolicy(' contoso SALES ')).toMatchObject({
        kind: 'found',
        policyName: 'contoso SALES',
        request: { id: sales, state: 'provisioned' },
        group: { groupId: 'group-1' },
      });
      expect(await world.service.statusOfPolicy('Nobody asked')).toEqual({ kind: 'found', policyName: 'Nobody asked' });
      expect(await world.service.statusOfPolicy('')).toEqual({ kind: 'invalid', message: 'Enter the name of the device-preparation policy.' });
      expect(await world.service.listPending(approver)).toMatchObject({ kind: 'listed', requests: [{ id: finance }] });
      expect((await world.service.listMine(helpdesk)).map((request) => request.id)).toEqual([finance, sales]);
      expect(await world.service.listGroups(0, 10)).toMatchObject({ total: 1, items: [{ policyName: 'Contoso Sales' }] });
      await expect(world.service.listGroups(0, 0)).rejects.toThrow(RangeError);
      await expect(world.service.listGroups(-1, 5)).rejects.toThrow(/offset/);
    });

    it('audits drift, and repairs the owner only for approvers', async () => {
      // A check needs a group: without one the service answers noGroup (see below), before asking Graph.
      await world.service.approve(await submitted(), approver);
      await world.service.idle();
      world.provisioning.driftFindings = [{ code: 'firstPartyAppNotAnOwner', message: 'Intune is not an owner' }];
      const asked = await world.service.checkPolicy('Contoso Sales', helpdesk, { repairOwner: true });
      expect(asked).toMatchObject({ kind: 'checked', report: { healthy: false, ownerRepaired: false }, repairRefused: 'Only approvers can repair a group.' });
      const repaired = await world.service.checkPolicy('Contoso Sales', approver, { repairOwner: true });
      expect(repaired).toMatchObject({ kind: 'checked', report: { healthy: true, ownerRepaired: true } });
      expect(repaired).not.toHaveProperty('repairRefused');
      // The check's own entries, after those of the request that made the group.
      const audit = (await store.listAudit({ policyKey: 'contoso sales' })).filter((entry) => entry.requestId === undefined);
      expect(audit.map((entry) => entry.kind)).toEqual(['denied', 'driftFound']);
      expect(audit[1]).toMatchObject({ actor: helpdesk, detail: 'firstPartyAppNotAnOwner: Intune is not an owner', graphRequestId: 'graph-check-1' });
      expect(await world.service.checkPolicy('  ', approver)).toEqual({ kind: 'invalid', message: expect.stringMatching(/Enter the name/) });
      const waiting = await submitted('Finance');
      expect(await world.service.checkPolicy('finance', helpdesk)).toMatchObject({ kind: 'noGroup', policyName: 'finance', request: { id: waiting } });
      expect(await world.service.checkPolicy('Nobody asked', helpdesk)).toEqual({ kind: 'noGroup', policyName: 'Nobody asked' });
    });
  });

  it('looks up the record a button names by its key, never by a name from the card', async () => {
    await world.service.approve(await submitted(), approver);
    await world.service.idle();
    world.provisioning.driftFindings = [{ code: 'firstPartyAppNotAnOwner', message: 'Intune is not an owner' }];
    const repaired = await world.service.checkPolicy({ policyKey: 'contoso sales' }, approver, { repairOwner: true });
    expect(repaired).toMatchObject({ kind: 'checked', report: { ownerRepaired: true, group: { policyName: 'Contoso Sales', groupId: 'group-1' } } });
    expect(await world.service.checkPolicy({ policyKey: 'nobody asked' }, approver)).toEqual({ kind: 'noGroup', policyName: 'nobody asked' });
    expect(await world.service.restoreGroup({ policyKey: 'contoso sales' }, helpdesk)).toEqual({ kind: 'forbidden', reason: 'Only approvers can restore a deleted group.' });
    expect((await store.listAudit({ policyKey: 'contoso sales' })).at(-1)).toMatchObject({ kind: 'denied', actor: helpdesk });
    world.provisioning.deleteGroup('Contoso Sales', 'userDriven');
    expect(await world.service.restoreGroup({ policyKey: 'contoso sales' }, approver)).toMatchObject({ kind: 'restored', group: { policyName: 'Contoso Sales', groupId: 'group-1' } });
  });

  describe('a deleted group', () => {
    it('is offered for restore to a new request, restored only by approvers, audited, never made twice', async () => {
      await world.service.approve(await submitted(), approver);
      await world.service.idle();
      world.provisioning.deleteGroup('Contoso Sales', 'userDriven');
      const again = await world.service.submit({ ...submission, requester: otherApprover });
      expect(again).toMatchObject({ kind: 'groupDeleted', group: { groupId: 'group-1' }, deleted: { groupId: 'group-1' } });
      expect(await world.service.restoreGroup('Contoso Sales', helpdesk)).toEqual({ kind: 'forbidden', reason: 'Only approvers can restore a deleted group.' });
      expect(await world.service.restoreGroup('contoso sales', approver)).toMatchObject({ kind: 'restored', group: { groupId: 'group-1' }, ownerReAdded: false });
      expect(await world.service.restoreGroup('Contoso Sales', approver)).toEqual({ kind: 'notRestored', message: 'The group is not deleted.' });
      expect(await world.service.restoreGroup('Nobody asked', approver)).toEqual({ kind: 'noGroup', policyName: 'Nobody asked' });
      const audit = (await store.listAudit({ policyKey: 'contoso sales' })).filter((entry) => entry.requestId === undefined);
      expect(audit.map((entry) => [entry.kind, entry.actor?.aadObjectId])).toEqual([
        ['denied', helpdesk.aadObjectId],
        ['groupRestored', approver.aadObjectId],
        ['restoreFailed', approver.aadObjectId],
      ]);
      expect(await world.service.submit({ ...submission, requester: otherApprover })).toMatchObject({ kind: 'groupExists' });
      expect(world.provisioning.groups.size).toBe(1);
    });
  });

  describe('binding to the Intune policy', () => {
    async function provisioned(scenario: 'userDriven' | 'automatic' = 'automatic'): Promise<void> {
      const result = await world.service.submit({ ...submission, scenario });
      if (result.kind !== 'created') throw new Error(result.kind);
      await world.service.approve(result.request.id, approver);
      await world.service.idle();
    }
    const policyAudit = async () => store.listAudit({ policyKey: 'contoso sales' });

    it('refuses non-approvers, audits the attempt, and asks Intune nothing', async () => {
      await provisioned();
      expect(await world.service.bindPolicy('Contoso Sales', helpdesk)).toEqual({
        kind: 'forbidden',
        reason: 'Only approvers can bind a group to its Intune policy.',
      });
      expect(world.provisioning.bindCalls).toEqual([]);
      const denied = (await policyAudit()).filter((entry) => entry.kind === 'denied');
      expect(denied).toEqual([expect.objectContaining({ actor: helpdesk, detail: 'bind: Only approvers can bind a group to its Intune policy.' })]);
    });

    it('answers that there is no group yet, naming the pending request, without asking Intune', async () => {
      const id = await submitted();
      expect(await world.service.bindPolicy(' contoso  SALES ', approver)).toMatchObject({ kind: 'noGroup', policyName: 'contoso SALES', request: { id, state: 'pending' } });
      expect(await world.service.bindPolicy('Nobody Asked', approver)).toEqual({ kind: 'noGroup', policyName: 'Nobody Asked' });
      expect(world.provisioning.bindCalls).toEqual([]);
      expect((await policyAudit()).map((entry) => entry.kind)).toEqual(['requested']);
    });

    it('refuses a policy name that cannot be one', async () => {
      expect(await world.service.bindPolicy('   ', approver)).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/Enter the name/) });
    });

    it('binds to the Intune policy the name resolves to, by its id, and audits the attempt and the Graph request ids', async () => {
      await provisioned('automatic');
      world.tenant.addPolicy('policy-1', 'Contoso Sales', 'automatic');
      world.provisioning.bindResult = {
        outcome: 'bound',
        policyId: 'policy-1',
        statuses: [{ targetId: 'group-1', validationSucceeded: true }],
        graphRequestIds: ['graph-list', 'graph-set'],
      };
      const result = await world.service.bindPolicy('CONTOSO sales', approver);
      expect(result).toMatchObject({ kind: 'attempted', group: { groupId: 'group-1', scenario: 'automatic' }, bind: { outcome: 'bound' } });
      expect(world.provisioning.bindCalls).toEqual([{ policyName: 'Contoso Sales', intunePolicyId: 'policy-1' }]);
      const [requested, bound] = (await policyAudit()).slice(-2);
      expect(requested).toMatchObject({ kind: 'bindRequested', actor: approver, detail: 'group group-1 to the Automatic · Windows 365 policy "Contoso Sales" (app-only call as the bot)' });
      expect(bound).toMatchObject({ kind: 'bound', actor: approver, graphRequestId: 'graph-list graph-set', detail: 'bound on policy policy-1: group-1 ok (app-only call as the bot)' });
    });

    it("binds with the approver's own delegated credential when given one, audited as a delegated call", async () => {
      await provisioned('automatic');
      world.tenant.addPolicy('policy-1', 'Contoso Sales', 'automatic');
      world.provisioning.bindResult = { outcome: 'bound', policyId: 'policy-1', statuses: [{ targetId: 'group-1', validationSucceeded: true }], graphRequestIds: ['graph-set'] };
      await world.service.bindPolicy('Contoso Sales', approver, { as: new DelegatedCredential('approver-token') });
      expect(world.provisioning.bindCalls).toEqual([{ policyName: 'Contoso Sales', intunePolicyId: 'policy-1', delegated: true }]);
      const [requested, bound] = (await policyAudit()).slice(-2);
      expect(requested.detail).toBe('group group-1 to the Automatic · Windows 365 policy "Contoso Sales" (delegated call as the approver)');
      expect(bound).toMatchObject({ kind: 'bound', actor: approver, detail: 'bound on policy policy-1: group-1 ok (delegated call as the approver)' });
      expect(JSON.stringify(await policyAudit())).not.toContain('approver-token');
    });

    it('says before any sign-in whether an actor may bind, without auditing the question', async () => {
      const before = (await policyAudit()).length;
      expect(await world.service.mayBind(approver)).toBe(true);
      expect(await world.service.mayBind(helpdesk)).toBe(false);
      expect(await policyAudit()).toHaveLength(before);
    });

    it("audits Intune's validation codes when it refuses the group", async () => {
      await provisioned();
      world.tenant.addPolicy('policy-1', 'Contoso Sales', 'automatic');
      world.provisioning.bindResult = {
        outcome: 'validationFailed',
        policyId: 'policy-1',
        statuses: [{ targetId: 'group-1', validationSucceeded: false, errorCode: 'notStaticSecurityGroup' }],
        graphRequestIds: ['graph-list', 'graph-set'],
      };
      expect(await world.service.bindPolicy('Contoso Sales', approver)).toMatchObject({ kind: 'attempted', bind: { outcome: 'validationFailed' } });
      expect((await policyAudit()).at(-1)).toMatchObject({
        kind: 'bindFailed',
        detail: 'validationFailed on policy policy-1: group-1 notStaticSecurityGroup (app-only call as the bot)',
      });
    });

    it('reports a failed bind (Intune 500) without touching the group or the request', async () => {
      await provisioned();
      world.tenant.addPolicy('policy-1', 'Contoso Sales', 'automatic');
      const before = await store.findGroup('contoso sales');
      world.provisioning.bindResult = { outcome: 'failed', message: 'Internal error', graphRequestId: 'graph-500', graphRequestIds: ['graph-list', 'graph-500'] };
      const result = await world.service.bindPolicy('Contoso Sales', approver);
      expect(result).toMatchObject({ kind: 'attempted', bind: { outcome: 'failed', message: 'Internal error', graphRequestId: 'graph-500' } });
      expect((await policyAudit()).at(-1)).toMatchObject({ kind: 'bindFailed', detail: 'failed: Internal error (app-only call as the bot)', graphRequestId: 'graph-list graph-500' });
      expect(await store.findGroup('contoso sales')).toEqual(before);
      expect(await world.service.statusOfPolicy('Contoso Sales')).toMatchObject({ request: { state: 'provisioned' } });
    });
  });
});
