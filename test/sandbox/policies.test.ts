/** The emulator's device-preparation policies over Graph's wire format (issue 14), spoken to with plain fetch. */
import { SCENARIO_INFO } from '../../src/domain/scenario';
import { startGraphEmulator, type GraphEmulator, type GraphEmulatorOptions } from '../../src/sandbox/graphEmulator';
import { DELEGATED_TOKEN } from '../provisioning/support/sandbox';

const APP_TOKEN = 'wire-token';
const POLICIES = '/beta/deviceManagement/configurationPolicies';

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown> | undefined;
}

let emulator: GraphEmulator;
let bearer = APP_TOKEN;

async function start(options: GraphEmulatorOptions = {}, token: string = APP_TOKEN): Promise<void> {
  bearer = token;
  emulator = await startGraphEmulator({ requiredToken: token, seed: { policies: [] }, ...options });
}

afterEach(async () => {
  await emulator.close();
});

async function graph(method: string, path: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

const createBody = (name: string, templateId: string): Record<string, unknown> => ({
  name,
  description: '',
  platforms: 'windows10',
  technologies: 'enrollment',
  roleScopeTagIds: ['0'],
  templateReference: { templateId },
  settings: [],
});

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

  it('renames a policy in place (200, same id) and refuses bodies and templates it does not model', async () => {
    await start();
    const created = await graph('POST', POLICIES, createBody('Old name', SCENARIO_INFO.userDriven.templateId));
    const id = String(created.body?.['id']);
    const renamed = await graph('PATCH', `${POLICIES}/${id}`, { name: 'New name' });
    expect(renamed).toMatchObject({ status: 200, body: { id, name: 'New name' } });
    expect(emulator.admin.policies().map((policy) => policy.name)).toEqual(['New name']);

    expect((await graph('PATCH', `${POLICIES}/${id}`, { name: '' })).status).toBe(400);
    expect((await graph('PATCH', `${POLICIES}/missing`, { name: 'x' })).status).toBe(404);
    expect((await graph('GET', `${POLICIES}/missing`)).status).toBe(404);
    expect((await graph('POST', POLICIES, { ...createBody('x', SCENARIO_INFO.userDriven.templateId), platforms: 'macOS' })).status).toBe(400);
    expect((await graph('POST', POLICIES, createBody('ESP', 'some-other-template_1'))).status).toBe(400);
    expect((await graph('POST', '/v1.0/deviceManagement/configurationPolicies', createBody('v1', SCENARIO_INFO.userDriven.templateId))).status).toBe(400);
    expect(emulator.admin.policies()).toHaveLength(1);
  });

  it('sets, retrieves and clears a target for a delegated caller; app-only reads it unless told to refuse', async () => {
    await start({}, DELEGATED_TOKEN);
    const group = emulator.admin.addGroup({ displayName: 'Devices', ownerIds: [emulator.admin.ownerServicePrincipalId as string] });
    const id = String((await graph('POST', POLICIES, createBody('P', SCENARIO_INFO.userDriven.templateId))).body?.['id']);
    const action = (name: string, body?: unknown) => graph('POST', `${POLICIES}('${id}')/${name}`, body);
    expect((await action('setEnrollmentTimeDeviceMembershipTarget', { enrollmentTimeDeviceMembershipTargets: [{ targetType: 'staticSecurityGroup', targetId: group.id }] })).status).toBe(200);
    expect((await action('retrieveEnrollmentTimeDeviceMembershipTarget')).body).toMatchObject({
      value: { validationSucceeded: true, enrollmentTimeDeviceMembershipTargetValidationStatuses: [{ targetId: group.id }] },
    });
    expect((await action('clearEnrollmentTimeDeviceMembershipTarget')).status).toBe(200);
    expect(emulator.admin.policy(id)?.membershipTargetIds).toEqual([]);
    await emulator.close();

    await start({}, APP_TOKEN);
    const appOnly = emulator.admin.addPolicy({ name: 'Q', templateId: SCENARIO_INFO.userDriven.templateId, membershipTargetIds: ['g'] });
    const retrieve = () => graph('POST', `${POLICIES}('${appOnly.id}')/retrieveEnrollmentTimeDeviceMembershipTarget`);
    expect((await retrieve()).status).toBe(200);
    emulator.setVariations({ appOnlyMembershipTargetRead: 'refuse' });
    expect((await retrieve()).status).toBe(500);
    expect((await graph('POST', `${POLICIES}('${appOnly.id}')/clearEnrollmentTimeDeviceMembershipTarget`)).status).toBe(500);
  });
});
