/**
 * The inventory paced to Intune's documented budget (issue 20), through the real Graph adapter (JSON batching,
 * the pacer) against the emulator over HTTP with Intune's service limits on, and a real SQLite store: 150
 * policies are more retrieve… POSTs than one window allows, and none of them is throttled.
 */
import { watchPace } from '../../src/app/services';
import { SCENARIO_INFO } from '../../src/domain/scenario';
import { createGraphDirectory } from '../../src/graph/graphDirectory';
import { INTUNE_LIMITS, INTUNE_WINDOW_MS } from '../../src/graph/intuneLimits';
import { createIntunePacer, type RequestPacer } from '../../src/graph/intunePacer';
import { createInventory } from '../../src/inventory/inventory';
import { createTenantPolicies } from '../../src/inventory/tenant';
import { startGraphEmulator, type GraphEmulator } from '../../src/sandbox/graphEmulator';
import type { IntuneThrottleOptions } from '../../src/sandbox/intuneThrottle';
import type { Clock } from '../../src/shared/clock';
import type { Store } from '../../src/store';
import { FAST_RETRY, SANDBOX_TOKEN } from '../provisioning/support/sandbox';
import { sqliteHarness, type StoreHarness } from '../store/support/harness';

const POLICIES = 150;
const POSTS_PER_WINDOW = INTUNE_LIMITS.deviceConfigV2.write;

let emulator: GraphEmulator | undefined;
let harness: StoreHarness;
let store: Store;
/** Virtual time, for the runs on the emulator's documented window: it moves only when something waits. */
let virtualMs: number;
const virtualClock: Clock = { now: () => new Date(virtualMs) };
const virtualSleep = async (ms: number): Promise<void> => void (virtualMs += ms);

beforeEach(async () => {
  virtualMs = Date.parse('2026-12-01T08:00:00Z');
  harness = sqliteHarness();
  store = await harness.open();
});

afterEach(async () => {
  await store.close();
  await harness.dispose();
  await emulator?.close();
  emulator = undefined;
});

/** Each policy with its own group, selecting a shared app and script assigned to that group, assigned to users. */
async function scene(throttle: IntuneThrottleOptions, clock?: Clock): Promise<GraphEmulator> {
  const started = await startGraphEmulator({ requiredToken: SANDBOX_TOKEN, seed: { policies: [] }, ...(clock ? { clock } : {}) });
  const { admin } = started;
  const owner = admin.ownerServicePrincipalId as string;
  const groups = Array.from({ length: POLICIES }, (_, index) => admin.addGroup({ displayName: `Paced devices ${index}`, ownerIds: [owner] }).id);
  const app = admin.intune.addApp({ displayName: 'Portal', appType: 'win32LobApp', runAsAccount: 'system', assignments: groups.map((groupId) => ({ intent: 'required', target: { kind: 'group', groupId } })) });
  const script = admin.intune.addScript({ displayName: 'Rename', runAsAccount: 'system', assignments: groups.map((groupId) => ({ kind: 'group', groupId })) });
  groups.forEach((groupId, index) => {
    const policy = admin.addPolicy({ name: `Paced policy ${index}`, templateId: SCENARIO_INFO.userDriven.templateId, membershipTargetIds: [groupId] });
    admin.intune.selectForPolicy(policy.id, { apps: [app], scripts: [script] });
    admin.intune.assignPolicy(policy.id, [{ kind: 'allLicensedUsers' }]);
  });
  started.setFaults({ intuneThrottle: throttle });
  started.clearRequestLog();
  emulator = started;
  return started;
}

function inventoryOver(url: string, options: { pacer?: RequestPacer; virtual?: boolean; pace?: (policyIds: readonly string[]) => Promise<void> }) {
  const directory = createGraphDirectory({
    baseUrl: url,
    credential: { kind: 'static', token: SANDBOX_TOKEN },
    retry: FAST_RETRY,
    batchReads: options.virtual ? { sleep: virtualSleep, now: () => virtualMs } : {},
    ...(options.pacer ? { pacer: options.pacer } : {}),
  });
  return createInventory({ tenant: createTenantPolicies({ directory }), records: store, readiness: directory, ...(options.pace ? { pace: options.pace } : {}) });
}

