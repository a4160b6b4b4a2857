/**
 * One group per policy, decided from the tenant (issue 17): the requests service with the real provisioning
 * service, the real tenant reader and Graph adapter against the emulator over HTTP, on SQLite and PostgreSQL.
 * A policy Intune already gives a group never gets a second one; a rename keeps one record; the group made is
 * the one the approver saw, whatever the naming rules are by then.
 */
import type { GroupNamingOptions } from '../../src/domain/naming';
import { SCENARIO_INFO } from '../../src/domain/scenario';
import { createGraphDirectory } from '../../src/graph';
import { createTenantPolicies } from '../../src/inventory/tenant';
import { createProvisioningService } from '../../src/provisioning';
import type { RequestEvent } from '../../src/requests/ports';
import { createRequestsService } from '../../src/requests/service';
import type { RequestsService } from '../../src/requests/types';
import { startGraphEmulator, type GraphEmulator } from '../../src/sandbox/graphEmulator';
import type { Store } from '../../src/store';
import { adapterHarnesses, trackStores, type StoreHarness } from '../store/support/harness';
import { approver, approverIds, helpdesk } from './support/world';

const TOKEN = 'tenant-truth-token';
const FAST_RETRY = { maxRetries: 1, delaySeconds: 0, maxRetryTimeMs: 5000, replicationReadAttempts: 5, replicationReadDelayMs: 20 };
const USER_DRIVEN = SCENARIO_INFO.userDriven.templateId;
const DAY_MS = 24 * 60 * 60 * 1000;

