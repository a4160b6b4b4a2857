/**
 * Replace group and Use the bot's group in the requests service (issue 19), over the real store, provisioning
 * service, inventory and Graph adapter against the emulator over HTTP, on SQLite and PostgreSQL: a dynamic,
 * shared or purged group replaced and the finding cleared, the old group left as it was, one new group however
 * many approvers click at once or however a replace was cut short, and the refusals.
 */
import { SCENARIO_INFO } from '../../src/domain/scenario';
import type { ReplaceGroupResult, RequestsService } from '../../src/requests/types';
import type { GraphEmulator } from '../../src/sandbox/graphEmulator';
import type { Store } from '../../src/store';
import { adapterHarnesses } from '../store/support/harness';
import { registerEmulatedWorld } from './support/emulated';
import { approver, helpdesk, otherApprover } from './support/world';

const USER_DRIVEN = SCENARIO_INFO.userDriven.templateId;
const DYNAMIC = { groupTypes: ['DynamicMembership'], membershipRule: '(device.deviceOSType -eq "Windows")' };
const NEW_NAME = 'Autopilot DP · Contoso Kiosks · User-driven';

describe.each(adapterHarnesses())('replace group on %s', (_name, factory) => {
  const run = factory ? it : it.skip;
  const world = registerEmulatedWorld(factory);
  let emulator: GraphEmulator;
  let store: Store;
  let service: RequestsService;

  beforeEach(() => {
    if (!factory) return;
    ({ emulator, store, service } = world.current());
    // The bot's token is app-only, which Intune refuses for binding today: most tests are about what happens
    // once Intune takes the call (the refusal has its own test).
    emulator.setVariations({ appOnlyMembershipTarget: 'allow' });
  });

  const owner = () => emulator.admin.ownerServicePrincipalId as string;

  /** A policy whose device group was made by hand: dynamic unless said otherwise. */
  const handMadePolicy = (name: string, group: Record<string, unknown> = DYNAMIC) => {
    const made = emulator.admin.addGroup({ displayName: `${name} devices`, ownerIds: [owner()], ...group });
    const policy = emulator.admin.addPolicy({ name, templateId: USER_DRIVEN, membershipTargetIds: [made.id] });
    return { group: made, policy };
  };

  /** A policy whose group the bot made (requested, approved) and bound. */
  async function botGroupPolicy(name: string) {
    const policy = emulator.admin.addPolicy({ name, templateId: USER_DRIVEN });
    const submitted = await service.submit({ policyName: name, scenario: 'userDriven', requester: helpdesk });
    if (submitted.kind !== 'created') throw new Error(submitted.kind);
    await service.approve(submitted.request.id, approver);
    await service.idle();
    expect(await service.bindPolicy(name, approver)).toMatchObject({ kind: 'attempted', bind: { outcome: 'bound' } });
    const record = await store.findGroup(name.toLowerCase());
    if (!record) throw new Error('no record');
    return { policy, record };
  }

  const targetOf = (policyId: string) => emulator.admin.policies().find((policy) => policy.id === policyId)?.membershipTargetIds;
  const replaced = (result: ReplaceGroupResult) => {
    if (result.kind !== 'replaced') throw new Error(`not replaced: ${JSON.stringify(result)}`);
    return result;
  };
  const auditKinds = async () => (await store.listAudit()).map((entry) => entry.kind);

  run("replaces a dynamic hand-made group with the policy's own correct group, bound; the old group is untouched and the next inventory is clean", async () => {
    const { group: old, policy } = handMadePolicy('Contoso Kiosks');
    const before = structuredClone(emulator.admin.group(old.id));
    expect(await service.listPolicies(approver)).toMatchObject({ kind: 'listed', policies: [{ findings: expect.arrayContaining([expect.objectContaining({ code: 'notStaticSecurityGroup' })]), actions: ['replace'] }] });

    const result = replaced(await service.replaceGroup({ intunePolicyId: policy.id }, approver));
    expect(result).toMatchObject({ created: true, bind: { outcome: 'bound' }, leftBehind: [{ groupId: old.id, displayName: 'Contoso Kiosks devices', problems: [expect.objectContaining({ code: 'notStaticSecurityGroup' })] }] });
    const made = emulator.admin.group(result.group.groupId);
    expect(made).toMatchObject({ displayName: NEW_NAME, securityEnabled: true, mailEnabled: false, groupTypes: [], ownerIds: [owner()] });
    expect(targetOf(policy.id)).toEqual([result.group.groupId]);
    expect(emulator.admin.group(old.id)).toEqual(before);
    expect(await store.findGroupOfIntunePolicy(policy.id)).toMatchObject({ groupId: result.group.groupId, binding: { intunePolicyId: policy.id, by: approver } });

    expect(await service.listPolicies(approver)).toMatchObject({ kind: 'listed', policies: [{ policyId: policy.id, groupId: result.group.groupId, findings: [], actions: [] }] });
    expect(await auditKinds()).toEqual(['replaceRequested', 'groupReplaced', 'bindRequested', 'bound']);
    expect((await store.listAudit()).find((entry) => entry.kind === 'groupReplaced')?.detail).toContain(`left as it is: group ${old.id} "Contoso Kiosks devices" (notStaticSecurityGroup)`);
    // Clicked again (another approver, a moment later): told whose replacement it is, and nothing changes.
    expect(await service.replaceGroup({ intunePolicyId: policy.id }, otherApprover)).toEqual({ kind: 'alreadyReplaced', group: expect.objectContaining({ groupId: result.group.groupId, createdBy: approver, replacedGroupId: old.id }) });
    expect(emulator.admin.groups()).toHaveLength(2);
  });

  run("replaces the bot's own group turned dynamic: a new uniqueName, the same name from the template, the record swapped", async () => {
    const { policy, record } = await botGroupPolicy('Contoso Kiosks');
    emulator.admin.updateGroup(record.groupId, DYNAMIC);
    const result = replaced(await service.replaceGroup({ intunePolicyId: policy.id }, approver));
    expect(result.group).toMatchObject({ policyKey: 'contoso kiosks', displayName: record.displayName, createdBy: approver });
    expect(result.group.groupId).not.toBe(record.groupId);
    expect(result.group.uniqueName).not.toBe(record.uniqueName);
    expect(emulator.admin.group(record.groupId)).toMatchObject({ uniqueName: record.uniqueName, groupTypes: ['DynamicMembership'] });
    expect(targetOf(policy.id)).toEqual([result.group.groupId]);
    expect(await store.listAllGroups()).toEqual([expect.objectContaining({ groupId: result.group.groupId })]);
  });

  run('gives one of two policies sharing a group its own; the other keeps the group, no longer shared', async () => {
    const { group: shared, policy } = handMadePolicy('Shared A', {});
    const other = emulator.admin.addPolicy({ name: 'Shared B', templateId: USER_DRIVEN, membershipTargetIds: [shared.id] });
    const listed = await service.listPolicies(approver);
    if (listed.kind !== 'listed') throw new Error(listed.kind);
    expect(listed.policies.map((entry) => entry.actions)).toEqual([['replace'], ['replace']]);

    const result = replaced(await service.replaceGroup({ intunePolicyId: policy.id }, approver));
    expect(result.leftBehind).toEqual([expect.objectContaining({ groupId: shared.id, problems: [expect.objectContaining({ code: 'sharedGroup', detail: expect.stringContaining('"Shared B"') })] })]);
    expect(targetOf(other.id)).toEqual([shared.id]);
    const after = await service.listPolicies(approver);
    expect(after).toMatchObject({ kind: 'listed', policies: expect.arrayContaining([expect.objectContaining({ policyName: 'Shared B', findings: [expect.objectContaining({ code: 'notRecorded' })], actions: ['adopt'] })]) });
  });

  run('replaces a recorded group Entra purged, which Intune still names', async () => {
    const { policy, record } = await botGroupPolicy('Contoso Kiosks');
    emulator.admin.deleteGroup(record.groupId);
    emulator.admin.purgeGroup(record.groupId);
    expect(await service.listPolicies(approver)).toMatchObject({ policies: [{ findings: [expect.objectContaining({ code: 'securityGroupNotFound' })], actions: ['replace'] }] });
    const result = replaced(await service.replaceGroup({ intunePolicyId: policy.id }, approver));
    expect(result).toMatchObject({ created: true, bind: { outcome: 'bound' }, leftBehind: [{ groupId: record.groupId, displayName: null }] });
    expect(targetOf(policy.id)).toEqual([result.group.groupId]);
    expect(await service.listPolicies(approver)).toMatchObject({ policies: [{ findings: [], actions: [] }] });
  });

  run("replaces a recorded group Entra purged before it was ever bound (Intune names no group): Replace, not Bind, is offered", async () => {
    const policy = emulator.admin.addPolicy({ name: 'Contoso Lobby', templateId: USER_DRIVEN });
    const submitted = await service.submit({ policyName: 'Contoso Lobby', scenario: 'userDriven', requester: helpdesk });
    if (submitted.kind !== 'created') throw new Error(submitted.kind);
    await service.approve(submitted.request.id, approver);
    await service.idle();
    const record = await store.findGroup('contoso lobby');
    if (!record) throw new Error('no record');
    emulator.admin.deleteGroup(record.groupId);
    emulator.admin.purgeGroup(record.groupId);
    const listed = await service.listPolicies(approver);
    expect(listed).toMatchObject({ policies: [{ groupSource: 'none', actions: expect.arrayContaining(['replace']) }] });
    const result = replaced(await service.replaceGroup({ intunePolicyId: policy.id }, approver));
    expect(result).toMatchObject({ created: true, bind: { outcome: 'bound' }, leftBehind: [{ groupId: record.groupId }] });
    expect(targetOf(policy.id)).toEqual([result.group.groupId]);
    expect(await service.listPolicies(approver)).toMatchObject({ policies: [{ findings: [], actions: [] }] });
  });

  run('makes one new group when two approvers replace at once; the other is told whose replacement it is', async () => {
    const { policy } = handMadePolicy('Contoso Kiosks');
    const groupsBefore = emulator.admin.groups().length;
    const results = await Promise.all([service.replaceGroup({ intunePolicyId: policy.id }, approver), world.current().serviceWith().replaceGroup({ intunePolicyId: policy.id }, otherApprover)]);
    expect(emulator.admin.groups()).toHaveLength(groupsBefore + 1);
    const [made] = emulator.admin.groups().filter((group) => group.displayName === NEW_NAME);
    expect(results.map((result) => ('group' in result ? result.group.groupId : result.kind))).toEqual([made?.id, made?.id]);
    expect(results.filter((result) => result.kind === 'replaced' && result.created)).toHaveLength(1);
    // The other lost the record's swap, or came after the winner was done: either way told whose replacement it is.
    const makers = results.map((result) => ('group' in result ? result.group.createdBy.aadObjectId : result.kind));
    expect(new Set(makers).size).toBe(1);
    // (Coming between the winner's record and its bind, it binds the recorded group too: the same one change.)
    expect(results.every((result) => result.kind === 'alreadyReplaced' || result.kind === 'replaced')).toBe(true);
    expect((await store.listAudit()).filter((entry) => entry.kind === 'groupReplaced')).toHaveLength(1);
    expect(targetOf(policy.id)).toEqual([made?.id]);
  });

  run('refuses helpdesk staff, audited, before Graph is asked anything', async () => {
    const { policy } = handMadePolicy('Contoso Kiosks');
    emulator.clearRequestLog();
    expect(await service.replaceGroup({ intunePolicyId: policy.id }, helpdesk)).toEqual({ kind: 'forbidden', reason: "Only approvers can replace a policy's group." });
    expect(await service.useBotGroup(policy.id, helpdesk)).toMatchObject({ kind: 'forbidden' });
    expect(emulator.requestLog).toEqual([]);
    expect((await store.listAudit()).map((entry) => [entry.kind, entry.actor?.aadObjectId])).toEqual([['denied', helpdesk.aadObjectId], ['denied', helpdesk.aadObjectId]]);
    expect(await service.replaceGroup({ intunePolicyId: 'no-such-policy' }, approver)).toEqual({ kind: 'notFound', policyId: 'no-such-policy' });
  });

  run('answers that there is nothing to replace for a correct group, and for a policy without any group', async () => {
    const { policy } = handMadePolicy('Contoso Kiosks', {});
    const empty = emulator.admin.addPolicy({ name: 'Contoso Empty', templateId: USER_DRIVEN });
    const groupsBefore = structuredClone(emulator.admin.groups());
    expect(await service.replaceGroup({ intunePolicyId: policy.id }, approver)).toMatchObject({ kind: 'nothingToReplace', reason: expect.stringContaining('is a correct device group of this policy alone') });
    expect(await service.replaceGroup({ intunePolicyId: empty.id }, approver)).toMatchObject({ kind: 'nothingToReplace', reason: expect.stringContaining('request Contoso Empty') });
    expect(emulator.admin.groups()).toEqual(groupsBefore);
    expect(await store.listAllGroups()).toEqual([]);
  });

  run('records the new group when Intune refuses app-only binding, and says how to bind it by hand', async () => {
    const { group: old, policy } = handMadePolicy('Contoso Kiosks');
    emulator.setVariations({});
    const result = replaced(await service.replaceGroup({ intunePolicyId: policy.id }, approver));
    expect(result.bind).toMatchObject({ outcome: 'failed', reason: 'appOnlyNotSupported', message: expect.stringContaining(`select the group "${NEW_NAME}"`) });
    expect(targetOf(policy.id)).toEqual([old.id]);
    expect(await store.findGroup('contoso kiosks')).toMatchObject({ groupId: result.group.groupId });
    expect(await auditKinds()).toEqual(['replaceRequested', 'groupReplaced', 'bindRequested', 'bindFailed']);
    // Once Intune takes the call (a signed-in approver), the same click binds the recorded group, making none.
    emulator.setVariations({ appOnlyMembershipTarget: 'allow' });
    expect(await service.replaceGroup({ intunePolicyId: policy.id }, approver)).toMatchObject({ kind: 'replaced', created: false, group: { groupId: result.group.groupId }, bind: { outcome: 'bound' } });
    expect(emulator.admin.groups()).toHaveLength(2);
  });

  run('cut short after the group is made (before its record, or before the bind), a retry makes no second group', async () => {
    const { group: old, policy } = handMadePolicy('Contoso Kiosks');
    const died = new Error('the process died here');
    const beforeRecord = world.current().serviceWith({ registry: (real) => ({ recordGroup: (record) => real.recordGroup(record), replaceGroup: async () => Promise.reject(died) }) });
    await expect(beforeRecord.replaceGroup({ intunePolicyId: policy.id }, approver)).resolves.toMatchObject({ kind: 'notReplaced', message: died.message });
    expect(emulator.admin.groups()).toHaveLength(2);
    expect(await store.listAllGroups()).toEqual([]);

    const beforeBind = world.current().serviceWith({ provisioning: (real) => ({ ...real, bindToPolicy: async () => Promise.reject(died) }) });
    await expect(beforeBind.replaceGroup({ intunePolicyId: policy.id }, approver)).rejects.toBe(died);
    const [recorded] = await store.listAllGroups();
    expect(targetOf(policy.id)).toEqual([old.id]);

    // After the restart: the record already names the new group, so it is bound, and no other is made.
    const retried = replaced(await world.current().serviceWith().replaceGroup({ intunePolicyId: policy.id }, approver));
    expect(retried).toMatchObject({ created: false, group: { groupId: recorded?.groupId }, bind: { outcome: 'bound' } });
    expect(emulator.admin.groups()).toHaveLength(2);
    expect(targetOf(policy.id)).toEqual([recorded?.groupId]);
  });

  run("Use the bot's group binds the recorded group where Intune names another, making none", async () => {
    const { policy, record } = await botGroupPolicy('Contoso Kiosks');
    const handMade = emulator.admin.addGroup({ displayName: 'Kiosk devices', ownerIds: [owner()] });
    policy.membershipTargetIds = [handMade.id];
    expect(await service.listPolicies(approver)).toMatchObject({ policies: [{ findings: [expect.objectContaining({ code: 'recordedGroupDiffers' })], actions: ['useBotGroup'] }] });
    const groupsBefore = emulator.admin.groups().length;
    expect(await service.useBotGroup(policy.id, approver)).toMatchObject({ kind: 'attempted', group: { groupId: record.groupId }, bind: { outcome: 'bound' } });
    expect(targetOf(policy.id)).toEqual([record.groupId]);
    expect(emulator.admin.groups()).toHaveLength(groupsBefore);
    expect(await service.useBotGroup('no-such-policy', approver)).toEqual({ kind: 'notFound', policyId: 'no-such-policy' });
  });
});
