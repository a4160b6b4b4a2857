/** The Graph client through the real adapter (graph-client middleware, retries, errors) against the emulator over HTTP. */
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OWNER_APP_ID, type Directory } from '../../src/provisioning/directory';
import { createGraphDirectory } from '../../src/graph/graphDirectory';
import { GraphTimeoutError } from '../../src/provisioning/graphError';
import { FAST_RETRY, SANDBOX_TOKEN, type Sandbox } from '../provisioning/support/sandbox';
import { caught, deviceGroup, sandboxPerTest } from './support/graphAdapter';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let sandbox: Sandbox;
const { start, stop } = sandboxPerTest();

describe('authentication and tracing', () => {
  it('delivers the bearer token to the plain-http sandbox and a GUID client-request-id on every call', async () => {
    sandbox = await start();
    const sp = await sandbox.directory.findServicePrincipalByAppId(OWNER_APP_ID);
    expect(sp.value?.id).toBe(sandbox.emulator.admin.ownerServicePrincipalId);
    await sandbox.directory.findGroupsByDisplayName('x');
    const log = sandbox.emulator.requestLog;
    expect(log.map((entry) => entry.status)).toEqual([200, 200]);
    expect(log.every((entry) => entry.hadBearerToken && GUID.test(entry.clientRequestId ?? ''))).toBe(true);
    expect(new Set(log.map((entry) => entry.clientRequestId)).size).toBe(2);
    expect(sp.requestIds).toEqual([log[0]?.requestId]);
  });

  it('turns a rejected token into a typed GraphError with Graph code, status and request ids', async () => {
    sandbox = await start({}, { credential: { kind: 'static', token: 'not-the-token' } });
    const error = await caught(sandbox.directory.findServicePrincipalByAppId(OWNER_APP_ID));
    const [entry] = sandbox.emulator.requestLog;
    expect(error).toMatchObject({ status: 401, code: 'InvalidAuthenticationToken', requestId: entry?.requestId, clientRequestId: entry?.clientRequestId });
    expect(error.message).toContain('Access token validation failure');
  });

  it('refuses a plain-http base URL off loopback, or one with a path, before any token is fetched', () => {
    const credential = { kind: 'static', token: SANDBOX_TOKEN } as const;
    expect(() => createGraphDirectory({ baseUrl: 'http://graph.example.com', credential })).toThrow(/https/);
    expect(() => createGraphDirectory({ baseUrl: 'https://graph.microsoft.com/v1.0', credential })).toThrow(/origin/);
    expect(() => createGraphDirectory({ baseUrl: 'not a url', credential })).toThrow(/not a URL/);
  });

  it('reports an unreachable Graph as a NetworkError', async () => {
    sandbox = await start();
    await stop();
    expect(await caught(sandbox.directory.getGroup('x'))).toMatchObject({ status: 0, code: 'NetworkError' });
  });
});

/** A stand-in Graph on loopback that answers whatever `answer` writes; for answers the emulator never gives. */
async function withFakeGraph(answer: RequestListener, run: (directory: Directory) => Promise<void>): Promise<void> {
  const server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await run(
      createGraphDirectory({
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        credential: { kind: 'static', token: SANDBOX_TOKEN },
        retry: FAST_RETRY,
      }),
    );
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('malformed Graph answers', () => {
  it('turns a body of the wrong shape or not JSON into a typed InvalidResponse error', async () => {
    const answer: RequestListener = (request, response) => {
      const notJson = request.url?.includes('/groups/');
      response.writeHead(200, { 'Content-Type': 'application/json', 'request-id': 'rid-1' });
      response.end(notJson ? '<html>' : JSON.stringify({ id: 5, appId: OWNER_APP_ID }));
    };
    await withFakeGraph(answer, async (directory) => {
      const shape = await caught(directory.findServicePrincipalByAppId(OWNER_APP_ID));
      expect(shape).toMatchObject({ code: 'InvalidResponse', status: 200, requestId: 'rid-1', clientRequestId: expect.stringMatching(GUID) });
      expect(shape.message).toContain('id');
      expect(await caught(directory.getGroup('g'))).toMatchObject({ code: 'InvalidResponse', requestId: 'rid-1' });
    });
  });
});

describe('token scope', () => {
  it('refuses to follow a nextLink to another origin, so the token never leaves the configured one', async () => {
    const requests: (string | undefined)[] = [];
    const answer: RequestListener = (request, response) => {
      requests.push(request.headers.authorization);
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ value: [], '@odata.nextLink': 'https://elsewhere.example/v1.0/groups?$skiptoken=1' }));
    };
    await withFakeGraph(answer, async (directory) => {
      await expect(directory.findGroupsByDisplayName('x')).rejects.toThrow(/Refusing to follow a Graph nextLink outside/);
    });
    expect(requests).toEqual([`Bearer ${SANDBOX_TOKEN}`]);
  });
});

