/**
 * The tenant's answers about its device-preparation policies, read through one listing: the policies (both
 * templates, all pages, one odd item never hiding the others), each policy's membership target as Intune
 * reports it, and the one assessment of a group. A short cache spares interactive turns a Graph call each;
 * `fresh` reads past it (the decisive re-check before a group is made, the inventory), and a write
 * (bind, adopt, a new group) forgets everything with `invalidate`. Outages are results, never guesses.
 */
import { policyKeyOf } from '../domain/policy';
import { SCENARIOS, SCENARIO_INFO, type Scenario } from '../domain/scenario';
import { OWNER_APP_ID, type Directory } from '../provisioning/directory';
import { GRAPH_ADAPTER_ERROR_CODE, isGraphError } from '../provisioning/graphError';
import { assessRecordedGroup, type OwnerToCheck } from '../provisioning/groupAssessment';
import type { GroupReading, IntunePolicy, MembershipTarget, PolicyListing, ReadOptions, TenantPolicies, UnreadablePolicy } from './types';
import { type Clock, systemClock } from '../shared/clock';

/** The reads of Graph behind the tenant's answers, a subset of the provisioning Directory port. */
export type TenantDirectory = Pick<
  Directory,
  'findServicePrincipalByAppId' | 'listPolicyEntries' | 'retrieveEnrollmentTimeDeviceMembershipTarget' | 'getGroup' | 'getDeletedGroup' | 'listOwners' | 'callerKind'
>;

export interface TenantPoliciesDeps {
  readonly directory: TenantDirectory;
  readonly clock?: Clock;
  /** How long an answer is reused by turns that do not ask for a fresh one. */
  readonly cacheMs?: number;
}

export const DEFAULT_TENANT_CACHE_MS = 30_000;
const INTERNAL_SERVER_ERROR = 500;

const SCENARIO_BY_TEMPLATE: ReadonlyMap<string, Scenario> = new Map(SCENARIOS.map((scenario) => [SCENARIO_INFO[scenario].templateId, scenario]));

interface Cached<T> {
  readonly value: T;
  readonly until: number;
}

