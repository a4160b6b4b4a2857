/** Groups over Graph's wire format: upsert, create, read, update, delete and filter, with plain fetch. */
import { AUTH, emulatorWire, filterPath } from '../support/wire';

const wire = emulatorWire();
const { start, graph, spUrl, groupBody, upsert } = wire;
let clockMs = 0;

describe('Graph emulator wire format', () => {
  it('upserts on uniqueName: 201 with the group, then 204; without Prefer a missing group is 404', async () => {
    await start({ variations: { ownerRebindOnUpsert: 'accept' } });
    const spId = wire.emulator.admin.ownerServicePrincipalId as string;
    const path = "/v1.0/groups(uniqueName='apdp-1')";
    expect((await graph('PATCH', path, groupBody('Devices', spId))).status).toBe(404);
    const created = await graph('PATCH', path, groupBody('Devices', spId), { Prefer: 'create-if-missing' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ displayName: 'Devices', uniqueName: 'apdp-1', securityEnabled: true, mailEnabled: false, groupTypes: [] });
    const again = await graph('PATCH', path, groupBody('Devices renamed', spId), { Prefer: 'create-if-missing' });
    expect(again.status).toBe(204);
    expect(again.body).toBeUndefined();
    expect(wire.emulator.admin.groups()).toHaveLength(1);
    expect(wire.emulator.admin.groups()[0]).toMatchObject({ displayName: 'Devices renamed', ownerIds: [spId] });
    const read = await graph('GET', `${path}?$expand=owners`);
    expect(read.body.owners).toEqual([expect.objectContaining({ '@odata.type': '#microsoft.graph.servicePrincipal', id: spId })]);
  });

  it('validates group bodies like Graph', async () => {
    await start();
    const bad = await graph('POST', '/v1.0/groups', { ...groupBody('x'), mailNickname: 'has space' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('mailNickname');
    expect((await graph('POST', '/v1.0/groups', { ...groupBody('x'), mailEnabled: true })).status).toBe(400);
    expect((await graph('POST', '/v1.0/groups', { ...groupBody('x'), 'owners@odata.bind': [spUrl('nobody')] })).status).toBe(404);
    expect((await graph('POST', '/v1.0/groups', groupBody('x'))).status).toBe(201);
    const invalidJson = await fetch(`${wire.emulator.url}/v1.0/groups`, { method: 'POST', headers: { ...AUTH, 'Content-Type': 'application/json' }, body: '{' });
    expect(invalidJson.status).toBe(400);
  });

  it('gets, patches and deletes groups by id', async () => {
    await start();
    const group = wire.emulator.admin.addGroup({ displayName: 'G' });
    expect((await graph('GET', `/v1.0/groups/${group.id}`)).body.displayName).toBe('G');
    expect((await graph('PATCH', `/v1.0/groups/${group.id}`, { displayName: 'H' })).status).toBe(204);
    expect(wire.emulator.admin.group(group.id)?.displayName).toBe('H');
    expect((await graph('DELETE', `/v1.0/groups/${group.id}`)).status).toBe(204);
    expect((await graph('GET', `/v1.0/groups/${group.id}`)).status).toBe(404);
  });

  it('filters by displayName with escaped quotes, case-insensitively, and rejects malformed literals', async () => {
    await start();
    const obrien = wire.emulator.admin.addGroup({ displayName: "O'Brien devices" });
    wire.emulator.admin.addGroup({ displayName: 'Other' });
    const hit = await graph('GET', filterPath("displayName eq 'o''brien DEVICES'"));
    expect(hit.body.value.map((group: { id: string }) => group.id)).toEqual([obrien.id]);
    const injection = await graph('GET', filterPath("displayName eq '' or 1 eq 1'"));
    expect(injection.status).toBe(400);
    expect(injection.body.error.code).toBe('Request_UnsupportedQuery');
    const literal = await graph('GET', filterPath("displayName eq ''' or 1 eq 1'"));
    expect(literal.body.value).toEqual([]);
  });
});

describe('Graph emulator: where the real Graph is stricter (issue 11)', () => {
  it('refuses $filter=displayName eq with a value over 120 characters, and serves startsWith', async () => {
    await start();
    const long = `${'L'.repeat(120)}-tail`;
    const group = wire.emulator.admin.addGroup({ displayName: long });
    wire.emulator.admin.addGroup({ displayName: 'other' });
    const refused = await graph('GET', filterPath(`displayName eq '${long}'`));
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'Request_UnsupportedQuery', message: expect.stringContaining("property 'displayName'") });
    expect((await graph('GET', filterPath(`displayName eq '${long.slice(0, 120)}'`))).status).toBe(200);
    const prefixed = await graph('GET', filterPath(`startsWith(displayName,'${long.slice(0, 120).toLowerCase()}')`));
    expect(prefixed.body.value.map((each: { id: string }) => each.id)).toEqual([group.id]);
    expect((await graph('GET', filterPath(`startsWith(displayName,'${long}')`))).status).toBe(400);
  });

  it('refuses an upsert that re-binds an owner the group has (400), or accepts it with the knob', async () => {
    await start();
    expect((await upsert('apdp-own', 'Devices')).status).toBe(201);
    const again = await upsert('apdp-own', 'Devices renamed');
    expect(again.status).toBe(400);
    expect(again.body.error.message).toMatch(/One or more added object references already exist/);
    expect(wire.emulator.admin.groups()[0]?.displayName).toBe('Devices');
    wire.emulator.setVariations({ ownerRebindOnUpsert: 'accept' });
    expect((await upsert('apdp-own', 'Devices renamed')).status).toBe(204);
    expect(wire.emulator.admin.groups()[0]?.displayName).toBe('Devices renamed');
  });

  it('answers the loser of concurrent upserts with a uniqueName conflict, or 204 with the knob', async () => {
    clockMs = 1_000;
    await start({ clock: { now: () => new Date(clockMs) }, faults: { replicationLagMs: 500 }, variations: { ownerRebindOnUpsert: 'accept' } });
    expect((await upsert('apdp-race', 'R')).status).toBe(201);
    const loser = await upsert('apdp-race', 'R');
    expect(loser.status).toBe(400);
    expect(loser.body.error.message).toMatch(/same value for property uniqueName/);
    wire.emulator.setVariations({ ownerRebindOnUpsert: 'accept', concurrentUpsert: 'accept' });
    expect((await upsert('apdp-race', 'R')).status).toBe(204);
    expect(wire.emulator.admin.groups()).toHaveLength(1);
  });

  it('resolves @odata.bind references only on its own host, as a national cloud does', async () => {
    await start();
    const spId = wire.emulator.admin.ownerServicePrincipalId as string;
    const elsewhere = await graph('POST', '/v1.0/groups', { ...groupBody('x'), 'owners@odata.bind': [`https://graph.microsoft.com/v1.0/servicePrincipals/${spId}`] });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.error.message).toBe('Invalid URL format specified in @odata.bind for owners.');
    expect((await graph('POST', '/v1.0/groups', groupBody('x', spId))).status).toBe(201);
  });
});
