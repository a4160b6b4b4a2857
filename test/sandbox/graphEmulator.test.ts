/** The emulator's wire format, spoken to with plain fetch (the adapter has its own suite). */
import { OWNER_APP_ID } from '../../src/provisioning/directory';
import { SCENARIO_INFO } from '../../src/domain/scenario';
import { startGraphEmulator, type GraphEmulator, type GraphEmulatorOptions } from '../../src/sandbox/graphEmulator';
import { DELEGATED_TOKEN, unsignedJwt } from '../provisioning/support/sandbox';

const TOKEN = 'wire-token';
const AUTH = { Authorization: `Bearer ${TOKEN}` };
/** References name objects on the emulator's own host, as they must on any Graph cloud. */
const SP_URL = (id: string): string => `${emulator.url}/v1.0/servicePrincipals/${id}`;

interface Answer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a probe of arbitrary Graph JSON: the assertions are the schema
  body: any;
}

let emulator: GraphEmulator;
let clockMs = 0;
let bearer = TOKEN;

/** `token`: the bearer the emulator requires and `graph()` sends (app-only unless it is a JWT with `scp`). */
async function start(options: GraphEmulatorOptions = {}, token: string = TOKEN): Promise<void> {
  bearer = token;
  emulator = await startGraphEmulator({ requiredToken: token, ...options });
}

afterEach(async () => {
  await emulator.close();
});

