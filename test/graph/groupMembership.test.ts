/** Transitive group membership through the real Graph adapter against the emulator over HTTP. */
import type { Sandbox } from '../provisioning/support/sandbox';
import { sandboxPerTest } from './support/graphAdapter';

let sandbox: Sandbox;
const { start } = sandboxPerTest();

describe('membership', () => {
  it('checks transitive membership with checkMemberGroups', async () => {
    sandbox = await start();
    const admin = sandbox.emulator.admin;
    const user = admin.addUser({ displayName: 'Ada' });
    const approvers = admin.addGroup({ displayName: 'Approvers' });
    const team = admin.addGroup({ displayName: 'Team', memberIds: [user.id] });
    admin.addMember(approvers.id, team.id);
    expect(await sandbox.directory.isTransitiveMember(user.id, approvers.id)).toBe(true);
    expect(await sandbox.directory.isTransitiveMember(user.id, admin.addGroup({ displayName: 'Other' }).id)).toBe(false);
    expect(await sandbox.directory.isTransitiveMember('unknown-user', approvers.id)).toBe(false);
    const request = sandbox.emulator.requestLog[0];
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(`/v1.0/users/${user.id}/checkMemberGroups`);
  });
});
