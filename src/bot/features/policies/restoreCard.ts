import type { PolicyGroupRecord } from '../../../domain/policyGroup';
import type { RestorePolicyResult } from '../../../requests/types';
import { type AdaptiveCard, type CardElement, adaptiveCard, heading, plain, text } from '../../cards/elements';
import { groupDetails, groupFacts } from '../../cards/group';
import { problemLines } from '../../cards/findings';

export interface RestoreCardView {
  readonly group: PolicyGroupRecord;
  readonly ownerReAdded: boolean;
  readonly findings: Extract<RestorePolicyResult, { kind: 'restored' }>['findings'];
}

/** After a restore: the same group is back; what (if anything) still needs doing. */
export function restoreCard(view: RestoreCardView): AdaptiveCard {
  const body: CardElement[] = [heading(`The device group of "${plain(view.group.policyName)}" is back`), groupFacts(view.group)];
  body.push(text('Restored from the recycle bin: the same group (object id), so Intune policies that used it still do.'));
  if (view.ownerReAdded) body.push(text('The Intune Provisioning Client was added back as owner.'));
  if (view.findings.length > 0) {
    body.push(text('Still to fix:', { weight: 'Bolder' }));
    body.push(...problemLines(view.findings));
  }
  body.push(...groupDetails(view.group, 'group-details'));
  return adaptiveCard(body);
}
