/** A policy's enrollment-time membership target: set, clear and retrieve, validated from real group state. */
import { SCENARIO_INFO } from '../../../src/domain/scenario';
import { DELEGATED_TOKEN, unsignedJwt } from '../../provisioning/support/sandbox';
import { createBody, POLICIES } from '../support/policies';
import { type Answer, emulatorWire } from '../support/wire';

const wire = emulatorWire();
const { start, graph } = wire;

describe('Graph emulator wire format', () => {
  it('lists the seeded device-preparation policies and validates membership targets from real group state (delegated caller)', async () => {
    await start({}, DELEGATED_TOKEN);
    const list = await graph('GET', `/beta/deviceManagement/configurationPolicies?$filter=${encodeURIComponent("technologies has 'enrollment'")}`);
    expect(list.body.value.map((policy: { templateReference: { templateId: string } }) => policy.templateReference.templateId).sort()).toEqual(
      [SCENARIO_INFO.userDriven.templateId, SCENARIO_INFO.automatic.templateId].sort(),
    );
    expect((await graph('GET', '/v1.0/deviceManagement/configurationPolicies')).status).toBe(400);
    const policyId = list.body.value[0].id as string;
    const spId = wire.emulator.admin.ownerServicePrincipalId as string;
    const good = wire.emulator.admin.addGroup({ displayName: 'good', ownerIds: [spId] });
    const dynamic = wire.emulator.admin.addGroup({ displayName: 'dyn', ownerIds: [spId], groupTypes: ['DynamicMembership'], membershipRule: 'x' });
    const mail = wire.emulator.admin.addGroup({ displayName: 'mail', ownerIds: [spId], mailEnabled: true });
    const unowned = wire.emulator.admin.addGroup({ displayName: 'unowned' });
    const set = (targetId: string): Promise<Answer> =>
      graph('POST', `/beta/deviceManagement/configurationPolicies('${policyId}')/setEnrollmentTimeDeviceMembershipTarget`, {
        enrollmentTimeDeviceMembershipTargets: [{ targetType: 'staticSecurityGroup', targetId }],
      });
    const codeOf = async (targetId: string): Promise<unknown> =>
      (await set(targetId)).body.value.enrollmentTimeDeviceMembershipTargetValidationStatuses[0].targetValidationErrorCode;
    expect(await codeOf('missing')).toBe('securityGroupNotFound');
    expect(await codeOf(dynamic.id)).toBe('notStaticSecurityGroup');
    expect(await codeOf(mail.id)).toBe('notSecurityGroup');
    expect(await codeOf(unowned.id)).toBe('firstPartyAppNotAnOwner');
    const bound = await set(good.id);
    // The beta docs show the result wrapped in `value`; `unknown` is the code of a target without an error.
    expect(bound.body.value).toMatchObject({
      validationSucceeded: true,
      enrollmentTimeDeviceMembershipTargetValidationStatuses: [{ targetId: good.id, validationSucceeded: true, targetValidationErrorCode: 'unknown' }],
    });
    expect(wire.emulator.admin.policy(policyId)?.membershipTargetIds).toEqual([good.id]);
    wire.emulator.admin.removeOwner(good.id, spId);
    const retrieved = await graph('POST', `/beta/deviceManagement/configurationPolicies('${policyId}')/retrieveEnrollmentTimeDeviceMembershipTarget`);
    expect(retrieved.body.value.enrollmentTimeDeviceMembershipTargetValidationStatuses[0]).toMatchObject({
      targetId: good.id,
      validationSucceeded: false,
      targetValidationErrorCode: 'firstPartyAppNotAnOwner',
    });
  });
});

