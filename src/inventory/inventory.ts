/**
 * The inventory: lists every device-preparation policy (both templates, all pages), reads the group each one
 * uses, and assesses every group with Intune's codes. Reads only: it never competes with provisioning for the
 * directory write budget. A policy, target or group in an unexpected shape becomes an `unreadable` finding;
 * an outage or throttling that outlasts the adapter's retries ends the run with the GraphError.
 */
import { policyKeyOf } from '../domain/policy';
import type { PolicyGroupRecord } from '../domain/policyGroup';
import { SCENARIOS, SCENARIO_INFO, type Scenario } from '../domain/scenario';
import { OWNER_APP_ID, type DevicePreparationPolicy, type Directory, type Traced } from '../provisioning/directory';
import { GRAPH_ADAPTER_ERROR_CODE, isGraphError } from '../provisioning/graphError';
import { assessGroup, recycleBinEntry, withAllOwners } from '../provisioning/groupAssessment';
import { type Clock, systemClock } from '../shared/clock';
import type { InventoryFinding, InventoryGroup, InventoryRecords, InventoryReport, InventoryService, KnownPolicy, PolicyInventoryEntry } from './types';

/** The inventory's reads of Graph, a subset of the provisioning Directory port. */
export type InventoryDirectory = Pick<
  Directory,
  'findServicePrincipalByAppId' | 'listPolicyEntries' | 'retrieveEnrollmentTimeDeviceMembershipTarget' | 'getGroup' | 'getDeletedGroup' | 'listOwners' | 'callerKind'
>;

export interface InventoryDeps {
  readonly directory: InventoryDirectory;
  readonly records: InventoryRecords;
  readonly clock?: Clock;
  /** A group the bot made is an orphan when its policy has not appeared in Intune this many days later. */
  readonly orphanAfterDays?: number;
  /** Awaited before each policy's calls: the watch spreads a run's calls over time with it. */
  readonly pace?: () => Promise<void>;
}

export const DEFAULT_ORPHAN_AFTER_DAYS = 14;
const DAY_MS = 24 * 3600 * 1000;
const INTERNAL_SERVER_ERROR = 500;

const SCENARIO_BY_TEMPLATE: ReadonlyMap<string, Scenario> = new Map(SCENARIOS.map((scenario) => [SCENARIO_INFO[scenario].templateId, scenario]));

interface GroupVerdict {
  readonly findings: readonly InventoryFinding[];
  readonly group: InventoryGroup | null;
  readonly restorableUntil?: string;
}

