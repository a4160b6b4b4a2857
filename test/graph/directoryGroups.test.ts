/** Directory groups and owners through the real Graph adapter against the emulator over HTTP. */
import type { Sandbox } from '../provisioning/support/sandbox';
import { caught, deviceGroup, sandboxPerTest } from './support/graphAdapter';

let sandbox: Sandbox;
const { start } = sandboxPerTest();

describe('groups', () => {
  it('upserts on uniqueName (201 then 204) with the owner bound, and reads it back with owners', async () => {
    sandbox = await start();
    const first = await sandbox.directory.upsertGroup(deviceGroup(sandbox, 'apdp-a'));
    expect(first.value.created).toBe(true);
    if (first.value.created) {
      expect(first.value.group).toMatchObject({ uniqueName: 'apdp-a', securityEnabled: true, mailEnabled: false, groupTypes: [] });
    }
    expect((await sandbox.directory.upsertGroup(deviceGroup(sandbox, 'apdp-a'))).value).toEqual({ created: false });
    const read = await sandbox.directory.getGroupByUniqueName('apdp-a');
    expect(read.value?.owners).toEqual([{ id: sandbox.emulator.admin.ownerServicePrincipalId, type: 'servicePrincipal' }]);
    expect(sandbox.emulator.admin.groups()).toHaveLength(1);
  });

  it.each([
    ["O'Brien"],
    ["' or 1 eq 1"],
    ["''"],
    ['a & b #c %20 +d ?e=f'],
    ['東京 · Ünïcødé 🚀'],
    ['x'.repeat(256)],
  ])('finds exactly the group displayed as %s (OData literal escaped)', async (displayName) => {
    sandbox = await start();
    const target = sandbox.emulator.admin.addGroup({ displayName });
    sandbox.emulator.admin.addGroup({ displayName: 'bystander' });
    const found = await sandbox.directory.findGroupsByDisplayName(displayName);
    expect(found.value.map((group) => group.id)).toEqual([target.id]);
  });

  it('follows @odata.nextLink across pages', async () => {
    sandbox = await start({ pageSize: 2 });
    for (let i = 0; i < 5; i++) sandbox.emulator.admin.addGroup({ displayName: 'Same' });
    const found = await sandbox.directory.findGroupsByDisplayName('Same');
    expect(found.value).toHaveLength(5);
    expect(found.requestIds).toHaveLength(3);
  });

  it('adds a service-principal owner, treating "already an owner" as success', async () => {
    sandbox = await start();
    const spId = sandbox.emulator.admin.ownerServicePrincipalId as string;
    const group = sandbox.emulator.admin.addGroup({ displayName: 'G' });
    await sandbox.directory.addServicePrincipalOwner(group.id, spId);
    await sandbox.directory.addServicePrincipalOwner(group.id, spId);
    expect(sandbox.emulator.admin.group(group.id)?.ownerIds).toEqual([spId]);
    expect(await caught(sandbox.directory.addServicePrincipalOwner('missing', spId))).toMatchObject({ status: 404 });
  });

  it('lists members with their types', async () => {
    sandbox = await start();
    const user = sandbox.emulator.admin.addUser({ displayName: 'Ada' });
    const device = sandbox.emulator.admin.addDevice({ displayName: 'PC-1' });
    const group = sandbox.emulator.admin.addGroup({ displayName: 'G', memberIds: [user.id, device.id] });
    expect((await sandbox.directory.listMembers(group.id)).value).toEqual([
      { id: user.id, type: 'user' },
      { id: device.id, type: 'device' },
    ]);
  });

  it('maps a missing group to undefined', async () => {
    sandbox = await start();
    expect((await sandbox.directory.getGroup('nope')).value).toBeUndefined();
    expect((await sandbox.directory.findServicePrincipalByAppId('00000000-0000-0000-0000-000000000000')).value).toBeUndefined();
  });
});
