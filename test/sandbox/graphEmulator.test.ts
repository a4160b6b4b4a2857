/** The emulator's HTTP server: the bearer token, Graph-shaped errors, the fault knobs and the state file, over plain fetch. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startGraphEmulator } from '../../src/sandbox/graphEmulator';
import { DELEGATED_TOKEN } from '../provisioning/support/sandbox';
import { type Answer, AUTH, emulatorWire, filterPath } from './support/wire';

const wire = emulatorWire();
const { start, graph, groupBody, upsert } = wire;
let clockMs = 0;

describe('Graph emulator wire format', () => {
  it('requires the configured bearer token and answers Graph-shaped errors with request ids', async () => {
    await start();
    const anonymous = await fetch(`${wire.emulator.url}/v1.0/groups`, { headers: { 'client-request-id': 'abc' } });
    const body = (await anonymous.json()) as { error: { code: string; innerError: Record<string, string> } };
    expect(anonymous.status).toBe(401);
    expect(body.error.code).toBe('InvalidAuthenticationToken');
    expect(body.error.innerError['request-id']).toBe(anonymous.headers.get('request-id'));
    expect(body.error.innerError['client-request-id']).toBe('abc');
    expect(anonymous.headers.get('client-request-id')).toBe('abc');
    expect((await graph('GET', '/v1.0/groups', undefined, { Authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await graph('GET', '/v1.0/groups')).status).toBe(200);
    expect(wire.emulator.requestLog.map((entry) => [entry.status, entry.hadBearerToken])).toEqual([
      [401, false],
      [401, true],
      [200, true],
    ]);
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
    expect(wire.emulator.admin.groups()).toHaveLength(3);
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
    expect(wire.emulator.admin.groups().map((group) => group.displayName)).toEqual(['applied anyway']);
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
    const spId = wire.emulator.admin.ownerServicePrincipalId as string;
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
    await expect(fetch(`${wire.emulator.url}/v1.0/groups`, { headers: AUTH, signal: AbortSignal.timeout(20) })).rejects.toThrow();
    wire.emulator.setFaults({});
    expect((await graph('GET', '/v1.0/groups')).status).toBe(200);
  });

  it("reproduces Intune's 500 on setEnrollmentTimeDeviceMembershipTarget", async () => {
    await start({ faults: { membershipTargetInternalError: true } });
    const policyId = wire.emulator.admin.policies()[0]?.id;
    const answer = await graph('POST', `/beta/deviceManagement/configurationPolicies('${policyId}')/setEnrollmentTimeDeviceMembershipTarget`, {
      enrollmentTimeDeviceMembershipTargets: [{ targetType: 'staticSecurityGroup', targetId: 'x' }],
    });
    expect(answer.status).toBe(500);
    expect(answer.body.error.code).toBe('InternalServerError');
  });
});

describe('Graph emulator: where the real Graph is stricter (issue 11)', () => {
  it('sends Retry-After in whole seconds by default, as Graph does', async () => {
    clockMs = 0;
    await start({ clock: { now: () => new Date(clockMs) }, faults: { writeThrottle: { capacity: 1, refillPerSecond: 4 } } });
    expect((await graph('POST', '/v1.0/groups', groupBody('w'))).status).toBe(201);
    const throttled = await graph('POST', '/v1.0/groups', groupBody('w'));
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('Retry-After')).toBe('1');
  });
});

describe('Graph emulator with a state file', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emulator-state-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const policiesWithTargets = async (): Promise<unknown[]> => {
    const list = await graph('GET', '/beta/deviceManagement/configurationPolicies');
    return Promise.all(
      list.body.value.map(async (policy: { id: string; name: string; lastModifiedDateTime: string }) => {
        const target = await graph('POST', `/beta/deviceManagement/configurationPolicies('${policy.id}')/retrieveEnrollmentTimeDeviceMembershipTarget`);
        return { ...policy, target: target.body.value };
      }),
    );
  };

  it('seeds a new file, writes every change before answering, and resumes from it after a restart', async () => {
    const stateFile = path.join(dir, 'graph-tenant.json');
    clockMs = Date.parse('2026-12-01T00:00:00Z');
    await start({ stateFile, seed: { brokenCases: true }, clock: { now: () => new Date(clockMs) } }, DELEGATED_TOKEN);
    expect(wire.emulator.tenantSource).toBe('seeded');
    const created = await upsert('apdp-kept', 'Kept devices');
    expect(created.status).toBe(201);
    // Written before the answer: a crash now would not lose the group the client was told about.
    expect(fs.readFileSync(stateFile, 'utf8')).toContain(created.body.id);
    const policyId = wire.emulator.admin.policies()[0]?.id;
    await graph('POST', `/beta/deviceManagement/configurationPolicies('${policyId}')/setEnrollmentTimeDeviceMembershipTarget`, {
      enrollmentTimeDeviceMembershipTargets: [{ targetType: 'staticSecurityGroup', targetId: created.body.id }],
    });
    clockMs += 60_000;
    expect((await graph('DELETE', `/v1.0/groups/${wire.emulator.admin.groups()[0]?.id}`)).status).toBe(204);
    const groups = (await graph('GET', '/v1.0/groups?$expand=owners')).body;
    const deleted = (await graph('GET', '/v1.0/directory/deletedItems/microsoft.graph.group')).body;
    const policies = await policiesWithTargets();
    await wire.emulator.close();

    await start({ stateFile, seed: { brokenCases: true }, clock: { now: () => new Date(clockMs) } }, DELEGATED_TOKEN);
    expect(wire.emulator.tenantSource).toBe('resumed');
    expect((await graph('GET', '/v1.0/groups?$expand=owners')).body).toEqual(groups);
    expect((await graph('GET', '/v1.0/directory/deletedItems/microsoft.graph.group')).body).toEqual(deleted);
    expect(await policiesWithTargets()).toEqual(policies);
    expect(policies).toContainEqual(expect.objectContaining({ id: policyId, target: expect.objectContaining({ validationSucceeded: true }) }));
    // The 30-day purge runs on the stored deletion time, not on the restart.
    clockMs += 30 * 24 * 3600 * 1000 - 30_000;
    expect((await graph('GET', '/v1.0/directory/deletedItems/microsoft.graph.group')).body.value).toEqual(
      deleted.value.filter((group: { deletedDateTime: string }) => Date.parse(group.deletedDateTime) > Date.parse('2026-12-01T00:00:00Z')),
    );
  });

  it('refuses to start from a file that is not a tenant, and leaves it as it was', async () => {
    const stateFile = path.join(dir, 'graph-tenant.json');
    fs.writeFileSync(stateFile, 'not a tenant');
    await expect(startGraphEmulator({ stateFile })).rejects.toThrow(`The sandbox tenant file ${stateFile} is not valid JSON`);
    expect(fs.readFileSync(stateFile, 'utf8')).toBe('not a tenant');
  });
});
