/**
 * The requests service, assembled from its parts: the lifecycle (submit, decide, cancel, retry), the
 * provisioning runner, the queries and the policy administration. Every part decides its permissions through
 * the same rules (permissions.ts) and audits its refusals through the same context.
 */
import type { Logger } from '../shared/logger';
import type { Clock } from '../shared/clock';
import { createServiceContext } from './context';
import { createLifecycle } from './lifecycle';
import { createPermissions } from './permissions';
import { type BindClaimOptions, createBinder } from './binding';
import { createPolicyAdministration } from './policyAdmin';
import { createPolicyFixes } from './policyFixes';
import { createPolicyReplacement } from './policyReplace';
import { createRecentInventory } from './recentInventory';
import type { ApproverDirectory, GroupProvisioning, PolicyInventory, ReadinessFixes, RequestNotifier, RequestsStore } from './ports';
import { createPolicySearch } from './policySearch';
import { createPolicyInventoryPart } from './policyInventory';
import { createQueries } from './queries';
import { createPolicyResolver, NO_TENANT, type PolicyTruth } from './resolution';
import type { TenantPolicies } from '../inventory/types';
import { createProvisioningRunner } from './runner';
import type { RequestsService } from './types';

export interface RequestsServiceDeps {
  readonly store: RequestsStore;
  readonly provisioning: GroupProvisioning;
  readonly approvers: ApproverDirectory;
  /** The tenant's policies (listing, adoption); without it those two answer that no inventory is configured. */
  readonly inventory?: PolicyInventory;
  /** The one-click fix of a readiness finding (assign an app or script to the device group); none: a wiring bug to use it. */
  readonly fixes?: ReadinessFixes;
  /** Intune's answers about policies and their groups, which every entry point resolves a policy against. */
  readonly tenant?: TenantPolicies;
  readonly notifier?: RequestNotifier;
  readonly clock?: Clock;
  /** Let an approver approve their own request (small teams); off by default. */
  readonly allowSelfApproval?: boolean;
  readonly logger?: Logger;
  /**
   * How long a request must have sat in `approved`/`provisioning` before `resumeInterrupted` takes it over.
   * With several instances, a younger one is probably being provisioned by another instance right now.
   */
  readonly resumeAfterMs?: number;
  /** How binds of one policy take turns (tests shorten the waits). */
  readonly bindClaim?: BindClaimOptions;
}

const DEFAULT_RESUME_AFTER_MS = 60_000;

/** A composition without Graph access to Intune (some tests): asking for the inventory is a wiring bug. */
const NO_INVENTORY: PolicyInventory = {
  take: () => Promise.reject(new Error('No policy inventory was composed into this requests service.')),
};

/** A composition without Intune's apps and scripts (some tests): assigning is a wiring bug. */
const NO_FIXES: ReadinessFixes = {
  assignToDeviceGroup: () => Promise.reject(new Error('No readiness fixes were composed into this requests service.')),
};

export function createRequestsService(deps: RequestsServiceDeps): RequestsService {
  const context = createServiceContext(deps);
  const permissions = createPermissions(deps.approvers, { allowSelfApproval: deps.allowSelfApproval });
  const tenant = deps.tenant ?? NO_TENANT;
  const truth: PolicyTruth = { tenant, resolve: createPolicyResolver(tenant, deps.store) };
  const binder = createBinder(context, deps.provisioning, truth, deps.bindClaim);
  // One recent inventory for the list's pages and for what only the whole tenant shows (a group's other users).
  const recent = createRecentInventory(context, deps.inventory ?? NO_INVENTORY);
  const runner = createProvisioningRunner(context, deps.provisioning, truth, { resumeAfterMs: deps.resumeAfterMs ?? DEFAULT_RESUME_AFTER_MS });
  return {
    ...createLifecycle(context, permissions, deps.provisioning, runner, truth),
    ...createQueries(context, permissions, truth),
    ...createPolicyAdministration(context, permissions, deps.provisioning, truth, binder),
    ...createPolicyReplacement(context, permissions, deps.provisioning, truth, binder, recent),
    ...createPolicyInventoryPart(context, permissions, recent, truth),
    ...createPolicyFixes(context, permissions, deps.fixes ?? NO_FIXES, truth),
    ...createPolicySearch(context, truth.tenant),
    resumeInterrupted: () => runner.resumeInterrupted(),
    idle: () => runner.idle(),
  };
}