describe('retries through the graph-client RetryHandler', () => {
  it('honours Retry-After on 429 and then succeeds, keeping one client-request-id across attempts', async () => {
    sandbox = await start({ faults: { writeThrottle: { capacity: 1, refillPerSecond: 2, retryAfterPrecision: 'milliseconds' } } });
    await sandbox.directory.upsertGroup(deviceGroup(sandbox, 't-1'));
    const second = await sandbox.directory.upsertGroup(deviceGroup(sandbox, 't-2'));
    expect(second.value.created).toBe(true);
    const attempts = sandbox.emulator.requestLog.slice(1);
    expect(attempts[0]?.status).toBe(429);
    expect(attempts.at(-1)?.status).toBe(201);
    expect(attempts.at(-1)?.retryAttempt).toBeGreaterThan(0);
    expect(new Set(attempts.map((entry) => entry.clientRequestId)).size).toBe(1);
  });

  it('retries a 503 without Retry-After with backoff and jitter', async () => {
    sandbox = await start({ faults: { failNext: { count: 1, status: 503 } } });
    expect((await sandbox.directory.getGroup('nope')).value).toBeUndefined();
    expect(sandbox.emulator.requestLog.map((entry) => entry.status)).toEqual([503, 404]);
  });

  it('retries a 504 that was applied anyway, and the idempotent upsert then reports the existing group', async () => {
    sandbox = await start({ faults: { failNext: { count: 1, status: 504, retryAfterSeconds: 0, afterApplying: true } } });
    const outcome = await sandbox.directory.upsertGroup(deviceGroup(sandbox, 'ambiguous'));
    expect(outcome.value).toEqual({ created: false });
    expect(sandbox.emulator.admin.groups()).toHaveLength(1);
  });

  it('gives up after maxRetries and surfaces the last error', async () => {
    sandbox = await start({ faults: { failNext: { count: 10, status: 503, retryAfterSeconds: 0 } } });
    const error = await caught(sandbox.directory.getGroup('x'));
    expect(error).toMatchObject({ status: 503, code: 'serviceNotAvailable' });
    expect(sandbox.emulator.requestLog).toHaveLength(FAST_RETRY.maxRetries + 1);
  });

  it('starts no retry whose Retry-After would exceed the total retry time', async () => {
    sandbox = await start({ faults: { failNext: { count: 1, status: 503, retryAfterSeconds: 60 } } }, { retry: { ...FAST_RETRY, maxRetryTimeMs: 1_000 } });
    expect(await caught(sandbox.directory.getGroup('x'))).toMatchObject({ status: 503 });
    expect(sandbox.emulator.requestLog).toHaveLength(1);
  });

  it('does not retry other server errors', async () => {
    sandbox = await start({ faults: { failNext: { count: 1, status: 500 } } });
    expect(await caught(sandbox.directory.getGroup('x'))).toMatchObject({ status: 500 });
    expect(sandbox.attempts).toHaveLength(1);
  });
});

