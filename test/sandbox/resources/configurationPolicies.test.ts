/** The emulator's device-preparation policies over Graph's wire format (issue 14), spoken to with plain fetch. */
import { SCENARIO_INFO } from '../../../src/domain/scenario';
import { createBody, POLICIES } from '../support/policies';
import { emulatorWire } from '../support/wire';

const wire = emulatorWire({ seed: { policies: [] } });
const { start, graph } = wire;

describe('Graph emulator: device-preparation policies (issue 14)', () => {
  it('creates policies of both templates (201), reads one by id and lists them across pages', async () => {
    await start({ pageSize: 1 });
    const userDriven = await graph('POST', POLICIES, createBody('Contoso User-driven', SCENARIO_INFO.userDriven.templateId));
    const automatic = await graph('POST', POLICIES, createBody('Contoso Cloud PCs', SCENARIO_INFO.automatic.templateId));
    expect(userDriven.status).toBe(201);
    expect(userDriven.body).toMatchObject({ name: 'Contoso User-driven', technologies: 'enrollment', templateReference: { templateId: SCENARIO_INFO.userDriven.templateId } });
    expect(automatic.status).toBe(201);

    const read = await graph('GET', `${POLICIES}/${String(userDriven.body?.['id'])}`);
    expect(read).toMatchObject({ status: 200, body: { id: userDriven.body?.['id'], name: 'Contoso User-driven' } });

    const first = await graph('GET', `${POLICIES}?$filter=${encodeURIComponent("technologies has 'enrollment'")}`);
    const next = new URL(String(first.body?.['@odata.nextLink']));
    const second = await graph('GET', `${next.pathname}${next.search}`);
    const names = [first, second].flatMap((page) => (page.body?.['value'] as { name: string }[]).map((policy) => policy.name));
    expect(names).toEqual(['Contoso User-driven', 'Contoso Cloud PCs']);
    expect(second.body?.['@odata.nextLink']).toBeUndefined();
  });

  it('deletes a policy (204): it is no longer listed or read, and a second delete is 404', async () => {
    await start();
    const created = await graph('POST', POLICIES, createBody('Short-lived', SCENARIO_INFO.userDriven.templateId));
    const id = String(created.body?.['id']);
    expect((await graph('DELETE', `${POLICIES}/${id}`)).status).toBe(204);
    expect(wire.emulator.admin.policies().map((policy) => policy.name)).not.toContain('Short-lived');
    expect((await graph('GET', `${POLICIES}/${id}`)).status).toBe(404);
    expect((await graph('DELETE', `${POLICIES}/${id}`)).status).toBe(404);
    expect(() => wire.emulator.admin.deletePolicy(id)).toThrow(/No sandbox policy/);
  });

  it('renames a policy in place (200, same id) and refuses bodies and templates it does not model', async () => {
    await start();
    const created = await graph('POST', POLICIES, createBody('Old name', SCENARIO_INFO.userDriven.templateId));
    const id = String(created.body?.['id']);
    const renamed = await graph('PATCH', `${POLICIES}/${id}`, { name: 'New name' });
    expect(renamed).toMatchObject({ status: 200, body: { id, name: 'New name' } });
    expect(wire.emulator.admin.policies().map((policy) => policy.name)).toEqual(['New name']);

    expect((await graph('PATCH', `${POLICIES}/${id}`, { name: '' })).status).toBe(400);
    expect((await graph('PATCH', `${POLICIES}/missing`, { name: 'x' })).status).toBe(404);
    expect((await graph('GET', `${POLICIES}/missing`)).status).toBe(404);
    expect((await graph('POST', POLICIES, { ...createBody('x', SCENARIO_INFO.userDriven.templateId), platforms: 'macOS' })).status).toBe(400);
    expect((await graph('POST', POLICIES, createBody('ESP', 'some-other-template_1'))).status).toBe(400);
    expect((await graph('POST', '/v1.0/deviceManagement/configurationPolicies', createBody('v1', SCENARIO_INFO.userDriven.templateId))).status).toBe(400);
    expect(wire.emulator.admin.policies()).toHaveLength(1);
  });
});
