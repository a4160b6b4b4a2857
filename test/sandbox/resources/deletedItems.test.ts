/** The recycle bin: soft delete, restore, purge and the 30-day retention, over plain fetch. */
import { emulatorWire } from '../support/wire';

const wire = emulatorWire();
const { start, graph, groupBody, upsert } = wire;
let clockMs = 0;

describe('Graph emulator: where the real Graph is stricter (issue 11)', () => {
  it('soft-deletes groups: the recycle bin keeps the uniqueName until a restore or a permanent delete', async () => {
    clockMs = Date.parse('2026-12-01T00:00:00Z');
    await start({ clock: { now: () => new Date(clockMs) } });
    const created = await upsert('apdp-del', 'Devices');
    const id = created.body.id as string;
    expect((await graph('DELETE', `/v1.0/groups/${id}`)).status).toBe(204);
    expect((await graph('GET', `/v1.0/groups/${id}`)).status).toBe(404);
    const deleted = await graph('GET', `/v1.0/directory/deletedItems/${id}`);
    expect(deleted.body).toMatchObject({ id, uniqueName: 'apdp-del', deletedDateTime: '2026-12-01T00:00:00.000Z' });
    const listed = await graph('GET', '/v1.0/directory/deletedItems/microsoft.graph.group');
    expect(listed.body.value.map((each: { id: string }) => each.id)).toEqual([id]);
    const taken = await upsert('apdp-del', 'Devices');
    expect(taken.status).toBe(400);
    expect(taken.body.error.message).toBe('Another object with the same value for property uniqueName already exists.');
    expect((await graph('POST', '/v1.0/groups', { ...groupBody('x'), uniqueName: 'apdp-del' })).status).toBe(400);

    const restored = await graph('POST', `/v1.0/directory/deletedItems/${id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ id, uniqueName: 'apdp-del' });
    expect((await graph('GET', `/v1.0/groups/${id}?$expand=owners`)).body.owners.map((owner: { id: string }) => owner.id)).toEqual([wire.emulator.admin.ownerServicePrincipalId]);
    expect((await graph('GET', `/v1.0/directory/deletedItems/${id}`)).status).toBe(404);

    expect((await graph('DELETE', `/v1.0/groups/${id}`)).status).toBe(204);
    expect((await graph('DELETE', `/v1.0/directory/deletedItems/${id}`)).status).toBe(204);
    expect((await upsert('apdp-del', 'Devices')).status).toBe(201);
  });

  it('purges deleted groups 30 days after deletion', async () => {
    clockMs = 0;
    await start({ clock: { now: () => new Date(clockMs) } });
    const id = (await upsert('apdp-old', 'Old')).body.id as string;
    await graph('DELETE', `/v1.0/groups/${id}`);
    clockMs += 30 * 24 * 3600 * 1000 - 1;
    expect((await graph('GET', `/v1.0/directory/deletedItems/${id}`)).status).toBe(200);
    clockMs += 1;
    expect((await graph('GET', `/v1.0/directory/deletedItems/${id}`)).status).toBe(404);
    expect((await graph('POST', `/v1.0/directory/deletedItems/${id}/restore`)).status).toBe(404);
    expect((await upsert('apdp-old', 'Old')).status).toBe(201);
  });
});
