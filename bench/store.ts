/**
 * Store benchmark (`npm run bench:store`): requests created and approved per second, and p50/p99 latency
 * of each store operation the requests service uses, for SQLite and — when TEST_DATABASE_URL or
 * DATABASE_URL is set — PostgreSQL, in one run. SQLite is the baseline the ratios refer to.
 * Each adapter gets a throw-away database (temporary file / fresh schema, dropped afterwards).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { auditToCsv } from '../src/cli/csv';
import type { Actor } from '../src/domain/actor';
import { openStore, type Store, type StoreOptions } from '../src/store';
import type { NewRequestRecord } from '../src/requests/ports';
import { inParallel } from './support/parallel';

const SEQUENTIAL = Number(process.env['BENCH_REQUESTS'] ?? 500);
const CONCURRENT = Number(process.env['BENCH_CONCURRENT_REQUESTS'] ?? 1000);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 16);

const requester: Actor = { aadObjectId: 'bench-requester', name: 'Bench Requester' };
const approver: Actor = { aadObjectId: 'bench-approver', name: 'Bench Approver' };

interface Figures {
  readonly adapter: string;
  readonly latencies: ReadonlyMap<string, readonly number[]>;
  readonly sequentialPerSecond: number;
  readonly concurrentPerSecond: number;
}

function record(policy: string): NewRequestRecord {
  return {
    policyKey: policy,
    policyName: policy,
    scenario: 'userDriven',
    names: { displayName: `Autopilot DP · ${policy}`, mailNickname: policy, uniqueName: `autopilot-dp-${policy}` },
    requester,
    createdAt: new Date().toISOString(),
  };
}

async function timed<T>(samples: Map<string, number[]>, operation: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await work();
  const list = samples.get(operation) ?? [];
  list.push(performance.now() - start);
  samples.set(operation, list);
  return result;
}

/** One request through submit and approve, as the requests service does it. */
async function createAndApprove(store: Store, policy: string, samples: Map<string, number[]>): Promise<void> {
  await timed(samples, 'findGroup', () => store.findGroup(policy));
  const created = await timed(samples, 'createRequest', () => store.createRequest(record(policy)));
  const request = await timed(samples, 'getRequest', () => store.getRequest(created.request.id));
  if (!request) throw new Error(`bench: ${created.request.id} vanished`);
  const at = new Date().toISOString();
  const decided = await timed(samples, 'transition (approve)', () =>
    store.transitionRequest(
      request.id,
      { state: 'pending' },
      { to: 'approved', at, decision: { kind: 'approved', by: approver, at } },
      { kind: 'approved', at, actor: approver, requestId: request.id, policyKey: policy },
    ),
  );
  if (decided.kind !== 'applied') throw new Error(`bench: approving ${request.id} gave ${decided.kind}`);
  await timed(samples, 'appendAudit', () =>
    store.appendAudit({ kind: 'graphCall', at, requestId: request.id, graphRequestId: `graph-${policy}` }),
  );
}

async function measure(adapter: string, options: StoreOptions): Promise<Figures> {
  const store = await openStore(options);
  try {
    const samples = new Map<string, number[]>();
    const sequentialStart = performance.now();
    for (let i = 0; i < SEQUENTIAL; i++) await createAndApprove(store, `seq-${i}`, samples);
    const sequentialSeconds = (performance.now() - sequentialStart) / 1000;

    const concurrentSamples = new Map<string, number[]>();
    const concurrentStart = performance.now();
    await inParallel(CONCURRENT, CONCURRENCY, (index) => createAndApprove(store, `par-${index}`, concurrentSamples));
    const concurrentSeconds = (performance.now() - concurrentStart) / 1000;
    await timed(samples, 'exportAuditCsv (all)', async () => auditToCsv(await store.listAudit()));
    return {
      adapter,
      latencies: samples,
      sequentialPerSecond: SEQUENTIAL / sequentialSeconds,
      concurrentPerSecond: CONCURRENT / concurrentSeconds,
    };
  } finally {
    await store.close();
  }
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function report(results: readonly Figures[]): void {
  const [baseline] = results;
  if (!baseline) return;
  const ms = (value: number): string => value.toFixed(3).padStart(9);
  console.log(`\nLatency per operation, ms (sequential run of ${SEQUENTIAL} requests)`);
  console.log(`${'operation'.padEnd(24)}${results.map((r) => `${r.adapter} p50`.padStart(16) + `${r.adapter} p99`.padStart(16)).join('')}`);
  for (const operation of baseline.latencies.keys()) {
    const cells = results.map((r) => {
      const values = r.latencies.get(operation) ?? [];
      return ms(percentile(values, 50)).padStart(16) + ms(percentile(values, 99)).padStart(16);
    });
    console.log(`${operation.padEnd(24)}${cells.join('')}`);
  }
  console.log('\nRequests created and approved per second');
  for (const r of results) {
    const ratio = (value: number, base: number): string => `${(value / base).toFixed(2)}× SQLite`;
    console.log(
      `${r.adapter.padEnd(12)} sequential ${r.sequentialPerSecond.toFixed(0).padStart(6)}/s (${ratio(r.sequentialPerSecond, baseline.sequentialPerSecond)})` +
        `   ${CONCURRENCY} concurrent ${r.concurrentPerSecond.toFixed(0).padStart(6)}/s (${ratio(r.concurrentPerSecond, baseline.concurrentPerSecond)})`,
    );
  }
}

async function withPostgresSchema<T>(url: string, work: (options: StoreOptions) => Promise<T>): Promise<T> {
  const schema = `bench_${process.pid}_${Date.now()}`;
  try {
    return await work({ kind: 'postgres', url, schema, poolSize: CONCURRENCY });
  } finally {
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'adgb-bench-'));
  const results: Figures[] = [];
  try {
    results.push(await measure('SQLite', { kind: 'sqlite', path: join(dir, 'bench.sqlite') }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const url = process.env['TEST_DATABASE_URL'] ?? process.env['DATABASE_URL'];
  if (url) {
    results.push(await withPostgresSchema(url, (options) => measure('PostgreSQL', options)));
  } else {
    console.log('PostgreSQL SKIPPED: set TEST_DATABASE_URL (or DATABASE_URL) to compare it with SQLite.');
  }
  report(results);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