describe.each(adapterHarnesses())('one group per policy, decided from the tenant, on %s', (_name, factory) => {
  const run = factory ? it : it.skip;
  let emulator: GraphEmulator;
  let harness: StoreHarness;
  let store: Store;
  let service: RequestsService;
  let events: RequestEvent[];
  /** How far the emulator's clock is ahead: past the recycle bin's 30 days, Entra has purged a deleted group. */
  let daysLater: number;
  const stores = trackStores();
  const directory = () => createGraphDirectory({ baseUrl: emulator.url, credential: { kind: 'static', token: TOKEN }, retry: FAST_RETRY });

  /** A requests service as one process composes it; a second call is the same bot after a restart. */
  function startService(naming: GroupNamingOptions = {}): RequestsService {
    const graph = directory();
    return createRequestsService({
      store,
      provisioning: createProvisioningService({ directory: graph, registry: store, naming }),
      tenant: createTenantPolicies({ directory: graph }),
      approvers: approverIds(approver),
      notifier: { notify: async (event) => (events.push(event), { approversReached: 1 }) },
      resumeAfterMs: 0,
    });
  }

  beforeEach(async () => {
    if (!factory) return;
    daysLater = 0;
    emulator = await startGraphEmulator({ requiredToken: TOKEN, seed: { policies: [], brokenCases: true }, clock: { now: () => new Date(Date.now() + daysLater * DAY_MS) } });
    emulator.setVariations({ appOnlyMembershipTarget: 'allow' });
    harness = factory();
    store = await stores.open(harness);
    events = [];
    service = startService();
  });
  afterEach(async () => {
    if (!factory) return;
    await service.idle();
    await stores.closeAll();
    await harness.dispose();
    await emulator.close();
  });

  const policyNamed = (name: string) => {
    const policy = emulator.admin.policies().find((each) => each.name === name);
    if (!policy) throw new Error(`no policy ${name}`);
    return policy;
  };
  const request = (policyName: string) => service.submit({ policyName, scenario: 'userDriven', requester: helpdesk });
  const approved = async (policyName: string) => {
    const submitted = await request(policyName);
    if (submitted.kind !== 'created') throw new Error(submitted.kind);
    return submitted.request;
  };

  run('answers a request for a policy with a correct hand-made group with that group and Adopt, and makes none', async () => {
    const groupsBefore = emulator.admin.groups().length;
    const answer = await request('adatum reception');
    const policy = policyNamed('Adatum Reception');
    expect(answer).toMatchObject({
      kind: 'policyUsesGroup',
      tenantGroup: { policyId: policy.id, policyName: 'Adatum Reception', groupId: policy.membershipTargetIds[0], group: { displayName: 'Adatum reception devices' }, findings: [], adoptable: true },
    });
    expect(emulator.admin.groups()).toHaveLength(groupsBefore);
    expect(await store.latestRequestForPolicy('adatum reception')).toBeUndefined();
    expect((await store.listAudit()).at(-1)).toMatchObject({ kind: 'denied', actor: helpdesk, detail: expect.stringContaining('correct: adoptable') });
  });

  run.each([
    ['Northwind Tablets', 'notStaticSecurityGroup', /cannot be fixed in place/],
    ['Tailspin Kiosks', 'firstPartyAppNotAnOwner', /Add the Intune Provisioning Client as an owner/],
    ['Woodgrove Lab', 'securityGroupNotFound', /recycle bin: an Entra admin restores it/],
  ])('says what is wrong with the broken hand-made group of %s and the fix that exists, and makes no group', async (policyName, code, fix) => {
    const groupsBefore = emulator.admin.groups().length;
    const answer = await request(policyName);
    expect(answer).toMatchObject({ kind: 'policyUsesGroup', tenantGroup: { adoptable: false, findings: expect.arrayContaining([expect.objectContaining({ code })]) } });
    if (answer.kind !== 'policyUsesGroup') throw new Error(answer.kind);
    expect(answer.tenantGroup.fix).toMatch(fix);
    expect(emulator.admin.groups()).toHaveLength(groupsBefore);
    expect(await store.latestRequestForPolicy(policyName.toLowerCase())).toBeUndefined();
  });

  run('refuses a policy whose target names a group that does not exist, and makes none', async () => {
    const gone = emulator.admin.addGroup({ displayName: 'Gone devices', ownerIds: [emulator.admin.ownerServicePrincipalId as string] });
    emulator.admin.addPolicy({ name: 'Contoso Gone', templateId: USER_DRIVEN, membershipTargetIds: [gone.id] });
    emulator.admin.deleteGroup(gone.id);
    emulator.admin.purgeGroup(gone.id);
    const answer = await request('Contoso Gone');
    expect(answer).toMatchObject({ kind: 'policyUsesGroup', tenantGroup: { groupId: gone.id, adoptable: false, fix: expect.stringMatching(/no longer exists/) } });
    expect(emulator.admin.groups().filter((group) => group.displayName.includes('Contoso Gone'))).toEqual([]);
  });

  run('ends an approved request cancelled when its policy got a group meanwhile: audited, told, no second group', async () => {
    emulator.admin.addPolicy({ name: 'Contoso Kiosks', templateId: USER_DRIVEN });
    const waiting = await approved('Contoso Kiosks');
    // Meanwhile an Intune admin gives the policy a hand-made group.
    const handMade = emulator.admin.addGroup({ displayName: 'Kiosk devices', ownerIds: [emulator.admin.ownerServicePrincipalId as string] });
    await directory().setEnrollmentTimeDeviceMembershipTarget(policyNamed('Contoso Kiosks').id, handMade.id);
    await service.approve(waiting.id, approver);
    await service.idle();

    const ended = await service.get(waiting.id);
    expect(ended).toMatchObject({ state: 'cancelled', failureReason: expect.stringContaining(handMade.id) });
    expect(ended?.failureReason).toMatch(/no second group was made\. It is a correct device group: an approver can adopt it/);
    expect(emulator.admin.groups().filter((group) => group.uniqueName === waiting.names.uniqueName)).toEqual([]);
    expect(await store.findGroup('contoso kiosks')).toBeUndefined();
    expect((await store.listAudit({ requestId: waiting.id })).at(-1)).toMatchObject({ kind: 'cancelled', detail: expect.stringMatching(/^superseded: /) });
    expect(events.map((event) => event.kind)).toEqual(['requested', 'approved', 'provisioning', 'superseded']);
  });

  run('makes exactly the approved names after the template and the blocked words changed, across a restart', async () => {
    const waiting = await approved('Contoso Test Kiosks');
    // The bot restarts with other naming rules: a new template, and a word of this policy's name now blocked.
    await service.idle();
    service = startService({ template: 'Devices of {policy}', blockedWords: ['test'] });
    expect(service.previewNames('Contoso Test Kiosks', 'userDriven')).toMatchObject({ ok: false });
    await service.approve(waiting.id, approver);
    await service.idle();

    expect(await service.get(waiting.id)).toMatchObject({ state: 'provisioned' });
    const [made] = emulator.admin.groups().filter((group) => group.uniqueName === waiting.names.uniqueName);
    expect(made).toMatchObject({ displayName: waiting.names.displayName, mailNickname: waiting.names.mailNickname });
    expect(made?.displayName).toBe('Autopilot DP · Contoso Test Kiosks · User-driven');
    expect(await store.findGroup('contoso test kiosks')).toMatchObject({ displayName: waiting.names.displayName, groupId: made?.id });
  });

  run('keeps one record for a bound policy renamed in Intune before any inventory ran: request, status and bind', async () => {
    emulator.admin.addPolicy({ name: 'Contoso Kiosks', templateId: USER_DRIVEN });
    const waiting = await approved('Contoso Kiosks');
    await service.approve(waiting.id, approver);
    await service.idle();
    expect(await service.bindPolicy('Contoso Kiosks', approver)).toMatchObject({ kind: 'attempted', bind: { outcome: 'bound' } });
    const policy = policyNamed('Contoso Kiosks');
    emulator.admin.updatePolicy(policy.id, { name: 'Contoso Lobby Kiosks' });
    const group = await store.findGroup('contoso kiosks');

    service = startService(); // nothing cached: what Intune says now
    expect(await service.statusOfPolicy('Contoso Lobby Kiosks')).toMatchObject({ kind: 'found', policyName: 'Contoso Lobby Kiosks', group: { groupId: group?.groupId } });
    expect(await request('Contoso Lobby Kiosks')).toMatchObject({ kind: 'groupExists', group: { groupId: group?.groupId } });
    // Under its new name the bind finds the same record, already in place in Intune: nothing is sent again.
    expect(await service.bindPolicy('Contoso Lobby Kiosks', approver)).toMatchObject({
      kind: 'alreadyBound',
      group: { groupId: group?.groupId, binding: { intunePolicyId: policy.id, by: approver } },
    });
    expect(emulator.admin.groups().filter((each) => each.uniqueName === waiting.names.uniqueName)).toHaveLength(1);
    expect(await store.listAllGroups()).toHaveLength(1);
  });

  run('accepts a new request once Entra purged the recorded group, and its new group replaces the record, audited', async () => {
    emulator.admin.addPolicy({ name: 'Contoso Kiosks', templateId: USER_DRIVEN });
    const first = await approved('Contoso Kiosks');
    await service.approve(first.id, approver);
    await service.idle();
    await service.bindPolicy('Contoso Kiosks', approver);
    const purged = await store.findGroup('contoso kiosks');
    if (!purged) throw new Error('no record');
    // Deleted, still restorable: refused with the recycle bin. Past the 30 days: gone for good.
    emulator.admin.deleteGroup(purged.groupId);
    expect(await request('Contoso Kiosks')).toMatchObject({ kind: 'groupDeleted' });
    daysLater = 31;

    const second = await approved('Contoso Kiosks');
    await service.approve(second.id, approver);
    await service.idle();

    const made = emulator.admin.groups().filter((group) => group.uniqueName === first.names.uniqueName);
    expect(made).toHaveLength(1);
    expect(made[0]?.id).not.toBe(purged.groupId);
    expect(await service.get(second.id)).toMatchObject({ state: 'provisioned', groupId: made[0]?.id });
    expect(await store.findGroup('contoso kiosks')).toMatchObject({ groupId: made[0]?.id, uniqueName: first.names.uniqueName });
    expect(await store.findGroupOfIntunePolicy(policyNamed('Contoso Kiosks').id)).toMatchObject({ groupId: made[0]?.id });
    expect(await store.listAllGroups()).toHaveLength(1);
    const audit = await store.listAudit({ requestId: second.id });
    expect(audit.find((entry) => entry.kind === 'provisioned')?.detail).toBe(`group ${made[0]?.id} created; it replaces the record of group ${purged.groupId}, which Entra purged`);
    // The new group is the policy's one group: a third request is answered with it.
    expect(await request('Contoso Kiosks')).toMatchObject({ kind: 'groupExists', group: { groupId: made[0]?.id } });
  });

  run('makes the one group for the name alone when the policy was deleted in Intune while the request waited, audited', async () => {
    const policy = emulator.admin.addPolicy({ name: 'Contoso Kiosks', templateId: USER_DRIVEN });
    const waiting = await approved('Contoso Kiosks');
    emulator.admin.deletePolicy(policy.id);
    await service.approve(waiting.id, approver);
    await service.idle();

    const made = emulator.admin.groups().filter((group) => group.uniqueName === waiting.names.uniqueName);
    expect(made).toHaveLength(1);
    expect(await service.get(waiting.id)).toMatchObject({ state: 'provisioned', groupId: made[0]?.id });
    const audit = await store.listAudit({ requestId: waiting.id });
    expect(audit.find((entry) => entry.kind === 'provisioned')?.detail).toBe(
      `group ${made[0]?.id} created; Intune lists no policy "Contoso Kiosks" now (not made yet, or deleted): bind the group once it exists`,
    );
    // The policy made again in Intune under that name: the one group answers, never a second.
    emulator.admin.addPolicy({ name: 'Contoso Kiosks', templateId: USER_DRIVEN });
    expect(await request('Contoso Kiosks')).toMatchObject({ kind: 'groupExists', group: { groupId: made[0]?.id } });
    expect(emulator.admin.groups().filter((group) => group.uniqueName === waiting.names.uniqueName)).toHaveLength(1);
  });

  run('refuses a name two Intune policies answer to, audited, and requests nothing', async () => {
    emulator.admin.addPolicy({ name: 'Contoso Kiosks', templateId: USER_DRIVEN });
    emulator.admin.addPolicy({ name: 'contoso  KIOSKS', templateId: USER_DRIVEN });
    const answer = await request('Contoso Kiosks');
    expect(answer).toMatchObject({ kind: 'policyUnclear', reason: expect.stringMatching(/Intune has 2 device-preparation policies named "Contoso Kiosks"/) });
    expect(await store.latestRequestForPolicy('contoso kiosks')).toBeUndefined();
    expect((await store.listAudit()).at(-1)).toMatchObject({ kind: 'denied', detail: expect.stringContaining('Rename all but one') });
  });

  run('refuses a name that is now another policy\'s and was the old name of a bound one', async () => {
    emulator.admin.addPolicy({ name: 'Contoso Kiosks', templateId: USER_DRIVEN });
    const waiting = await approved('Contoso Kiosks');
    await service.approve(waiting.id, approver);
    await service.idle();
    await service.bindPolicy('Contoso Kiosks', approver);
    emulator.admin.updatePolicy(policyNamed('Contoso Kiosks').id, { name: 'Contoso Lobby Kiosks' });
    emulator.admin.addPolicy({ name: 'Contoso Kiosks', templateId: USER_DRIVEN });
    service = startService();
    expect(await request('Contoso Kiosks')).toMatchObject({ kind: 'policyUnclear', reason: expect.stringMatching(/belongs to two Intune policies/) });
    expect(await store.listAllGroups()).toHaveLength(1);
  });

  run('says plainly when Intune cannot be asked, and decides from the records alone', async () => {
    emulator.setFaults({ failNext: { status: 503, count: 2 } });
    const answer = await request('Contoso Kiosks');
    expect(answer).toMatchObject({ kind: 'created', tenantNotice: expect.stringMatching(/^Intune could not be asked to list the device-preparation policies: .*I decided from my own records alone\.$/) });
  });
});
