import type { PolicyGroupRecord } from '../../../domain/policyGroup';
import type { GroupRequest } from '../../../domain/request';
import { type AdaptiveCard, type CardElement, adaptiveCard, execute, heading, plain, text } from '../../cards/elements';
import { groupDetails, groupFacts } from '../../cards/group';
import { requestCard } from '../../cards/request';
import { CARD_VERBS } from '../../verbs';

export interface PolicyStatusView {
  readonly policyName: string;
  readonly request?: GroupRequest;
  readonly group?: PolicyGroupRecord;
  /** Intune could not be asked: said under the heading, so the answer is read as the records' alone. */
  readonly tenantNotice?: string;
}

/** `status <policy>`: the group if it exists, else the newest request, else an offer to request one. */
export function policyStatusCard(view: PolicyStatusView): AdaptiveCard {
  const notice = view.tenantNotice === undefined ? undefined : plain(view.tenantNotice);
  const noticeBlock: CardElement[] = notice === undefined ? [] : [text(notice)];
  if (view.group) {
    return adaptiveCard([heading(`${plain(view.group.policyName)} has its device group`), ...noticeBlock, groupFacts(view.group), ...groupDetails(view.group, 'group-details')]);
  }
  if (view.request) return requestCard(view.request, `Status of ${plain(view.request.policyName)}`, notice === undefined ? {} : { notice });
  return adaptiveCard(
    [heading(`No group or request for "${plain(view.policyName)}" yet`), ...noticeBlock],
    { actions: [execute('Request it', CARD_VERBS.openRequestForm, { policyName: view.policyName })] },
  );
}
