/**
 * The inventory: lists every device-preparation policy (both templates, all pages), reads the group each one
 * uses, and assesses every group with Intune's codes. Reads only: it never competes with provisioning for the
 * directory write budget. A policy, target or group in an unexpected shape becomes an `unreadable` finding;
 * an outage or throttling that outlasts the adapter's retries ends the run with the GraphError.
 */
import type { PolicyGroupRecord } from '../domain/policyGroup';
import { SCENARIO_INFO } from '../domain/scenario';
import type {
  GroupReading,
  IntunePolicy,
  InventoryFinding,
  InventoryGroup,
  InventoryRecords,
  InventoryReport,
  InventoryService,
  KnownPolicy,
  MembershipTarget,
  PolicyInventoryEntry,
  TenantPolicies,
  TenantUnavailable,
} from './types';
import { type Clock, systemClock } from '../shared/clock';
import type { IntuneReadinessReader } from './intune';
import { assessedReadiness, readReadiness } from './readinessPass';

export interface InventoryDeps {
  /** The tenant's answers; the inventory always reads past their cache, and so refreshes it. */
  readonly tenant: TenantPolicies;
  readonly records: InventoryRecords;
  readonly clock?: Clock;
  /** A group the bot made is an orphan when its policy has not appeared in Intune this many days later. */
  readonly orphanAfterDays?: number;
  /**
   * Awaited before the targets of each chunk of up to READ_CHUNK policies are read (together: one JSON batch
   * with a batching Graph client): the watch holds its reads to its share of Intune's budget with it.
   */
  readonly pace?: (policyIds: readonly string[]) => Promise<void>;
  /** What each policy selects and whom it applies to (issue 20); without it the run checks groups only. */
  readonly readiness?: IntuneReadinessReader;
}

/** Policies whose reads are made at the same time: one JSON batch of reads (Graph's limit is 20 requests). */
export const READ_CHUNK = 20;

export const DEFAULT_ORPHAN_AFTER_DAYS = 14;
const DAY_MS = 24 * 3600 * 1000;
const FRESH = { fresh: true } as const;

interface GroupVerdict {
  readonly findings: readonly InventoryFinding[];
  readonly group: InventoryGroup | null;
  readonly restorableUntil?: string;
}

interface Row {
  readonly policy: IntunePolicy;
  readonly key: string;
  readonly record: PolicyGroupRecord | undefined;
  readonly groupId: string | null;
  readonly source: PolicyInventoryEntry['groupSource'];
  readonly findings: InventoryFinding[];
}