export function createInventory(deps: InventoryDeps): InventoryService {
  const { directory, records } = deps;
  const clock = deps.clock ?? systemClock;
  const orphanAfterMs = (deps.orphanAfterDays ?? DEFAULT_ORPHAN_AFTER_DAYS) * DAY_MS;
  const pace = deps.pace ?? (async () => undefined);

  async function take(): Promise<InventoryReport> {
    const requestIds: string[] = [];
    const collect = <T>(traced: Traced<T>): T => {
      requestIds.push(...traced.requestIds);
      return traced.value;
    };

    const owner = collect(await directory.findServicePrincipalByAppId(OWNER_APP_ID));
    const listed = collect(await directory.listPolicyEntries());
    const policies: (DevicePreparationPolicy & { readonly scenario: Scenario })[] = [];
    const entries: PolicyInventoryEntry[] = [];
    for (const entry of listed) {
      if (entry.kind === 'unreadable') {
        entries.push(unreadablePolicy(entry.id, entry.name, entry.reason));
        continue;
      }
      const scenario = SCENARIO_BY_TEMPLATE.get(entry.policy.templateId);
      // Other enrollment policies (ESP, Autopilot profiles) are not device-preparation policies.
      if (scenario) policies.push({ ...entry.policy, scenario });
    }

    const recorded = await records.listAllGroups();
    const recordByKey = new Map(recorded.map((record) => [record.policyKey, record]));
    // A group bound with `bind` names its Intune policy: that policy's identity is the record's key, even when
    // it was renamed in Intune before the inventory first saw it.
    const boundKey = new Map(recorded.flatMap((record) => (record.binding ? [[record.binding.intunePolicyId, record.policyKey] as const] : [])));
    const known = await records.recordPolicySightings(
      policies.map((policy) => ({
        policyId: policy.id,
        name: policy.name,
        key: policyKeyOf(policy.name),
        identityKey: boundKey.get(policy.id) ?? policyKeyOf(policy.name),
        scenario: policy.scenario,
      })),
      clock.now().toISOString(),
    );
    const knownById = new Map(known.map((policy) => [policy.policyId, policy]));
    const matchedKeys = new Set<string>();
    const appOnly = (await directory.callerKind()) === 'appOnly';

    const verdicts = new Map<string, Promise<GroupVerdict>>();
    const verdictOf = (groupId: string): Promise<GroupVerdict> => {
      let verdict = verdicts.get(groupId);
      if (!verdict) {
        verdict = assess(groupId);
        verdicts.set(groupId, verdict);
      }
      return verdict;
    };

    async function assess(groupId: string): Promise<GroupVerdict> {
      try {
        const found = collect(await directory.getGroup(groupId));
        if (!found) {
          const deleted = collect(await directory.getDeletedGroup(groupId));
          const entry = deleted && recycleBinEntry(deleted);
          return entry
            ? {
                findings: [{ code: 'securityGroupNotFound', detail: `The group ${groupId} was deleted on ${entry.deletedAt}; it can be restored, with the same object id, until ${entry.restorableUntil}.` }],
                group: null,
                restorableUntil: entry.restorableUntil,
              }
            : { findings: [{ code: 'securityGroupNotFound', detail: `The group ${groupId} no longer exists, not even in the recycle bin: it cannot be restored.` }], group: null };
        }
        const group = owner ? await withAllOwners(directory, found, owner.id, requestIds) : found;
        const findings: InventoryFinding[] = assessGroup(group, owner?.id).map((finding) => ({ code: finding.code, detail: finding.message }));
        if (!owner) {
          findings.push({ code: 'firstPartyAppNotAnOwner', detail: `The tenant has no Intune Provisioning Client service principal (appId ${OWNER_APP_ID}) to own the group.` });
        }
        return { findings, group: { displayName: group.displayName, mailNickname: group.mailNickname, uniqueName: group.uniqueName } };
      } catch (error) {
        if (isGraphError(error) && error.code === GRAPH_ADAPTER_ERROR_CODE.invalidResponse) {
          return { findings: [{ code: 'unreadable', detail: `Graph returned the group ${groupId} in an unexpected shape: ${error.graphMessage}` }], group: null };
        }
        throw error;
      }
    }

    /** Intune's target for a policy; `undefined` when Intune will not tell this (app-only) caller. */
    async function targetOf(policyId: string): Promise<{ groupId: string | null; problem?: InventoryFinding } | undefined> {
      try {
        const result = collect(await directory.retrieveEnrollmentTimeDeviceMembershipTarget(policyId));
        const [first, ...more] = result.statuses;
        if (more.length > 0) {
          return { groupId: first?.targetId ?? null, problem: { code: 'unreadable', detail: `Intune lists ${result.statuses.length} device groups for this policy; device preparation uses one.` } };
        }
        return { groupId: first?.targetId ?? null };
      } catch (error) {
        if (!isGraphError(error)) throw error;
        if (error.code === GRAPH_ADAPTER_ERROR_CODE.invalidResponse) {
          return { groupId: null, problem: { code: 'unreadable', detail: `Intune returned the policy's device group in an unexpected shape: ${error.graphMessage}` } };
        }
        // Intune answers app-only callers of the membership-target actions with 500 in some tenants.
        if (error.status === INTERNAL_SERVER_ERROR && appOnly) return undefined;
        throw error;
      }
    }

    const groupUsers = new Map<string, string[]>();
    const rows: { policy: (typeof policies)[number]; key: string; record: PolicyGroupRecord | undefined; groupId: string | null; source: PolicyInventoryEntry['groupSource']; findings: InventoryFinding[] }[] = [];
    for (const policy of policies) {
      await pace();
      const identity: KnownPolicy | undefined = knownById.get(policy.id);
      const key = identity?.policyKey ?? policyKeyOf(policy.name);
      const candidate = recordByKey.get(key);
      const record = candidate && candidate.scenario === policy.scenario ? candidate : undefined;
      if (record) matchedKeys.add(record.policyKey);
      const target = await targetOf(policy.id);
      const findings: InventoryFinding[] = target?.problem ? [target.problem] : [];
      let groupId: string | null;
      let source: PolicyInventoryEntry['groupSource'];
      if (target === undefined) {
        groupId = record?.groupId ?? null;
        source = record ? 'record' : 'none';
        if (!record) findings.push({ code: 'noGroup', detail: 'Intune does not tell an app-only caller which group this policy uses, and the bot has no group recorded for it.' });
      } else {
        groupId = target.groupId;
        source = groupId ? 'intune' : 'none';
        if (!groupId && !target.problem) {
          findings.push({
            code: 'noGroup',
            detail: record
              ? `The policy has no device group in Intune; the bot's group ${record.groupId} for it is not bound (use bind).`
              : 'The policy has no device group in Intune: devices enrolling with it join no group.',
          });
        } else if (groupId && !record) {
          findings.push({ code: 'notRecorded', detail: `The group ${groupId} was not made by this bot and is not recorded as the policy's one group; once correct, an approver can adopt it.` });
        } else if (groupId && record && record.groupId !== groupId) {
          findings.push({ code: 'recordedGroupDiffers', detail: `Intune uses the group ${groupId}, but the bot's record for this policy is the group ${record.groupId}.` });
        }
      }
      if (groupId) groupUsers.set(groupId, [...(groupUsers.get(groupId) ?? []), policy.id]);
      rows.push({ policy, key, record, groupId, source, findings });
    }

    const nameOf = new Map(policies.map((policy) => [policy.id, policy.name]));
    for (const row of rows) {
      let restorableUntil: string | undefined;
      let group: InventoryGroup | null = null;
      if (row.groupId) {
        const others = (groupUsers.get(row.groupId) ?? []).filter((id) => id !== row.policy.id);
        if (others.length > 0) {
          const names = others.map((id) => `"${nameOf.get(id) ?? id}"`).join(', ');
          row.findings.push({ code: 'sharedGroup', detail: `The group ${row.groupId} is also the device group of ${names}; Microsoft recommends one group per policy.` });
        }
        const verdict = await verdictOf(row.groupId);
        row.findings.push(...verdict.findings);
        restorableUntil = verdict.restorableUntil;
        group = verdict.group;
      }
      entries.push({
        policyId: row.policy.id,
        policyName: row.policy.name,
        scenario: row.policy.scenario,
        groupId: row.groupId,
        groupSource: row.source,
        findings: row.findings,
        policyKey: row.record?.policyKey ?? row.key,
        recorded: row.record !== undefined,
        group,
        ...(restorableUntil ? { restorableUntil } : {}),
      });
    }

    // Every recorded group is checked, also where its policy is not (yet) in Intune: the group is made before
    // the policy. Past the configured number of days such a group is an orphan as well.
    const cutoff = clock.now().getTime() - orphanAfterMs;
    for (const record of recorded) {
      if (matchedKeys.has(record.policyKey)) continue;
      const verdict = await verdictOf(record.groupId);
      const orphan: InventoryFinding[] =
        Date.parse(record.createdAt) > cutoff
          ? []
          : [{ code: 'orphanGroup', detail: `The bot made the group ${record.groupId} on ${record.createdAt.slice(0, 10)}, but no ${SCENARIO_INFO[record.scenario].label} policy named "${record.policyName}" has appeared in Intune since.` }];
      entries.push({
        policyId: null,
        policyName: record.policyName,
        scenario: record.scenario,
        groupId: record.groupId,
        groupSource: 'record',
        findings: [...verdict.findings, ...orphan],
        policyKey: record.policyKey,
        recorded: true,
        group: verdict.group,
        ...(verdict.restorableUntil ? { restorableUntil: verdict.restorableUntil } : {}),
      });
    }

    return { entries: entries.sort(problemsFirst), graphRequestIds: requestIds };
  }

  return { take };
}

function unreadablePolicy(id: string | null, name: string | null, reason: string): PolicyInventoryEntry {
  return {
    policyId: id,
    policyName: name ?? '(unnamed policy)',
    scenario: null,
    groupId: null,
    groupSource: 'none',
    findings: [{ code: 'unreadable', detail: `Graph returned this policy in an unexpected shape: ${reason}` }],
    policyKey: null,
    recorded: false,
    group: null,
  };
}

function problemsFirst(a: PolicyInventoryEntry, b: PolicyInventoryEntry): number {
  const byHealth = Number(b.findings.length > 0) - Number(a.findings.length > 0);
  return byHealth !== 0 ? byHealth : a.policyName.localeCompare(b.policyName) || (a.policyId ?? '').localeCompare(b.policyId ?? '');
}
