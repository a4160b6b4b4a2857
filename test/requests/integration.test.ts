/**
 * The requests service with the real provisioning service, the real Graph adapter and the sandbox Graph
 * emulator on loopback, over a real SQLite store — and the crash test: a child process running all of it
 * is SIGKILLed at each provisioning step and restarted; the request must end provisioned with exactly one
 * group in the emulator.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SCENARIO_INFO } from '../../src/domain/scenario';
import { createGraphDirectory } from '../../src/graph';
import { createProvisioningService } from '../../src/provisioning';
import { OWNER_APP_ID } from '../../src/provisioning/directory';
import { createRequestsService } from '../../src/requests/service';
import { createTenantPolicies } from '../../src/inventory/tenant';
import type { RequestsService } from '../../src/requests/types';
import type { GroupRequest } from '../../src/domain/request';
import { startGraphEmulator, type GraphEmulator } from '../../src/sandbox/graphEmulator';
import type { Store, StoreOptions } from '../../src/store';
import { TEST_DATABASE_URL, adapterHarnesses, sqliteHarness, trackStores, type StoreHarness } from '../store/support/harness';
import { CRASH_STEPS, type CrashStep } from './support/crashSteps';
import { approver, approverIds, helpdesk } from './support/world';

const TOKEN = 'requests-integration-token';
const FAST_RETRY = { maxRetries: 1, delaySeconds: 0, maxRetryTimeMs: 5000, replicationReadAttempts: 5, replicationReadDelayMs: 20 };

describe('requests service with real provisioning against the Graph emulator', () => {
  let emulator: GraphEmulator;
  let harness: StoreHarness;
  let store: Store;
  let service: RequestsService;
  const stores = trackStores();

  beforeEach(async () => {
    emulator = await startGraphEmulator({ requiredToken: TOKEN });
    harness = sqliteHarness();
    store = await stores.open(harness);
    const directory = createGraphDirectory({ baseUrl: emulator.url, credential: { kind: 'static', token: TOKEN }, retry: FAST_RETRY });
    service = createRequestsService({
      store,
      provisioning: createProvisioningService({ directory, registry: store }),
      tenant: createTenantPolicies({ directory }),
      approvers: approverIds(approver),
      resumeAfterMs: 0,
    });
  });
  afterEach(async () => {
    await service.idle();
    await stores.closeAll();
    await harness.dispose();
    await emulator.close();
  });

  const groupsNamed = (uniqueName: string) => emulator.admin.groups().filter((group) => group.uniqueName === uniqueName);

  async function approvedRequest(policyName = 'Contoso Kiosks'): Promise<GroupRequest> {
    const submitted = await service.submit({ policyName, scenario: 'userDriven', requester: helpdesk });
    if (submitted.kind !== 'created') throw new Error(`expected a created request, got ${submitted.kind}`);
    const approved = await service.approve(submitted.request.id, approver);
    if (approved.kind !== 'decided') throw new Error(`expected a decision, got ${approved.kind}`);
    return approved.request;
  }

  it('creates the group once, records it, and audits the Graph request ids the emulator issued', async () => {
    const request = await approvedRequest();
    await service.idle();
    const [group] = groupsNamed(request.names.uniqueName);
    expect(group).toBeDefined();
    expect(await service.get(request.id)).toMatchObject({ state: 'provisioned', groupId: group?.id });
    expect(await store.findGroup(request.policyKey)).toMatchObject({ groupId: group?.id, createdBy: approver });

    const audited = (await store.listAudit({ requestId: request.id })).flatMap((entry) => entry.graphRequestId ?? []);
    expect(audited.length).toBeGreaterThan(0);
    const issued = new Set(emulator.requestLog.map((entry) => entry.requestId));
    for (const id of audited) expect(issued.has(id)).toBe(true);

    expect(await service.submit({ policyName: 'contoso  kiosks', scenario: 'userDriven', requester: helpdesk })).toMatchObject({
      kind: 'groupExists',
      group: { groupId: group?.id },
    });
  });

  it('fails with Graph’s error when Graph keeps failing, and a retry after recovery provisions exactly one group', async () => {
    emulator.setFaults({ failNext: { count: 50, status: 500 } });
    const request = await approvedRequest();
    await service.idle();
    const failed = await service.get(request.id);
    expect(failed).toMatchObject({ state: 'failed', failureReason: expect.stringMatching(/500/) });
    const audit = await store.listAudit({ requestId: request.id });
    expect(audit.some((entry) => entry.kind === 'graphCall' && entry.graphRequestId)).toBe(true);

    emulator.setFaults({});
    expect(await service.retry(request.id, approver)).toMatchObject({ kind: 'decided' });
    await service.idle();
    expect((await service.get(request.id))?.state).toBe('provisioned');
    expect(groupsNamed(request.names.uniqueName)).toHaveLength(1);
  });

  describe('binding the group to its Intune policy', () => {
    /** The seeded user-driven device-preparation policy of the sandbox tenant. */
    const SEEDED_POLICY = 'Contoso User-driven';
    const policyNamed = (name: string) => emulator.admin.policies().find((policy) => policy.name === name);

    // The static sandbox token is app-only, which Intune refuses today; these tests are about what Intune
    // answers once it takes the call (the refusal has its own test below).
    beforeEach(() => emulator.setVariations({ appOnlyMembershipTarget: 'allow' }));

    async function provisionedGroupId(policyName: string): Promise<string> {
      const request = await approvedRequest(policyName);
      await service.idle();
      const group = await store.findGroup(request.policyKey);
      if (!group) throw new Error('not provisioned');
      return group.groupId;
    }

    it('binds the group to the seeded policy and audits the request ids the emulator issued', async () => {
      const groupId = await provisionedGroupId(SEEDED_POLICY);
      const result = await service.bindPolicy('contoso user-driven', approver);
      expect(result).toMatchObject({ kind: 'attempted', bind: { outcome: 'bound', policyId: policyNamed(SEEDED_POLICY)?.id } });
      expect(policyNamed(SEEDED_POLICY)?.membershipTargetIds).toEqual([groupId]);
      const [requested, bound] = (await store.listAudit({ policyKey: 'contoso user-driven' })).slice(-2);
      expect([requested?.kind, bound?.kind]).toEqual(['bindRequested', 'bound']);
      const issued = new Set(emulator.requestLog.map((entry) => entry.requestId));
      // The set call itself: the policy's id came from the resolution, not from a listing of its own.
      const audited = bound?.graphRequestId?.split(' ') ?? [];
      expect(audited).toHaveLength(1);
      for (const id of audited) expect(issued.has(id)).toBe(true);
    });

    it("shows Intune's validation code when the group lost its first-party owner", async () => {
      const groupId = await provisionedGroupId(SEEDED_POLICY);
      const owner = emulator.admin.servicePrincipalByAppId(OWNER_APP_ID);
      emulator.admin.removeOwner(groupId, owner?.id ?? '');
      expect(await service.bindPolicy(SEEDED_POLICY, approver)).toMatchObject({
        kind: 'attempted',
        bind: { outcome: 'validationFailed', statuses: [{ targetId: groupId, validationSucceeded: false, errorCode: 'firstPartyAppNotAnOwner' }] },
      });
      expect(policyNamed(SEEDED_POLICY)?.membershipTargetIds).toEqual([]);
      expect((await store.listAudit({ policyKey: 'contoso user-driven' })).at(-1)).toMatchObject({
        kind: 'bindFailed',
        detail: expect.stringContaining(`${groupId} firstPartyAppNotAnOwner`),
      });
    });

    it('says the policy does not exist yet, and binds once it has been created in Intune', async () => {
      const groupId = await provisionedGroupId('Contoso Kiosks');
      expect(await service.bindPolicy('Contoso Kiosks', approver)).toMatchObject({ kind: 'attempted', bind: { outcome: 'policyNotFound' } });
      const policy = emulator.admin.addPolicy({ name: 'Contoso Kiosks', templateId: SCENARIO_INFO.userDriven.templateId });
      expect(await service.bindPolicy('Contoso Kiosks', approver)).toMatchObject({ kind: 'attempted', bind: { outcome: 'bound', policyId: policy.id } });
      expect(policy.membershipTargetIds).toEqual([groupId]);
    });

    it('audits Intune\'s refusal of an app-only bind as bindFailed, saying so plainly, and keeps the group', async () => {
      const groupId = await provisionedGroupId(SEEDED_POLICY);
      emulator.setVariations({});
      const result = await service.bindPolicy(SEEDED_POLICY, approver);
      expect(result).toMatchObject({ kind: 'attempted', group: { groupId }, bind: { outcome: 'failed', reason: 'appOnlyNotSupported' } });
      expect((await store.listAudit({ policyKey: 'contoso user-driven' })).at(-1)).toMatchObject({
        kind: 'bindFailed',
        detail: expect.stringContaining('Intune does not accept app-only binding today'),
        graphRequestId: expect.stringContaining(emulator.requestLog.at(-1)?.requestId ?? 'missing'),
      });
      expect(await store.findGroup('contoso user-driven')).toMatchObject({ groupId });
    });

    it("reports Intune's 500 with its request id and leaves the group and the request as they were", async () => {
      const groupId = await provisionedGroupId(SEEDED_POLICY);
      const groupsBefore = structuredClone(emulator.admin.groups());
      emulator.setFaults({ membershipTargetInternalError: true });
      const result = await service.bindPolicy(SEEDED_POLICY, approver);
      const failedCall = emulator.requestLog.at(-1);
      expect(failedCall?.status).toBe(500);
      expect(result).toMatchObject({ kind: 'attempted', group: { groupId }, bind: { outcome: 'failed', graphRequestId: failedCall?.requestId } });
      expect(emulator.admin.groups()).toEqual(groupsBefore);
      expect(await store.findGroup('contoso user-driven')).toMatchObject({ groupId });
      expect(await service.statusOfPolicy(SEEDED_POLICY)).toMatchObject({ request: { state: 'provisioned' } });
      expect((await store.listAudit({ policyKey: 'contoso user-driven' })).at(-1)).toMatchObject({
        kind: 'bindFailed',
        graphRequestId: expect.stringContaining(failedCall?.requestId ?? 'missing'),
      });
    });
  });
});

