/**
 * The requests service over the real stack for one store adapter: the Graph emulator over HTTP, the real Graph
 * adapter, provisioning service and inventory (with issue 20's readiness reads and the one-click fix when asked),
 * and the store. Registers its own beforeEach/afterEach; the returned object's fields are the current test's.
 */
import { SCENARIO_INFO } from '../../../src/domain/scenario';
import { createGraphDirectory } from '../../../src/graph';
import { createInventory } from '../../../src/inventory/inventory';
import { createReadinessFixer } from '../../../src/inventory/readinessFix';
import { createTenantPolicies } from '../../../src/inventory/tenant';
import { createProvisioningService } from '../../../src/provisioning';
import { createRequestsService } from '../../../src/requests/service';
import type { RequestsService } from '../../../src/requests/types';
import { startGraphEmulator, type GraphEmulator } from '../../../src/sandbox/graphEmulator';
import type { Store } from '../../../src/store';
import { trackStores, type StoreHarness } from '../../store/support/harness';
import { approver, approverIds, otherApprover } from './world';

export const SANDBOX_STACK_TOKEN = 'sandbox-stack-token';
const FAST_RETRY = { maxRetries: 1, delaySeconds: 0, maxRetryTimeMs: 5000, replicationReadAttempts: 5, replicationReadDelayMs: 20 };
export const USER_DRIVEN = SCENARIO_INFO.userDriven.templateId;

export interface SandboxStack {
  emulator: GraphEmulator;
  store: Store;
  service: RequestsService;
}

export interface SandboxStackOptions {
  /** The inventory reads what each policy selects (readiness findings), and the one-click fix is composed. */
  readonly readiness?: boolean;
}

export function useSandboxStack(factory: (() => StoreHarness) | undefined, options: SandboxStackOptions = {}): SandboxStack {
  const stack = {} as SandboxStack;
  const stores = trackStores();
  let harness: StoreHarness;

  beforeEach(async () => {
    if (!factory) return;
    stack.emulator = await startGraphEmulator({ requiredToken: SANDBOX_STACK_TOKEN, seed: { policies: [] } });
    harness = factory();
    stack.store = await stores.open(harness);
    const directory = createGraphDirectory({
      baseUrl: stack.emulator.url,
      credential: { kind: 'static', token: SANDBOX_STACK_TOKEN },
      retry: FAST_RETRY,
      ...(options.readiness === true && { batchReads: {} }),
    });
    const tenant = createTenantPolicies({ directory });
    stack.service = createRequestsService({
      store: stack.store,
      provisioning: createProvisioningService({ directory, registry: stack.store }),
      tenant,
      inventory: createInventory({ tenant, records: stack.store, ...(options.readiness === true && { readiness: directory }) }),
      ...(options.readiness === true && { fixes: createReadinessFixer({ reader: directory, assigner: directory }) }),
      approvers: approverIds(approver, otherApprover),
      resumeAfterMs: 0,
    });
  });
  afterEach(async () => {
    if (!factory) return;
    await stack.service.idle();
    await stores.closeAll();
    await harness.dispose();
    await stack.emulator.close();
  });
  return stack;
}
