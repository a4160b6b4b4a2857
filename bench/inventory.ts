/**
 * The inventory at scale (issue 20): N device-preparation policies (default 5,000), each with its own group and
 * selecting 4 apps and 2 scripts from a shared catalogue (100 apps, 30 scripts), against the sandbox emulator
 * with Intune's documented service limits on, through the real Graph adapter (paced to Intune's budget, as the
 * product is) and a real SQLite store. Runs in the same process, each on a fresh emulator and store:
 *  - batched: reads made together go out as JSON batches (the product's configuration);
 *  - not batched: the same inventory, every request its own HTTP round trip;
 *  - one health-watch pass (the watch's pace: half of Intune's POST budget) at the same size;
 *  - with BENCH_UNPACED=1 also batched without the pacer (the inventory before it was paced).
 * The inventory runs in a child process of its own, so that its peak RSS is not the emulator's (which holds
 * the whole tenant); printed per run: HTTP round trips per policy, logical reads per policy, 429s, time against
 * the throttle's lower bound, the inventory process's and the emulator process's peak RSS.
 *
 * The throttle's 20 s window is shortened BENCH_THROTTLE_SCALE times (default 20) so that a run takes about a
 * minute instead of twenty; every limit keeps its ratio, and the pacer is told the same scale. Retry-After stays
 * in whole seconds, as Graph sends it.
 *
 * Usage: npm run bench:inventory [-- N]   (or BENCH_N=…; BENCH_THROTTLE_SCALE=1 for the documented window)
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WATCH_INTUNE_SHARE, watchPace } from '../src/app/services';
import { SCENARIO_INFO } from '../src/domain/scenario';
import { createGraphClient } from '../src/graph/graphClient';
import { createGraphDirectory } from '../src/graph/graphDirectory';
import { INTUNE_LIMITS, INTUNE_WINDOW_MS } from '../src/graph/intuneLimits';
import { createIntunePacer } from '../src/graph/intunePacer';
import { createIntuneReadiness } from '../src/graph/intuneReadiness';
import { createInventory } from '../src/inventory/inventory';
import type { IntuneReadinessReader } from '../src/inventory/intune';
import { createTenantPolicies } from '../src/inventory/tenant';
import { startGraphEmulator, type GraphEmulator } from '../src/sandbox/graphEmulator';
import type { SandboxApp, SandboxScript } from '../src/sandbox/intuneState';
import { openStore } from '../src/store';
import { z } from 'zod';

const TOKEN = 'bench-token';
const APPS = 100;
const SCRIPTS = 30;
const APPS_PER_POLICY = 4;
const SCRIPTS_PER_POLICY = 2;
const RETRY = { maxRetries: 10, maxRetryTimeMs: 600_000 };
const CHILD_FLAG = '--inventory-child';


/** What the child process is asked to do: one inventory of the emulator at `url`. */
const orderSchema = z.object({ url: z.string().url(), scale: z.number().positive(), mode: z.enum(['batched', 'notBatched', 'watch', 'batchedUnpaced']) });
type Order = z.infer<typeof orderSchema>;
type Mode = Order['mode'];

/** What it measured on its side. */
interface Taken {
  readonly seconds: number;
  readonly findings: number;
  readonly peakRssMb: number;
}

interface RunResult extends Taken {
  readonly roundTripsPerPolicy: number;
  readonly readsPerPolicy: number;
  readonly attemptsPerPolicy: number;
  readonly throttled: number;
  readonly emulatorPeakRssMb: number;
}

function positiveNumber(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!(value > 0)) throw new Error(`${name} must be a positive number, not "${raw}".`);
  return value;
}

