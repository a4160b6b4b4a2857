/**
 * Graph faults against the whole bot (startApp in this process, its default Graph retry policy, SQLite):
 * throttling storms with Retry-After, 5xx bursts, gateway timeouts after Graph applied the write,
 * replication lag, and a tenant without the Intune owner service principal. Every request must end
 * provisioned or failed with a reason, nothing may be lost, and no policy may get a second group.
 */
import { VERBS } from '../../src/bot/verbs';
import { OWNER_APP_ID } from '../../src/provisioning/directory';
import type { GroupRequest } from '../../src/domain/request';
import { aki, answerText, click, hana, message, post, submitRequest } from './support/activities';
import { isOwnerLookup, isUpsert } from './support/graphProxy';
import { startInProcessBot, type InProcessBot } from './support/inProcessBot';
import { waitFor } from './support/waitFor';

let bot: InProcessBot;

beforeEach(async () => {
  // A 2 s replication wait, so that 'lag longer than the read budget' needs seconds, not a minute.
  bot = await startInProcessBot({ env: { GRAPH_REPLICATION_WAIT_MS: '2000' } });
  await post(bot.endpoint, message(hana, 'help', bot.connector.url));
});
afterEach(() => bot.stop());

function submit(policyName: string): Promise<string> {
  return submitRequest(bot.endpoint, hana, { policyName, scenario: 'userDriven' }, bot.connector.url);
}

async function decide(verb: string, requestId: string): Promise<string> {
  return answerText(await post(bot.endpoint, click(aki, verb, { requestId }, bot.connector.url)));
}

/** Waits for provisioned or failed: nothing may stay in between. */
function settled(requestId: string, timeoutMs = 20_000): Promise<GroupRequest> {
  return waitFor(
    `${requestId} provisioned or failed`,
    async () => {
      const request = await bot.store.getRequest(requestId);
      return request?.state === 'provisioned' || request?.state === 'failed' ? request : undefined;
    },
    timeoutMs,
  );
}

/** Groups per uniqueName in the tenant: the exactly-once check. */
function groupCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const group of bot.emulator.admin.groups()) counts.set(group.uniqueName ?? group.id, (counts.get(group.uniqueName ?? group.id) ?? 0) + 1);
  return counts;
}

async function expectProvisionedOnce(request: GroupRequest): Promise<void> {
  expect(request).toMatchObject({ state: 'provisioned' });
  const groups = bot.emulator.admin.groups().filter((group) => group.uniqueName === request.names.uniqueName);
  expect(groups.map((group) => group.id)).toEqual([request.groupId]);
  expect(await bot.store.findGroup(request.policyKey)).toMatchObject({ groupId: request.groupId });
}

test('a 429 storm on directory writes: every request is provisioned after honouring Retry-After, one group each', async () => {
  // Five writers on a one-token bucket: the unluckiest needs five attempts, within the default five retries.
  const ids: string[] = [];
  for (let index = 0; index < 5; index++) ids.push(await submit(`Throttled Policy ${index}`));
  bot.emulator.setFaults({ writeThrottle: { capacity: 1, refillPerSecond: 25 } });
  await Promise.all(ids.map((id) => decide(VERBS.approve, id)));
  for (const id of ids) await expectProvisionedOnce(await settled(id));
  expect(bot.emulator.requestLog.filter((entry) => entry.status === 429).length).toBeGreaterThan(0);
  expect([...groupCounts().values()].every((count) => count === 1)).toBe(true);
});

test('a burst of 503s with Retry-After is retried through: provisioned, one group', async () => {
  const id = await submit('Unavailable Policy');
  bot.emulator.setFaults({ failNext: { count: 3, status: 503, retryAfterSeconds: 0.01 } });
  await decide(VERBS.approve, id);
  await expectProvisionedOnce(await settled(id));
  expect(bot.emulator.requestLog.filter((entry) => entry.status === 503)).toHaveLength(3);
});

test('a burst of 500s fails the request with Graph’s reason; a retry after recovery provisions exactly one group', async () => {
  const id = await submit('Broken Graph Policy');
  bot.emulator.setFaults({ failNext: { count: 100, status: 500 } });
  await decide(VERBS.approve, id);
  const failed = await settled(id);
  expect(failed).toMatchObject({ state: 'failed', failureReason: expect.stringMatching(/500|temporarily unavailable/) });
  expect(bot.emulator.admin.groups()).toHaveLength(0);

  bot.emulator.setFaults({});
  await decide(VERBS.retry, id);
  await expectProvisionedOnce(await settled(id));
});

