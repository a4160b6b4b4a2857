/**
 * The inventory an approver's list was made from, kept a few minutes: Previous/Next page through it, and what
 * only the whole tenant shows (which other policies use a group) is read from it, rather than every policy's
 * target again on a click (thousands of Intune POSTs in a large tenant). Forgotten after a change the list shows.
 */
import type { InventoryReport } from '../inventory/types';
import type { ServiceContext } from './context';
import type { PolicyInventory } from './ports';

/** How long Previous/Next (and a row's action) may use the same inventory rather than taking the tenant's again. */
const RECENT_INVENTORY_MS = 3 * 60_000;

export interface RecentInventory {
  /** The recent inventory when `reuseRecent` and there is one; otherwise the tenant's, taken now. */
  take(reuseRecent: boolean): Promise<InventoryReport>;
  /** The names of the other policies whose device group (Intune's target) this group is. */
  otherUsersOf(groupId: string, policyId: string): Promise<readonly string[]>;
  /** After an adoption or a replacement: the next list is taken anew. */
  forget(): void;
}

export function createRecentInventory(context: Pick<ServiceContext, 'nowMs'>, inventory: PolicyInventory): RecentInventory {
  let recent: { readonly report: InventoryReport; readonly at: number } | undefined;

  async function take(reuseRecent: boolean): Promise<InventoryReport> {
    if (reuseRecent && recent && context.nowMs() - recent.at < RECENT_INVENTORY_MS) return recent.report;
    const report = await inventory.take();
    recent = { report, at: context.nowMs() };
    return report;
  }

  return {
    take,
    async otherUsersOf(groupId, policyId) {
      const { entries } = await take(true);
      return entries.filter((entry) => entry.groupSource === 'intune' && entry.groupId === groupId && entry.policyId !== null && entry.policyId !== policyId).map((entry) => entry.policyName);
    },
    forget() {
      recent = undefined;
    },
  };
}
