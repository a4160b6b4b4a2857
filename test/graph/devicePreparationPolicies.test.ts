/** Intune device-preparation policies through the real Graph adapter against the emulator over HTTP. */
import { SCENARIO_INFO } from '../../src/domain/scenario';
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