/** The scene: every 97th policy selects an app not assigned to its group, every 89th a user-context script. */
async function scene(n: number, scale: number): Promise<GraphEmulator> {
  const emulator = await startGraphEmulator({ requiredToken: TOKEN, seed: { policies: [] } });
  const { admin } = emulator;
  const owner = admin.ownerServicePrincipalId as string;
  const selection = (index: number) => ({
    apps: Array.from({ length: APPS_PER_POLICY }, (_, k) => (index * 3 + k) % APPS),
    scripts: Array.from({ length: SCRIPTS_PER_POLICY }, (_, k) => (index + k * 7) % SCRIPTS),
  });
  const groups = Array.from({ length: n }, (_, index) => admin.addGroup({ displayName: `Bench devices ${index}`, ownerIds: [owner] }).id);
  const appGroups = Array.from({ length: APPS }, () => [] as string[]);
  const scriptGroups = Array.from({ length: SCRIPTS }, () => [] as string[]);
  for (let index = 0; index < n; index++) {
    const { apps, scripts } = selection(index);
    apps.forEach((app, k) => {
      if (index % 97 !== 0 || k !== 0) appGroups[app]?.push(groups[index]);
    });
    for (const script of scripts) scriptGroups[script]?.push(groups[index]);
  }
  const apps: SandboxApp[] = appGroups.map((groupIds, index) =>
    admin.intune.addApp({ displayName: `App ${index}`, appType: index % 2 ? 'win32LobApp' : 'winGetApp', runAsAccount: 'system', assignments: groupIds.map((groupId) => ({ intent: 'required', target: { kind: 'group', groupId } })) }),
  );
  const scripts: SandboxScript[] = scriptGroups.map((groupIds, index) =>
    admin.intune.addScript({ displayName: `Script ${index}`, runAsAccount: index === 5 ? 'user' : 'system', assignments: groupIds.map((groupId) => ({ kind: 'group', groupId })) }),
  );
  for (let index = 0; index < n; index++) {
    const templateId = SCENARIO_INFO.userDriven.templateId;
    const policy = admin.addPolicy({ name: `Bench policy ${index}`, templateId, membershipTargetIds: [groups[index]] });
    const chosen = selection(index);
    admin.intune.selectForPolicy(policy.id, { apps: chosen.apps.map((app) => apps[app]), scripts: chosen.scripts.map((script) => scripts[script]) });
    admin.intune.assignPolicy(policy.id, [{ kind: 'allLicensedUsers' }]);
  }
  emulator.setFaults({ intuneThrottle: { timeScale: scale } });
  emulator.clearRequestLog();
  return emulator;
}

/** The child's side: the inventory as the bot composes it (paced, batched unless told otherwise), timed. */
async function takeInventory(order: Order): Promise<Taken> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-inventory-'));
  const store = await openStore({ kind: 'sqlite', path: join(dir, 'bench.sqlite') });
  try {
    // One pacer for every client of the tenant, told the emulator's shortened window.
    const pacer = order.mode === 'batchedUnpaced' ? undefined : createIntunePacer({ timeScale: order.scale });
    const options = { baseUrl: order.url, credential: { kind: 'static' as const, token: TOKEN }, retry: RETRY, ...(pacer ? { pacer } : {}) };
    const batched = order.mode !== 'notBatched';
    const directory = createGraphDirectory(batched ? { ...options, batchReads: {} } : options);
    // Not batched: every readiness read in an envelope of its own, one HTTP round trip each.
    const readiness: IntuneReadinessReader = batched ? directory : createIntuneReadiness(createGraphClient(options), { maxPerBatch: 1 });
    const pace = order.mode === 'watch' ? watchPace({ timeScale: order.scale }) : undefined;
    const inventory = createInventory({ tenant: createTenantPolicies({ directory }), records: store, readiness, ...(pace ? { pace } : {}) });
    const peak = peakRss();
    const started = process.hrtime.bigint();
    const report = await inventory.take().finally(peak.stop);
    return {
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
      findings: report.entries.reduce((sum, entry) => sum + entry.findings.filter((finding) => finding.code !== 'notRecorded').length, 0),
      peakRssMb: peak.mb(),
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** This process's peak RSS, sampled every 100 ms until stopped. */
function peakRss(): { stop: () => void; mb: () => number } {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  return { stop: () => clearInterval(sampler), mb: () => Math.max(peak, process.memoryUsage().rss) / 2 ** 20 };
}

/** Runs one inventory in a child process of this same script, and waits for what it measured. */
function inChild(order: Order): Promise<Taken> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, [CHILD_FLAG, JSON.stringify(order)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let taken: Taken | undefined;
    child.on('message', (message: Taken) => (taken = message));
    child.on('error', reject);
    child.on('exit', (code) => (taken && code === 0 ? resolve(taken) : reject(new Error(`the inventory child exited with ${code}`))));
  });
}