test('a gateway timeout after Graph applied the create: the retry finds that group, no second one', async () => {
  const id = await submit('Timed Out Policy');
  const timedOut = bot.proxy.failAfterApplying(isUpsert, 504);
  await decide(VERBS.approve, id);
  await timedOut;
  await expectProvisionedOnce(await settled(id));
  expect(bot.proxy.calls.filter(isUpsert)).toHaveLength(2);
});

test('replication lag after an ambiguous create: reads retry until the group appears', async () => {
  const id = await submit('Lagging Policy');
  bot.emulator.setFaults({ replicationLagMs: 1200 });
  const timedOut = bot.proxy.failAfterApplying(isUpsert, 504);
  await decide(VERBS.approve, id);
  await timedOut;
  await expectProvisionedOnce(await settled(id));
});

test('replication lag longer than the read budget: failed with a reason, and a later retry provisions the same group', async () => {
  const id = await submit('Very Lagging Policy');
  bot.emulator.setFaults({ replicationLagMs: 4000 });
  const timedOut = bot.proxy.failAfterApplying(isUpsert, 504);
  await decide(VERBS.approve, id);
  await timedOut;
  const failed = await settled(id);
  expect(failed.state).toBe('failed');
  expect(failed.failureReason).toEqual(expect.any(String));
  expect(failed.failureReason?.length).toBeGreaterThan(10);
  expect(bot.emulator.admin.groups()).toHaveLength(1); // Graph has it; the bot did not record it yet

  // Retry until the directory has caught up (each retry is a new attempt; none may create a second group).
  const done = await waitFor(
    'a retry that provisions',
    async () => {
      await decide(VERBS.retry, id);
      const request = await settled(id);
      return request.state === 'provisioned' ? request : undefined;
    },
    20_000,
    500,
  );
  await expectProvisionedOnce(done);
});

describe('a Graph that accepts the request and never answers (GRAPH_TIMEOUT_MS=500)', () => {
  beforeEach(async () => {
    await bot.stop();
    bot = await startInProcessBot({ env: { GRAPH_TIMEOUT_MS: '500' } });
  });

  test('the create applied but never answered: the attempt times out, the idempotent upsert is sent again and finds that group', async () => {
    const id = await submit('Hung Create Policy');
    const hung = bot.proxy.holdNext('after', isUpsert); // never released
    await decide(VERBS.approve, id);
    await hung;
    await expectProvisionedOnce(await settled(id));
    expect(bot.proxy.calls.filter(isUpsert)).toHaveLength(2);
  });

  test('a lookup never answered: the read is retried and the request goes on', async () => {
    const id = await submit('Hung Lookup Policy');
    const hung = bot.proxy.holdNext('before', isOwnerLookup); // never reaches Graph, never answered
    await decide(VERBS.approve, id);
    await hung;
    await expectProvisionedOnce(await settled(id));
    expect(bot.proxy.calls.filter(isOwnerLookup)).toHaveLength(2);
  });

  test('every call slower than the timeout (emulator latency 3 s): failed with the timeout as reason, no group; after recovery a retry provisions one', async () => {
    const id = await submit('Slow Graph Policy');
    bot.emulator.setFaults({ latencyMs: 3_000 });
    await decide(VERBS.approve, id);
    const failed = await settled(id);
    expect(failed).toMatchObject({ state: 'failed', failureReason: expect.stringMatching(/^Graph did not answer within 500 ms \(6 attempts\)/) });
    expect(bot.emulator.admin.groups()).toHaveLength(0);

    bot.emulator.setFaults({});
    await decide(VERBS.retry, id);
    await expectProvisionedOnce(await settled(id));
  });
});

test('owner service principal missing: failed with the admin’s fix, /readyz says so; after the fix a retry provisions', async () => {
  bot.emulator.admin.removeServicePrincipal(OWNER_APP_ID);
  const readyz = await fetch(`${bot.app.url}/readyz`);
  expect({ status: readyz.status, body: await readyz.json() }).toEqual({
    status: 503,
    body: { ok: false, checks: { database: 'ok', ownerServicePrincipal: 'failed' } },
  });

  const id = await submit('Ownerless Policy');
  await decide(VERBS.approve, id);
  const failed = await settled(id);
  expect(failed).toMatchObject({ state: 'failed', failureReason: expect.stringContaining(OWNER_APP_ID) });
  expect(bot.emulator.admin.groups()).toHaveLength(0);

  bot.emulator.admin.addServicePrincipal({ appId: OWNER_APP_ID, displayName: 'Intune Provisioning Client' });
  await decide(VERBS.retry, id);
  const done = await settled(id);
  await expectProvisionedOnce(done);
  const owner = bot.emulator.admin.servicePrincipalByAppId(OWNER_APP_ID);
  expect(bot.emulator.admin.group(done.groupId as string)?.ownerIds).toEqual([owner?.id]);
  expect((await fetch(`${bot.app.url}/readyz`)).status).toBe(200);
});
