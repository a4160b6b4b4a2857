/** The emulator's HTTP server: the bearer token, Graph-shaped errors and the fault knobs, over plain fetch. */
import { type Answer, AUTH, emulatorWire, filterPath } from './support/wire';

const wire = emulatorWire();
const { start, graph, groupBody } = wire;
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
    await start({ now: () => clockMs, faults: { writeThrottle: { capacity: 2, refillPerSecond: 4, retryAfterPrecision: 'milliseconds' } } });
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
    await start({ now: () => clockMs, faults: { writeThrottle: { capacity: 1, refillPerSecond: 0.4, retryAfterPrecision: 'seconds' } } });
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
    await start({ now: () => clockMs, faults: { replicationLagMs: 500 }, variations: { ownerRebindOnUpsert: 'accept', concurrentUpsert: 'accept' } });
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
    await start({ now: () => clockMs, faults: { writeThrottle: { capacity: 1, refillPerSecond: 4 } } });
    expect((await graph('POST', '/v1.0/groups', groupBody('w'))).status).toBe(201);
    const throttled = await graph('POST', '/v1.0/groups', groupBody('w'));
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('Retry-After')).toBe('1');
  });
});
