/** Cards about a policy's device group, shown by several features. */
import { SCENARIO_INFO } from '../../domain/scenario';
import type { PolicyGroupRecord } from '../../domain/policyGroup';
import { type AdaptiveCard, type CardElement, adaptiveCard, facts, formatTime, heading, plain, text } from './elements';

export function groupFacts(group: PolicyGroupRecord): CardElement {
  return facts([
    ['Policy', plain(group.policyName)],
    ['Scenario', SCENARIO_INFO[group.scenario].label],
    ['Group name', plain(group.displayName)],
    ['Object id', group.groupId],
    ['Created', `${formatTime(group.createdAt)}, approved by ${plain(group.createdBy.name)}`],
  ]);
}

/** One per policy: shown instead of the form when the policy already has a group. */
export function groupExistsCard(group: PolicyGroupRecord): AdaptiveCard {
  return adaptiveCard([
    heading('This policy already has its device group'),
    text('Each policy gets exactly one group; use this one.', { isSubtle: true }),
    groupFacts(group),
  ]);
}
