/** Test double of the store's policy→group map, with the same conditional-write contract. */
import type { PolicyGroupRegistry } from '../../../src/provisioning/types';
import type { PolicyGroupRecord } from '../../../src/domain/policyGroup';

export interface MemoryRegistry extends PolicyGroupRegistry {
  records(): readonly PolicyGroupRecord[];
}

export function createMemoryRegistry(initial: readonly PolicyGroupRecord[] = []): MemoryRegistry {
  const byKey = new Map(initial.map((record) => [record.policyKey, record]));
  return {
    findGroup: async (policyKey) => byKey.get(policyKey),
    recordGroup: async (record) => {
      const existing = byKey.get(record.policyKey);
      if (existing) return existing;
      byKey.set(record.policyKey, record);
      return record;
    },
    records: () => [...byKey.values()],
  };
}