async function graph(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

function groupBody(displayName: string, ownerSpId?: string): Record<string, unknown> {
  return {
    displayName,
    mailNickname: 'nick',
    securityEnabled: true,
    mailEnabled: false,
    groupTypes: [],
    ...(ownerSpId ? { 'owners@odata.bind': [SP_URL(ownerSpId)] } : {}),
  };
}

const filterPath = (expression: string): string => `/v1.0/groups?$filter=${encodeURIComponent(expression)}`;

describe('Graph emulator wire format', () => {
  it('requires the configured bearer token and answers Graph-shaped errors with request ids', async () => {
    await start();
    const anonymous = await fetch(`${emulator.url}/v1.0/groups`, { headers: { 'client-request-id': 'abc' } });
    const body = (await anonymous.json()) as { error: { code: string; innerError: Record<string, string> } };
    expect(anonymous.status).toBe(401);
    expect(body.error.code).toBe('InvalidAuthenticationToken');
    expect(body.error.innerError['request-id']).toBe(anonymous.headers.get('request-id'));
    expect(body.error.innerError['client-request-id']).toBe('abc');
    expect(anonymous.headers.get('client-request-id')).toBe('abc');
    expect((await graph('GET', '/v1.0/groups', undefined, { Authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await graph('GET', '/v1.0/groups')).status).toBe(200);
    expect(emulator.requestLog.map((entry) => [entry.status, entry.hadBearerToken])).toEqual([
      [401, false],
      [401, true],
      [200, true],
    ]);
  });

  it('is seeded with the owner service principal, found by appId only', async () => {
    await start();
    const sp = await graph('GET', `/v1.0/servicePrincipals(appId='${OWNER_APP_ID}')`);
    expect(sp.status).toBe(200);
    expect(sp.body).toMatchObject({ appId: OWNER_APP_ID, displayName: 'Intune Provisioning Client', id: emulator.admin.ownerServicePrincipalId });
    emulator.admin.removeServicePrincipal(OWNER_APP_ID);
    const missing = await graph('GET', `/v1.0/servicePrincipals(appId='${OWNER_APP_ID}')`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('Request_ResourceNotFound');
  });

  it('upserts on uniqueName: 201 with the group, then 204; without Prefer a missing group is 404', async () => {
    await start({ variations: { ownerRebindOnUpsert: 'accept' } });
    const spId = emulator.admin.ownerServicePrincipalId as string;
    const path = "/v1.0/groups(uniqueName='apdp-1')";
    expect((await graph('PATCH', path, groupBody('Devices', spId))).status).toBe(404);
    const created = await graph('PATCH', path, groupBody('Devices', spId), { Prefer: 'create-if-missing' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ displayName: 'Devices', uniqueName: 'apdp-1', securityEnabled: true, mailEnabled: false, groupTypes: [] });
    const again = await graph('PATCH', path, groupBody('Devices renamed', spId), { Prefer: 'create-if-missing' });
    expect(again.status).toBe(204);
    expect(again.body).toBeUndefined();
    expect(emulator.admin.groups()).toHaveLength(1);
    expect(emulator.admin.groups()[0]).toMatchObject({ displayName: 'Devices renamed', ownerIds: [spId] });
    const read = await graph('GET', `${path}?$expand=owners`);
    expect(read.body.owners).toEqual([expect.objectContaining({ '@odata.type': '#microsoft.graph.servicePrincipal', id: spId })]);
  });

  it('validates group bodies like Graph', async () => {
    await start();
    const bad = await graph('POST', '/v1.0/groups', { ...groupBody('x'), mailNickname: 'has space' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('mailNickname');
    expect((await graph('POST', '/v1.0/groups', { ...groupBody('x'), mailEnabled: true })).status).toBe(400);
    expect((await graph('POST', '/v1.0/groups', { ...groupBody('x'), 'owners@odata.bind': [SP_URL('nobody')] })).status).toBe(404);
    expect((await graph('POST', '/v1.0/groups', groupBody('x'))).status).toBe(201);
    const invalidJson = await fetch(`${emulator.url}/v1.0/groups`, { method: 'POST', headers: { ...AUTH, 'Content-Type': 'application/json' }, body: '{' });
    expect(invalidJson.status).toBe(400);
  });

  it('gets, patches and deletes groups by id', async () => {
    await start();
    const group = emulator.admin.addGroup({ displayName: 'G' });
    expect((await graph('GET', `/v1.0/groups/${group.id}`)).body.displayName).toBe('G');
    expect((await graph('PATCH', `/v1.0/groups/${group.id}`, { displayName: 'H' })).status).toBe(204);
    expect(emulator.admin.group(group.id)?.displayName).toBe('H');
    expect((await graph('DELETE', `/v1.0/groups/${group.id}`)).status).toBe(204);
    expect((await graph('GET', `/v1.0/groups/${group.id}`)).status).toBe(404);
  });

  it('filters by displayName with escaped quotes, case-insensitively, and rejects malformed literals', async () => {
    await start();
    const obrien = emulator.admin.addGroup({ displayName: "O'Brien devices" });
    emulator.admin.addGroup({ displayName: 'Other' });
    const hit = await graph('GET', filterPath("displayName eq 'o''brien DEVICES'"));
    expect(hit.body.value.map((group: { id: string }) => group.id)).toEqual([obrien.id]);
    const injection = await graph('GET', filterPath("displayName eq '' or 1 eq 1'"));
    expect(injection.status).toBe(400);
    expect(injection.body.error.code).toBe('Request_UnsupportedQuery');
    const literal = await graph('GET', filterPath("displayName eq ''' or 1 eq 1'"));
    expect(literal.body.value).toEqual([]);
  });

  it('pages collections with @odata.nextLink', async () => {
    await start({ pageSize: 2 });
    for (let i = 0; i < 5; i++) emulator.admin.addGroup({ displayName: 'Same' });
    const first = await graph('GET', filterPath("displayName eq 'Same'"));
    expect(first.body.value).toHaveLength(2);
    const nextLink = first.body['@odata.nextLink'] as string;
    expect(nextLink.startsWith(`${emulator.url}/v1.0/groups?`)).toBe(true);
    const last = await graph('GET', nextLink.slice(emulator.url.length).replace('skiptoken=2', 'skiptoken=4'));
    expect(last.body.value).toHaveLength(1);
    expect(last.body['@odata.nextLink']).toBeUndefined();
  });

  it('adds and removes owners by $ref; plain v1.0 /owners hides service principals', async () => {
    await start();
    const spId = emulator.admin.ownerServicePrincipalId as string;
    const user = emulator.admin.addUser({ displayName: 'Ada' });
    const group = emulator.admin.addGroup({ displayName: 'G', ownerIds: [user.id] });
    const ref = `/v1.0/groups/${group.id}/owners/$ref`;
    expect((await graph('POST', ref, { '@odata.id': SP_URL(spId) })).status).toBe(204);
    const duplicate = await graph('POST', ref, { '@odata.id': SP_URL(spId) });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.error.message).toMatch(/already exist/);
    expect((await graph('GET', `/v1.0/groups/${group.id}/owners`)).body.value.map((o: { id: string }) => o.id)).toEqual([user.id]);
    expect((await graph('DELETE', `/v1.0/groups/${group.id}/owners/${spId}/$ref`)).status).toBe(204);
    expect(emulator.admin.group(group.id)?.ownerIds).toEqual([user.id]);
  });

  it('answers checkMemberGroups transitively', async () => {
    await start();
    const user = emulator.admin.addUser({ displayName: 'Ada' });
    const inner = emulator.admin.addGroup({ displayName: 'inner' });
    const outer = emulator.admin.addGroup({ displayName: 'outer' });
    const unrelated = emulator.admin.addGroup({ displayName: 'unrelated' });
    emulator.admin.addMember(inner.id, user.id);
    emulator.admin.addMember(outer.id, inner.id);
    const answer = await graph('POST', `/v1.0/users/${user.id}/checkMemberGroups`, { groupIds: [outer.id, unrelated.id] });
    expect(answer.body).toEqual({ value: [outer.id] });
    expect((await graph('POST', '/v1.0/users/nobody/checkMemberGroups', { groupIds: [outer.id] })).status).toBe(404);
  });

  it('lists the seeded device-preparation policies and validates membership targets from real group state (delegated caller)', async () => {
    await start({}, DELEGATED_TOKEN);
    const list = await graph('GET', `/beta/deviceManagement/configurationPolicies?$filter=${encodeURIComponent("technologies has 'enrollment'")}`);
    expect(list.body.value.map((policy: { templateReference: { templateId: string } }) => policy.templateReference.templateId).sort()).toEqual(
      [SCENARIO_INFO.userDriven.templateId, SCENARIO_INFO.automatic.templateId].sort(),
    );
    expect((await graph('GET', '/v1.0/deviceManagement/configurationPolicies')).status).toBe(400);
    const policyId = list.body.value[0].id as string;
    const spId = emulator.admin.ownerServicePrincipalId as string;
    const good = emulator.admin.addGroup({ displayName: 'good', ownerIds: [spId] });
    const dynamic = emulator.admin.addGroup({ displayName: 'dyn', ownerIds: [spId], groupTypes: ['DynamicMembership'], membershipRule: 'x' });
    const mail = emulator.admin.addGroup({ displayName: 'mail', ownerIds: [spId], mailEnabled: true });
    const unowned = emulator.admin.addGroup({ displayName: 'unowned' });
    const set = (targetId: string): Promise<Answer> =>
      graph('POST', `/beta/deviceManagement/configurationPolicies('${policyId}')/setEnrollmentTimeDeviceMembershipTarget`, {
        enrollmentTimeDeviceMembershipTargets: [{ targetType: 'staticSecurityGroup', targetId }],
      });
    const codeOf = async (targetId: string): Promise<unknown> =>
      (await set(targetId)).body.value.enrollmentTimeDeviceMembershipTargetValidationStatuses[0].targetValidationErrorCode;
    expect(await codeOf('missing')).toBe('securityGroupNotFound');
    expect(await codeOf(dynamic.id)).toBe('notStaticSecurityGroup');
    expect(await codeOf(mail.id)).toBe('notSecurityGroup');
    expect(await codeOf(unowned.id)).toBe('firstPartyAppNotAnOwner');
    const bound = await set(good.id);
    // The beta docs show the result wrapped in `value`; `unknown` is the code of a target without an error.
    expect(bound.body.value).toMatchObject({
      validationSucceeded: true,
      enrollmentTimeDeviceMembershipTargetValidationStatuses: [{ targetId: good.id, validationSucceeded: true, targetValidationErrorCode: 'unknown' }],
    });
    expect(emulator.admin.policy(policyId)?.membershipTargetIds).toEqual([good.id]);
    emulator.admin.removeOwner(good.id, spId);
    const retrieved = await graph('POST', `/beta/deviceManagement/configurationPolicies('${policyId}')/retrieveEnrollmentTimeDeviceMembershipTarget`);
    expect(retrieved.body.value.enrollmentTimeDeviceMembershipTargetValidationStatuses[0]).toMatchObject({
      targetId: good.id,
      validationSucceeded: false,
      targetValidationErrorCode: 'firstPartyAppNotAnOwner',
    });
  });
});

describe('Graph emulator fault knobs', () => {
  it('throttles writes with a token bucket, answering 429 with Retry-After, and leaves reads alone', async () => {
    clockMs = 0;
    await start({ clock: { now: () => new Date(clockMs) }, faults: { writeThrottle: { capacity: 2, refillPerSecond: 4, retryAfterPrecision: 'milliseconds' } } });
    const write = (): Promise<Answer> => graph('POST', '/v1.0/groups', groupBody('w'));
    expect((await write()).status).toBe(201);
    expect((await write()).status).toBe(201);
    const throttled = await write();
    expect(throttled.status).toBe(429);
    expect(throttled.body.error.code).toBe('Request_ThrottledTemporarily');
    expect(Number(throttled.headers.get('Retry-After'))).toBeCloseTo(0.25, 3);
    expect((await graph('GET', '/v1.0/groups')).status).toBe(200);
    clockMs += 250;
    expect((await write()).status).toBe(201);
    expect(emulator.admin.groups()).toHaveLength(3);
  });

  it('sends Retry-After in whole seconds, rounded up, like Graph when asked', async () => {
    clockMs = 0;
    await start({ clock: { now: () => new Date(clockMs) }, faults: { writeThrottle: { capacity: 1, refillPerSecond: 0.4, retryAfterPrecision: 'seconds' } } });
    expect((await graph('POST', '/v1.0/groups', groupBody('w'))).status).toBe(201);
    const throttled = await graph('POST', '/v1.0/groups', groupBody('w'));
    expect(throttled.headers.get('Retry-After')).toBe('3');
  });

  it('fails the next requests deterministically, optionally after applying the write', async () => {
    await start({ faults: { failNext: { count: 1, status: 504, retryAfterSeconds: 2, afterApplying: true } } });
    const failed = await graph('POST', '/v1.0/groups', groupBody('applied anyway'));
    expect(failed.status).toBe(504);
    expect(failed.headers.get('Retry-After')).toBe('2');
    expect(emulator.admin.groups().map((group) => group.displayName)).toEqual(['applied anyway']);
    expect((await graph('GET', '/v1.0/groups')).status).toBe(200);
  });

  it('injects server errors at a seeded rate', async () => {
    await start({ randomSeed: 7, faults: { serverErrorRate: 0.5 } });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await graph('GET', '/v1.0/groups')).status);
    const failures = statuses.filter((status) => status === 503).length;
    expect(failures).toBeGreaterThan(5);
    expect(failures).toBeLessThan(35);
    expect(statuses.filter((status) => status !== 503 && status !== 200)).toEqual([]);
  });

  it('hides new groups from reads during replication lag, but not from the writing replica', async () => {
    clockMs = 1_000;
    await start({ clock: { now: () => new Date(clockMs) }, faults: { replicationLagMs: 500 }, variations: { ownerRebindOnUpsert: 'accept', concurrentUpsert: 'accept' } });
    const spId = emulator.admin.ownerServicePrincipalId as string;
    const path = "/v1.0/groups(uniqueName='lagging')";
    expect((await graph('PATCH', path, groupBody('L', spId), { Prefer: 'create-if-missing' })).status).toBe(201);
    expect((await graph('GET', path)).status).toBe(404);
    expect((await graph('GET', filterPath("displayName eq 'L'"))).body.value).toEqual([]);
    expect((await graph('PATCH', path, groupBody('L', spId), { Prefer: 'create-if-missing' })).status).toBe(204);
    clockMs += 500;
    expect((await graph('GET', path)).status).toBe(200);
  });

  it('adds latency to responses', async () => {
    await start({ faults: { latencyMs: 300 } });
    await expect(fetch(`${emulator.url}/v1.0/groups`, { headers: AUTH, signal: AbortSignal.timeout(20) })).rejects.toThrow();
    emulator.setFaults({});
    expect((await graph('GET', '/v1.0/groups')).status).toBe(200);
  });

  it("reproduces Intune's 500 on setEnrollmentTimeDeviceMembershipTarget", async () => {
    await start({ faults: { membershipTargetInternalError: true } });
    const policyId = emulator.admin.policies()[0]?.id;
    const answer = await graph('POST', `/beta/deviceManagement/configurationPolicies('${policyId}')/setEnrollmentTimeDeviceMembershipTarget`, {
      enrollmentTimeDeviceMembershipTargets: [{ targetType: 'staticSecurityGroup', targetId: 'x' }],
    });
    expect(answer.status).toBe(500);
    expect(answer.body.error.code).toBe('InternalServerError');
  });
});

describe('Graph emulator: where the real Graph is stricter (issue 11)', () => {
  const upsert = (uniqueName: string, displayName: string): Promise<Answer> =>
    graph('PATCH', `/v1.0/groups(uniqueName='${uniqueName}')`, groupBody(displayName, emulator.admin.ownerServicePrincipalId), { Prefer: 'create-if-missing' });
  const setTarget = (policyId: string, targetId: string): Promise<Answer> =>
    graph('POST', `/beta/deviceManagement/configurationPolicies('${policyId}')/setEnrollmentTimeDeviceMembershipTarget`, {
      enrollmentTimeDeviceMembershipTargets: [{ targetType: 'staticSecurityGroup', targetId }],
    });
  const clearTarget = (policyId: string): Promise<Answer> =>
    graph('POST', `/beta/deviceManagement/configurationPolicies('${policyId}')/clearEnrollmentTimeDeviceMembershipTarget`);

  it('refuses $filter=displayName eq with a value over 120 characters, and serves startsWith', async () => {
    await start();
    const long = `${'L'.repeat(120)}-tail`;
    const group = emulator.admin.addGroup({ displayName: long });
    emulator.admin.addGroup({ displayName: 'other' });
    const refused = await graph('GET', filterPath(`displayName eq '${long}'`));
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'Request_UnsupportedQuery', message: expect.stringContaining("property 'displayName'") });
    expect((await graph('GET', filterPath(`displayName eq '${long.slice(0, 120)}'`))).status).toBe(200);
    const prefixed = await graph('GET', filterPath(`startsWith(displayName,'${long.slice(0, 120).toLowerCase()}')`));
    expect(prefixed.body.value.map((each: { id: string }) => each.id)).toEqual([group.id]);
    expect((await graph('GET', filterPath(`startsWith(displayName,'${long}')`))).status).toBe(400);
  });

  it('answers set and retrieve with the result wrapped in value', async () => {
    await start({}, DELEGATED_TOKEN);
    const policyId = emulator.admin.policies()[0]?.id;
    const answer = await setTarget(policyId, 'missing');
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body).sort()).toEqual(['@odata.context', 'value']);
    expect(answer.body.value.validationSucceeded).toBe(false);
    const retrieved = await graph('POST', `/beta/deviceManagement/configurationPolicies('${policyId}')/retrieveEnrollmentTimeDeviceMembershipTarget`);
    expect(retrieved.body.value).toMatchObject({ validationSucceeded: true, enrollmentTimeDeviceMembershipTargetValidationStatuses: [] });
  });

  it('refuses app-only set and clear with 500 and serves delegated callers; the knob allows app-only', async () => {
    await start();
    const policy = emulator.admin.policies()[0];
    const group = emulator.admin.addGroup({ displayName: 'G', ownerIds: [emulator.admin.ownerServicePrincipalId as string] });
    const refused = await setTarget(policy?.id, group.id);
    expect(refused.status).toBe(500);
    expect(refused.body.error.code).toBe('InternalServerError');
    expect((await clearTarget(policy?.id)).status).toBe(500);
    expect(policy?.membershipTargetIds).toEqual([]);
    // An unsigned JWT without `scp` (only `roles`) is still app-only.
    bearer = unsignedJwt({ roles: ['DeviceManagementConfiguration.ReadWrite.All'] });
    await emulator.close();
    emulator = await startGraphEmulator({ requiredToken: bearer });
    expect((await setTarget(emulator.admin.policies()[0]?.id, 'x')).status).toBe(500);
    emulator.setVariations({ appOnlyMembershipTarget: 'allow' });
    expect((await setTarget(emulator.admin.policies()[0]?.id, 'x')).status).toBe(200);
  });

  it('lets a delegated caller (a JWT whose claims carry scp) set and clear', async () => {
    await start({}, DELEGATED_TOKEN);
    const policy = emulator.admin.policies()[0];
    const group = emulator.admin.addGroup({ displayName: 'G', ownerIds: [emulator.admin.ownerServicePrincipalId as string] });
    expect((await setTarget(policy?.id, group.id)).body.value.validationSucceeded).toBe(true);
    expect(policy?.membershipTargetIds).toEqual([group.id]);
    const cleared = await clearTarget(policy?.id);
    expect(cleared.status).toBe(200);
    expect(cleared.body.value).toBe(true);
    expect(policy?.membershipTargetIds).toEqual([]);
  });

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
    expect((await graph('GET', `/v1.0/groups/${id}?$expand=owners`)).body.owners.map((owner: { id: string }) => owner.id)).toEqual([emulator.admin.ownerServicePrincipalId]);
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

  it('refuses an upsert that re-binds an owner the group has (400), or accepts it with the knob', async () => {
    await start();
    expect((await upsert('apdp-own', 'Devices')).status).toBe(201);
    const again = await upsert('apdp-own', 'Devices renamed');
    expect(again.status).toBe(400);
    expect(again.body.error.message).toMatch(/One or more added object references already exist/);
    expect(emulator.admin.groups()[0]?.displayName).toBe('Devices');
    emulator.setVariations({ ownerRebindOnUpsert: 'accept' });
    expect((await upsert('apdp-own', 'Devices renamed')).status).toBe(204);
    expect(emulator.admin.groups()[0]?.displayName).toBe('Devices renamed');
  });

  it('answers the loser of concurrent upserts with a uniqueName conflict, or 204 with the knob', async () => {
    clockMs = 1_000;
    await start({ clock: { now: () => new Date(clockMs) }, faults: { replicationLagMs: 500 }, variations: { ownerRebindOnUpsert: 'accept' } });
    expect((await upsert('apdp-race', 'R')).status).toBe(201);
    const loser = await upsert('apdp-race', 'R');
    expect(loser.status).toBe(400);
    expect(loser.body.error.message).toMatch(/same value for property uniqueName/);
    emulator.setVariations({ ownerRebindOnUpsert: 'accept', concurrentUpsert: 'accept' });
    expect((await upsert('apdp-race', 'R')).status).toBe(204);
    expect(emulator.admin.groups()).toHaveLength(1);
  });

  it('expands at most 20 owners, with no next link; beta /owners pages through all of them', async () => {
    await start({ pageSize: 10 });
    const users = Array.from({ length: 24 }, (_, i) => emulator.admin.addUser({ displayName: `Owner ${i}` }).id);
    const spId = emulator.admin.ownerServicePrincipalId as string;
    const group = emulator.admin.addGroup({ displayName: 'Crowded', ownerIds: [...users, spId] });
    const expanded = await graph('GET', `/v1.0/groups/${group.id}?$expand=owners`);
    expect(expanded.body.owners).toHaveLength(20);
    expect(expanded.body.owners.map((owner: { id: string }) => owner.id)).not.toContain(spId);
    expect(JSON.stringify(expanded.body)).not.toContain('nextLink');
    const ids: string[] = [];
    for (let next: string | undefined = `/beta/groups/${group.id}/owners`; next; ) {
      const page: Answer = await graph('GET', next);
      ids.push(...page.body.value.map((owner: { id: string }) => owner.id));
      const link = page.body['@odata.nextLink'] as string | undefined;
      next = link?.slice(emulator.url.length);
    }
    expect(ids).toHaveLength(25);
    expect(ids).toContain(spId);
  });

  it('counts every group type in checkMemberGroups, transitively', async () => {
    await start();
    const user = emulator.admin.addUser({ displayName: 'Ada' });
    const unified = emulator.admin.addGroup({ displayName: 'M365', securityEnabled: false, mailEnabled: true, groupTypes: ['Unified'], memberIds: [user.id] });
    const outer = emulator.admin.addGroup({ displayName: 'outer security', memberIds: [unified.id] });
    const answer = await graph('POST', `/v1.0/users/${user.id}/checkMemberGroups`, { groupIds: [unified.id, outer.id] });
    expect(answer.body.value.sort()).toEqual([unified.id, outer.id].sort());
  });

  it('resolves @odata.bind references only on its own host, as a national cloud does', async () => {
    await start();
    const spId = emulator.admin.ownerServicePrincipalId as string;
    const elsewhere = await graph('POST', '/v1.0/groups', { ...groupBody('x'), 'owners@odata.bind': [`https://graph.microsoft.com/v1.0/servicePrincipals/${spId}`] });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.error.message).toBe('Invalid URL format specified in @odata.bind for owners.');
    expect((await graph('POST', '/v1.0/groups', groupBody('x', spId))).status).toBe(201);
  });

  it('sends Retry-After in whole seconds by default, as Graph does', async () => {
    clockMs = 0;
    await start({ clock: { now: () => new Date(clockMs) }, faults: { writeThrottle: { capacity: 1, refillPerSecond: 4 } } });
    expect((await graph('POST', '/v1.0/groups', groupBody('w'))).status).toBe(201);
    const throttled = await graph('POST', '/v1.0/groups', groupBody('w'));
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('Retry-After')).toBe('1');
  });
});

