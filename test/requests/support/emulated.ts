/**
 * The requests service over the real parts: the store (SQLite or PostgreSQL), the provisioning service, the
 * tenant reader and the inventory (with issue 20's readiness reads and the one-click fix when asked), all through
 * the real Graph adapter against the Graph emulator over HTTP.
 * `register` adds the hooks that start one per test and close it after; `serviceWith` builds a second service
 * over the same store and emulator, as another instance (or the same one after a restart) would be.
 */
import { SCENARIO_INFO } from '../../../src/domain/scenario';
import { createInventory } from '../../../src/inventory/inventory';
import { createReadinessFixer } from '../../../src/inventory/readinessFix';
import { createTenantPolicies } from '../../../src/inventory/tenant';
import { createGraphDirectory } from '../../../src/graph';
import { createProvisioningService } from '../../../src/provisioning';
import type { PolicyGroupRegistry, ProvisioningService } from '../../../src/provisioning/types';
import { createRequestsService } from '../../../src/requests/service';
import type { RequestsService } from '../../../src/requests/types';
import { startGraphEmulator, type GraphEmulator } from '../../../src/sandbox/graphEmulator';
import type { Store } from '../../../src/store';
import { trackStores, type StoreHarness } from '../../store/support/harness';
import { approver, approverIds, otherApprover } from './world';

export const EMULATED_TOKEN = 'emulated-token';
export const USER_DRIVEN = SCENARIO_INFO.userDriven.templateId;
const FAST_RETRY = { maxRetries: 1, delaySeconds: 0, maxRetryTimeMs: 5000, replicationReadAttempts: 5, replicationReadDelayMs: 20 };

export interface EmulatedWorld {
  readonly emulator: GraphEmulator;
  readonly store: Store;
  readonly service: RequestsService;
  /** Another service over the same store and emulator; `provisioning`/`registry` wrap the real ones (to stop one midway). */
  serviceWith(parts?: {
    readonly registry?: (real: PolicyGroupRegistry) => PolicyGroupRegistry;
    readonly provisioning?: (real: ProvisioningService) => ProvisioningService;
  }): RequestsService;
}

export interface EmulatedWorldOptions {
  /** The inventory reads what each policy selects (readiness findings, batched), and the one-click fix is composed. */
  readonly readiness?: boolean;
}

/** Registers beforeEach/afterEach for a suite on one store adapter (none: the suite's tests are skipped). */
export function registerEmulatedWorld(factory: (() => StoreHarness) | undefined, options: EmulatedWorldOptions = {}): { readonly current: () => EmulatedWorld } {
  const readiness = options.readiness === true;
  let world: EmulatedWorld | undefined;
  let harness: StoreHarness | undefined;
  const services: RequestsService[] = [];
  const stores = trackStores();

  beforeEach(async () => {
    if (!factory) return;
    const emulator = await startGraphEmulator({ requiredToken: EMULATED_TOKEN, seed: { policies: [] } });
    harness = factory();
    const store = await stores.open(harness);
    const directory = createGraphDirectory({ baseUrl: emulator.url, credential: { kind: 'static', token: EMULATED_TOKEN }, retry: FAST_RETRY, ...(readiness && { batchReads: {} }) });
    const serviceWith: EmulatedWorld['serviceWith'] = (parts = {}) => {
      const tenant = createTenantPolicies({ directory });
      const registry = parts.registry ? parts.registry(store) : store;
      const provisioning = createProvisioningService({ directory, registry, bindReplication: { wait: async () => undefined } });
      const service = createRequestsService({
        store,
        provisioning: parts.provisioning ? parts.provisioning(provisioning) : provisioning,
        tenant,
        inventory: createInventory({ tenant, records: store, ...(readiness && { readiness: directory }) }),
        ...(readiness && { fixes: createReadinessFixer({ reader: directory, assigner: directory }) }),
        approvers: approverIds(approver, otherApprover),
        resumeAfterMs: 0,
      });
      services.push(service);
      return service;
    };
    world = { emulator, store, service: serviceWith(), serviceWith };
  });

  afterEach(async () => {
    if (!factory || !world) return;
    await Promise.all(services.splice(0).map((service) => service.idle()));
    await stores.closeAll();
    await harness?.dispose();
    await world.emulator.close();
    world = undefined;
  });

  return {
    current() {
      if (!world) throw new Error('The emulated world starts in beforeEach.');
      return world;
    },
  };
}
