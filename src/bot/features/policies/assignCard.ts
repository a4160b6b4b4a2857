/** The confirmation behind "Assign to the device group" on a row of `policies` or the digest. */
import type { ListedPolicy } from '../../../requests/types';
import { type ConfirmAction, confirm, execute, plain } from '../../cards/elements';
import { CARD_VERBS } from '../../verbs';

type Fix = NonNullable<ListedPolicy['findings'][number]['fix']>;

/**
 * Names the app or script and the group, says that one assignment is added and none changed, and the window
 * Intune leaves open (its `assign` replaces the whole set and has no conditional write).
 */
export function assignConfirmation(policyId: string, fix: Fix, groupName: string): ConfirmAction {
  const item = `the ${fix.kind} "${plain(fix.displayName)}"`;
  const how = fix.kind === 'app' ? ' as required' : '';
  return confirm(
    'Assign to the device group',
    `Assign ${item} to the device group "${plain(groupName)}"${how}? One assignment is added; its other assignments stay as they are. ` +
      'Intune has no conditional write here: a change someone makes to its assignments at the same moment could be lost, and the bot says so when it reads them back.',
    execute('Assign', CARD_VERBS.assignToGroup, { policyId, kind: fix.kind, itemId: fix.id }, { style: 'positive' }),
  );
}