export function createInventory(deps: InventoryDeps): InventoryService {
  const { tenant, records } = deps;
  const clock = deps.clock ?? systemClock;
  const orphanAfterMs = (deps.orphanAfterDays ?? DEFAULT_ORPHAN_AFTER_DAYS) * DAY_MS;
  const pace = deps.pace ?? (async () => undefined);

  async function take(): Promise<InventoryReport> {
    const requestIds: string[] = [];
    const answered = <T extends Answered>(answer: T | TenantUnavailable): T => settled(answer, requestIds);

    const listing = answered(await tenant.policies(FRESH));
    const { policies } = listing;
    const entries: PolicyInventoryEntry[] = listing.unreadable.map((item) => unreadablePolicy(item.id, item.name, item.reason));

    const recorded = await records.listAllGroups();
    const recordByKey = new Map(recorded.map((record) => [record.policyKey, record]));
    // A group bound with `bind` names its Intune policy: that policy's identity is the record's key, even when
    // it was renamed in Intune before the inventory first saw it.
    const boundKey = new Map(recorded.flatMap((record) => (record.binding ? [[record.binding.intunePolicyId, record.policyKey] as const] : [])));
    const known = await records.recordPolicySightings(
      policies.map((policy) => ({ policyId: policy.id, name: policy.name, key: policy.key, identityKey: boundKey.get(policy.id) ?? policy.key, scenario: policy.scenario })),
      clock.now().toISOString(),
    );
    const knownById = new Map(known.map((policy) => [policy.policyId, policy]));
    const matchedKeys = new Set<string>();

    const verdicts = new Map<string, Promise<GroupVerdict>>();
    const verdictOf = (groupId: string): Promise<GroupVerdict> => {
      let verdict = verdicts.get(groupId);
      if (!verdict) {
        verdict = tenant.group(groupId, FRESH).then((reading) => verdictFrom(answered(reading)));
        verdicts.set(groupId, verdict);
        whileUnawaited(verdict);
      }
      return verdict;
    };

    // What the policies select needs no group: read beside the targets (the targets are held by Intune's POST
    // budget, these reads by others), so that the pass takes about as long as its targets alone.
    const readinessReads = deps.readiness && readReadiness(deps.readiness, policies.map((policy) => ({ policyId: policy.id, scenario: policy.scenario })));
    if (readinessReads) whileUnawaited(readinessReads);

    const groupUsers = new Map<string, string[]>();
    const rows: Row[] = [];
    for (let start = 0; start < policies.length; start += READ_CHUNK) {
      const chunk = policies.slice(start, start + READ_CHUNK);
      await pace(chunk.map((policy) => policy.id));
      const targets = await Promise.all(chunk.map((policy) => tenant.target(policy.id, FRESH)));
      chunk.forEach((policy, index) => {
        const identity: KnownPolicy | undefined = knownById.get(policy.id);
        const key = identity?.policyKey ?? policy.key;
        const candidate = recordByKey.get(key);
        const record = candidate && candidate.scenario === policy.scenario ? candidate : undefined;
        if (record) matchedKeys.add(record.policyKey);
        const row = rowOf(policy, key, record, answered(targets[index]));
        if (row.groupId) {
          groupUsers.set(row.groupId, [...(groupUsers.get(row.groupId) ?? []), policy.id]);
          // Read while the next chunk's targets wait for their budget: with a batching client, in batches.
          void verdictOf(row.groupId);
        } else if (unboundRecordOf(row)) void verdictOf(row.record.groupId);
        rows.push(row);
      });
    }
    const groupVerdicts = new Map(await Promise.all([...groupUsers.keys()].map(async (groupId) => [groupId, await verdictOf(groupId)] as const)));
    const readiness =
      readinessReads &&
      assessedReadiness(
        await readinessReads,
        rows.map((row) => ({ policyId: row.policy.id, scenario: row.policy.scenario, groupId: row.groupId, groupName: (row.groupId && groupVerdicts.get(row.groupId)?.group?.displayName) || null })),
      );
    requestIds.push(...(readiness?.requestIds ?? []));

    const nameOf = new Map(policies.map((policy) => [policy.id, policy.name]));
    for (const row of rows) {
      let restorableUntil: string | undefined;
      let group: InventoryGroup | null = null;
      let groupId = row.groupId;
      if (unboundRecordOf(row)) {
        // The bot's group was never bound (or Intune's target was cleared): Bind is the fix only while the group
        // exists. Deleted, it is restored; purged, replaced; so the row says so instead of "use bind".
        const verdict = await verdictOf(row.record.groupId);
        const gone = verdict.findings.filter((finding) => finding.code === 'securityGroupNotFound');
        if (gone.length > 0) {
          row.findings.splice(0, row.findings.length, { code: 'noGroup', detail: `The policy has no device group in Intune, and the bot's group ${row.record.groupId} for it is deleted.` }, ...gone);
          restorableUntil = verdict.restorableUntil;
          groupId = row.record.groupId;
        }
      }
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
      row.findings.push(...(readiness?.findings.get(row.policy.id) ?? []));
      entries.push({
        policyId: row.policy.id,
        policyName: row.policy.name,
        scenario: row.policy.scenario,
        groupId,
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
    const unmatched = recorded.filter((record) => !matchedKeys.has(record.policyKey));
    const unmatchedVerdicts = await Promise.all(unmatched.map((record) => verdictOf(record.groupId)));
    unmatched.forEach((record, index) => {
      const verdict = unmatchedVerdicts[index];
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
    });

    return { entries: entries.sort(problemsFirst), graphRequestIds: requestIds };
  }

  return { take };
}

/**
 * A read started before the pass awaits it: its failure is the pass's (when awaited), not an unhandled
 * rejection in the meantime, and not one at all when the pass ended earlier for another reason.
 */
function whileUnawaited(read: Promise<unknown>): void {
  read.catch(() => undefined);
}

interface Answered {
  readonly kind: string;
  readonly graphRequestIds: readonly string[];
}

/** An answer with its request ids collected; an outage ends the run with Graph's error. */
function settled<T extends Answered>(answer: T | TenantUnavailable, requestIds: string[]): T {
  if (isUnavailable(answer)) throw answer.error;
  requestIds.push(...answer.graphRequestIds);
  return answer;
}

function isUnavailable(answer: Answered | TenantUnavailable): answer is TenantUnavailable {
  return answer.kind === 'unavailable';
}

/** A row whose policy has no device group in Intune while the bot records one for it. */
function unboundRecordOf(row: Row): row is Row & { readonly record: PolicyGroupRecord } {
  return row.groupId === null && row.source === 'none' && row.record !== undefined;
}

/** A policy's row: the group Intune names (or the record's, where Intune will not tell), and what that means. */
function rowOf(policy: IntunePolicy, key: string, record: PolicyGroupRecord | undefined, target: Exclude<MembershipTarget, TenantUnavailable>): Row {
  if (target.kind === 'hidden') {
    const findings: InventoryFinding[] = record
      ? []
      : [{ code: 'noGroup', detail: 'Intune does not tell an app-only caller which group this policy uses, and the bot has no group recorded for it.' }];
    return { policy, key, record, groupId: record?.groupId ?? null, source: record ? 'record' : 'none', findings };
  }
  if (target.kind === 'unreadable') {
    return { policy, key, record, groupId: target.groupId, source: target.groupId ? 'intune' : 'none', findings: [{ code: 'unreadable', detail: target.detail }] };
  }
  if (target.kind === 'none') {
    const detail = record
      ? `The policy has no device group in Intune; the bot's group ${record.groupId} for it is not bound (use bind).`
      : 'The policy has no device group in Intune: devices enrolling with it join no group.';
    return { policy, key, record, groupId: null, source: 'none', findings: [{ code: 'noGroup', detail }] };
  }
  const { groupId } = target;
  const findings: InventoryFinding[] = [];
  if (!record) {
    findings.push({ code: 'notRecorded', detail: `The group ${groupId} was not made by this bot and is not recorded as the policy's one group; once correct, an approver can adopt it.` });
  } else if (record.groupId !== groupId) {
    findings.push({ code: 'recordedGroupDiffers', detail: `Intune uses the group ${groupId}, but the bot's record for this policy is the group ${record.groupId}.` });
  }
  return { policy, key, record, groupId, source: 'intune', findings };
}

function verdictFrom(reading: Exclude<GroupReading, TenantUnavailable>): GroupVerdict {
  switch (reading.kind) {
    case 'live':
      return { findings: reading.findings, group: reading.group };
    case 'deleted':
      return { findings: reading.findings, group: null, restorableUntil: reading.recycleBin.restorableUntil };
    case 'purged':
    case 'unreadable':
      return { findings: reading.findings, group: null };
  }
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
