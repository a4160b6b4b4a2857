import type { PolicyGroupRecord } from '../../../domain/policyGroup';
import type { RestorePolicyResult } from '../../../requests/types';
import { type AdaptiveCard, type CardElement, adaptiveCard, heading, plain, text } from '../../cards/elements';
import { groupFacts } from '../../cards/group';

export interface RestoreCardView {
  readonly group: PolicyGroupRecord;
  readonly ownerReAdded: boolean;
  readonly findings: Extract<RestorePolicyResult, { kind: 'restored' }>['findings'];
}

/** After a restore: the same group is back; what (if anything) still needs doing. */
export function restoreCard(view: RestoreCardView): AdaptiveCard {
  const body: CardElement[] = [heading(`The device group of "${plain(view.group.policyName)}" is back`), groupFacts(view.group)];
  body.push(text('Restored from the recycle bin: the same group (object id), so Intune policies that used it still do.', { color: 'Good' }));
  if (view.ownerReAdded) body.push(text('The Intune provisioning client was added back as owner.', { color: 'Good' }));
  if (view.findings.length > 0) {
    body.push(text('Still to fix:', { color: 'Attention', weight: 'Bolder' }));
    body.push(...view.findings.map((finding) => text(`• ${plain(finding.message)} (${finding.code})`)));
  }
  return adaptiveCard(body);
}