/** Requests Graph answered 429: whole requests and requests inside a batch. */
const throttled = (on: GraphEmulator): number => on.requestLog.reduce((sum, entry) => sum + (entry.batch ? entry.batch.throttled : entry.status === 429 ? 1 : 0), 0);
/** Requests sent, each request inside a batch counted. */
const sent = (on: GraphEmulator): number => on.requestLog.reduce((sum, entry) => sum + (entry.batch?.requests ?? 1), 0);

/** Every policy read, each finding only that its hand-made group is not the bot's. */
function expectWholeAndRight(entries: readonly { readonly findings: readonly { readonly code: string }[] }[]): void {
  expect(entries).toHaveLength(POLICIES);
  expect(entries.every((entry) => entry.findings.map((finding) => finding.code).join() === 'notRecorded')).toBe(true);
}

describe('the inventory paced to Intune\'s budget', () => {
  it('reads 150 policies on a window shortened 5× with no request throttled', async () => {
    const on = await scene({ timeScale: 5, retryAfterPrecision: 'milliseconds' });
    const report = await inventoryOver(on.url, { pacer: createIntunePacer({ timeScale: 5 }) }).take();
    expectWholeAndRight(report.entries);
    expect(throttled(on)).toBe(0);
    // Targets, settings and assignments of every policy, the groups, the app and the script: all answered.
    expect(sent(on)).toBeGreaterThan(4 * POLICIES);
  });

  describe('on the documented window, in virtual time', () => {
    it('waits for the budget instead: no request throttled, and time moved as the POST budget refilled', async () => {
      const on = await scene({}, virtualClock);
      const pacer = createIntunePacer({ clock: virtualClock, sleep: virtualSleep });
      const startedAt = virtualMs;
      expectWholeAndRight((await inventoryOver(on.url, { pacer, virtual: true }).take()).entries);
      expect(throttled(on)).toBe(0);
      // 150 POSTs against 90 at once (the headroom kept), then one per 200 ms.
      expect(virtualMs - startedAt).toBeGreaterThanOrEqual((POLICIES - 90) * (INTUNE_WINDOW_MS / POSTS_PER_WINDOW));
    });

    it('without the pacer, is throttled and still completes by honouring Retry-After', async () => {
      const on = await scene({}, virtualClock);
      expectWholeAndRight((await inventoryOver(on.url, { virtual: true }).take()).entries);
      expect(throttled(on)).toBeGreaterThan(0);
    });

    it("a health-watch pass spends only the watch's half of the budget", async () => {
      const on = await scene({}, virtualClock);
      const pacer = createIntunePacer({ clock: virtualClock, sleep: virtualSleep });
      const startedAt = virtualMs;
      const pace = watchPace({ clock: virtualClock, sleep: virtualSleep });
      expectWholeAndRight((await inventoryOver(on.url, { pacer, virtual: true, pace }).take()).entries);
      expect(throttled(on)).toBe(0);
      // Half of 100 POSTs per 20 s: 45 at once, then one per 400 ms.
      expect(virtualMs - startedAt).toBeGreaterThanOrEqual((POLICIES - 45) * (INTUNE_WINDOW_MS / (POSTS_PER_WINDOW / 2)));
    });

    it('with two instances sharing the app, a watch pass spends half of the half', async () => {
      const on = await scene({}, virtualClock);
      const pacer = createIntunePacer({ clock: virtualClock, sleep: virtualSleep, share: 1 / 2 });
      const startedAt = virtualMs;
      const pace = watchPace({ clock: virtualClock, sleep: virtualSleep, instances: 2 });
      expectWholeAndRight((await inventoryOver(on.url, { pacer, virtual: true, pace }).take()).entries);
      expect(throttled(on)).toBe(0);
      // A quarter of 100 POSTs per 20 s: at most 25 at once, then one per 800 ms.
      expect(virtualMs - startedAt).toBeGreaterThanOrEqual((POLICIES - 25) * (INTUNE_WINDOW_MS / (POSTS_PER_WINDOW / 4)));
    });
  });
});