describe('Teams apps installed for users (proactive installation), and the users of a group', () => {
  const APP = 'c0c0c0c0-0000-4000-8000-0000000000ab';
  const bind = (appId: string, origin = emulator.url) => ({ 'teamsApp@odata.bind': `${origin}/v1.0/appCatalogs/teamsApps/${appId}` });

  it('installs a catalog app once (201, then 409), lists it filtered with the app expanded, and names its chat', async () => {
    await start();
    emulator.admin.addCatalogApp(APP);
    const user = emulator.admin.addUser({ displayName: 'Ada' });
    const installs = `/v1.0/users/${user.id}/teamwork/installedApps`;
    expect((await graph('POST', installs, bind(APP))).status).toBe(201);
    expect(await graph('POST', installs, bind(APP))).toMatchObject({ status: 409, body: { error: { code: 'Conflict' } } });
    const listed = await graph('GET', `${installs}?$expand=teamsApp&$filter=${encodeURIComponent(`teamsApp/id eq '${APP}'`)}`);
    expect(listed.body.value).toEqual([{ '@odata.type': '#microsoft.graph.userScopeTeamsAppInstallation', id: expect.any(String), teamsApp: { id: APP, distributionMethod: 'organization' } }]);
    const chat = await graph('GET', `${installs}/${listed.body.value[0].id}/chat`);
    expect(chat).toMatchObject({ status: 200, body: { id: expect.stringMatching(/^19:/), chatType: 'oneOnOne' } });
  });

  it('refuses an app not in the catalog, a reference to another host, an unknown user and an unsupported filter', async () => {
    await start();
    emulator.admin.addCatalogApp(APP);
    const user = emulator.admin.addUser({ displayName: 'Ada' });
    const installs = `/v1.0/users/${user.id}/teamwork/installedApps`;
    expect((await graph('POST', installs, bind('not-in-catalog'))).status).toBe(404);
    expect((await graph('POST', installs, bind(APP, 'https://graph.microsoft.com'))).status).toBe(400);
    expect((await graph('POST', '/v1.0/users/nobody/teamwork/installedApps', bind(APP))).status).toBe(404);
    expect((await graph('GET', `${installs}?$filter=${encodeURIComponent("displayName eq 'x'")}`)).status).toBe(400);
  });

  it('lists the users of a group through nested groups, and nothing else', async () => {
    await start();
    const ada = emulator.admin.addUser({ displayName: 'Ada' });
    const bo = emulator.admin.addUser({ displayName: 'Bo' });
    const device = emulator.admin.addDevice({ displayName: 'PC-1' });
    const inner = emulator.admin.addGroup({ displayName: 'Inner', memberIds: [bo.id, device.id] });
    const outer = emulator.admin.addGroup({ displayName: 'Outer', memberIds: [ada.id, inner.id] });
    const users = await graph('GET', `/v1.0/groups/${outer.id}/transitiveMembers/microsoft.graph.user?$select=id`);
    expect(users.body.value.map((user: { id: string }) => user.id).sort()).toEqual([ada.id, bo.id].sort());
  });
});
