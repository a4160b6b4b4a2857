/**
 * The races the issue names, through the real requests service and a real database: 100 concurrent
 * decisions on one request and 50 concurrent submits for one policy. In one process against both adapters,
 * and on PostgreSQL from two separate processes sharing the database.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createRequestsService } from '../../src/requests/service';
import type { DecideResult, RequestsService, SubmitResult } from '../../src/requests/types';
import type { Store } from '../../src/store';
import { TEST_DATABASE_URL, adapterHarnesses, postgresHarness, trackStores, type StoreHarness } from '../store/support/harness';
import { createFakeProvisioning } from './support/fakeProvisioning';
import { helpdesk } from './support/world';

if (!TEST_DATABASE_URL) {
  console.warn('PostgreSQL race tests SKIPPED: set TEST_DATABASE_URL to run them.');
}

const adapters = adapterHarnesses();

function serviceOver(store: Store): RequestsService {
  return createRequestsService({ store, provisioning: createFakeProvisioning(store), approvers: { isApprover: async () => true, listApprovers: async () => [] } });
}

async function filedRequest(service: RequestsService): Promise<string> {
  const result = await service.submit({ policyName: 'Raced Policy', scenario: 'automatic', requester: helpdesk });
  if (result.kind !== 'created') throw new Error(`expected a created request, got ${result.kind}`);
  return result.request.id;
}

function expectOneDecision(results: readonly DecideResult[]): void {
  const winners = results.filter((result) => result.kind === 'decided');
  expect(winners).toHaveLength(1);
  const decision = winners[0]?.kind === 'decided' ? winners[0].request.decision : undefined;
  expect(decision).toBeDefined();
  for (const loser of results.filter((result) => result.kind !== 'decided')) {
    expect(loser).toMatchObject({ kind: 'alreadyDecided', request: { decision: { kind: decision?.kind, by: decision?.by, at: decision?.at } } });
  }
}

function expectOneSubmission(results: readonly SubmitResult[]): void {
  const created = results.filter((result) => result.kind === 'created');
  expect(created).toHaveLength(1);
  const id = created[0]?.kind === 'created' ? created[0].request.id : undefined;
  for (const other of results.filter((result) => result.kind !== 'created')) {
    expect(other).toMatchObject({ kind: 'activeRequestExists', request: { id } });
  }
}

describe.each(adapters)('races in one process on %s', (_name, makeHarness) => {
  const stores = trackStores();
  let harness: StoreHarness | undefined;
  afterEach(async () => {
    await stores.closeAll();
    await harness?.dispose();
  });

  async function freshService(): Promise<{ store: Store; service: RequestsService }> {
    if (!makeHarness) throw new Error('unreachable: suite skipped');
    harness = makeHarness();
    const store = await stores.open(harness);
    return { store, service: serviceOver(store) };
  }

  (makeHarness ? it : it.skip)('100 concurrent approvals and rejections: one decision, everyone else told who and when', async () => {
    const { store, service } = await freshService();
    const id = await filedRequest(service);
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, index) => {
        const actor = { aadObjectId: `approver-${index}`, name: `Approver ${index}` };
        return index % 2 === 0 ? service.approve(id, actor) : service.reject(id, actor, `no (${index})`);
      }),
    );
    expectOneDecision(results);
    await service.idle();
    const decisions = (await store.listAudit({ requestId: id })).filter((entry) => entry.kind === 'approved' || entry.kind === 'rejected');
    expect(decisions).toHaveLength(1);
  });

  (makeHarness ? it : it.skip)('50 concurrent submits for one policy: one accepted, the others pointed to it', async () => {
    const { service } = await freshService();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        service.submit({ policyName: index % 2 ? 'raced  policy' : 'Raced Policy', scenario: 'automatic', requester: { aadObjectId: `agent-${index}`, name: `Agent ${index}` } }),
      ),
    );
    expectOneSubmission(results);
  });
});

const CHILD = join(__dirname, 'support', 'raceChild.ts');
const REGISTER = join(__dirname, '..', 'support', 'register-ts.js');

interface Child {
  readonly ready: Promise<void>;
  readonly result: Promise<unknown>;
  go(): void;
}

function startInstance(order: object): Child {
  const child = spawn(process.execPath, ['-r', REGISTER, CHILD, JSON.stringify(order)], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = createInterface({ input: child.stdout });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const received: string[] = [];
  let announceReady = (): void => undefined;
  const ready = new Promise<void>((resolve) => (announceReady = resolve));
  lines.on('line', (line) => (line === 'ready' ? announceReady() : received.push(line)));
  const result = new Promise<unknown>((resolve, reject) => {
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`instance exited with ${code}: ${stderr}`));
      else resolve(JSON.parse(received.join('')));
    });
  });
  return { ready: Promise.race([ready, result.then(() => undefined)]), result, go: () => child.stdin.end('go\n') };
}

async function raceTwoInstances(order: object, count: number): Promise<unknown[]> {
  const instances = [1, 2].map((instance) => startInstance({ ...order, instance, count }));
  await Promise.all(instances.map((instance) => instance.ready));
  for (const instance of instances) instance.go();
  const results = await Promise.all(instances.map((instance) => instance.result));
  return results.flatMap((result) => result as unknown[]);
}

(TEST_DATABASE_URL ? describe : describe.skip)('races between two processes on PostgreSQL', () => {
  const url = TEST_DATABASE_URL ?? '';
  let harness: StoreHarness;
  let store: Store;
  beforeEach(async () => {
    harness = postgresHarness(url);
    store = await harness.open();
  });
  afterEach(async () => {
    await store.close();
    await harness.dispose();
  });

  function schemaOf(h: StoreHarness): string {
    return h.options.kind === 'postgres' ? h.options.schema ?? 'public' : '';
  }

  it('100 decisions from two instances: exactly one wins, the others learn who and when', async () => {
    const id = await filedRequest(serviceOver(store));
    const results = await raceTwoInstances({ url, schema: schemaOf(harness), mode: 'decide', requestId: id }, 50);
    expect(results).toHaveLength(100);
    expectOneDecision(results as DecideResult[]);
  });

  it('50 submits from two instances: exactly one accepted, the others pointed to it', async () => {
    const results = await raceTwoInstances({ url, schema: schemaOf(harness), mode: 'submit', requestId: '' }, 25);
    expect(results).toHaveLength(50);
    expectOneSubmission(results as SubmitResult[]);
    expect((await store.listRequestsInStates(['pending'])).length).toBe(1);
  });
});
