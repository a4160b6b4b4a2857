/**
 * The health watch: every interval, exactly one instance (a conditional write in the store, nothing held across
 * Graph calls) takes the inventory, posts the findings not reported before as one digest, notes those that
 * cleared, and audits the pass. A finding is reported again only after it has cleared and come back.
 * Posting comes before recording: a crash in between re-posts at the next pass, never loses a finding, and the
 * record of what was reported is written in one transaction with its audit entry.
 */
import { randomUUID } from 'node:crypto';
import type { FindingCode, InventoryFinding, PolicyInventoryEntry } from '../inventory/types';
import { type Clock, systemClock } from '../shared/clock';
import { type Logger, silentLogger } from '../shared/logger';
import { type Repeating, repeatEvery } from '../shared/repeat';
import type { DigestPoster, FindingSubject, HealthWatchRecords, AuditLog, PolicyInventory, ReportedFinding } from './ports';
import { actionsFor } from './policyInventory';
import type { ListedPolicy } from './types';

export interface HealthWatchDeps {
  readonly store: HealthWatchRecords & Pick<AuditLog, 'appendAudit'>;
  readonly inventory: PolicyInventory;
  readonly digest: DigestPoster;
  readonly intervalMs: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** This instance's name in the claim (default: a random id). */
  readonly instanceId?: string;
}

export type HealthPassOutcome =
  /** Another instance has this interval's pass (or it is not due yet). */
  | { readonly kind: 'notMine' }
  | { readonly kind: 'done'; readonly newFindings: number; readonly cleared: number; readonly posted: boolean }
  /** Graph failed (an outage, throttling past the retries) or the digest could not be posted: retried next interval. */
  | { readonly kind: 'failed'; readonly reason: string };

export interface HealthWatch {
  runPass(): Promise<HealthPassOutcome>;
}

const subjectOf = (entry: PolicyInventoryEntry): FindingSubject =>
  entry.policyId !== null ? { kind: 'policy', policyId: entry.policyId } : { kind: 'group', groupId: entry.groupId ?? entry.policyName };
const subjectId = (subject: FindingSubject): string => (subject.kind === 'policy' ? subject.policyId : subject.groupId);
const subjectKey = (subject: FindingSubject): string => `${subject.kind}:${subjectId(subject)}`;
/** One finding of one subject, as a map key. */
const findingKey = (subject: FindingSubject, code: FindingCode): string => `${subjectKey(subject)}\u0000${code}`;

export function createHealthWatch(deps: HealthWatchDeps): HealthWatch {
  const { store, inventory, digest } = deps;
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger;
  const instanceId = deps.instanceId ?? randomUUID();

  async function failed(at: string, reason: string): Promise<HealthPassOutcome> {
    logger.warn({ reason }, 'health watch: pass ended early; retried at the next interval');
    await store.appendAudit({ kind: 'healthCheckFailed', at, detail: reason });
    return { kind: 'failed', reason };
  }

  return {
    async runPass() {
      const started = clock.now();
      const at = started.toISOString();
      const nextDue = new Date(started.getTime() + deps.intervalMs).toISOString();
      if (!(await store.claimHealthCheck(instanceId, at, nextDue))) return { kind: 'notMine' };

      let entries: readonly PolicyInventoryEntry[];
      try {
        entries = (await inventory.take()).entries;
      } catch (error) {
        return failed(at, `inventory: ${error instanceof Error ? error.message : String(error)}`);
      }
      const current = new Map<string, { entry: PolicyInventoryEntry; finding: InventoryFinding }>();
      for (const entry of entries) {
        for (const finding of entry.findings) current.set(findingKey(subjectOf(entry), finding.code), { entry, finding });
      }
      const reported = await store.listReportedFindings();
      const reportedKeys = new Set(reported.map((finding) => findingKey(finding.subject, finding.code)));
      const fresh = [...current.entries()].filter(([key]) => !reportedKeys.has(key)).map(([, value]) => value);
      const cleared = reported.filter((finding) => !current.has(findingKey(finding.subject, finding.code)));

      let posted = false;
      if (fresh.length > 0 || cleared.length > 0) {
        posted = await digest.postDigest({ newFindings: digestEntries(fresh), cleared: cleared.map(clearedLine(entries)), at });
        if (!posted) return failed(at, 'the digest reached no approvals channel and no approver chat');
      }
      const newlyReported: ReportedFinding[] = fresh.map(({ entry, finding }) => ({ subject: subjectOf(entry), code: finding.code, detail: finding.detail, reportedAt: at }));
      await store.settleFindings(newlyReported, cleared, {
        kind: 'healthCheckRun',
        at,
        detail:
          `${entries.length} policies, ${current.size} findings: ${fresh.length} new (${fresh.map(({ finding }) => finding.code).join(', ') || 'none'}), ` +
          `${cleared.length} cleared${posted ? ', digest posted' : ''}`,
      });
      logger.info({ newFindings: fresh.length, cleared: cleared.length, posted }, 'health watch: pass done');
      return { kind: 'done', newFindings: fresh.length, cleared: cleared.length, posted };
    },
  };
}

/** Each policy with a new finding, showing only its new findings, with the actions that fit it as a whole. */
function digestEntries(fresh: readonly { entry: PolicyInventoryEntry; finding: InventoryFinding }[]): ListedPolicy[] {
  const byEntry = new Map<PolicyInventoryEntry, InventoryFinding[]>();
  for (const { entry, finding } of fresh) byEntry.set(entry, [...(byEntry.get(entry) ?? []), finding]);
  return [...byEntry.entries()].map(([entry, findings]) => ({ ...entry, findings, actions: actionsFor(entry) }));
}

function clearedLine(entries: readonly PolicyInventoryEntry[]) {
  return (finding: ReportedFinding) => ({
    policyName: entries.find((entry) => subjectKey(subjectOf(entry)) === subjectKey(finding.subject))?.policyName ?? subjectId(finding.subject),
    code: finding.code,
    detail: finding.detail,
  });
}

/** Runs a pass every `intervalMs` (never overlapping) until stopped; 0 means no watch at all. */
export function startHealthWatch(watch: HealthWatch, options: { readonly intervalMs: number; readonly logger?: Logger }): Repeating {
  const logger = options.logger ?? silentLogger;
  if (options.intervalMs <= 0) return { stop: async () => undefined };
  return repeatEvery(options.intervalMs, () => watch.runPass(), (error) => logger.error({ err: error }, 'health watch: pass failed'));
}
