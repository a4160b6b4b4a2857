/** Test double of the store's policy→group map, with the same conditional-write contract. */
import type { PolicyGroupRegistry } from '../../../src/provisioning/types';
import type { PolicyGroupRecord } from '../../../src/domain/policyGroup';
import { policyKeyOf } from '../../../src/domain/policy';

export interface MemoryRegistry extends PolicyGroupRegistry {
  records(): readonly PolicyGroupRecord[];
  /** The record of a policy name, as the requests service's resolution would hand it down; throws when none. */
  recordOf(policyName: string): PolicyGroupRecord;
}

export function createMemoryRegistry(initial: readonly PolicyGroupRecord[] = []): MemoryRegistry {
  const byKey = new Map(initial.map((record) => [record.policyKey, record]));
  const recordGroup = async (record: PolicyGroupRecord): Promise<PolicyGroupRecord> => {
    const existing = byKey.get(record.policyKey);
    if (existing) return existing;
    byKey.set(record.policyKey, record);
    return record;
  };
  return {
    recordGroup,
    replaceGroup: async (record, replacedGroupId) => {
      const existing = byKey.get(record.policyKey);
      if (existing && existing.groupId !== replacedGroupId) return { record: existing, replaced: false };
      const replacement = { ...record, replacedGroupId };
      byKey.set(record.policyKey, replacement);
      return { record: replacement, replaced: true };
    },
    records: () => [...byKey.values()],
    recordOf(policyName) {
      const record = byKey.get(policyKeyOf(policyName));
      if (!record) throw new Error(`No group is recorded for "${policyName}".`);
      return record;
    },
  };
}