export function createTenantPolicies(deps: TenantPoliciesDeps): TenantPolicies {
  const { directory } = deps;
  const clock = deps.clock ?? systemClock;
  const cacheMs = deps.cacheMs ?? DEFAULT_TENANT_CACHE_MS;
  let listing: Cached<Promise<PolicyListing>> | undefined;
  let owner: Cached<Promise<OwnerToCheck>> | undefined;
  const targets = new Map<string, Cached<Promise<MembershipTarget>>>();
  const groups = new Map<string, Cached<Promise<GroupReading>>>();

  /** The cached promise while young, else a new read (kept only when it did not fail). */
  function cached<T extends { readonly kind: string }>(entry: Cached<Promise<T>> | undefined, options: ReadOptions, read: () => Promise<T>, keep: (fresh: Cached<Promise<T>> | undefined) => void): Promise<T> {
    const at = clock.now().getTime();
    if (entry && options.fresh !== true && entry.until > at) return entry.value;
    const value = read();
    const fresh = { value, until: at + cacheMs };
    keep(fresh);
    // An outage is not remembered: the next turn asks again.
    value.then(
      (answer) => answer.kind === 'unavailable' && keep(undefined),
      () => keep(undefined),
    );
    return value;
  }

  async function readListing(): Promise<PolicyListing> {
    try {
      const { value, requestIds } = await directory.listPolicyEntries();
      const policies: IntunePolicy[] = [];
      const unreadable: UnreadablePolicy[] = [];
      for (const entry of value) {
        if (entry.kind === 'unreadable') {
          unreadable.push({ id: entry.id, name: entry.name, reason: entry.reason });
          continue;
        }
        const scenario = SCENARIO_BY_TEMPLATE.get(entry.policy.templateId);
        // Other enrollment policies (ESP, Autopilot profiles) are not device-preparation policies.
        if (scenario) policies.push({ ...entry.policy, key: policyKeyOf(entry.policy.name), scenario });
      }
      return { kind: 'listed', policies, unreadable, graphRequestIds: requestIds };
    } catch (error) {
      return unavailable(error, 'list the device-preparation policies');
    }
  }

  async function readTarget(policyId: string): Promise<MembershipTarget> {
    try {
      const { value, requestIds } = await directory.retrieveEnrollmentTimeDeviceMembershipTarget(policyId);
      const [first, ...more] = value.statuses;
      if (more.length > 0) {
        return { kind: 'unreadable', groupId: first?.targetId ?? null, detail: `Intune lists ${value.statuses.length} device groups for this policy; device preparation uses one.`, graphRequestIds: requestIds };
      }
      return first ? { kind: 'group', groupId: first.targetId, graphRequestIds: requestIds } : { kind: 'none', graphRequestIds: requestIds };
    } catch (error) {
      if (isGraphError(error) && error.code === GRAPH_ADAPTER_ERROR_CODE.invalidResponse) {
        return { kind: 'unreadable', groupId: null, detail: `Intune returned the policy's device group in an unexpected shape: ${error.graphMessage}`, graphRequestIds: error.requestId ? [error.requestId] : [] };
      }
      // Intune answers app-only callers of the membership-target actions with 500 in some tenants.
      if (isGraphError(error) && error.status === INTERNAL_SERVER_ERROR && (await directory.callerKind()) === 'appOnly') {
        return { kind: 'hidden', graphRequestIds: error.requestId ? [error.requestId] : [] };
      }
      return unavailable(error, "read the policy's device group");
    }
  }

  async function readOwner(): Promise<OwnerToCheck & { readonly kind: string }> {
    const found = await directory.findServicePrincipalByAppId(OWNER_APP_ID);
    return found.value
      ? { kind: 'present', id: found.value.id }
      : { kind: 'missing', message: `The tenant has no Intune Provisioning Client service principal (appId ${OWNER_APP_ID}) to own the group.` };
  }

  async function readGroup(groupId: string): Promise<GroupReading> {
    const requestIds: string[] = [];
    try {
      // The owner's id hardly changes: even a fresh read of a group reuses a young lookup of it.
      const ownerToCheck = await cached(owner, {}, readOwner, (fresh) => (owner = fresh));
      const assessment = await assessRecordedGroup(directory, groupId, ownerToCheck, requestIds);
      const findings = assessment.findings.map((finding) => ({ code: finding.code, detail: finding.message }));
      switch (assessment.kind) {
        case 'live': {
          const { displayName, mailNickname, uniqueName } = assessment.group;
          return { kind: 'live', groupId, group: { displayName, mailNickname, uniqueName }, findings, graphRequestIds: requestIds };
        }
        case 'deleted':
          return { kind: 'deleted', groupId, recycleBin: assessment.recycleBin, findings, graphRequestIds: requestIds };
        case 'purged':
          return { kind: 'purged', groupId, findings, graphRequestIds: requestIds };
      }
    } catch (error) {
      if (isGraphError(error) && error.code === GRAPH_ADAPTER_ERROR_CODE.invalidResponse) {
        return { kind: 'unreadable', groupId, findings: [{ code: 'unreadable', detail: `Graph returned the group ${groupId} in an unexpected shape: ${error.graphMessage}` }], graphRequestIds: requestIds };
      }
      return unavailable(error, `read the group ${groupId}`);
    }
  }

  return {
    policies: (options = {}) => cached(listing, options, readListing, (fresh) => (listing = fresh)),
    target: (policyId, options = {}) => cached(targets.get(policyId), options, () => readTarget(policyId), (fresh) => keepIn(targets, policyId, fresh)),
    group: (groupId, options = {}) => cached(groups.get(groupId), options, () => readGroup(groupId), (fresh) => keepIn(groups, groupId, fresh)),
    invalidate() {
      listing = undefined;
      owner = undefined;
      targets.clear();
      groups.clear();
    },
  };
}

function keepIn<T>(map: Map<string, T>, key: string, value: T | undefined): void {
  if (value === undefined) map.delete(key);
  else map.set(key, value);
}

/** Graph could not be asked (an outage, throttling past the retries, a refusal): said, with Graph's own words. */
function unavailable(error: unknown, what: string): { readonly kind: 'unavailable'; readonly message: string; readonly error: unknown } {
  if (!isGraphError(error)) throw error;
  return { kind: 'unavailable', message: `Intune could not be asked to ${what}: ${error.message}`, error };
}