const CHILD = join(__dirname, 'support', 'provisioningChild.ts');
const REGISTER = join(__dirname, '..', 'support', 'register-ts.js');

/** Runs one instance; with `killAt`, SIGKILLs it as soon as it reports that step. Resolves with its last line. */
function runInstance(order: { store: StoreOptions; graphUrl: string; token: string; killAt?: CrashStep }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', REGISTER, CHILD, JSON.stringify(order)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let last = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    createInterface({ input: child.stdout }).on('line', (line) => {
      last = line;
      if (line === `step:${order.killAt}`) child.kill('SIGKILL');
    });
    child.on('close', (code, signal) => {
      if (order.killAt ? signal === 'SIGKILL' : code === 0) resolve(last);
      else reject(new Error(`instance ended with code ${code}, signal ${signal}, last line "${last}": ${stderr}`));
    });
  });
}

if (!TEST_DATABASE_URL) console.warn('Crash tests on PostgreSQL SKIPPED: set TEST_DATABASE_URL to run them.');

const crashAdapters = adapterHarnesses();

describe.each(crashAdapters)('crash during provisioning on %s (SIGKILL at each step, then restart)', (_name, makeHarness) => {
  let emulator: GraphEmulator;
  let harness: StoreHarness;
  let store: Store;
  const stores = trackStores();

  beforeEach(async () => {
    emulator = await startGraphEmulator({ requiredToken: TOKEN });
    harness = (makeHarness ?? sqliteHarness)();
    store = await stores.open(harness);
  });
  afterEach(async () => {
    await stores.closeAll();
    await harness.dispose();
    await emulator.close();
  });

  async function approvedInStore(): Promise<GroupRequest> {
    const directory = createGraphDirectory({ baseUrl: emulator.url, credential: { kind: 'static', token: TOKEN }, retry: FAST_RETRY });
    // Only submit here: provisioning must happen in the child instances.
    const front = createRequestsService({ store, provisioning: createProvisioningService({ directory, registry: store }), approvers: approverIds(approver) });
    const submitted = await front.submit({ policyName: 'Crash Test Policy', scenario: 'automatic', requester: helpdesk });
    if (submitted.kind !== 'created') throw new Error(`expected a created request, got ${submitted.kind}`);
    const at = new Date(Date.now() - 1000).toISOString();
    const approved = await store.transitionRequest(
      submitted.request.id,
      { state: 'pending' },
      { to: 'approved', at, decision: { kind: 'approved', by: approver, at } },
    );
    if (approved.kind !== 'applied') throw new Error(`expected the approval to apply, got ${approved.kind}`);
    return approved.request;
  }

  (makeHarness ? it.each(CRASH_STEPS) : it.skip.each(CRASH_STEPS))('killed at "%s": the restarted instance finishes with exactly one group', async (step) => {
    const request = await approvedInStore();
    const order = { store: harness.options, graphUrl: emulator.url, token: TOKEN };

    expect(await runInstance({ ...order, killAt: step })).toBe(`step:${step}`);
    expect((await store.getRequest(request.id))?.state).not.toBe('provisioned');

    expect(await runInstance(order)).toBe('done:1');
    const finished = await store.getRequest(request.id);
    const groups = emulator.admin.groups().filter((group) => group.uniqueName === request.names.uniqueName);
    expect(groups).toHaveLength(1);
    expect(finished).toMatchObject({ state: 'provisioned', groupId: groups[0]?.id });
    expect(await store.findGroup(request.policyKey)).toMatchObject({ groupId: groups[0]?.id });
  });
});
