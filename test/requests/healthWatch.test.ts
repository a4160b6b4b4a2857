/**
 * The health watch with the real inventory and Graph adapter against the emulator over HTTP, on SQLite and
 * PostgreSQL: one digest per change, nothing reported twice, cleared findings noted, one pass per interval
 * across instances, outages retried at the next interval, nothing recorded for a digest that did not go out.
 */
import { SCENARIO_INFO } from '../../src/domain/scenario';
import { createInventory } from '../../src/inventory/inventory';
import { createTenantPolicies } from '../../src/inventory/tenant';
import { createGraphDirectory } from '../../src/graph';
import { createHealthWatch, type HealthWatch } from '../../src/requests/healthWatch';
import type { DigestPoster, HealthDigest } from '../../src/requests/ports';
import { startGraphEmulator, type GraphEmulator } from '../../src/sandbox/graphEmulator';
import type { Store } from '../../src/store';
import { adapterHarnesses, trackStores, type StoreHarness } from '../store/support/harness';

const TOKEN = 'watch-token';
const FAST_RETRY = { maxRetries: 1, delaySeconds: 0, maxRetryTimeMs: 5000, replicationReadAttempts: 2, replicationReadDelayMs: 10 };
const INTERVAL_MS = 6 * 3600 * 1000;

describe.each(adapterHarnesses())('health watch on %s', (_name, factory) => {
  const run = factory ? it : it.skip;
  let emulator: GraphEmulator;
  let harness: StoreHarness;
  let store: Store;
  let clockMs: number;
  let digests: HealthDigest[];
  let deliver: () => Promise<boolean>;
  const stores = trackStores();

  const poster: DigestPoster = {
    async postDigest(digest) {
      const delivered = await deliver();
      if (delivered) digests.push(digest);
      return delivered;
    },
  };

  const watchAs = (instanceId: string, storeOf: Store = store): HealthWatch => {
    const directory = createGraphDirectory({ baseUrl: emulator.url, credential: { kind: 'static', token: TOKEN }, retry: FAST_RETRY });
    return createHealthWatch({
      store: storeOf,
      inventory: createInventory({ tenant: createTenantPolicies({ directory }), records: storeOf, clock: { now: () => new Date(clockMs) } }),
      digest: poster,
      intervalMs: INTERVAL_MS,
      clock: { now: () => new Date(clockMs) },
      instanceId,
    });
  };

  beforeEach(async () => {
    if (!factory) return;
    clockMs = Date.parse('2026-12-01T08:00:00Z');
    digests = [];
    deliver = async () => true;
    emulator = await startGraphEmulator({ requiredToken: TOKEN, seed: { policies: [] }, clock: { now: () => new Date(clockMs) } });
    harness = factory();
    store = await stores.open(harness);
  });
  afterEach(async () => {
    if (!factory) return;
    await stores.closeAll();
    await harness.dispose();
    await emulator.close();
  });

  const ownerless = () => {
    const group = emulator.admin.addGroup({ displayName: 'Kiosk devices' });
    emulator.admin.addPolicy({ name: 'Kiosks', templateId: SCENARIO_INFO.userDriven.templateId, membershipTargetIds: [group.id] });
    return group;
  };
  const nextInterval = () => {
    clockMs += INTERVAL_MS;
  };

  run('posts new findings once, notes them when they clear, and posts them again when they come back', async () => {
    const group = ownerless();
    const watch = watchAs('a');
    expect(await watch.runPass()).toEqual({ kind: 'done', newFindings: 2, cleared: 0, posted: true });
    expect(digests).toHaveLength(1);
    expect(digests[0]?.newFindings.map((policy) => [policy.policyName, policy.findings.map((f) => f.code).sort(), policy.actions])).toEqual([
      ['Kiosks', ['firstPartyAppNotAnOwner', 'notRecorded'], []],
    ]);

    nextInterval();
    expect(await watch.runPass()).toEqual({ kind: 'done', newFindings: 0, cleared: 0, posted: false });
    expect(digests).toHaveLength(1);

    emulator.admin.addOwner(group.id, emulator.admin.ownerServicePrincipalId as string);
    nextInterval();
    expect(await watch.runPass()).toMatchObject({ kind: 'done', newFindings: 0, cleared: 1, posted: true });
    expect(digests[1]?.cleared).toEqual([{ policyName: 'Kiosks', code: 'firstPartyAppNotAnOwner', detail: expect.any(String) }]);
    expect(digests[1]?.newFindings).toEqual([]);

    emulator.admin.removeOwner(group.id, emulator.admin.ownerServicePrincipalId as string);
    nextInterval();
    expect(await watch.runPass()).toMatchObject({ kind: 'done', newFindings: 1, cleared: 0, posted: true });
    expect(digests[2]?.newFindings[0]?.findings.map((finding) => finding.code)).toEqual(['firstPartyAppNotAnOwner']);
    expect((await store.listAudit()).map((entry) => entry.kind)).toEqual(['healthCheckRun', 'healthCheckRun', 'healthCheckRun', 'healthCheckRun']);
  });

  run('runs one pass per interval however many instances try at once', async () => {
    ownerless();
    // PostgreSQL: four instances, each with its own pool. SQLite is one instance by design: four watches in it.
    const others = harness.dialect === 'postgres' ? await Promise.all([1, 2, 3].map(() => stores.open(harness))) : [store, store, store];
    const watches = [watchAs('a'), ...others.map((other, index) => watchAs(`other-${index}`, other))];
    const outcomes = await Promise.all(watches.map((watch) => watch.runPass()));
    expect(outcomes.filter((outcome) => outcome.kind === 'done')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.kind === 'notMine')).toHaveLength(3);
    expect(digests).toHaveLength(1);
    clockMs += INTERVAL_MS - 1000;
    expect(await watches[1]?.runPass()).toEqual({ kind: 'notMine' });
    clockMs += 1000;
    expect((await Promise.all(watches.map((watch) => watch.runPass()))).filter((outcome) => outcome.kind === 'done')).toHaveLength(1);
  });

  run('ends a pass cleanly when Graph is down, audited, and reports at the next interval', async () => {
    ownerless();
    const watch = watchAs('a');
    emulator.setFaults({ failNext: { status: 503, count: 100 } });
    expect(await watch.runPass()).toMatchObject({ kind: 'failed', reason: expect.stringMatching(/^inventory: /) });
    expect(await store.listReportedFindings()).toEqual([]);
    expect((await store.listAudit()).map((entry) => entry.kind)).toEqual(['healthCheckFailed']);
    emulator.setFaults({});
    expect(await watch.runPass()).toEqual({ kind: 'notMine' });
    nextInterval();
    expect(await watch.runPass()).toMatchObject({ kind: 'done', newFindings: 2, posted: true });
  });

  run('records nothing when the digest reached nobody, or the instance died while posting; the next pass posts again', async () => {
    ownerless();
    const watch = watchAs('a');
    deliver = async () => false;
    expect(await watch.runPass()).toMatchObject({ kind: 'failed', reason: expect.stringContaining('reached no approvals channel') });
    expect(await store.listReportedFindings()).toEqual([]);
    deliver = () => Promise.reject(new Error('process killed mid-post'));
    nextInterval();
    await expect(watch.runPass()).rejects.toThrow('process killed mid-post');
    expect(await store.listReportedFindings()).toEqual([]);
    deliver = async () => true;
    nextInterval();
    expect(await watch.runPass()).toMatchObject({ kind: 'done', newFindings: 2, posted: true });
    expect(await store.listReportedFindings()).toHaveLength(2);
  });
});
