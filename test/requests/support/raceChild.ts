/**
 * A second bot instance for the multi-process race tests: opens the shared PostgreSQL store, says
 * "ready", waits for "go" on stdin, then fires its share of concurrent submits or decisions and prints
 * the outcomes as one JSON line.
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { createRequestsService } from '../../../src/requests/service';
import { openStore } from '../../../src/store';
import { createFakeProvisioning } from './fakeProvisioning';

interface RaceOrder {
  readonly url: string;
  readonly schema: string;
  readonly mode: 'submit' | 'decide';
  readonly requestId: string;
  readonly count: number;
  readonly instance: number;
}

async function main(): Promise<void> {
  const order = JSON.parse(process.argv[2] ?? '{}') as RaceOrder;
  const store = await openStore({ kind: 'postgres', url: order.url, schema: order.schema, poolSize: 10 });
  const service = createRequestsService({
    store,
    provisioning: createFakeProvisioning(store),
    approvers: { isApprover: async () => true, listApprovers: async () => [] },
  });
  const lines = createInterface({ input: process.stdin });
  process.stdout.write('ready\n');
  await once(lines, 'line');
  const outcomes = await Promise.all(
    Array.from({ length: order.count }, (_, index) => {
      const actor = { aadObjectId: `instance-${order.instance}-person-${index}`, name: `Person ${order.instance}.${index}` };
      if (order.mode === 'submit') return service.submit({ policyName: 'Raced Policy', scenario: 'automatic', requester: actor });
      return index % 2 === 0 ? service.approve(order.requestId, actor) : service.reject(order.requestId, actor, 'raced');
    }),
  );
  await service.idle();
  lines.close();
  await store.close();
  process.stdout.write(`${JSON.stringify(outcomes)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
