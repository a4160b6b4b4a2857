/**
 * `policies` and adoption in the requests service, with the real inventory, provisioning service and Graph
 * adapter against the emulator over HTTP, on SQLite and PostgreSQL: permissions, audit, the race of two
 * approvers, a rename in Intune.
 */
import type { RequestsService } from '../../src/requests/types';
import type { GraphEmulator } from '../../src/sandbox/graphEmulator';
import type { Store } from '../../src/store';
import { adapterHarnesses } from '../store/support/harness';
import { registerEmulatedWorld, USER_DRIVEN } from './support/emulated';
import { approver, helpdesk, otherApprover } from './support/world';

describe.each(adapterHarnesses())('policies and adoption on %s', (_name, factory) => {
  const run = factory ? it : it.skip;
  const world = registerEmulatedWorld(factory);
  let emulator: GraphEmulator;
  let store: Store;
  let service: RequestsService;

  beforeEach(() => {
    if (factory) ({ emulator, store, service } = world.current());
  });

  const handMadePolicy = (name: string, changes: { dynamic?: boolean } = {}) => {
    const group = emulator.admin.addGroup({
      displayName: `${name} devices`,
      ownerIds: [emulator.admin.ownerServicePrincipalId as string],
      ...(changes.dynamic ? { groupTypes: ['DynamicMembership'], membershipRule: '(device.deviceOSType -eq "Windows")' } : {}),
    });
    const policy = emulator.admin.addPolicy({ name, templateId: USER_DRIVEN, membershipTargetIds: [group.id] });
    return { group, policy };
  };

  run('lists policies for approvers only, the refusal audited, with the actions that fit', async () => {
    handMadePolicy('Contoso Kiosks');
    expect(await service.listPolicies(helpdesk)).toMatchObject({ kind: 'forbidden' });
    expect((await store.listAudit()).map((entry) => [entry.kind, entry.detail])).toEqual([['denied', 'list policies: not an approver']]);
    const listed = await service.listPolicies(approver);
    expect(listed).toMatchObject({ kind: 'listed', policies: [{ policyName: 'Contoso Kiosks', findings: [{ code: 'notRecorded' }], actions: ['adopt'] }] });
  });

  run('adopts a correct hand-made group: recorded, audited, and a request for the policy answers with it', async () => {
    const { group, policy } = handMadePolicy('Contoso Kiosks');
    const adopted = await service.adoptGroup(policy.id, approver);
    expect(adopted).toMatchObject({ kind: 'adopted', group: { groupId: group.id, adopted: true, uniqueName: null, createdBy: approver } });
    expect((await store.listAudit()).filter((entry) => entry.kind === 'groupAdopted')).toEqual([
      expect.objectContaining({ actor: approver, policyKey: 'contoso kiosks', detail: expect.stringContaining(group.id) }),
    ]);
    expect(await service.submit({ policyName: 'Contoso Kiosks', scenario: 'userDriven', requester: helpdesk })).toMatchObject({ kind: 'groupExists', group: { groupId: group.id } });
    const listed = await service.listPolicies(approver);
    expect(listed).toMatchObject({ kind: 'listed', policies: [{ findings: [], recorded: true, actions: [] }] });
    expect(emulator.admin.groups()).toHaveLength(1);
  });

  run('gives one record when two approvers adopt at once', async () => {
    const { group, policy } = handMadePolicy('Contoso Kiosks');
    const results = await Promise.all([service.adoptGroup(policy.id, approver), service.adoptGroup(policy.id, otherApprover)]);
    expect(results.map((result) => result.kind)).toEqual(['adopted', 'adopted']);
    expect(await store.listAllGroups()).toEqual([expect.objectContaining({ groupId: group.id })]);
    expect((await store.listAudit()).filter((entry) => entry.kind === 'groupAdopted')).toHaveLength(1);
  });

  run('refuses to adopt a broken group, saying what to fix first, and a helpdesk agent adopting at all', async () => {
    const { policy } = handMadePolicy('Contoso Dynamic', { dynamic: true });
    const refused = await service.adoptGroup(policy.id, approver);
    expect(refused).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/^Fix these first: notStaticSecurityGroup/) });
    expect(await service.adoptGroup(policy.id, helpdesk)).toMatchObject({ kind: 'forbidden' });
    expect(await service.adoptGroup('no-such-policy', approver)).toEqual({ kind: 'notFound', policyId: 'no-such-policy' });
    expect(await store.listAllGroups()).toEqual([]);
    expect((await store.listAudit()).map((entry) => entry.kind)).toEqual(['adoptRefused', 'denied', 'denied']);
  });

  run('refuses to adopt a group shared by two policies, naming the other', async () => {
    const { group, policy } = handMadePolicy('Shared A');
    emulator.admin.addPolicy({ name: 'Shared B', templateId: USER_DRIVEN, membershipTargetIds: [group.id] });
    expect(await service.adoptGroup(policy.id, approver)).toMatchObject({ kind: 'refused', reason: expect.stringContaining('"Shared B"') });
  });

  run('finds the same record under the new name after a rename in Intune: status and requests', async () => {
    const { group, policy } = handMadePolicy('Contoso Kiosks');
    await service.adoptGroup(policy.id, approver);
    emulator.admin.updatePolicy(policy.id, { name: 'Contoso Lobby Kiosks' });
    await service.listPolicies(approver);
    expect(await service.statusOfPolicy('Contoso Lobby Kiosks')).toMatchObject({ kind: 'found', group: { groupId: group.id } });
    expect(await service.submit({ policyName: 'Contoso Lobby Kiosks', scenario: 'userDriven', requester: helpdesk })).toMatchObject({ kind: 'groupExists', group: { groupId: group.id } });
    expect((await store.listAudit()).filter((entry) => entry.kind === 'policyRenamed')).toHaveLength(1);
  });

  run('knows a bound policy renamed in Intune before any inventory saw it, by the id bind recorded', async () => {
    emulator.setVariations({ appOnlyMembershipTarget: 'allow' });
    emulator.admin.addPolicy({ name: 'Contoso Kiosks', templateId: USER_DRIVEN });
    const submitted = await service.submit({ policyName: 'Contoso Kiosks', scenario: 'userDriven', requester: helpdesk });
    if (submitted.kind !== 'created') throw new Error(submitted.kind);
    await service.approve(submitted.request.id, approver);
    await service.idle();
    const bound = await service.bindPolicy('Contoso Kiosks', approver);
    expect(bound).toMatchObject({ kind: 'attempted', bind: { outcome: 'bound' } });
    const policy = emulator.admin.policies()[0];
    if (!policy) throw new Error('no policy');
    emulator.admin.updatePolicy(policy.id, { name: 'Contoso Lobby Kiosks' });

    const listed = await service.listPolicies(approver);
    expect(listed).toMatchObject({ kind: 'listed', policies: [{ policyName: 'Contoso Lobby Kiosks', recorded: true, findings: [] }] });
    expect(await service.statusOfPolicy('Contoso Lobby Kiosks')).toMatchObject({ kind: 'found', group: { policyKey: 'contoso kiosks' } });
  });
});
