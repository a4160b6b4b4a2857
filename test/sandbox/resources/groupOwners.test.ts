/** A group's owners by `$ref` and `$expand`, over plain fetch. */
import { type Answer, emulatorWire } from '../support/wire';

const wire = emulatorWire();
const { start, graph, spUrl } = wire;

describe('Graph emulator wire format', () => {
  it('adds and removes owners by $ref; plain v1.0 /owners hides service principals', async () => {
    await start();
    const spId = wire.emulator.admin.ownerServicePrincipalId as string;
    const user = wire.emulator.admin.addUser({ displayName: 'Ada' });
    const group = wire.emulator.admin.addGroup({ displayName: 'G', ownerIds: [user.id] });
    const ref = `/v1.0/groups/${group.id}/owners/$ref`;
    expect((await graph('POST', ref, { '@odata.id': spUrl(spId) })).status).toBe(204);
    const duplicate = await graph('POST', ref, { '@odata.id': spUrl(spId) });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.error.message).toMatch(/already exist/);
    expect((await graph('GET', `/v1.0/groups/${group.id}/owners`)).body.value.map((o: { id: string }) => o.id)).toEqual([user.id]);
    expect((await graph('DELETE', `/v1.0/groups/${group.id}/owners/${spId}/$ref`)).status).toBe(204);
    expect(wire.emulator.admin.group(group.id)?.ownerIds).toEqual([user.id]);
  });
});

describe('Graph emulator: where the real Graph is stricter (issue 11)', () => {
  it('expands at most 20 owners, with no next link; beta /owners pages through all of them', async () => {
    await start({ pageSize: 10 });
    const users = Array.from({ length: 24 }, (_, i) => wire.emulator.admin.addUser({ displayName: `Owner ${i}` }).id);
    const spId = wire.emulator.admin.ownerServicePrincipalId as string;
    const group = wire.emulator.admin.addGroup({ displayName: 'Crowded', ownerIds: [...users, spId] });
    const expanded = await graph('GET', `/v1.0/groups/${group.id}?$expand=owners`);
    expect(expanded.body.owners).toHaveLength(20);
    expect(expanded.body.owners.map((owner: { id: string }) => owner.id)).not.toContain(spId);
    expect(JSON.stringify(expanded.body)).not.toContain('nextLink');
    const ids: string[] = [];
    for (let next: string | undefined = `/beta/groups/${group.id}/owners`; next; ) {
      const page: Answer = await graph('GET', next);
      ids.push(...page.body.value.map((owner: { id: string }) => owner.id));
      const link = page.body['@odata.nextLink'] as string | undefined;
      next = link?.slice(wire.emulator.url.length);
    }
    expect(ids).toHaveLength(25);
    expect(ids).toContain(spId);
  });
});
