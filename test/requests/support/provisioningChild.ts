/**
 * A bot instance for the crash tests: the real requests service, provisioning service and Graph adapter
 * against the parent's Graph emulator and store (SQLite file or PostgreSQL schema). It resumes interrupted requests; with `killAt` it
 * announces that step on stdout and then waits there for the parent's SIGKILL.
 */
import { createGraphDirectory } from '../../../src/graph';
import { createProvisioningService, type Directory } from '../../../src/provisioning';
import { createRequestsService } from '../../../src/requests/service';
import { createTenantPolicies } from '../../../src/inventory/tenant';
import { openStore, type Store, type StoreOptions } from '../../../src/store';
import type { CrashStep } from './crashSteps';


interface ChildOrder {
  readonly store: StoreOptions;
  readonly graphUrl: string;
  readonly token: string;
  readonly killAt?: CrashStep;
}

async function main(): Promise<void> {
  const order = JSON.parse(process.argv[2] ?? '{}') as ChildOrder;
  const reached = async (step: CrashStep): Promise<void> => {
    if (step !== order.killAt) return;
    process.stdout.write(`step:${step}\n`);
    await new Promise<never>(() => undefined); // hold here until killed
  };
  const store = await openStore(order.store);
  const hookedStore: Store = {
    ...store,
    async transitionRequest(requestId, expected, change, audit) {
      const result = await store.transitionRequest(requestId, expected, change, audit);
      if (result.kind === 'applied' && change.to === 'provisioning') await reached('claimed');
      return result;
    },
    async recordGroup(record) {
      const result = await store.recordGroup(record);
      await reached('groupRecorded');
      return result;
    },
  };
  const graph = createGraphDirectory({
    baseUrl: order.graphUrl,
    credential: { kind: 'static', token: order.token },
    retry: { maxRetries: 1, delaySeconds: 0, maxRetryTimeMs: 5000, replicationReadAttempts: 5, replicationReadDelayMs: 20 },
  });
  const directory: Directory = {
    ...graph,
    async upsertGroup(group) {
      const result = await graph.upsertGroup(group);
      await reached('groupUpserted');
      return result;
    },
  };
  const provisioning = createProvisioningService({ directory, registry: hookedStore });
  const hookedProvisioning = {
    ...provisioning,
    async ensureGroup(...args: Parameters<typeof provisioning.ensureGroup>) {
      const result = await provisioning.ensureGroup(...args);
      await reached('ensured');
      return result;
    },
  };
  const service = createRequestsService({
    store: hookedStore,
    provisioning: hookedProvisioning,
    // The decisive re-check before the create reads the tenant as the bot does.
    tenant: createTenantPolicies({ directory: graph }),
    approvers: { isApprover: async () => false, listApprovers: async () => [] },
    resumeAfterMs: 0,
  });
  const resumed = await service.resumeInterrupted();
  await service.idle();
  await store.close();
  process.stdout.write(`done:${resumed}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
