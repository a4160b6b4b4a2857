/**
 * The inventory of N device-preparation policies (default 500), each with its own hand-made group, against the
 * sandbox Graph emulator through the real Graph adapter and a real SQLite store: once without and once with the
 * emulator's directory-write throttle, and prints
 *  - Graph calls per policy (logical calls and HTTP attempts; the list's pages and the owner lookup included),
 *  - writes made (must be 0: the inventory only reads, so it never spends provisioning's write budget),
 *  - total time, and the throttled run against the throttle's bound for the writes it makes (none: 0 s).
 *
 * Usage: npm run bench:inventory [-- N]   (or BENCH_N=…; BENCH_RATE, BENCH_BURST tune the throttle)
 */
import { createTenantPolicies } from '../src/inventory/tenant';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCENARIO_INFO } from '../src/domain/scenario';
import { createInventory } from '../src/inventory/inventory';
import { createGraphDirectory } from '../src/graph/graphDirectory';
import { isWrite } from '../src/sandbox/routes';
import { startGraphEmulator } from '../src/sandbox/graphEmulator';
import type { GraphEmulatorFaults } from '../src/sandbox/faults';
import { openStore } from '../src/store';

const TOKEN = 'bench-token';

interface RunResult {
  readonly seconds: number;
  readonly logicalPerPolicy: number;
  readonly attemptsPerPolicy: number;
  readonly writes: number;
  readonly throttled: number;
  readonly findings: number;
}

function positiveInteger(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, not "${raw}".`);
  return value;
}

async function inventoryRun(n: number, faults: GraphEmulatorFaults): Promise<RunResult> {
  const emulator = await startGraphEmulator({ requiredToken: TOKEN, seed: { policies: [] } });
  const dir = mkdtempSync(join(tmpdir(), 'bench-inventory-'));
  const store = await openStore({ kind: 'sqlite', path: join(dir, 'bench.sqlite') });
  try {
    const owner = emulator.admin.ownerServicePrincipalId as string;
    for (let index = 0; index < n; index += 1) {
      const group = emulator.admin.addGroup({ displayName: `Bench devices ${index}`, ownerIds: [owner] });
      const templateId = (index % 2 === 0 ? SCENARIO_INFO.userDriven : SCENARIO_INFO.automatic).templateId;
      emulator.admin.addPolicy({ name: `Bench policy ${index}`, templateId, membershipTargetIds: [group.id] });
    }
    const directory = createGraphDirectory({ baseUrl: emulator.url, credential: { kind: 'static', token: TOKEN }, retry: { maxRetries: 10, maxRetryTimeMs: 600_000 } });
    const inventory = createInventory({ tenant: createTenantPolicies({ directory }), records: store });
    emulator.setFaults(faults);
    emulator.clearRequestLog();
    const started = process.hrtime.bigint();
    const report = await inventory.take();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const log = emulator.requestLog;
    return {
      seconds,
      logicalPerPolicy: new Set(log.map((entry) => entry.clientRequestId)).size / n,
      attemptsPerPolicy: log.length / n,
      writes: log.filter((entry) => isWrite(entry.method, new URL(entry.path, emulator.url).pathname.replace(/^\/(v1\.0|beta)/, ''))).length,
      throttled: log.filter((entry) => entry.status === 429).length,
      findings: report.entries.reduce((sum, entry) => sum + entry.findings.length, 0),
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    await emulator.close();
  }
}

function describeRun(label: string, run: RunResult): string {
  return [
    `${label}:`,
    `  Graph calls per policy    ${run.logicalPerPolicy.toFixed(2)} logical, ${run.attemptsPerPolicy.toFixed(2)} HTTP attempts (${run.throttled} answered 429)`,
    `  writes                    ${run.writes} (must be 0)`,
    `  total time                ${run.seconds.toFixed(2)} s`,
    `  findings                  ${run.findings} (each policy: notRecorded, a hand-made group)`,
  ].join('\n');
}

async function main(): Promise<void> {
  const n = positiveInteger('N', process.argv[2] ?? process.env.BENCH_N, 500);
  const rate = positiveInteger('BENCH_RATE', process.env.BENCH_RATE, 100);
  const burst = positiveInteger('BENCH_BURST', process.env.BENCH_BURST, 100);
  console.log(`Inventory of ${n} device-preparation policies; write throttle ${rate}/s, burst ${burst}.\n`);
  const baseline = await inventoryRun(n, {});
  console.log(describeRun('Baseline (no throttle)', baseline));
  const throttled = await inventoryRun(n, { writeThrottle: { capacity: burst, refillPerSecond: rate, retryAfterPrecision: 'seconds' } });
  console.log(describeRun('With write throttle', throttled));
  // The throttle's lower bound is (writes − burst) / rate: for an inventory that writes nothing, 0 s.
  const boundSeconds = Math.max(0, throttled.writes - burst) / rate;
  console.log(
    [
      '',
      `Throttle lower bound      ${boundSeconds.toFixed(2)} s for ${throttled.writes} writes; the run took ${throttled.seconds.toFixed(2)} s (reads only, never throttled)`,
      `Throttled / baseline time ${(throttled.seconds / baseline.seconds).toFixed(2)}×`,
    ].join('\n'),
  );
  if (baseline.writes + throttled.writes > 0 || throttled.throttled > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
