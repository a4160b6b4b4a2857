/**
 * The services, built from the configuration the same way by the bot (main.ts) and the admin CLI: the Graph
 * directory adapter and who may approve (first, so the bot's notifier can use them), then the provisioning
 * service over the store's policy→group registry, the inventory of the tenant's device-preparation policies,
 * and the requests service over the store's ports.
 */
import type { Logger as RootLogger } from 'pino';
import { createGraphDirectory, createIntunePacer, membershipTargetRead, type IntunePacerOptions } from '../graph';
import { createInventory } from '../inventory/inventory';
import { createReadinessFixer } from '../inventory/readinessFix';
import { createTenantPolicies } from '../inventory/tenant';
import type { InventoryService } from '../inventory/types';
import { createProvisioningService, type ProvisioningService } from '../provisioning';
import { createApproverDirectory } from '../requests/approvers';
import type { ApproverDirectory, RequestNotifier } from '../requests/ports';
import { createRequestsService } from '../requests/service';
import type { RequestsService } from '../requests/types';
import { type Clock, systemClock } from '../shared/clock';
import type { Store } from '../store';
import type { Config } from './config';

export interface Services {
  readonly provisioning: ProvisioningService;
  readonly requests: RequestsService;
  readonly inventory: InventoryService;
  /** The same inventory, its Graph reads spread out (the health watch's: it must not crowd interactive calls). */
  readonly pacedInventory: InventoryService;
}

/**
 * The health watch's share of Intune's budget. Each policy's group is read with a POST (retrieve…), and Intune
 * allows 100 POSTs per 20 s per app (device config v2): half of that is 20 every 8 s, leaving the rest to
 * interactive calls. 5,000 policies: about 33 minutes a pass.
 */
export const WATCH_INTUNE_SHARE = 0.5;

/**
 * The watch's pace: a chunk's target reads wait for the watch's share of the budget, on top of the Graph
 * client's own pacing to the whole of it. `instances`: how many bot instances share the app's budget (each
 * runs its watch on its part). `timeScale` only for the benchmark's shortened window, a clock and sleep only
 * for tests: the product paces on the documented window and the system's clock.
 */
export function watchPace(options: Omit<IntunePacerOptions, 'share'> & { readonly instances?: number } = {}): (policyIds: readonly string[]) => Promise<void> {
  const { instances = 1, ...pacing } = options;
  const share = createIntunePacer({ ...pacing, share: WATCH_INTUNE_SHARE / instances });
  return (policyIds) => share.admit(policyIds.map(membershipTargetRead));
}

/** The tenant's directory over Microsoft Graph, and who may approve (configured ids and/or an Entra group). */
export interface GraphAccess {
  readonly directory: ReturnType<typeof createGraphDirectory>;
  readonly approvers: ApproverDirectory;
}

export function createGraphAccess(config: Config, logger: RootLogger, clock: Clock = systemClock): GraphAccess {
  const directory = createGraphDirectory({
    baseUrl: config.graph.baseUrl,
    credential: config.graph.credential,
    retry: { attemptTimeoutMs: config.graph.timeoutMs, replicationReadBudgetMs: config.graph.replicationWaitMs },
    // One line per Graph call, retries included, with Graph's request-id and our client-request-id.
    onRequest: (attempt) => logger.debug({ graph: attempt }, 'graph call'),
    // Reads made together (the inventory's, a chunk of policies at a time) go out as JSON batches.
    batchReads: {},
    // Intune's requests go out when its documented budget (this instance's part of it) has room for them, rather
    // than to be throttled.
    pacer: createIntunePacer({ share: 1 / config.graph.intuneInstances }),
  });
  const approvers = createApproverDirectory({
    approverIds: config.approvers.ids,
    approverGroupId: config.approvers.groupId,
    membership: directory,
    clock,
  });
  return { directory, approvers };
}

export interface ServicesOptions {
  /** The bot's proactive side; the admin CLI has none. */
  readonly notifier?: RequestNotifier;
  /** The one clock of provisioning, the inventory and the requests service (tests move it); the system's by default. */
  readonly clock?: Clock;
}

export function createServices(config: Config, store: Store, graph: GraphAccess, logger: RootLogger, options: ServicesOptions = {}): Services {
  const { directory, approvers } = graph;
  const clock = options.clock ?? systemClock;
  const provisioning = createProvisioningService({
    directory,
    registry: store,
    naming: { template: config.naming.groupNameTemplate, blockedWords: config.naming.blockedWords },
    logger: logger.child({ component: 'provisioning' }),
    clock,
  });
  // One reader of the tenant's policies for everything: the inventory, the paced watch and every resolution.
  const tenant = createTenantPolicies({ directory, clock });
  const inventoryDeps = { tenant, records: store, readiness: directory, orphanAfterDays: config.inventory.orphanGroupDays, clock };
  const inventory = createInventory(inventoryDeps);
  const pacedInventory = createInventory({ ...inventoryDeps, pace: watchPace({ instances: config.graph.intuneInstances }) });
  const requests = createRequestsService({
    store,
    provisioning,
    inventory,
    fixes: createReadinessFixer({ reader: directory, assigner: directory }),
    tenant,
    approvers,
    ...(options.notifier && { notifier: options.notifier }),
    clock,
    allowSelfApproval: config.approvers.allowSelfApproval,
    // SQLite means one instance: whatever it finds half-provisioned at start-up was its own, so resume it now.
    // On PostgreSQL a young request may be in another live instance's hands; the service's default waits.
    ...(config.store.kind === 'sqlite' ? { resumeAfterMs: 0 } : {}),
    logger: logger.child({ component: 'requests' }),
  });
  return { provisioning, requests, inventory, pacedInventory };
}
