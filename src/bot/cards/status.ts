import { SCENARIO_INFO } from '../../domain/scenario';
import type { PolicyGroupRecord } from '../../provisioning/types';
import type { GroupRequest } from '../../requests/types';
import { VERBS } from '../verbs';
import { requestDetails } from './requestDetails';
import { type AdaptiveCard, type CardElement, adaptiveCard, execute, facts, formatTime, heading, plain, text } from './types';

export function groupFacts(group: PolicyGroupRecord): CardElement {
  return facts([
    ['Policy', plain(group.policyName)],
    ['Scenario', SCENARIO_INFO[group.scenario].label],
    ['Group name', plain(group.displayName)],
    ['Object id', group.groupId],
    ['Created', `${formatTime(group.createdAt)}, approved by ${plain(group.createdBy.name)}`],
  ]);
}

/** One request, e.g. after `status REQ-n`, after submitting, or when a policy already has an active request. */
export function requestCard(request: GroupRequest, title: string): AdaptiveCard {
  return adaptiveCard([heading(title), ...requestDetails(request)]);
}

export interface PolicyStatusView {
  readonly policyName: string;
  readonly request?: GroupRequest;
  readonly group?: PolicyGroupRecord;
}

/** `status <policy>`: the group if it exists, else the newest request, else an offer to request one. */
export function policyStatusCard(view: PolicyStatusView): AdaptiveCard {
  if (view.group) {
    return adaptiveCard([heading(`${plain(view.group.policyName)} has its device group`), groupFacts(view.group)]);
  }
  if (view.request) return requestCard(view.request, `Status of ${plain(view.request.policyName)}`);
  return adaptiveCard(
    [heading(`No group or request for "${plain(view.policyName)}" yet`)],
    { actions: [execute('Request it', VERBS.openRequestForm, { policyName: view.policyName })] },
  );
}

/** One per policy: shown instead of the form when the policy already has a group. */
export function groupExistsCard(group: PolicyGroupRecord): AdaptiveCard {
  return adaptiveCard([
    heading('This policy already has its device group'),
    text('Each policy gets exactly one group; use this one.', { isSubtle: true }),
    groupFacts(group),
  ]);
}

export function noticeCard(title: string, message: string): AdaptiveCard {
  return adaptiveCard([heading(title), text(message)]);
}