describe('per-attempt timeout (emulator latency far above the timeout)', () => {
  const HUNG = { latencyMs: 1_000 };
  const TIMEOUT = { ...FAST_RETRY, attemptTimeoutMs: 50 };

  /** The emulator logs a request once it has answered: wait for the late answers before closing it. */
  async function answered(count: number): Promise<void> {
    for (let waited = 0; sandbox.emulator.requestLog.length < count; waited += 20) {
      if (waited > 10_000) throw new Error(`the emulator answered ${sandbox.emulator.requestLog.length} of ${count} requests`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('turns a read that never answers into a typed timeout after the allowed retries, one client-request-id throughout', async () => {
    sandbox = await start({ faults: HUNG }, { retry: TIMEOUT });
    const error = await caught(sandbox.directory.getGroup('slow'));
    expect(error).toBeInstanceOf(GraphTimeoutError);
    expect(error).toMatchObject({ status: 0, code: 'Timeout', timeoutMs: 50, attempts: FAST_RETRY.maxRetries + 1 });
    expect(error.message).toContain('Graph did not answer within 50 ms (4 attempts)');
    expect(sandbox.attempts.map((attempt) => attempt.status)).toEqual([0, 0, 0, 0]);
    expect(new Set(sandbox.attempts.map((attempt) => attempt.clientRequestId)).size).toBe(1);
    await answered(4);
  });

  it('retries a timed-out upsert, which is idempotent: still one group when the hung attempt lands late', async () => {
    // The first attempt hangs (and is applied late); the retry meets a Graph that answers at once.
    // A roomier timeout than the other cases: the retry must answer within it even on a loaded machine.
    const roomy = { ...TIMEOUT, attemptTimeoutMs: 400 };
    sandbox = await start({ faults: { latencyMs: 3_000 } }, { retry: roomy, onRequest: (attempt) => attempt.status === 0 && sandbox.emulator.setFaults({}) });
    const outcome = await sandbox.directory.upsertGroup(deviceGroup(sandbox, 'hung-create'));
    await answered(2);
    // The retry creates the group; the hung attempt, applied a second later, finds it and is refused for
    // re-binding the owner the group already has (400, as Graph answers a duplicate owner reference).
    expect(outcome.value.created).toBe(true);
    expect(sandbox.emulator.requestLog.map((entry) => entry.status)).toEqual([201, 400]);
    expect(sandbox.emulator.admin.groups()).toHaveLength(1);
  });

  it('does not send a timed-out write that is not idempotent again', async () => {
    sandbox = await start({}, { retry: TIMEOUT });
    const group = sandbox.emulator.admin.addGroup({ displayName: 'G', ownerIds: [sandbox.emulator.admin.ownerServicePrincipalId as string] });
    const [policy] = sandbox.emulator.admin.policies();
    sandbox.emulator.setFaults(HUNG);
    const error = await caught(sandbox.directory.setEnrollmentTimeDeviceMembershipTarget(policy?.id, group.id));
    expect(error).toMatchObject({ code: 'Timeout', attempts: 1 });
    // Every attempt, the POST's and the policy read's (retried if it outran the short timeout), is answered.
    await answered(sandbox.attempts.length);
    expect(sandbox.emulator.requestLog.filter((entry) => entry.method === 'POST')).toHaveLength(1);
  });

  it('leaves calls that answer in time alone', async () => {
    sandbox = await start({ faults: { latencyMs: 20 } }, { retry: { ...FAST_RETRY, attemptTimeoutMs: 5_000 } });
    expect((await sandbox.directory.getGroup('fine')).value).toBeUndefined();
    expect(sandbox.attempts.map((attempt) => attempt.status)).toEqual([404]);
  });
});

describe('replication lag', () => {
  let clockMs = 0;

  it('retries 404s of a read right after a write until the group has replicated', async () => {
    clockMs = 0;
    // Each HTTP attempt advances the emulator's clock: deterministic, and no test sleeps for the lag.
    sandbox = await start({ clock: { now: () => new Date(clockMs) }, faults: { replicationLagMs: 300 } }, { onRequest: () => (clockMs += 100) });
    await sandbox.directory.upsertGroup(deviceGroup(sandbox, 'lag'));
    expect((await sandbox.directory.getGroupByUniqueName('lag')).value).toBeUndefined();
    const read = await sandbox.directory.getGroupByUniqueName('lag', { afterWrite: true });
    expect(read.value?.uniqueName).toBe('lag');
    expect(read.requestIds.length).toBeGreaterThan(1);
  });

  it('stops retrying after the configured attempts', async () => {
    sandbox = await start({ faults: { replicationLagMs: 60_000 } });
    await sandbox.directory.upsertGroup(deviceGroup(sandbox, 'never'));
    const read = await sandbox.directory.getGroupByUniqueName('never', { afterWrite: true });
    expect(read.value).toBeUndefined();
    expect(read.requestIds).toHaveLength(FAST_RETRY.replicationReadAttempts);
  });
});