describe('Graph emulator: where the real Graph is stricter (issue 11)', () => {
  const setTarget = (policyId: string, targetId: string): Promise<Answer> =>
    graph('POST', `/beta/deviceManagement/configurationPolicies('${policyId}')/setEnrollmentTimeDeviceMembershipTarget`, {
      enrollmentTimeDeviceMembershipTargets: [{ targetType: 'staticSecurityGroup', targetId }],
    });
  const clearTarget = (policyId: string): Promise<Answer> =>
    graph('POST', `/beta/deviceManagement/configurationPolicies('${policyId}')/clearEnrollmentTimeDeviceMembershipTarget`);

  it('answers set and retrieve with the result wrapped in value', async () => {
    await start({}, DELEGATED_TOKEN);
    const policyId = wire.emulator.admin.policies()[0]?.id;
    const answer = await setTarget(policyId, 'missing');
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body).sort()).toEqual(['@odata.context', 'value']);
    expect(answer.body.value.validationSucceeded).toBe(false);
    const retrieved = await graph('POST', `/beta/deviceManagement/configurationPolicies('${policyId}')/retrieveEnrollmentTimeDeviceMembershipTarget`);
    expect(retrieved.body.value).toMatchObject({ validationSucceeded: true, enrollmentTimeDeviceMembershipTargetValidationStatuses: [] });
  });

  it('refuses app-only set and clear with 500 and serves delegated callers; the knob allows app-only', async () => {
    await start();
    const policy = wire.emulator.admin.policies()[0];
    const group = wire.emulator.admin.addGroup({ displayName: 'G', ownerIds: [wire.emulator.admin.ownerServicePrincipalId as string] });
    const refused = await setTarget(policy?.id, group.id);
    expect(refused.status).toBe(500);
    expect(refused.body.error.code).toBe('InternalServerError');
    expect((await clearTarget(policy?.id)).status).toBe(500);
    expect(policy?.membershipTargetIds).toEqual([]);
    // An unsigned JWT without `scp` (only `roles`) is still app-only.
    await wire.emulator.close();
    await start({}, unsignedJwt({ roles: ['DeviceManagementConfiguration.ReadWrite.All'] }));
    expect((await setTarget(wire.emulator.admin.policies()[0]?.id, 'x')).status).toBe(500);
    wire.emulator.setVariations({ appOnlyMembershipTarget: 'allow' });
    expect((await setTarget(wire.emulator.admin.policies()[0]?.id, 'x')).status).toBe(200);
  });

  it('lets a delegated caller (a JWT whose claims carry scp) set and clear', async () => {
    await start({}, DELEGATED_TOKEN);
    const policy = wire.emulator.admin.policies()[0];
    const group = wire.emulator.admin.addGroup({ displayName: 'G', ownerIds: [wire.emulator.admin.ownerServicePrincipalId as string] });
    expect((await setTarget(policy?.id, group.id)).body.value.validationSucceeded).toBe(true);
    expect(policy?.membershipTargetIds).toEqual([group.id]);
    const cleared = await clearTarget(policy?.id);
    expect(cleared.status).toBe(200);
    expect(cleared.body.value).toBe(true);
    expect(policy?.membershipTargetIds).toEqual([]);
  });
});

describe('Graph emulator: device-preparation policies (issue 14)', () => {
  it('sets, retrieves and clears a target for a delegated caller; app-only reads it unless told to refuse', async () => {
    await start({ seed: { policies: [] } }, DELEGATED_TOKEN);
    const group = wire.emulator.admin.addGroup({ displayName: 'Devices', ownerIds: [wire.emulator.admin.ownerServicePrincipalId as string] });
    const id = String((await graph('POST', POLICIES, createBody('P', SCENARIO_INFO.userDriven.templateId))).body?.['id']);
    const action = (name: string, body?: unknown) => graph('POST', `${POLICIES}('${id}')/${name}`, body);
    expect((await action('setEnrollmentTimeDeviceMembershipTarget', { enrollmentTimeDeviceMembershipTargets: [{ targetType: 'staticSecurityGroup', targetId: group.id }] })).status).toBe(200);
    expect((await action('retrieveEnrollmentTimeDeviceMembershipTarget')).body).toMatchObject({
      value: { validationSucceeded: true, enrollmentTimeDeviceMembershipTargetValidationStatuses: [{ targetId: group.id }] },
    });
    expect((await action('clearEnrollmentTimeDeviceMembershipTarget')).status).toBe(200);
    expect(wire.emulator.admin.policy(id)?.membershipTargetIds).toEqual([]);
    await wire.emulator.close();

    await start({ seed: { policies: [] } });
    const appOnly = wire.emulator.admin.addPolicy({ name: 'Q', templateId: SCENARIO_INFO.userDriven.templateId, membershipTargetIds: ['g'] });
    const retrieve = () => graph('POST', `${POLICIES}('${appOnly.id}')/retrieveEnrollmentTimeDeviceMembershipTarget`);
    expect((await retrieve()).status).toBe(200);
    wire.emulator.setVariations({ appOnlyMembershipTargetRead: 'refuse' });
    expect((await retrieve()).status).toBe(500);
    expect((await graph('POST', `${POLICIES}('${appOnly.id}')/clearEnrollmentTimeDeviceMembershipTarget`)).status).toBe(500);
  });
});
