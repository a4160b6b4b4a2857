/** A store file with N requests in it, as a bot that has been in use for a while has. */
import { groupNamesFor } from '../../src/domain/naming';
import { parsePolicyName } from '../../src/domain/policy';
import type { Actor } from '../../src/domain/actor';
import { openStore } from '../../src/store';

export const BENCH_REQUESTER: Actor = { aadObjectId: '0b0b0b0b-0000-4000-8000-000000000001', name: 'Bench Requester' };

export function benchPolicyName(index: number): string {
  return `Bench policy ${index}`;
}

export async function seedSqliteRequests(path: string, count: number): Promise<void> {
  const store = await openStore({ kind: 'sqlite', path });
  try {
    for (let index = 0; index < count; index++) {
      const policy = parsePolicyName(benchPolicyName(index));
      if (!policy.ok) throw new Error(policy.reason);
      const scenario = index % 2 === 0 ? 'userDriven' : 'automatic';
      const names = groupNamesFor(policy.value, scenario);
      if (!names.ok) throw new Error(names.reason);
      await store.createRequest({
        policyKey: policy.value.key,
        policyName: policy.value.name,
        scenario,
        names: names.value,
        requester: BENCH_REQUESTER,
        createdAt: new Date().toISOString(),
      });
    }
  } finally {
    await store.close();
  }
}
