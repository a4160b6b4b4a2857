/** Intune device-preparation policies through the real Graph adapter against the emulator over HTTP. */
import { inspect } from 'node:util';
import { DelegatedCredential } from '../../src/domain/delegation';
import { SCENARIO_INFO } from '../../src/domain/scenario';
import { SANDBOX_CONNECTION_NAME, sandboxTokenService } from '../../src/sandbox/main';
import { DELEGATED_TOKEN, type Sandbox } from '../provisioning/support/sandbox';
import { sandboxPerTest } from './support/graphAdapter';

let sandbox: Sandbox;
const { start } = sandboxPerTest();

describe('Intune device-preparation policies', () => {
  it('lists device-preparation policies and sets the membership target (delegated caller)', async () => {
    sandbox = await start({}, {}, DELEGATED_TOKEN);
    const policies = (await sandbox.directory.listPolicyEntries()).value.flatMap((entry) => (entry.kind === 'policy' ? [entry.policy] : []));
    const userDriven = policies.find((policy) => policy.templateId === SCENARIO_INFO.userDriven.templateId);
    expect(userDriven?.name).toBe('Contoso User-driven');
    const group = sandbox.emulator.admin.addGroup({ displayName: 'G', ownerIds: [sandbox.emulator.admin.ownerServicePrincipalId as string] });
    const result = await sandbox.directory.setEnrollmentTimeDeviceMembershipTarget(userDriven?.id as string, group.id);
    expect(result.value).toEqual({ validationSucceeded: true, statuses: [{ targetId: group.id, validationSucceeded: true }] });
  });
});

describe('Intune device-preparation policies as the approver (a delegated credential per call)', () => {
  const megan = { userId: '29:megan-bowen', objectId: '00000000-0000-4000-8000-0000000000a2', displayName: 'Megan Bowen', userPrincipalName: 'meganb@contoso.example' };

  async function startWithTokenService(): Promise<{ credential: DelegatedCredential; policyId: string; groupId: string }> {
    const tokenService = sandboxTokenService({ SANDBOX_PEOPLE: JSON.stringify([{ id: megan.userId, name: megan.displayName, userPrincipleName: megan.userPrincipalName, aadObjectId: megan.objectId }]) });
    sandbox = await start({ tokenService, requiredToken: undefined });
    const answer = tokenService.getToken({ userId: megan.userId, connectionName: SANDBOX_CONNECTION_NAME, channelId: 'msteams' });
    if (answer.kind !== 'token') throw new Error('the sandbox person is not signed in');
    const policyId = sandbox.emulator.admin.policies()[0].id;
    const groupId = sandbox.emulator.admin.addGroup({ displayName: 'G', ownerIds: [sandbox.emulator.admin.ownerServicePrincipalId as string] }).id;
    return { credential: new DelegatedCredential(answer.response.token), policyId, groupId };
  }

  it("sets and retrieves the target with the person's token for that call only; the app's own calls stay app-only", async () => {
    const { credential, policyId, groupId } = await startWithTokenService();
    const set = await sandbox.directory.setEnrollmentTimeDeviceMembershipTarget(policyId, groupId, { as: credential });
    expect(set.value.validationSucceeded).toBe(true);
    expect((await sandbox.directory.retrieveEnrollmentTimeDeviceMembershipTarget(policyId, { as: credential })).value.statuses).toEqual([{ targetId: groupId, validationSucceeded: true }]);
    await sandbox.directory.getGroup(groupId);
    expect(sandbox.emulator.requestLog.map((entry) => entry.caller)).toEqual([
      { kind: 'delegated', objectId: megan.objectId },
      { kind: 'delegated', objectId: megan.objectId },
      { kind: 'appOnly' },
    ]);
  });

  it('is refused by Intune as an app-only call without the credential', async () => {
    const { policyId, groupId } = await startWithTokenService();
    await expect(sandbox.directory.setEnrollmentTimeDeviceMembershipTarget(policyId, groupId)).rejects.toMatchObject({ status: 500 });
  });

  it('never shows the token when the credential is logged or serialised', () => {
    const credential = new DelegatedCredential('secret.jwt.value');
    expect(JSON.stringify({ credential })).not.toContain('secret');
    expect(String(credential)).not.toContain('secret');
    expect(inspect(credential)).not.toContain('secret');
  });
});

describe('retrieving the membership target where Intune routes it by GET only', () => {
  it('reads with GET after Intune answers the documented POST with 400 "No OData route … POST"', async () => {
    sandbox = await start({ variations: { retrieveMembershipTargetMethod: 'get' } }, {}, DELEGATED_TOKEN);
    const policyId = sandbox.emulator.admin.policies()[0].id;
    const group = sandbox.emulator.admin.addGroup({ displayName: 'G', ownerIds: [sandbox.emulator.admin.ownerServicePrincipalId as string] });
    await sandbox.directory.setEnrollmentTimeDeviceMembershipTarget(policyId, group.id);
    const read = await sandbox.directory.retrieveEnrollmentTimeDeviceMembershipTarget(policyId);
    expect(read.value.statuses).toEqual([{ targetId: group.id, validationSucceeded: true }]);
    expect(sandbox.emulator.requestLog.slice(-2).map((entry) => [entry.method, entry.status])).toEqual([['POST', 400], ['GET', 200]]);
    expect(read.requestIds).toEqual(sandbox.emulator.requestLog.slice(-2).map((entry) => entry.requestId));
  });

  it('reads with the documented POST alone where Intune routes it so', async () => {
    sandbox = await start({}, {}, DELEGATED_TOKEN);
    const policyId = sandbox.emulator.admin.policies()[0].id;
    await sandbox.directory.retrieveEnrollmentTimeDeviceMembershipTarget(policyId);
    expect(sandbox.emulator.requestLog.map((entry) => entry.method)).toEqual(['POST']);
  });
});
