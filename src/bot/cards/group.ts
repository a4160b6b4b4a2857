/** Cards about a policy's device group, shown by several features. */
import { SCENARIO_INFO } from '../../domain/scenario';
import type { PolicyGroupRecord } from '../../domain/policyGroup';
import type { SubmitResult } from '../../requests/types';
import { CARD_VERBS } from '../verbs';
import { type AdaptiveCard, type CardElement, type ExecuteAction, adaptiveCard, execute, facts, formatTime, heading, plain, text, withDetails } from './elements';

/**
 * What a person reads about a policy's group: names first, who made or adopted it and when, and whether its
 * Intune policy uses it. The object ids are in `groupDetails`, a details section a click opens.
 */
export function groupFacts(group: PolicyGroupRecord): CardElement {
  return facts([
    ['Policy', plain(group.policyName)],
    ['Scenario', SCENARIO_INFO[group.scenario].label],
    ['Group name', plain(group.displayName)],
    // An adopted group was made by hand: the approver adopted it, nobody here created it.
    group.adopted === true
      ? ['Adopted', `${formatTime(group.createdAt)} by ${plain(group.createdBy.name)}`]
      : ['Created', `${formatTime(group.createdAt)}, approved by ${plain(group.createdBy.name)}`],
    ['Intune policy', intunePolicyOf(group)],
  ]);
}

/** The ids of a group (and any codes beside them), for whoever looks it up in Entra or Intune: behind a Details button. */
export function groupDetails(group: PolicyGroupRecord, id: string, extra: readonly CardElement[] = []): CardElement[] {
  return withDetails(id, [
    facts([
      ['Group object id', group.groupId],
      ['Mail nickname', plain(group.mailNickname)],
      ['Intune policy id', group.binding?.intunePolicyId],
    ]),
    ...extra,
  ]);
}

/** Which Intune policy uses the group: said once an approver bound it, so nobody has to look it up in Intune. */
export function intunePolicyOf(group: PolicyGroupRecord): string {
  const { binding } = group;
  if (!binding) return 'not bound yet (an approver types `bind <policy>` once the policy exists in Intune)';
  return `uses this group, bound ${formatTime(binding.at)} by ${plain(binding.by.name)}`;
}

/** One per policy: shown instead of the form when the policy already has a group. */
export function groupExistsCard(group: PolicyGroupRecord): AdaptiveCard {
  return adaptiveCard([
    heading('This policy already has its device group'),
    text('Each policy gets exactly one group; use this one.', { isSubtle: true }),
    groupFacts(group),
    ...groupDetails(group, 'group-details'),
  ]);
}

/** A deleted group's place in the Entra recycle bin, as the requests service reports it. */
type RecycleBinEntry = Extract<SubmitResult, { kind: 'groupDeleted' }>['deleted'];

/** Where a deleted group stands, and what an approver can do: the same group back, never a second one. */
export function deletedGroupText(deleted: RecycleBinEntry): CardElement {
  return text(
    `The group was deleted on ${formatTime(deleted.deletedAt)} and is in the Entra recycle bin until ${formatTime(deleted.restorableUntil)}. ` +
      'An approver can restore it: the same group comes back, with its owner. A second group is never made for the policy.',
  );
}

export function restoreAction(policyKey: string): ExecuteAction {
  return execute('Restore (approvers)', CARD_VERBS.restoreGroup, { policyKey }, { style: 'positive' });
}

/** Shown instead of the form or the group when the policy's group is in the recycle bin. */
export function groupDeletedCard(group: PolicyGroupRecord, deleted: RecycleBinEntry): AdaptiveCard {
  return adaptiveCard([heading("This policy's device group was deleted"), groupFacts(group), deletedGroupText(deleted), ...groupDetails(group, 'group-details')], {
    actions: [restoreAction(group.policyKey)],
  });
}
