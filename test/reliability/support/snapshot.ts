/**
 * What a hostile input must not change: every request row, the policy→group map, the audit log (refusals
 * aside: a `denied` entry is how an attempt is recorded) and the Graph tenant's groups and writes.
 */
import { REQUEST_STATES } from '../../../src/domain/request';
import type { GraphEmulator } from '../../../src/sandbox/graphEmulator';
import type { Store } from '../../../src/store';

export interface WorldSnapshot {
  readonly requests: unknown;
  readonly groups: unknown;
  readonly audit: unknown;
  readonly tenantGroups: unknown;
  readonly graphWrites: number;
}

export async function snapshotOf(store: Store, emulator: GraphEmulator): Promise<WorldSnapshot> {
  const [requests, groups, audit] = await Promise.all([
    store.listRequestsInStates(REQUEST_STATES),
    store.listGroups(0, 100),
    store.listAudit(),
  ]);
  return {
    requests,
    groups,
    audit: audit.filter((entry) => entry.kind !== 'denied'),
    tenantGroups: structuredClone(emulator.admin.groups()),
    graphWrites: emulator.requestLog.filter((entry) => entry.method !== 'GET').length,
  };
}
