/** Membership: checkMemberGroups and a group's users through nested groups, over plain fetch. */
import { emulatorWire } from '../support/wire';

const wire = emulatorWire();
const { start, graph } = wire;

describe('Graph emulator wire format', () => {
  it('answers checkMemberGroups transitively', async () => {
    await start();
    const user = wire.emulator.admin.addUser({ displayName: 'Ada' });
    const inner = wire.emulator.admin.addGroup({ displayName: 'inner' });
    const outer = wire.emulator.admin.addGroup({ displayName: 'outer' });
    const unrelated = wire.emulator.admin.addGroup({ displayName: 'unrelated' });
    wire.emulator.admin.addMember(inner.id, user.id);
    wire.emulator.admin.addMember(outer.id, inner.id);
    const answer = await graph('POST', `/v1.0/users/${user.id}/checkMemberGroups`, { groupIds: [outer.id, unrelated.id] });
    expect(answer.body).toEqual({ value: [outer.id] });
    expect((await graph('POST', '/v1.0/users/nobody/checkMemberGroups', { groupIds: [outer.id] })).status).toBe(404);
  });
});

describe('Graph emulator: where the real Graph is stricter (issue 11)', () => {
  it('counts every group type in checkMemberGroups, transitively', async () => {
    await start();
    const user = wire.emulator.admin.addUser({ displayName: 'Ada' });
    const unified = wire.emulator.admin.addGroup({ displayName: 'M365', securityEnabled: false, mailEnabled: true, groupTypes: ['Unified'], memberIds: [user.id] });
    const outer = wire.emulator.admin.addGroup({ displayName: 'outer security', memberIds: [unified.id] });
    const answer = await graph('POST', `/v1.0/users/${user.id}/checkMemberGroups`, { groupIds: [unified.id, outer.id] });
    expect(answer.body.value.sort()).toEqual([unified.id, outer.id].sort());
  });
});

describe('Teams apps installed for users (proactive installation), and the users of a group', () => {
  it('lists the users of a group through nested groups, and nothing else', async () => {
    await start();
    const ada = wire.emulator.admin.addUser({ displayName: 'Ada' });
    const bo = wire.emulator.admin.addUser({ displayName: 'Bo' });
    const device = wire.emulator.admin.addDevice({ displayName: 'PC-1' });
    const inner = wire.emulator.admin.addGroup({ displayName: 'Inner', memberIds: [bo.id, device.id] });
    const outer = wire.emulator.admin.addGroup({ displayName: 'Outer', memberIds: [ada.id, inner.id] });
    const users = await graph('GET', `/v1.0/groups/${outer.id}/transitiveMembers/microsoft.graph.user?$select=id`);
    expect(users.body.value.map((user: { id: string }) => user.id).sort()).toEqual([ada.id, bo.id].sort());
  });
});
