import type { PolicyGroupRecord } from '../../../domain/policyGroup';
import type { GroupRequest } from '../../../domain/request';
import { type AdaptiveCard, adaptiveCard, execute, heading, plain } from '../../cards/elements';
import { groupFacts } from '../../cards/group';
import { requestCard } from '../../cards/request';
import { CARD_VERBS } from '../../verbs';

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
    { actions: [execute('Request it', CARD_VERBS.openRequestForm, { policyName: view.policyName })] },
  );
}
