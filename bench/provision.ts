/**
 * Provision N policies (default 1,000) against the sandbox Graph emulator through the real Graph adapter and
 * provisioning service, first without and then with a directory-write throttle, and print:
 *  - Graph calls per group (logical calls, and HTTP attempts including 429 retries; target ≤ 2 logical),
 *  - total time against the throttle's lower bound (target ≥ 90 % of the bound's throughput),
 *  - duplicate groups (must be 0) and peak memory.
 *
 * Usage: npm run bench:provision [-- N]   (or BENCH_N=…; BENCH_RATE, BENCH_BURST, BENCH_CONCURRENCY tune it)
 */
import { orderFor } from '../test/provisioning/support/names';
import { createGraphDirectory } from '../src/graph/graphDirectory';
import { createProvisioningService } from '../src/provisioning/service';
import { startGraphEmulator, type GraphEmulator } from '../src/sandbox/graphEmulator';
import type { GraphEmulatorFaults } from '../src/sandbox/faults';
import { createMemoryRegistry } from '../test/provisioning/support/memoryRegistry';
import { inParallel } from './support/parallel';

const TOKEN = 'bench-token';

interface Settings {
  readonly n: number;
  readonly ratePerSecond: number;
  readonly burst: number;
  readonly concurrency: number;
}

interface RunResult {
  readonly seconds: number;
  readonly logicalCallsPerGroup: number;
  readonly attemptsPerGroup: number;
  readonly throttled: number;
  readonly duplicates: number;
  readonly groups: number;
}

function positiveInteger(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, not "${raw}".`);
  return value;
}

function settingsFrom(argv: readonly string[], env: NodeJS.ProcessEnv): Settings {
  return {
    n: positiveInteger('N', argv[2] ?? env.BENCH_N, 1000),
    ratePerSecond: positiveInteger('BENCH_RATE', env.BENCH_RATE, 100),
    // Graph refills continuously and answers whole-second Retry-After: a burst of one second's rate wastes nothing.
    burst: positiveInteger('BENCH_BURST', env.BENCH_BURST, 100),
    concurrency: positiveInteger('BENCH_CONCURRENCY', env.BENCH_CONCURRENCY, 16),
  };
}

/** Samples resident memory while the benchmark runs. */
function memoryPeak(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss);
    },
  };
}

function duplicatesIn(emulator: GraphEmulator): number {
  const perName = new Map<string, number>();
  for (const group of emulator.admin.groups()) {
    const key = group.uniqueName ?? group.id;
    perName.set(key, (perName.get(key) ?? 0) + 1);
  }
  return [...perName.values()].reduce((sum, count) => sum + count - 1, 0);
}

async function provisionAll(settings: Settings, faults: GraphEmulatorFaults): Promise<RunResult> {
  const emulator = await startGraphEmulator({ requiredToken: TOKEN });
  try {
    const directory = createGraphDirectory({
      baseUrl: emulator.url,
      credential: { kind: 'static', token: TOKEN },
      retry: { maxRetries: 10, maxRetryTimeMs: 600_000 },
    });
    const service = createProvisioningService({ directory, registry: createMemoryRegistry() });
    await service.ownerServicePrincipalId(); // cached for the run: not a per-group call
    emulator.clearRequestLog();
    emulator.setFaults(faults);

    const started = process.hrtime.bigint();
    await inParallel(settings.n, settings.concurrency, (index) =>
      service.ensureGroup(orderFor(service, `Bench policy ${index}`, index % 2 === 0 ? 'userDriven' : 'automatic'), { aadObjectId: 'bench', name: 'Bench' }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;

    const log = emulator.requestLog;
    return {
      seconds,
      logicalCallsPerGroup: new Set(log.map((entry) => entry.clientRequestId)).size / settings.n,
      attemptsPerGroup: log.length / settings.n,
      throttled: log.filter((entry) => entry.status === 429).length,
      duplicates: duplicatesIn(emulator),
      groups: emulator.admin.groups().length,
    };
  } finally {
    await emulator.close();
  }
}

function describeRun(label: string, run: RunResult, n: number): string {
  return [
    `${label}:`,
    `  groups created            ${run.groups} of ${n}, duplicates ${run.duplicates}`,
    `  Graph calls per group     ${run.logicalCallsPerGroup.toFixed(2)} logical, ${run.attemptsPerGroup.toFixed(2)} HTTP attempts (${run.throttled} answered 429)`,
    `  total time                ${run.seconds.toFixed(2)} s (${(n / run.seconds).toFixed(0)} groups/s)`,
  ].join('\n');
}

async function main(): Promise<void> {
  const settings = settingsFrom(process.argv, process.env);
  const memory = memoryPeak();
  console.log(
    `Provisioning ${settings.n} policies, ${settings.concurrency} at a time; write throttle ${settings.ratePerSecond}/s, burst ${settings.burst}.\n`,
  );

  const unthrottled = await provisionAll(settings, {});
  console.log(describeRun('Baseline (no throttle)', unthrottled, settings.n));

  const throttled = await provisionAll(settings, {
    writeThrottle: { capacity: settings.burst, refillPerSecond: settings.ratePerSecond, retryAfterPrecision: 'seconds' },
  });
  console.log(describeRun('With write throttle', throttled, settings.n));

  // One write (the upsert) per group: the bucket's burst is free, the rest arrives at the refill rate.
  const boundSeconds = Math.max(0, settings.n - settings.burst) / settings.ratePerSecond;
  const efficiency = boundSeconds / throttled.seconds;
  const peakMb = memory.stop() / 1024 / 1024;
  console.log(
    [
      '',
      `Throttle lower bound      ${boundSeconds.toFixed(2)} s; achieved ${(efficiency * 100).toFixed(1)} % of the bound (target ≥ 90 %)`,
      `Throttled / baseline time ${(throttled.seconds / unthrottled.seconds).toFixed(2)}×`,
      `Calls per group target    ≤ 2 logical: ${throttled.logicalCallsPerGroup <= 2 ? 'met' : 'MISSED'}`,
      `Duplicates                ${unthrottled.duplicates + throttled.duplicates} (must be 0)`,
      `Peak memory (RSS)         ${peakMb.toFixed(0)} MB (emulator and client in one process)`,
    ].join('\n'),
  );
  if (unthrottled.duplicates + throttled.duplicates > 0 || throttled.groups !== settings.n) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