async function inventoryRun(n: number, scale: number, mode: Mode): Promise<RunResult> {
  const emulator = await scene(n, scale);
  try {
    const peak = peakRss();
    const taken = await inChild({ url: emulator.url, scale, mode }).finally(peak.stop);
    const log = emulator.requestLog;
    const attempts = log.reduce((sum, entry) => sum + (entry.batch?.requests ?? 1), 0);
    const throttled = log.reduce((sum, entry) => sum + (entry.batch ? entry.batch.throttled : entry.status === 429 ? 1 : 0), 0);
    return {
      ...taken,
      roundTripsPerPolicy: log.length / n,
      readsPerPolicy: (attempts - throttled) / n,
      attemptsPerPolicy: attempts / n,
      throttled,
      emulatorPeakRssMb: peak.mb(),
    };
  } finally {
    await emulator.close();
  }
}

/**
 * The least time Intune's limits allow for the run's Intune requests: per limit (device config v2, any and
 * write; applications; devices), (requests − the bucket's capacity) / its rate; the largest of them. `share`:
 * the part of each limit the run may spend (the watch's half).
 */
function throttleBoundSeconds(n: number, scale: number, share = 1): number {
  const windowSeconds = INTUNE_WINDOW_MS / 1000 / scale;
  const pages = Math.ceil(n / 100);
  const buckets = [
    // The list's pages, each policy's target (a POST) and its settings and assignments.
    { requests: pages + 3 * n, limit: INTUNE_LIMITS.deviceConfigV2.any },
    { requests: n, limit: INTUNE_LIMITS.deviceConfigV2.write * share },
    { requests: APPS, limit: INTUNE_LIMITS.applications.any },
    { requests: SCRIPTS, limit: INTUNE_LIMITS.devices.any },
  ];
  return Math.max(...buckets.map(({ requests, limit }) => Math.max(0, requests - limit) / (limit / windowSeconds)));
}

function describeRun(label: string, run: RunResult, bound: number): string {
  return [
    `${label}:`,
    `  HTTP round trips / policy ${run.roundTripsPerPolicy.toFixed(3)}`,
    `  logical reads / policy    ${run.readsPerPolicy.toFixed(2)} (${run.attemptsPerPolicy.toFixed(2)} sent, ${run.throttled} answered 429)`,
    `  time                      ${run.seconds.toFixed(1)} s (throttle lower bound ${bound.toFixed(1)} s: ${((bound / run.seconds) * 100).toFixed(0)} %)`,
    `  peak RSS                  ${run.peakRssMb.toFixed(0)} MB the inventory's process, ${run.emulatorPeakRssMb.toFixed(0)} MB the emulator's`,
    `  findings                  ${run.findings} (besides notRecorded)`,
  ].join('\n');
}

async function main(): Promise<void> {
  const n = Math.round(positiveNumber('N', process.argv[2] ?? process.env.BENCH_N, 5000));
  const scale = positiveNumber('BENCH_THROTTLE_SCALE', process.env.BENCH_THROTTLE_SCALE, 20);
  const bound = throttleBoundSeconds(n, scale);
  console.log(`Inventory of ${n} policies (${APPS_PER_POLICY} of ${APPS} apps and ${SCRIPTS_PER_POLICY} of ${SCRIPTS} scripts each), Intune limits on, window 20 s / ${scale}.\n`);
  const batched = await inventoryRun(n, scale, 'batched');
  console.log(describeRun('Batched', batched, bound));
  const unbatched = await inventoryRun(n, scale, 'notBatched');
  console.log(describeRun('Not batched', unbatched, bound));
  if (process.env.BENCH_UNPACED === '1') console.log(describeRun('Batched, not paced (before the pacer)', await inventoryRun(n, scale, 'batchedUnpaced'), bound));
  const watch = await inventoryRun(n, scale, 'watch');
  console.log(describeRun(`Health-watch pass (batched, ${WATCH_INTUNE_SHARE * 100} % of the POST budget)`, watch, throttleBoundSeconds(n, scale, WATCH_INTUNE_SHARE)));
  console.log(`\nRound trips: batched / not batched ${(batched.roundTripsPerPolicy / unbatched.roundTripsPerPolicy).toFixed(3)}; time ${(batched.seconds / unbatched.seconds).toFixed(2)}×`);
  if (batched.roundTripsPerPolicy > 0.5) process.exitCode = 1;
}

async function child(order: Order): Promise<void> {
  const taken = await takeInventory(order);
  await new Promise<void>((resolve, reject) => process.send?.(taken, (error: Error | null) => (error ? reject(error) : resolve())));
}

const childOrder = process.argv[2] === CHILD_FLAG ? orderSchema.parse(JSON.parse(process.argv[3] ?? '')) : undefined;
(childOrder ? child(childOrder) : main()).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
