/**
 * Approvers clicking Bind at once (issue 19): two instances of the requests service over one real database
 * (SQLite, and PostgreSQL with TEST_DATABASE_URL), each with its own real Graph adapter against the emulator
 * over HTTP. Intune is asked to set the device group exactly once; every other click is told who bound it, when.
 */
import { createGraphDirectory } from '../../src/graph';
import { createProvisioningService } from '../../src/provisioning';
import { createTenantPolicies } from '../../src/inventory/tenant';
import type { BindClaimOptions } from '../../src/requests/binding';
import { createRequestsService } from '../../src/requests/service';
import type { BindPolicyResult, RequestsService } from '../../src/requests/types';
import type { Actor } from '../../src/domain/actor';
import { startGraphEmulator, type GraphEmulator } from '../../src/sandbox/graphEmulator';
import type { Store } from '../../src/store';
import { adapterHarnesses, trackStores, type StoreHarness } from '../store/support/harness';
import { helpdesk } from './support/world';

const TOKEN = 'bind-race-token';
const FAST_RETRY = { maxRetries: 1, delaySeconds: 0, maxRetryTimeMs: 5000, replicationReadAttempts: 5, replicationReadDelayMs: 20 };
/** A device-preparation policy the sandbox tenant is seeded with, without a device group. */
const POLICY = 'Contoso User-driven';
const EVERYONE_APPROVES = { isApprover: async () => true, listApprovers: async () => [] };

const approverNo = (index: number): Actor => ({ aadObjectId: `00000000-0000-4000-8000-00000000b${String(index).padStart(3, '0')}`, name: `Approver ${index}` });

describe.each(adapterHarnesses())('approvers binding one policy at once, on %s', (_name, makeHarness) => {
  const stores = trackStores();
  let emulator: GraphEmulator;
  let harness: StoreHarness | undefined;
  let instances: Array<{ readonly store: Store; readonly service: RequestsService }>;

  /** One instance's requests service: its own Graph adapter and tenant reader, over `store`. */
  function serviceOver(store: Store, bindClaim: BindClaimOptions): RequestsService {
    const directory = createGraphDirectory({ baseUrl: emulator.url, credential: { kind: 'static', token: TOKEN }, retry: FAST_RETRY });
    return createRequestsService({
      store,
      provisioning: createProvisioningService({ directory, registry: store }),
      tenant: createTenantPolicies({ directory }),
      approvers: EVERYONE_APPROVES,
      resumeAfterMs: 0,
      bindClaim,
    });
  }

  const setCalls = () => emulator.requestLog.filter((entry) => entry.method === 'POST' && entry.path.includes('setEnrollmentTimeDeviceMembershipTarget'));

  beforeEach(async () => {
    if (!makeHarness) return;
    emulator = await startGraphEmulator({ requiredToken: TOKEN });
    // The static test token is app-only, which Intune refuses today; this test is about what happens once it takes the call.
    emulator.setVariations({ appOnlyMembershipTarget: 'allow' });
    const opened = makeHarness();
    harness = opened;
    instances = [];
    for (let count = 0; count < 2; count += 1) {
      const store = await stores.open(opened);
      instances.push({ store, service: serviceOver(store, { pollMs: 20 }) });
    }
  });
  afterEach(async () => {
    for (const instance of instances ?? []) await instance.service.idle();
    await stores.closeAll();
    await harness?.dispose();
    await emulator?.close();
  });

  /** The policy's group made through a request (approved on the first instance); its record key. */
  async function provisionedPolicyKey(): Promise<string> {
    const [first] = instances;
    if (!first) throw new Error('no instance');
    const submitted = await first.service.submit({ policyName: POLICY, scenario: 'userDriven', requester: helpdesk });
    if (submitted.kind !== 'created') throw new Error(`expected a created request, got ${submitted.kind}`);
    await first.service.approve(submitted.request.id, approverNo(99));
    await first.service.idle();
    return submitted.request.policyKey;
  }

  (makeHarness ? it : it.skip)('six clicks on two instances (by key and by typed name): one call sets the group, the rest are told who bound it and when', async () => {
    const policyKey = await provisionedPolicyKey();
    const clicks = Array.from({ length: 6 }, (_, index) => {
      const instance = instances[index % 2];
      if (!instance) throw new Error('no instance');
      return instance.service.bindPolicy(index < 3 ? { policyKey } : POLICY, approverNo(index));
    });
    const results: readonly BindPolicyResult[] = await Promise.all(clicks);

    expect(setCalls()).toHaveLength(1);
    const bound = results.filter((result) => result.kind === 'attempted');
    expect(bound).toHaveLength(1);
    const [winner] = bound;
    if (winner?.kind !== 'attempted' || !winner.group.binding) throw new Error('no bind recorded');
    expect(winner.bind.outcome).toBe('bound');
    for (const other of results.filter((result) => result !== winner)) {
      expect(other).toEqual({ kind: 'alreadyBound', group: winner.group });
    }
    expect(emulator.admin.policies().find((policy) => policy.name === POLICY)?.membershipTargetIds).toEqual([winner.group.groupId]);
    const [store] = instances.map((instance) => instance.store);
    const audit = (await store?.listAudit({ policyKey })) ?? [];
    expect(audit.filter((entry) => entry.kind === 'bindRequested' || entry.kind === 'bound').map((entry) => [entry.kind, entry.actor])).toEqual([
      ['bindRequested', winner.group.binding.by],
      ['bound', winner.group.binding.by],
    ]);
  });

  (makeHarness ? it : it.skip)('a later click reads Intune fresh and answers "already bound" without calling set; a hand-made change is bound again', async () => {
    const policyKey = await provisionedPolicyKey();
    const [first, second] = instances;
    if (!first || !second) throw new Error('no instances');
    const bound = await first.service.bindPolicy({ policyKey }, approverNo(1));
    expect(bound).toMatchObject({ kind: 'attempted', bind: { outcome: 'bound' } });
    expect(await second.service.bindPolicy({ policyKey }, approverNo(2))).toMatchObject({
      kind: 'alreadyBound',
      group: { binding: { by: approverNo(1) } },
    });
    expect(setCalls()).toHaveLength(1);

    // Someone cleared the policy's device group in the Intune admin center: the record alone does not answer.
    const policy = emulator.admin.policies().find((each) => each.name === POLICY);
    if (!policy) throw new Error('no policy');
    policy.membershipTargetIds = [];
    expect(await second.service.bindPolicy({ policyKey }, approverNo(2))).toMatchObject({ kind: 'attempted', bind: { outcome: 'bound' }, group: { binding: { by: approverNo(2) } } });
    expect(setCalls()).toHaveLength(2);
  });

  (makeHarness ? it : it.skip)('a click that meets a bind still running past its wait is told who began it, and sends nothing', async () => {
    const policyKey = await provisionedPolicyKey();
    const [first, second] = instances;
    if (!first || !second) throw new Error('no instances');
    const group = await first.store.findGroup(policyKey);
    if (!group) throw new Error('no record');
    // Another instance holds the claim (its bind is still talking to Intune).
    const holder = approverNo(7);
    expect(await first.store.claimBinding({ policyKey, groupId: group.groupId, seenBoundAt: null, at: new Date().toISOString(), by: holder, staleBefore: new Date(0).toISOString() })).toEqual({ kind: 'claimed' });
    const waiting = serviceOver(second.store, { pollMs: 1, maxWaitMs: 3, wait: async () => undefined });
    expect(await waiting.bindPolicy({ policyKey }, approverNo(8))).toMatchObject({ kind: 'bindInProgress', by: holder });
    expect(setCalls()).toHaveLength(0);
  });
});
