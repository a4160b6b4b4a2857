/**
 * Approval benchmark (`npm run bench:approvals`): approve → provisioned latency through the real requests
 * service, provisioning service and Graph adapter against the sandbox Graph emulator with a realistic
 * per-call Graph latency, on a SQLite store. The baseline, measured in the same run, is the time Graph
 * itself needs for the calls one group takes (calls per group × the emulator's latency, observed).
 *
 * Tuning: BENCH_APPROVALS (default 40 sequential and 40 concurrent), BENCH_GRAPH_LATENCY_MS (default 60),
 * BENCH_APPROVAL_CONCURRENCY (default 8).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Actor } from '../src/domain/actor';
import { createGraphDirectory } from '../src/graph';
import { createProvisioningService } from '../src/provisioning';
import { createRequestsService } from '../src/requests/service';
import type { RequestsService } from '../src/requests/types';
import type { RequestEvent } from '../src/requests/ports';
import { startGraphEmulator, type GraphEmulator } from '../src/sandbox/graphEmulator';
import { openStore, type Store } from '../src/store';
import { inParallel } from './support/parallel';
import { mean, positiveIntegerFrom, quantile, table } from './support/stats';

const TOKEN = 'bench-token';
const requester: Actor = { aadObjectId: '0b0b0b0b-0000-4000-8000-000000000011', name: 'Bench Helpdesk' };
const approver: Actor = { aadObjectId: '0b0b0b0b-0000-4000-8000-000000000012', name: 'Bench Approver' };

interface Rig {
  readonly service: RequestsService;
  readonly emulator: GraphEmulator;
  readonly store: Store;
  /** Resolves when the request reaches provisioned (rejects on failed). */
  provisioned(requestId: string): Promise<void>;
}

async function rig(dir: string, latencyMs: number): Promise<Rig> {
  const emulator = await startGraphEmulator({ requiredToken: TOKEN, faults: { latencyMs } });
  const store = await openStore({ kind: 'sqlite', path: join(dir, 'approvals.sqlite') });
  const waiting = new Map<string, { resolve: () => void; reject: (error: Error) => void }>();
  const onEvent = (event: RequestEvent): void => {
    const waiter = waiting.get(event.request.id);
    if (!waiter) return;
    if (event.kind === 'provisioned') waiter.resolve();
    if (event.kind === 'failed') waiter.reject(new Error(`${event.request.id} failed: ${event.request.failureReason ?? ''}`));
  };
  const directory = createGraphDirectory({ baseUrl: emulator.url, credential: { kind: 'static', token: TOKEN } });
  const service = createRequestsService({
    store,
    provisioning: createProvisioningService({ directory, registry: store }),
    approvers: { isApprover: async (actor) => actor.aadObjectId === approver.aadObjectId, listApprovers: async () => [approver.aadObjectId] },
    notifier: { notify: async (event) => (onEvent(event), {}) },
  });
  return {
    service,
    emulator,
    store,
    provisioned: (requestId) => new Promise((resolve, reject) => waiting.set(requestId, { resolve, reject })),
  };
}

interface Sample {
  readonly approveMs: number;
  readonly provisionedMs: number;
}

async function approveAndWait(target: Rig, policyName: string): Promise<Sample> {
  const submitted = await target.service.submit({ policyName, scenario: 'userDriven', requester });
  if (submitted.kind !== 'created') throw new Error(`submit ${policyName}: ${submitted.kind}`);
  const done = target.provisioned(submitted.request.id);
  const started = performance.now();
  const decided = await target.service.approve(submitted.request.id, approver);
  const approveMs = performance.now() - started;
  if (decided.kind !== 'decided') throw new Error(`approve ${submitted.request.id}: ${decided.kind}`);
  await done;
  return { approveMs, provisionedMs: performance.now() - started };
}

const row = (label: string, values: readonly number[]): string[] => [
  label,
  String(values.length),
  quantile(values, 0.5).toFixed(1),
  quantile(values, 0.99).toFixed(1),
  mean(values).toFixed(1),
];

async function main(): Promise<void> {
  const count = positiveIntegerFrom(process.env, 'BENCH_APPROVALS', 40);
  const latencyMs = positiveIntegerFrom(process.env, 'BENCH_GRAPH_LATENCY_MS', 60);
  const concurrency = positiveIntegerFrom(process.env, 'BENCH_APPROVAL_CONCURRENCY', 8);
  const dir = mkdtempSync(join(tmpdir(), 'adgb-bench-approvals-'));
  const target = await rig(dir, latencyMs);
  try {
    await target.service.submit({ policyName: 'Warm-up', scenario: 'automatic', requester }).then(async (result) => {
      if (result.kind === 'created') {
        const done = target.provisioned(result.request.id);
        await target.service.approve(result.request.id, approver);
        await done;
      }
    });
    target.emulator.clearRequestLog();
    const sequential: Sample[] = [];
    for (let index = 0; index < count; index++) sequential.push(await approveAndWait(target, `Approval bench ${index}`));
    const callsPerGroup = target.emulator.requestLog.length / count;
    const concurrent = await inParallel(count, concurrency, (index) => approveAndWait(target, `Approval bench concurrent ${index}`));
    await target.service.idle();

    const graphFloorMs = callsPerGroup * latencyMs;
    const seqProvisioned = sequential.map((sample) => sample.provisionedMs);
    console.log(`Graph emulator latency ${latencyMs} ms per call; ${callsPerGroup.toFixed(2)} Graph calls per approved request (owner lookup cached).\n`);
    console.log(
      table(
        ['measure', 'n', 'p50 ms', 'p99 ms', 'mean ms'],
        [
          row('approve answered (sequential)', sequential.map((sample) => sample.approveMs)),
          row('approve → provisioned (sequential)', seqProvisioned),
          row(`approve → provisioned (${concurrency} at a time)`, concurrent.map((sample) => sample.provisionedMs)),
        ],
      ),
    );
    const overhead = quantile(seqProvisioned, 0.5) - graphFloorMs;
    console.log(
      `\nBaseline: Graph alone needs ${graphFloorMs.toFixed(0)} ms per group (${callsPerGroup.toFixed(2)} calls × ${latencyMs} ms);` +
        ` the bot adds ${overhead.toFixed(1)} ms at p50 (${(quantile(seqProvisioned, 0.5) / graphFloorMs).toFixed(2)}× the baseline).`,
    );
    const groups = target.emulator.admin.groups();
    const duplicates = groups.length - new Set(groups.map((group) => group.uniqueName)).size;
    console.log(`Groups created ${groups.length} for ${2 * count + 1} approvals, duplicates ${duplicates} (must be 0).`);
    console.log('Graph calls per group, throttle bound and duplicates at scale: npm run bench:provision.');
    if (duplicates > 0) process.exitCode = 1;
  } finally {
    await target.service.idle();
    await target.store.close();
    await target.emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
